/**
 * File → Delete through n8n's real engine against the emulator over HTTP: by ID and by unique
 * ID (looked up first, retried on a 429), and what is refused or not found.
 */
import { byId } from '../../support/emulator';
import { expectBadInput, items, requestsTo, useFileTests } from './fixtures';

const { emulator, run, directory } = useFileTests();

describe('Delete', () => {
	test('by ID outputs { deleted, id } and soft-deletes the file', async () => {
		const [file] = emulator.current.store.seedFiles(directory.current.id, 2);
		const {
			items: out,
			error,
			pairedItems,
		} = await run({
			operation: 'delete',
			directoryId: byId(directory.current.id),
			fileId: byId(file.id),
		});
		expect(error).toBeUndefined();
		expect(out.map((i) => i.json)).toEqual([{ deleted: true, id: file.id }]);
		expect(pairedItems).toEqual([[{ item: 0 }]]);
		expect(emulator.current.store.file(file.id)?.deleted_at).toEqual(expect.any(String));
	});

	test('by unique ID resolves the directory file ID, then deletes it', async () => {
		const seeded = emulator.current.store.seedFiles(directory.current.id, 3, {
			uniqueId: (i) => `key/${i}`,
		});
		const { items: out, error } = await run(
			{
				operation: 'delete',
				deleteBy: 'uniqueId',
				directoryId: byId(directory.current.id),
				uniqueId: '={{ $json.key }}',
			},
			{ inputItems: items({ key: 'key/2' }, { key: 'key/0' }) },
		);
		expect(error).toBeUndefined();
		expect(out.map((i) => i.json)).toEqual([
			{ deleted: true, id: seeded[2].id },
			{ deleted: true, id: seeded[0].id },
		]);
		expect(
			emulator.current.store
				.files(directory.current.id, { includeDeleted: false })
				.map((f) => f.id),
		).toEqual([seeded[1].id]);
		const deletes = requestsTo(emulator.current, 'DELETE', /./).map((r) => r.path);
		expect(deletes).toEqual([
			`/api/v1/beta/directories/${directory.current.id}/files/${seeded[2].id}`,
			`/api/v1/beta/directories/${directory.current.id}/files/${seeded[0].id}`,
		]);
	});

	test('by unique ID, not found: a clear error naming the item, and nothing deleted', async () => {
		emulator.current.store.seedFiles(directory.current.id, 2);
		const { items: out, error } = await run(
			{
				operation: 'delete',
				deleteBy: 'uniqueId',
				directoryId: byId(directory.current.id),
				uniqueId: '={{ $json.key }}',
			},
			{ inputItems: items({ key: 'seed-000000.txt' }, { key: 'nope' }), continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(out[0].json).toEqual({ deleted: true, id: expect.any(String) });
		expect(out[1].json.error).toBe(
			`LlamaCloud API error 404 Not Found: No file with unique ID 'nope' in directory ${directory.current.id} [item 1]`,
		);
		expect(requestsTo(emulator.current, 'DELETE', /./)).toHaveLength(1);
	});

	test('by unique ID, blank: fails before any request', async () => {
		const { items: out } = await run(
			{
				operation: 'delete',
				deleteBy: 'uniqueId',
				directoryId: byId(directory.current.id),
				uniqueId: '={{ $json.key }}',
			},
			{ inputItems: items({ key: '  ' }), continueOnFail: true },
		);
		expectBadInput(out[0], '"Unique ID" must not be empty [item 0]');
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('an unknown file ID is a 404 with the API detail', async () => {
		const { error } = await run({
			operation: 'delete',
			directoryId: byId(directory.current.id),
			fileId: byId('dfl-gone'),
		});
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(
			'LlamaCloud API error 404 Not Found: Directory file dfl-gone not found [item 0]',
		);
	});
});

describe('transient failures (routed operations and lookups share the transport retries)', () => {
	test("a 429 on Delete by Unique ID's lookup is retried, then the file is deleted", async () => {
		const [file] = emulator.current.store.seedFiles(directory.current.id, 1, {
			uniqueId: () => 'key',
		});
		emulator.current.faults.script([{ kind: 'status', status: 429, retryAfterSeconds: 0 }], {
			method: 'GET',
		});
		const { items: out, error } = await run({
			operation: 'delete',
			deleteBy: 'uniqueId',
			directoryId: byId(directory.current.id),
			uniqueId: 'key',
		});
		expect(error).toBeUndefined();
		expect(out[0].json).toEqual({ deleted: true, id: file.id });
		expect(emulator.current.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
			'GET 429',
			'GET 200',
			'DELETE 204',
		]);
	});
});
