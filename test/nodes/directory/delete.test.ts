/**
 * Directory → Delete through n8n's real engine against the emulator over HTTP.
 */
import { byId, llamaCloudRunner, PAGES_OF_100, useEmulator } from '../../support/emulator';

const emulator = useEmulator(PAGES_OF_100);
const run = llamaCloudRunner(emulator, { resource: 'directory' });

describe('Directory: Delete', () => {
	test('Delete outputs { deleted: true, id } and removes the directory', async () => {
		const directory = emulator.current.store.createDirectory('Temporary');
		const { items, error } = await run({ operation: 'delete', directoryId: byId(directory.id) });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([{ deleted: true, id: directory.id }]);
		expect(emulator.current.requests[0]).toMatchObject({
			method: 'DELETE',
			path: `/api/v1/beta/directories/${directory.id}`,
			status: 204,
		});
		expect(emulator.current.store.directory(directory.id)).toBeUndefined();
	});
});
