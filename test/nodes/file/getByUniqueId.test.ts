/**
 * File → Get by Unique ID through n8n's real engine against the emulator over HTTP.
 */
import { byId } from '../../support/emulator';
import { expectBadInput, items, useFileTests } from './fixtures';

const { emulator, run, directory } = useFileTests();

describe('Get by Unique ID', () => {
	test('gets exactly the one file with the unique ID', async () => {
		emulator.current.store.seedFiles(directory.current.id, 5, { uniqueId: (i) => `docs/${i}.pdf` });
		const { items: out, error } = await run({
			operation: 'getByUniqueId',
			directoryId: byId(directory.current.id),
			uniqueId: 'docs/3.pdf',
		});
		expect(error).toBeUndefined();
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({
			unique_id: 'docs/3.pdf',
			directory_id: directory.current.id,
		});
		expect(emulator.current.requests.map((r) => r.query.unique_id)).toEqual(['docs/3.pdf']);
	});

	test('an unknown unique ID fails with a 404 naming the unique ID, directory and item', async () => {
		emulator.current.store.seedFiles(directory.current.id, 2);
		const { items: out, error } = await run(
			{
				operation: 'getByUniqueId',
				directoryId: byId(directory.current.id),
				uniqueId: '={{ $json.u }}',
			},
			{ inputItems: items({ u: 'seed-000001.txt' }, { u: 'missing.txt' }), continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(out[0].json.unique_id).toBe('seed-000001.txt');
		expect(out[1].json.error).toBe(
			`LlamaCloud API error 404 Not Found: No file with unique ID 'missing.txt' in directory ${directory.current.id} [item 1]`,
		);
		expect(out[1].json.details).toBe(
			`GET ${emulator.current.url}/api/v1/beta/directories/${directory.current.id}/files.`,
		);
	});

	test('a blank unique ID fails before any request', async () => {
		const { items: out } = await run(
			{ operation: 'getByUniqueId', directoryId: byId(directory.current.id), uniqueId: ' ' },
			{ continueOnFail: true },
		);
		expectBadInput(out[0], '"Unique ID" must not be empty [item 0]');
		expect(emulator.current.requests).toHaveLength(0);
	});
});
