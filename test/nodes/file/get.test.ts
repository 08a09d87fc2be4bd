/**
 * File → Get through n8n's real engine against the emulator over HTTP: files by ID, the API's
 * 404s, a blank locator refused before any request.
 */
import { byId } from '../../support/emulator';
import { items, useFileTests } from './fixtures';

const { emulator, run, directory } = useFileTests();

describe('Get', () => {
	test('gets files by ID, the file locator taken from each item', async () => {
		const seeded = emulator.current.store.seedFiles(directory.current.id, 3);
		const { items: out, pairedItems } = await run(
			{
				operation: 'get',
				directoryId: byId(directory.current.id),
				fileId: byId('={{ $json.id }}'),
			},
			{ inputItems: items({ id: seeded[2].id }, { id: seeded[0].id }) },
		);
		expect(out.map((i) => i.json.id)).toEqual([seeded[2].id, seeded[0].id]);
		expect(out[0].json).toMatchObject({
			directory_id: directory.current.id,
			display_name: seeded[2].display_name,
		});
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }]]);
	});

	test('an unknown file ID is a 404 with the API detail and the request', async () => {
		const { error } = await run({
			operation: 'get',
			directoryId: byId(directory.current.id),
			fileId: byId('dfl-nope'),
		});
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(
			'LlamaCloud API error 404 Not Found: Directory file dfl-nope not found [item 0]',
		);
		expect(error?.description).toContain(
			`GET ${emulator.current.url}/api/v1/beta/directories/${directory.current.id}/files/dfl-nope.`,
		);
	});

	test('an unknown directory is a 404 with the API detail', async () => {
		const { error } = await run({
			operation: 'get',
			directoryId: byId('dir-nope'),
			fileId: byId('dfl-1'),
		});
		expect(error?.message).toBe(
			'LlamaCloud API error 404 Not Found: Directory dir-nope not found [item 0]',
		);
	});

	test('a blank file locator (from an expression) fails before any request', async () => {
		const { error } = await run(
			{
				operation: 'get',
				directoryId: byId(directory.current.id),
				fileId: byId('={{ $json.id }}'),
			},
			{ inputItems: items({ id: '' }) },
		);
		expect(error?.message).toBe('"File" must not be empty [item 0]');
		expect(emulator.current.requests).toHaveLength(0);
	});
});
