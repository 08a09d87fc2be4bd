/**
 * File → Add (a stored file into a directory) through n8n's real engine against the emulator
 * over HTTP: display name, unique ID and metadata, expressions per item, bad input and metadata
 * LlamaCloud cannot hold refused before any request (with a hint for the key at fault), the API's
 * errors, continue-on-fail, and no second Add when the connection drops after the server applied it.
 */
import type { IDataObject } from 'n8n-workflow';

import { byId } from '../../support/emulator';
import {
	DIRECTORY_FILES,
	expectBadInput,
	items,
	requestsTo,
	storeFile,
	useFileTests,
} from './fixtures';

const { emulator, run, directory } = useFileTests();

describe('Add', () => {
	test('adds a stored file with display name, unique ID and typed metadata pairs', async () => {
		const fileId = await storeFile(emulator.current);
		const {
			items: out,
			error,
			pairedItems,
		} = await run({
			operation: 'add',
			directoryId: byId(directory.current.id),
			storageFileId: fileId,
			additionalFields: { displayName: 'ACME contract', uniqueId: 'contracts/acme.pdf' },
			metadataInput: 'pairs',
			metadataPairs: {
				pair: [
					{ key: 'department', type: 'string', stringValue: 'legal' },
					{ key: 'year', type: 'number', numberValue: 2026 },
					{ key: 'public', type: 'boolean', booleanValue: false },
				],
			},
		});
		expect(error).toBeUndefined();
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({
			directory_id: directory.current.id,
			display_name: 'ACME contract',
			unique_id: 'contracts/acme.pdf',
			file_id: fileId,
			metadata: { department: 'legal', year: 2026, public: false },
		});
		expect(pairedItems).toEqual([[{ item: 0 }]]);
		// Types survive all the way into the API's object.
		const stored = emulator.current.store.file(String(out[0].json.id));
		expect(stored?.metadata).toStrictEqual({ department: 'legal', year: 2026, public: false });
		const [post] = requestsTo(emulator.current, 'POST', DIRECTORY_FILES);
		expect(post.body).toEqual({
			file_id: fileId,
			display_name: 'ACME contract',
			unique_id: 'contracts/acme.pdf',
			metadata: { department: 'legal', year: 2026, public: false },
		});
	});

	test('expressions over several items: display name and metadata JSON per item', async () => {
		const fileId = await storeFile(emulator.current);
		const input = items(
			{ title: 'First', meta: { rank: 1, draft: true } },
			{ title: 'Second', meta: { rank: 2, draft: false } },
			{ title: 'Third', meta: { rank: 3, draft: true } },
		);
		const {
			items: out,
			error,
			pairedItems,
		} = await run(
			{
				operation: 'add',
				directoryId: byId(directory.current.id),
				storageFileId: fileId,
				additionalFields: {
					displayName: '={{ $json.title }}',
					uniqueId: '={{ "doc-" + $itemIndex }}',
				},
				metadataInput: 'json',
				metadataJson: '={{ $json.meta }}',
			},
			{ inputItems: input },
		);
		expect(error).toBeUndefined();
		expect(out.map((i) => i.json.display_name)).toEqual(['First', 'Second', 'Third']);
		expect(out.map((i) => i.json.unique_id)).toEqual(['doc-0', 'doc-1', 'doc-2']);
		expect(out.map((i) => i.json.metadata)).toEqual([
			{ rank: 1, draft: true },
			{ rank: 2, draft: false },
			{ rank: 3, draft: true },
		]);
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }], [{ item: 2 }]]);
		expect(emulator.current.store.files(directory.current.id)).toHaveLength(3);
	});

	test.each([
		['empty', ''],
		['whitespace', ' \n '],
	])('an %s file ID fails before any request, naming the field and item', async (_, value) => {
		const { items: out } = await run(
			{
				operation: 'add',
				directoryId: byId(directory.current.id),
				storageFileId: '={{ $json.id }}',
			},
			{ inputItems: items({ id: value }), continueOnFail: true },
		);
		expectBadInput(out[0], '"File ID" must not be empty [item 0]');
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('without continue-on-fail the node fails with the same message', async () => {
		const { error } = await run(
			{
				operation: 'add',
				directoryId: byId(directory.current.id),
				storageFileId: '={{ $json.id }}',
			},
			{ inputItems: items({ id: ' ' }) },
		);
		expect(error?.message).toBe('"File ID" must not be empty [item 0]');
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('a blank display name fails before any request', async () => {
		const { items: out } = await run(
			{
				operation: 'add',
				directoryId: byId(directory.current.id),
				storageFileId: 'file-1',
				additionalFields: { displayName: ' ' },
			},
			{ continueOnFail: true },
		);
		expectBadInput(out[0], '"Display Name" must not be empty [item 0]');
		expect(emulator.current.requests).toHaveLength(0);
	});

	test.each([
		['a nested object', { author: { name: 'Ada' } }, 'Metadata key "author" is a nested object'],
		[
			'a list with a number',
			{ tags: ['a', 2] },
			'Metadata key "tags" is a list with a value that is not a string',
		],
		['not an object', [1, 2], '"Metadata JSON" must be a JSON object of key/value pairs'],
		['not JSON', '{oops', '"Metadata JSON" is not valid JSON'],
	])(
		'metadata that is %s is rejected before sending, naming key and item',
		async (_, meta, problem) => {
			const fileId = await storeFile(emulator.current);
			emulator.current.clearRequests();
			const { items: out } = await run(
				{
					operation: 'add',
					directoryId: byId(directory.current.id),
					storageFileId: fileId,
					additionalFields: { uniqueId: '={{ "doc-" + $itemIndex }}' },
					metadataInput: 'json',
					metadataJson: '={{ $json.meta }}',
				},
				{
					inputItems: [{ json: { meta: { ok: 1 } } }, { json: { meta } as IDataObject }],
					continueOnFail: true,
				},
			);
			expect(out[0].json.metadata).toEqual({ ok: 1 });
			const message = String(out[1].json.error);
			expect(message.startsWith(problem)).toBe(true);
			expect(message.endsWith(' [item 1]')).toBe(true);
			expect(requestsTo(emulator.current, 'POST', DIRECTORY_FILES)).toHaveLength(1); // item 0 only
		},
	);

	test('null and lists of strings are metadata values (the spec’s MetadataValue)', async () => {
		const fileId = await storeFile(emulator.current);
		const { items: out } = await run({
			operation: 'add',
			directoryId: byId(directory.current.id),
			storageFileId: fileId,
			metadataInput: 'json',
			metadataJson: '{"owner": null, "tags": ["a", "b"], "pages": 3}',
		});
		expect(out[0].json.metadata).toEqual({ owner: null, tags: ['a', 'b'], pages: 3 });
	});

	test('an unknown stored file ID is a 404 carrying the API detail', async () => {
		const { error } = await run({
			operation: 'add',
			directoryId: byId(directory.current.id),
			storageFileId: 'file-missing',
		});
		expect(error?.name).toBe('NodeApiError');
		expect((error as { httpCode?: string }).httpCode).toBe('404');
		expect(error?.message).toBe(
			'LlamaCloud API error 404 Not Found: File file-missing not found [item 0]',
		);
	});

	test('a unique ID already used in the directory is a 409 with the API detail', async () => {
		// A service that refuses a taken unique ID (what it does is not public: variant duplicateUniqueId).
		emulator.current.quirks.duplicateUniqueId = 'conflict';
		const fileId = await storeFile(emulator.current);
		const params = {
			operation: 'add',
			directoryId: byId(directory.current.id),
			storageFileId: fileId,
			additionalFields: { uniqueId: 'same' },
		};
		expect((await run(params)).error).toBeUndefined();
		const { error } = await run(params);
		expect(error?.message).toBe(
			`LlamaCloud API error 409 Conflict: A file with unique_id 'same' already exists in directory ${directory.current.id} [item 0]`,
		);
	});

	test('continue-on-fail: a bad item in the middle becomes an error item, the others go on', async () => {
		const fileId = await storeFile(emulator.current);
		const {
			items: out,
			error,
			pairedItems,
		} = await run(
			{
				operation: 'add',
				directoryId: byId(directory.current.id),
				storageFileId: '={{ $json.fileId }}',
				additionalFields: { uniqueId: '={{ $json.key }}' },
			},
			{
				continueOnFail: true,
				inputItems: items(
					{ fileId, key: 'a' },
					{ fileId: ' ', key: 'b' },
					{ fileId: 'file-missing', key: 'c' },
					{ fileId, key: 'd' },
				),
			},
		);
		expect(error).toBeUndefined();
		expect(out).toHaveLength(4);
		expect(out[0].json.unique_id).toBe('a');
		expect(out[1].json.error).toBe('"File ID" must not be empty [item 1]');
		expect(out[2].json.error).toBe(
			'LlamaCloud API error 404 Not Found: File file-missing not found [item 2]',
		);
		expect(out[3].json.unique_id).toBe('d');
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }], [{ item: 2 }], [{ item: 3 }]]);
		expect(
			emulator.current.store
				.files(directory.current.id)
				.map((f) => f.unique_id)
				.sort(),
		).toEqual(['a', 'd']);
	});
});

describe('transient failures (routed operations and lookups share the transport retries)', () => {
	test('Add is not sent twice when the connection drops after the server applied it: found by its unique ID', async () => {
		const fileId = await storeFile(emulator.current);
		emulator.current.clearRequests();
		emulator.current.faults.script([{ kind: 'reset', when: 'after' }], { method: 'POST' });
		const { items: out, error } = await run({
			operation: 'add',
			directoryId: byId(directory.current.id),
			storageFileId: fileId,
			additionalFields: { uniqueId: 'once' },
		});
		expect(error).toBeUndefined();
		expect(requestsTo(emulator.current, 'POST', DIRECTORY_FILES)).toHaveLength(1);
		expect(emulator.current.store.files(directory.current.id).map((f) => f.unique_id)).toEqual([
			'once',
		]);
		expect(out[0].json).toMatchObject({
			id: emulator.current.store.files(directory.current.id)[0].id,
			unique_id: 'once',
			file_id: fileId,
		});
	});

	test('Add without a unique ID fails clearly when the connection drops after sending (the API picks the ID)', async () => {
		const fileId = await storeFile(emulator.current);
		emulator.current.clearRequests();
		emulator.current.faults.script([{ kind: 'reset', when: 'after' }], { method: 'POST' });
		const { error } = await run({
			operation: 'add',
			directoryId: byId(directory.current.id),
			storageFileId: fileId,
		});
		expect(error?.message).toMatch(
			/connection to LlamaCloud dropped after POST .* was sent, so it is unknown whether it was applied \[item 0\]/,
		);
		expect(requestsTo(emulator.current, 'POST', DIRECTORY_FILES)).toHaveLength(1);
		expect(emulator.current.store.files(directory.current.id)).toHaveLength(1);
	});
});

test.each([
	['a nested object', '{"owner": {"team": "legal"}}', 'flatten it into keys such as "owner.team"'],
	[
		'a list with a value that is not a string',
		'{"tags": ["a", 2]}',
		'join the values into one string ("tags": "a, b")',
	],
])('metadata that is %s gets a hint naming its key', async (_kind, metadataJson, hint) => {
	const { error } = await run({
		operation: 'add',
		directoryId: byId('dir-x'),
		storageFileId: 'f',
		metadataInput: 'json',
		metadataJson,
	});
	expect(error?.description).toContain(hint);
	expect(emulator.current.requests).toHaveLength(0);
});
