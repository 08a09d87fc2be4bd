/**
 * The File resource (directory files) run in n8n's real engine against the emulator over HTTP.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import {
	startEmulator,
	type DirectoryRecord,
	type Emulator,
	type RecordedRequest,
} from '../../emulator';
import { CANARY_API_KEY } from '../support/canary';
import { toIsoInstant } from '../../nodes/LlamaCloud/helpers/dates';
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { runNode } from '../../harness/engine';

let emulator: Emulator;
/** The emulator's "now": frozen, so timestamps (and date filters) are exact. */
const NOW = Date.parse('2026-02-01T00:00:00.000Z');

beforeAll(async () => {
	// A server that serves 100 items a page at most, whatever the node asks for (1000): lists
	// of a few hundred objects still take several pages.
	emulator = await startEmulator({
		apiKey: CANARY_API_KEY,
		clock: () => NOW,
		maxPageSize: 100,
		pageSizeAboveMax: 'clamp',
	});
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

const credentials = () => ({
	llamaCloudIngestApi: { apiKey: emulator.apiKey, region: 'custom', baseUrl: emulator.url },
});

/** A resource locator value in "By ID" mode. */
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

async function run(
	parameters: INodeParameters,
	options: { inputItems?: INodeExecutionData[]; continueOnFail?: boolean } = {},
) {
	return await runNode({
		type: LlamaCloud,
		credentials: credentials(),
		parameters: { resource: 'file', ...parameters },
		...options,
	});
}

const items = (...jsons: IDataObject[]): INodeExecutionData[] => jsons.map((json) => ({ json }));

/** Requests the emulator saw, with the method and a path ending. */
const requestsTo = (method: string, pathEnd: RegExp): RecordedRequest[] =>
	emulator.requests.filter((r) => r.method === method && pathEnd.test(r.path));
const DIRECTORY_FILES = /\/directories\/[^/]+\/files$/;

/**
 * Bad input fails its item before any request with a message naming field and item. Checked
 * with continue-on-fail, where the node outputs the error item itself (with no `error` object:
 * n8n would replace its JSON by the message alone, dropping the details).
 */
function expectBadInput(item: INodeExecutionData, message: string) {
	expect(item.error).toBeUndefined();
	expect(item.json.error).toBe(message);
}

/** A file stored in the project (what "Add" takes as file_id), created through the API. */
async function storeFile(name = 'contract.pdf'): Promise<string> {
	const form = new FormData();
	form.append('purpose', 'user_data');
	form.append('file', new Blob([`content of ${name}`]), name);
	const response = await fetch(`${emulator.url}/api/v1/beta/files`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${emulator.apiKey}` },
		body: form,
	});
	expect(response.status).toBe(201);
	return ((await response.json()) as { id: string }).id;
}

let directory: DirectoryRecord;
beforeEach(() => {
	directory = emulator.store.createDirectory('Contracts');
});

describe('Add', () => {
	test('adds a stored file with display name, unique ID and typed metadata pairs', async () => {
		const fileId = await storeFile();
		const {
			items: out,
			error,
			pairedItems,
		} = await run({
			operation: 'add',
			directoryId: byId(directory.id),
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
			directory_id: directory.id,
			display_name: 'ACME contract',
			unique_id: 'contracts/acme.pdf',
			file_id: fileId,
			metadata: { department: 'legal', year: 2026, public: false },
		});
		expect(pairedItems).toEqual([[{ item: 0 }]]);
		// Types survive all the way into the API's object.
		const stored = emulator.store.file(String(out[0].json.id));
		expect(stored?.metadata).toStrictEqual({ department: 'legal', year: 2026, public: false });
		const [post] = requestsTo('POST', DIRECTORY_FILES);
		expect(post.body).toEqual({
			file_id: fileId,
			display_name: 'ACME contract',
			unique_id: 'contracts/acme.pdf',
			metadata: { department: 'legal', year: 2026, public: false },
		});
	});

	test('expressions over several items: display name and metadata JSON per item', async () => {
		const fileId = await storeFile();
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
				directoryId: byId(directory.id),
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
		expect(emulator.store.files(directory.id)).toHaveLength(3);
	});

	test.each([
		['empty', ''],
		['whitespace', ' \n '],
	])('an %s file ID fails before any request, naming the field and item', async (_, value) => {
		const { items: out } = await run(
			{ operation: 'add', directoryId: byId(directory.id), storageFileId: '={{ $json.id }}' },
			{ inputItems: items({ id: value }), continueOnFail: true },
		);
		expectBadInput(out[0], '"File ID" must not be empty [item 0]');
		expect(emulator.requests).toHaveLength(0);
	});

	test('without continue-on-fail the node fails with the same message', async () => {
		const { error } = await run(
			{ operation: 'add', directoryId: byId(directory.id), storageFileId: '={{ $json.id }}' },
			{ inputItems: items({ id: ' ' }) },
		);
		expect(error?.message).toBe('"File ID" must not be empty [item 0]');
		expect(emulator.requests).toHaveLength(0);
	});

	test('a blank display name fails before any request', async () => {
		const { items: out } = await run(
			{
				operation: 'add',
				directoryId: byId(directory.id),
				storageFileId: 'file-1',
				additionalFields: { displayName: ' ' },
			},
			{ continueOnFail: true },
		);
		expectBadInput(out[0], '"Display Name" must not be empty [item 0]');
		expect(emulator.requests).toHaveLength(0);
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
			const fileId = await storeFile();
			emulator.clearRequests();
			const { items: out } = await run(
				{
					operation: 'add',
					directoryId: byId(directory.id),
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
			expect(requestsTo('POST', DIRECTORY_FILES)).toHaveLength(1); // item 0 only
		},
	);

	test('null and lists of strings are metadata values (the spec’s MetadataValue)', async () => {
		const fileId = await storeFile();
		const { items: out } = await run({
			operation: 'add',
			directoryId: byId(directory.id),
			storageFileId: fileId,
			metadataInput: 'json',
			metadataJson: '{"owner": null, "tags": ["a", "b"], "pages": 3}',
		});
		expect(out[0].json.metadata).toEqual({ owner: null, tags: ['a', 'b'], pages: 3 });
	});

	test('an unknown stored file ID is a 404 carrying the API detail', async () => {
		const { error } = await run({
			operation: 'add',
			directoryId: byId(directory.id),
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
		emulator.quirks.duplicateUniqueId = 'conflict';
		const fileId = await storeFile();
		const params = {
			operation: 'add',
			directoryId: byId(directory.id),
			storageFileId: fileId,
			additionalFields: { uniqueId: 'same' },
		};
		expect((await run(params)).error).toBeUndefined();
		const { error } = await run(params);
		expect(error?.message).toBe(
			`LlamaCloud API error 409 Conflict: A file with unique_id 'same' already exists in directory ${directory.id} [item 0]`,
		);
	});

	test('continue-on-fail: a bad item in the middle becomes an error item, the others go on', async () => {
		const fileId = await storeFile();
		const {
			items: out,
			error,
			pairedItems,
		} = await run(
			{
				operation: 'add',
				directoryId: byId(directory.id),
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
			emulator.store
				.files(directory.id)
				.map((f) => f.unique_id)
				.sort(),
		).toEqual(['a', 'd']);
	});
});

describe('Get and Get by Unique ID', () => {
	test('gets files by ID, the file locator taken from each item', async () => {
		const seeded = emulator.store.seedFiles(directory.id, 3);
		const { items: out, pairedItems } = await run(
			{ operation: 'get', directoryId: byId(directory.id), fileId: byId('={{ $json.id }}') },
			{ inputItems: items({ id: seeded[2].id }, { id: seeded[0].id }) },
		);
		expect(out.map((i) => i.json.id)).toEqual([seeded[2].id, seeded[0].id]);
		expect(out[0].json).toMatchObject({
			directory_id: directory.id,
			display_name: seeded[2].display_name,
		});
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }]]);
	});

	test('an unknown file ID is a 404 with the API detail and the request', async () => {
		const { error } = await run({
			operation: 'get',
			directoryId: byId(directory.id),
			fileId: byId('dfl-nope'),
		});
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(
			'LlamaCloud API error 404 Not Found: Directory file dfl-nope not found [item 0]',
		);
		expect(error?.description).toContain(
			`GET ${emulator.url}/api/v1/beta/directories/${directory.id}/files/dfl-nope.`,
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
			{ operation: 'get', directoryId: byId(directory.id), fileId: byId('={{ $json.id }}') },
			{ inputItems: items({ id: '' }) },
		);
		expect(error?.message).toBe('"File" must not be empty [item 0]');
		expect(emulator.requests).toHaveLength(0);
	});

	test('gets exactly the one file with the unique ID', async () => {
		emulator.store.seedFiles(directory.id, 5, { uniqueId: (i) => `docs/${i}.pdf` });
		const { items: out, error } = await run({
			operation: 'getByUniqueId',
			directoryId: byId(directory.id),
			uniqueId: 'docs/3.pdf',
		});
		expect(error).toBeUndefined();
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({ unique_id: 'docs/3.pdf', directory_id: directory.id });
		expect(emulator.requests.map((r) => r.query.unique_id)).toEqual(['docs/3.pdf']);
	});

	test('an unknown unique ID fails with a 404 naming the unique ID, directory and item', async () => {
		emulator.store.seedFiles(directory.id, 2);
		const { items: out, error } = await run(
			{ operation: 'getByUniqueId', directoryId: byId(directory.id), uniqueId: '={{ $json.u }}' },
			{ inputItems: items({ u: 'seed-000001.txt' }, { u: 'missing.txt' }), continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(out[0].json.unique_id).toBe('seed-000001.txt');
		expect(out[1].json.error).toBe(
			`LlamaCloud API error 404 Not Found: No file with unique ID 'missing.txt' in directory ${directory.id} [item 1]`,
		);
		expect(out[1].json.details).toBe(
			`GET ${emulator.url}/api/v1/beta/directories/${directory.id}/files.`,
		);
	});

	test('a blank unique ID fails before any request', async () => {
		const { items: out } = await run(
			{ operation: 'getByUniqueId', directoryId: byId(directory.id), uniqueId: ' ' },
			{ continueOnFail: true },
		);
		expectBadInput(out[0], '"Unique ID" must not be empty [item 0]');
		expect(emulator.requests).toHaveLength(0);
	});
});

describe('Get Many', () => {
	const HOUR = 3_600_000;
	const T0 = NOW - 300 * HOUR;

	/**
	 * 260 "report" files one hour apart sharing one stored file (two of them soft-deleted, which
	 * stamps them NOW), 10 reports updated after NOW, and 30 others with their own stored files.
	 */
	async function seedReports() {
		const reports = emulator.store.seedFiles(directory.id, 260, {
			content: 'same blob',
			displayName: (i) => `report-${i}.pdf`,
			updatedAtMs: (i) => T0 + i * HOUR,
		});
		emulator.store.seedFiles(directory.id, 10, {
			content: 'same blob',
			displayName: (i) => `report-late-${i}.pdf`,
			updatedAtMs: (i) => NOW + (i + 1) * HOUR,
		});
		emulator.store.seedFiles(directory.id, 30, {
			displayName: (i) => `other-${i}.pdf`,
			updatedAtMs: (i) => T0 + i * HOUR,
		});
		for (const file of [reports[20], reports[21]]) {
			const response = await fetch(
				`${emulator.url}/api/v1/beta/directories/${directory.id}/files/${file.id}`,
				{
					method: 'DELETE',
					headers: { Authorization: `Bearer ${emulator.apiKey}` },
				},
			);
			expect(response.status).toBe(204);
		}
		emulator.clearRequests();
		return reports;
	}

	const manyFilters = (fileId: string) => ({
		displayNameContains: 'report',
		fileId,
		includeDeleted: true,
		updatedAfter: new Date(T0 + 10 * HOUR).toISOString(),
		updatedBefore: new Date(NOW).toISOString(),
	});

	test('Return All follows next_page_token over 3+ pages with every filter on every page', async () => {
		const reports = await seedReports();
		const { items: out, error } = await run({
			operation: 'getAll',
			directoryId: byId(directory.id),
			returnAll: true,
			filters: manyFilters(String(reports[0].file_id)),
		});
		expect(error).toBeUndefined();
		// Reports 10..259 (250 files), the two deleted ones included; the late ones and others not.
		expect(out).toHaveLength(250);
		expect(new Set(out.map((i) => i.json.display_name))).toEqual(
			new Set(reports.slice(10).map((f) => f.display_name)),
		);
		const deleted = out.filter((i) => i.json.deleted_at).map((i) => i.json.id);
		expect(deleted.sort()).toEqual([reports[20].id, reports[21].id].sort());

		const pages = requestsTo('GET', /\/files$/);
		expect(pages).toHaveLength(3);
		for (const page of pages) {
			expect(page.query).toMatchObject({
				display_name_contains: 'report',
				file_id: String(reports[0].file_id),
				include_deleted: 'true',
				updated_at_on_or_after: '2026-01-19T22:00:00.000Z',
				updated_at_on_or_before: '2026-02-01T00:00:00.000Z',
				page_size: '1000',
			});
		}
		expect(pages[0].query.page_token).toBeUndefined();
		expect(pages[1].query.page_token).toEqual(expect.any(String));
		expect(pages[2].query.page_token).toEqual(expect.any(String));
		expect(pages[2].query.page_token).not.toBe(pages[1].query.page_token);
	});

	test('Limit stops fetching once it has enough', async () => {
		const reports = await seedReports();
		const { items: out } = await run({
			operation: 'getAll',
			directoryId: byId(directory.id),
			returnAll: false,
			limit: 130,
			filters: manyFilters(String(reports[0].file_id)),
		});
		expect(out).toHaveLength(130);
		const pages = requestsTo('GET', /\/files$/);
		// 250 matches would take 3 pages; 130 take 2 (100 served of 130 asked), the second only as
		// large as needed.
		expect(pages.map((p) => p.query.page_size)).toEqual(['130', '30']);
		expect(pages[1].query).toMatchObject({
			display_name_contains: 'report',
			include_deleted: 'true',
		});
	});

	test('a small Limit is one request of that page size', async () => {
		emulator.store.seedFiles(directory.id, 20);
		const { items: out } = await run({
			operation: 'getAll',
			directoryId: byId(directory.id),
			limit: 5,
		});
		expect(out).toHaveLength(5);
		expect(emulator.requests.map((r) => r.query.page_size)).toEqual(['5']);
	});

	test('deleted files are left out unless asked for', async () => {
		await seedReports();
		const { items: out } = await run({
			operation: 'getAll',
			directoryId: byId(directory.id),
			returnAll: true,
			filters: { displayNameContains: 'report' },
		});
		expect(out).toHaveLength(268);
		expect(out.some((i) => i.json.deleted_at)).toBe(false);
	});

	test('exact display name and unique ID filters reach the API', async () => {
		emulator.store.seedFiles(directory.id, 5, { uniqueId: (i) => `u-${i}` });
		const byName = await run({
			operation: 'getAll',
			directoryId: byId(directory.id),
			returnAll: true,
			filters: { displayName: 'seed-000002.txt' },
		});
		expect(byName.items.map((i) => i.json.unique_id)).toEqual(['u-2']);
		const byUnique = await run({
			operation: 'getAll',
			directoryId: byId(directory.id),
			returnAll: true,
			filters: { uniqueId: 'u-4' },
		});
		expect(byUnique.items.map((i) => i.json.display_name)).toEqual(['seed-000004.txt']);
		expect(emulator.requests.map((r) => [r.query.display_name, r.query.unique_id])).toEqual([
			['seed-000002.txt', undefined],
			[undefined, 'u-4'],
		]);
	});

	test('one list per input item, each with its own expression filter', async () => {
		emulator.store.seedFiles(directory.id, 6, {
			displayName: (i) => (i % 2 ? `odd-${i}` : `even-${i}`),
		});
		const { items: out, pairedItems } = await run(
			{
				operation: 'getAll',
				directoryId: byId(directory.id),
				returnAll: true,
				filters: { displayNameContains: '={{ $json.kind }}' },
			},
			{ inputItems: items({ kind: 'odd' }, { kind: 'even' }) },
		);
		const namesOf = (item: number) =>
			out
				.filter((_, n) => pairedItems[n][0].item === item)
				.map((i) => i.json.display_name)
				.sort();
		expect(out).toHaveLength(6);
		expect(namesOf(0)).toEqual(['odd-1', 'odd-3', 'odd-5']);
		expect(namesOf(1)).toEqual(['even-0', 'even-2', 'even-4']);
	});

	test('an invalid date filter fails before any request, naming the field', async () => {
		const { items: out } = await run(
			{
				operation: 'getAll',
				directoryId: byId(directory.id),
				filters: { updatedAfter: '={{ "last tuesday" }}' },
			},
			{ continueOnFail: true },
		);
		expectBadInput(out[0], '"Updated After" is not a valid date and time [item 0]');
		expect(emulator.requests).toHaveLength(0);
	});

	test('an unknown directory is a 404 with the API detail', async () => {
		const { error } = await run({
			operation: 'getAll',
			directoryId: byId('dir-nope'),
			returnAll: true,
		});
		expect(error?.message).toBe(
			'LlamaCloud API error 404 Not Found: Directory dir-nope not found [item 0]',
		);
	});
});

describe('date filters: wall-clock values are read in the workflow time zone', () => {
	test.each([
		['2026-03-01T09:30:00', 'Europe/Paris', '2026-03-01T08:30:00.000Z'],
		['2026-07-01T09:30:00', 'Europe/Paris', '2026-07-01T07:30:00.000Z'],
		['2026-03-01T09:30:00', 'America/New_York', '2026-03-01T14:30:00.000Z'],
		['2026-03-01', 'UTC', '2026-03-01T00:00:00.000Z'],
		['2026-03-01T09:30:00.250+02:00', 'America/New_York', '2026-03-01T07:30:00.250Z'],
		['2026-03-01T09:30:00Z', 'Europe/Paris', '2026-03-01T09:30:00.000Z'],
	])('%s in %s is %s', (value, zone, iso) => {
		expect(toIsoInstant(value, zone)).toBe(iso);
	});

	test('a Date is taken as is; garbage is undefined', () => {
		expect(toIsoInstant(new Date('2026-03-01T09:30:00Z'), 'Europe/Paris')).toBe(
			'2026-03-01T09:30:00.000Z',
		);
		expect(toIsoInstant('yesterday', 'UTC')).toBeUndefined();
		expect(toIsoInstant('2026-13-45T99:00:00', 'UTC')).toBeUndefined();
	});
});

describe('Update', () => {
	test('changes display name, unique ID and metadata, keeping value types', async () => {
		const [file] = emulator.store.seedFiles(directory.id, 1);
		const { items: out, error } = await run({
			operation: 'update',
			directoryId: byId(directory.id),
			fileId: byId(file.id),
			updateFields: { displayName: 'Renamed', uniqueId: 'new-key' },
			metadataInput: 'json',
			metadataJson: '{"pages": 12, "signed": true, "owner": "ada"}',
		});
		expect(error).toBeUndefined();
		expect(out[0].json).toMatchObject({
			id: file.id,
			display_name: 'Renamed',
			unique_id: 'new-key',
			metadata: { pages: 12, signed: true, owner: 'ada' },
		});
		expect(emulator.store.file(file.id)?.metadata).toStrictEqual({
			pages: 12,
			signed: true,
			owner: 'ada',
		});
		expect(requestsTo('PATCH', /./)[0].body).toEqual({
			display_name: 'Renamed',
			unique_id: 'new-key',
			metadata: { pages: 12, signed: true, owner: 'ada' },
		});
	});

	test('moves a file to another directory (body target_directory_id)', async () => {
		const [file] = emulator.store.seedFiles(directory.id, 1);
		const target = emulator.store.createDirectory('Archive');
		const { items: out, error } = await run({
			operation: 'update',
			directoryId: byId(directory.id),
			fileId: byId(file.id),
			updateFields: { targetDirectoryId: byId(target.id) },
		});
		expect(error).toBeUndefined();
		expect(out[0].json.directory_id).toBe(target.id);
		expect(emulator.store.files(target.id).map((f) => f.id)).toEqual([file.id]);
		expect(emulator.store.files(directory.id, { includeDeleted: false })).toHaveLength(0);
		// The spec's move field (a body `directory_id` would answer 200 and move nothing).
		expect(requestsTo('PATCH', /./)[0].body).toEqual({ target_directory_id: target.id });
	});

	test('metadata alone is a change', async () => {
		const [file] = emulator.store.seedFiles(directory.id, 1);
		const { items: out, error } = await run({
			operation: 'update',
			directoryId: byId(directory.id),
			fileId: byId(file.id),
			metadataInput: 'pairs',
			metadataPairs: { pair: [{ key: 'score', type: 'number', numberValue: 0.5 }] },
		});
		expect(error).toBeUndefined();
		expect(out[0].json.metadata).toStrictEqual({ score: 0.5 });
	});

	test('an update that changes nothing fails before any request', async () => {
		const [file] = emulator.store.seedFiles(directory.id, 1);
		emulator.clearRequests();
		const { items: out } = await run(
			{
				operation: 'update',
				directoryId: byId(directory.id),
				fileId: byId(file.id),
				updateFields: {},
			},
			{ continueOnFail: true },
		);
		expectBadInput(out[0], '"Update Fields" must set at least one field [item 0]');
		expect(emulator.requests).toHaveLength(0);
	});

	test.each([
		[{ displayName: '  ' }, '"Display Name" must not be empty [item 0]'],
		[{ uniqueId: '' }, '"Unique ID" must not be empty [item 0]'],
		[{ targetDirectoryId: byId(' ') }, '"Move to Directory" must not be empty [item 0]'],
	])('blank update field %j fails before any request', async (updateFields, message) => {
		const { items: out } = await run(
			{ operation: 'update', directoryId: byId(directory.id), fileId: byId('dfl-1'), updateFields },
			{ continueOnFail: true },
		);
		expectBadInput(out[0], message);
		expect(emulator.requests).toHaveLength(0);
	});

	test('metadata with a nested value is rejected before sending', async () => {
		const { items: out } = await run(
			{
				operation: 'update',
				directoryId: byId(directory.id),
				fileId: byId('dfl-1'),
				metadataInput: 'json',
				metadataJson: '={{ $json.meta }}',
			},
			{ inputItems: items({ meta: { a: 1, b: { c: 2 } } }), continueOnFail: true },
		);
		expect(out[0].json.error).toBe(
			'Metadata key "b" is a nested object; values must be strings, numbers, booleans, null or lists of strings [item 0]',
		);
		expect(emulator.requests).toHaveLength(0);
	});

	test('moving onto a taken unique ID is a 409 with the API detail', async () => {
		// A service that refuses a taken unique ID (what it does is not public: variant duplicateUniqueId).
		emulator.quirks.duplicateUniqueId = 'conflict';
		const [file] = emulator.store.seedFiles(directory.id, 1, { uniqueId: () => 'shared' });
		const target = emulator.store.createDirectory('Archive');
		emulator.store.seedFiles(target.id, 1, { uniqueId: () => 'shared' });
		const { error } = await run({
			operation: 'update',
			directoryId: byId(directory.id),
			fileId: byId(file.id),
			updateFields: { targetDirectoryId: byId(target.id) },
		});
		expect(error?.message).toBe(
			`LlamaCloud API error 409 Conflict: A file with unique_id 'shared' already exists in directory ${target.id} [item 0]`,
		);
	});
});

describe('Delete', () => {
	test('by ID outputs { deleted, id } and soft-deletes the file', async () => {
		const [file] = emulator.store.seedFiles(directory.id, 2);
		const {
			items: out,
			error,
			pairedItems,
		} = await run({
			operation: 'delete',
			directoryId: byId(directory.id),
			fileId: byId(file.id),
		});
		expect(error).toBeUndefined();
		expect(out.map((i) => i.json)).toEqual([{ deleted: true, id: file.id }]);
		expect(pairedItems).toEqual([[{ item: 0 }]]);
		expect(emulator.store.file(file.id)?.deleted_at).toEqual(expect.any(String));
	});

	test('by unique ID resolves the directory file ID, then deletes it', async () => {
		const seeded = emulator.store.seedFiles(directory.id, 3, { uniqueId: (i) => `key/${i}` });
		const { items: out, error } = await run(
			{
				operation: 'delete',
				deleteBy: 'uniqueId',
				directoryId: byId(directory.id),
				uniqueId: '={{ $json.key }}',
			},
			{ inputItems: items({ key: 'key/2' }, { key: 'key/0' }) },
		);
		expect(error).toBeUndefined();
		expect(out.map((i) => i.json)).toEqual([
			{ deleted: true, id: seeded[2].id },
			{ deleted: true, id: seeded[0].id },
		]);
		expect(emulator.store.files(directory.id, { includeDeleted: false }).map((f) => f.id)).toEqual([
			seeded[1].id,
		]);
		const deletes = requestsTo('DELETE', /./).map((r) => r.path);
		expect(deletes).toEqual([
			`/api/v1/beta/directories/${directory.id}/files/${seeded[2].id}`,
			`/api/v1/beta/directories/${directory.id}/files/${seeded[0].id}`,
		]);
	});

	test('by unique ID, not found: a clear error naming the item, and nothing deleted', async () => {
		emulator.store.seedFiles(directory.id, 2);
		const { items: out, error } = await run(
			{
				operation: 'delete',
				deleteBy: 'uniqueId',
				directoryId: byId(directory.id),
				uniqueId: '={{ $json.key }}',
			},
			{ inputItems: items({ key: 'seed-000000.txt' }, { key: 'nope' }), continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(out[0].json).toEqual({ deleted: true, id: expect.any(String) });
		expect(out[1].json.error).toBe(
			`LlamaCloud API error 404 Not Found: No file with unique ID 'nope' in directory ${directory.id} [item 1]`,
		);
		expect(requestsTo('DELETE', /./)).toHaveLength(1);
	});

	test('by unique ID, blank: fails before any request', async () => {
		const { items: out } = await run(
			{
				operation: 'delete',
				deleteBy: 'uniqueId',
				directoryId: byId(directory.id),
				uniqueId: '={{ $json.key }}',
			},
			{ inputItems: items({ key: '  ' }), continueOnFail: true },
		);
		expectBadInput(out[0], '"Unique ID" must not be empty [item 0]');
		expect(emulator.requests).toHaveLength(0);
	});

	test('an unknown file ID is a 404 with the API detail', async () => {
		const { error } = await run({
			operation: 'delete',
			directoryId: byId(directory.id),
			fileId: byId('dfl-gone'),
		});
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(
			'LlamaCloud API error 404 Not Found: Directory file dfl-gone not found [item 0]',
		);
	});
});

describe('transient failures (routed operations and lookups share the transport retries)', () => {
	test('a 503 on the second page of Get Many is retried with every filter kept', async () => {
		emulator.store.seedFiles(directory.id, 250, { displayName: (i) => `report-${i}.pdf` });
		emulator.faults.script([null, { kind: 'status', status: 503, retryAfterSeconds: 0 }], {
			method: 'GET',
			path: DIRECTORY_FILES,
		});
		const { items: out, error } = await run({
			operation: 'getAll',
			directoryId: byId(directory.id),
			returnAll: true,
			filters: { displayNameContains: 'report' },
		});
		expect(error).toBeUndefined();
		expect(out).toHaveLength(250);
		const pages = requestsTo('GET', DIRECTORY_FILES);
		expect(pages.map((p) => p.status)).toEqual([200, 503, 200, 200]);
		expect(pages[2].query).toEqual(pages[1].query);
		expect(pages.every((p) => p.query.display_name_contains === 'report')).toBe(true);
	});

	test("a 429 on Delete by Unique ID's lookup is retried, then the file is deleted", async () => {
		const [file] = emulator.store.seedFiles(directory.id, 1, { uniqueId: () => 'key' });
		emulator.faults.script([{ kind: 'status', status: 429, retryAfterSeconds: 0 }], {
			method: 'GET',
		});
		const { items: out, error } = await run({
			operation: 'delete',
			deleteBy: 'uniqueId',
			directoryId: byId(directory.id),
			uniqueId: 'key',
		});
		expect(error).toBeUndefined();
		expect(out[0].json).toEqual({ deleted: true, id: file.id });
		expect(emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
			'GET 429',
			'GET 200',
			'DELETE 204',
		]);
	});

	test('Add is not sent twice when the connection drops after the server applied it: found by its unique ID', async () => {
		const fileId = await storeFile();
		emulator.clearRequests();
		emulator.faults.script([{ kind: 'reset', when: 'after' }], { method: 'POST' });
		const { items: out, error } = await run({
			operation: 'add',
			directoryId: byId(directory.id),
			storageFileId: fileId,
			additionalFields: { uniqueId: 'once' },
		});
		expect(error).toBeUndefined();
		expect(requestsTo('POST', DIRECTORY_FILES)).toHaveLength(1);
		expect(emulator.store.files(directory.id).map((f) => f.unique_id)).toEqual(['once']);
		expect(out[0].json).toMatchObject({
			id: emulator.store.files(directory.id)[0].id,
			unique_id: 'once',
			file_id: fileId,
		});
	});

	test('Add without a unique ID fails clearly when the connection drops after sending (the API picks the ID)', async () => {
		const fileId = await storeFile();
		emulator.clearRequests();
		emulator.faults.script([{ kind: 'reset', when: 'after' }], { method: 'POST' });
		const { error } = await run({
			operation: 'add',
			directoryId: byId(directory.id),
			storageFileId: fileId,
		});
		expect(error?.message).toMatch(
			/connection to LlamaCloud dropped after POST .* was sent, so it is unknown whether it was applied \[item 0\]/,
		);
		expect(requestsTo('POST', DIRECTORY_FILES)).toHaveLength(1);
		expect(emulator.store.files(directory.id)).toHaveLength(1);
	});
});
