/**
 * Directory → Update through n8n's real engine against the emulator over HTTP: only the fields
 * set are sent; nothing to change, or a blank name, is refused before any request.
 */
import { byId, llamaCloudRunner, PAGES_OF_100, useEmulator } from '../../support/emulator';

const emulator = useEmulator(PAGES_OF_100);
const run = llamaCloudRunner(emulator, { resource: 'directory' });

describe('Directory: Update', () => {
	test('Update sends only the fields set', async () => {
		const directory = emulator.current.store.createDirectory('Old name', {
			description: 'keep me',
		});
		const { items, error } = await run({
			operation: 'update',
			directoryId: byId(directory.id),
			updateFields: { name: 'New name' },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			id: directory.id,
			name: 'New name',
			description: 'keep me',
		});
		expect(emulator.current.requests[0]).toMatchObject({
			method: 'PATCH',
			body: { name: 'New name' },
		});
		expect(emulator.current.store.directory(directory.id)?.name).toBe('New name');
	});

	test('Update with no fields is rejected before any request', async () => {
		const directory = emulator.current.store.createDirectory('Untouched');
		const { error } = await run({
			operation: 'update',
			directoryId: byId(directory.id),
			updateFields: {},
		});
		expect(error?.message).toContain('"Update Fields" must set at least one field [item 0]');
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('Update with a blank name is rejected before any request', async () => {
		const directory = emulator.current.store.createDirectory('Untouched');
		const { error } = await run({
			operation: 'update',
			directoryId: byId(directory.id),
			updateFields: { name: '  ' },
		});
		expect(error?.message).toContain('"Name" must not be empty');
		expect(emulator.current.requests).toHaveLength(0);
		expect(emulator.current.store.directory(directory.id)?.name).toBe('Untouched');
	});
});
