/**
 * Index → Get through n8n's real engine against the emulator over HTTP.
 */
import { byId, llamaCloudRunner, useEmulator } from '../../support/emulator';
import { createIndexDirectly, INDEX_EMULATOR } from './fixtures';

const emulator = useEmulator(INDEX_EMULATOR);
const run = llamaCloudRunner(emulator, { resource: 'index' });

describe('Index: Get', () => {
	test('Get outputs the index with its build state', async () => {
		const source = emulator.current.store.createDirectory('Docs');
		const created = await createIndexDirectly(emulator.current, {
			source_directory_id: source.id,
			name: 'Docs index',
		});
		await emulator.current.waitForBuilds();
		const { items, error } = await run({ operation: 'get', indexId: byId(created.id) });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			id: created.id,
			name: 'Docs index',
			metadata: { status: 'ready' },
		});
	});

	test('Get of an unknown index is a 404 with the API detail', async () => {
		const { error } = await run({ operation: 'get', indexId: byId('idx-missing') });
		expect(error?.name).toBe('NodeApiError');
		expect((error as unknown as { httpCode: string }).httpCode).toBe('404');
		expect(error?.message).toContain('Index idx-missing not found');
	});
});
