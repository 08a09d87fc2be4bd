/**
 * Index → Delete through n8n's real engine against the emulator over HTTP.
 */
import { byId, llamaCloudRunner, useEmulator } from '../../support/emulator';
import { createIndexDirectly, INDEX_EMULATOR } from './fixtures';

const emulator = useEmulator(INDEX_EMULATOR);
const run = llamaCloudRunner(emulator, { resource: 'index' });

describe('Index: Delete', () => {
	test('Delete outputs { deleted: true, id } and removes the index', async () => {
		const source = emulator.current.store.createDirectory('Docs');
		const created = await createIndexDirectly(emulator.current, { source_directory_id: source.id });
		await emulator.current.waitForBuilds();
		const { items, error } = await run({ operation: 'delete', indexId: byId(created.id) });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([{ deleted: true, id: created.id }]);
		expect(emulator.current.store.index(created.id)).toBeUndefined();
		// What else goes with an index (its output directory) is the service's business: not asserted.
		expect(emulator.current.store.directory(source.id)).toBeDefined();
	});
});
