/**
 * Bad input, table-driven, through n8n's engine against the emulator. Each case runs a batch
 * where one item (item 1) is bad and the others are fine: with continue-on-fail the bad item
 * becomes an error item with a specific message and the others succeed; without it the node
 * fails with that message, naming the item. Credential-wide problems (key, region, base URL)
 * fail every item, each naming its own.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../emulator';
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { makeBinaryItem, runNode } from '../../harness/engine';
import { CANARY_API_KEY } from '../support/canary';
import { byId } from '../support/emulator';

let emulator: Emulator;
/** Another deployment: another key (a key of the wrong region) and a 64 KiB upload limit. */
let other: Emulator;
const OTHER_KEY = 'llx-other-region-0123456789abcdef';

let directoryId: string;
let otherDirectoryId: string;
let fileId: string;
let indexId: string;

beforeAll(async () => {
	emulator = await startEmulator({ apiKey: CANARY_API_KEY, buildStepMs: 10 });
	other = await startEmulator({ apiKey: OTHER_KEY, maxUploadBytes: 64 * 1024 });
	directoryId = emulator.store.createDirectory('Good').id;
	[{ id: fileId }] = emulator.store.seedFiles(directoryId, 1, { displayName: () => 'present.txt' });
	otherDirectoryId = other.store.createDirectory('Elsewhere').id;
	const response = await fetch(`${emulator.url}/api/v1/indexes`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${CANARY_API_KEY}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ source_directory_id: directoryId }),
	});
	indexId = ((await response.json()) as { id: string }).id;
	await emulator.waitForBuilds();
});
afterAll(async () => {
	await emulator.close();
	await other.close();
});

type Credential = Record<string, string>;
const credential = (fields: Credential = {}): Credential => ({
	apiKey: CANARY_API_KEY,
	region: 'custom',
	baseUrl: emulator.url,
	...fields,
});

/** A resource locator whose ID comes from each item's `$json.id`. */
const itemId = byId('={{ $json.id }}');

interface Case {
	name: string;
	parameters: INodeParameters;
	/** The three input items (item 1 the bad one); default json `{ id }` from `ids`. */
	inputs?: () => INodeExecutionData[];
	/** `$json.id` of items 0, 1, 2. */
	ids?: [string, string, string];
	credential?: () => Credential;
	/** Faults to inject (on `emulator` unless `target` says otherwise). */
	setup?: () => void;
	/** Every item fails the same way (the credential is wrong, not the item). */
	allFail?: boolean;
	message: string | RegExp;
	description?: string | RegExp;
	/** Class of the error item (continue-on-fail keeps the one thrown). */
	errorClass?: 'NodeApiError' | 'NodeOperationError';
	/** Checks on the requests the emulator saw. */
	requests?: (paths: string[]) => void;
	target?: () => Emulator;
}

const directoryGet = (ids: [string, string, string]): Pick<Case, 'parameters' | 'ids'> => ({
	parameters: { resource: 'directory', operation: 'get', directoryId: itemId },
	ids,
});
const good = () => directoryId;
const upload = (parameters: INodeParameters = {}): INodeParameters => ({
	resource: 'file',
	operation: 'upload',
	directoryId: byId(directoryId),
	uniqueId: '={{ "bad-input/" + $itemIndex + "/" + $runIndex + "/" + Math.random() }}',
	...parameters,
});
const files =
	(...contents: Array<string | Buffer>) =>
	() =>
		contents.map((content, i) => makeBinaryItem(content, { fileName: `f${i}.txt`, json: { i } }));
const ONLY_ITEM_1 = (paths: string[]) => expect(paths).toHaveLength(2);

/** The table; built when called, since it uses the fixtures' IDs (known after beforeAll). */
function table(): Case[] {
	return [
		// ---- credential-wide -------------------------------------------------------------------
		{
			name: 'wrong API key (401)',
			...directoryGet([good(), good(), good()]),
			credential: () => credential({ apiKey: 'llx-not-the-right-key-0000' }),
			allFail: true,
			message: 'LlamaCloud API error 401 Unauthorized: Invalid API key',
			description:
				"Check the API key and that the credential's region (US/EU) is the one where the key was created",
			errorClass: 'NodeApiError',
		},
		{
			name: 'wrong region: the key of one deployment sent to another (401 with the region hint)',
			parameters: { resource: 'directory', operation: 'getAll' },
			credential: () => credential({ baseUrl: other.url }),
			allFail: true,
			message: 'LlamaCloud API error 401 Unauthorized: Invalid API key',
			description: /region \(US\/EU\)/,
			target: () => other,
		},
		{
			name: 'base URL with a path',
			parameters: { resource: 'directory', operation: 'getAll' },
			credential: () => credential({ baseUrl: 'https://api.cloud.llamaindex.ai/v2/llama' }),
			allFail: true,
			message:
				/^The credential's Base URL "https:\/\/api\.cloud\.llamaindex\.ai\/v2\/llama" must not contain a path\. Expected an origin such as https:\/\/api\.cloud\.llamaindex\.ai \[item \d\]$/,
			requests: (paths) => expect(paths).toEqual([]),
		},
		{
			name: 'base URL with a typo in the scheme (htp://)',
			parameters: { resource: 'directory', operation: 'getAll' },
			credential: () => credential({ baseUrl: 'htp://localhost:8787' }),
			allFail: true,
			message: /"htp:\/\/localhost:8787" must start with https:\/\//,
		},
		{
			name: 'base URL that is not a URL',
			parameters: { resource: 'directory', operation: 'getAll' },
			credential: () => credential({ baseUrl: 'api.cloud.llamaindex.ai' }),
			allFail: true,
			message: /"api.cloud.llamaindex.ai" is not a valid URL/,
		},
		{
			name: 'empty base URL',
			parameters: { resource: 'directory', operation: 'getAll' },
			credential: () => credential({ baseUrl: '   ' }),
			allFail: true,
			message: /The credential's Base URL is empty/,
		},
		{
			name: 'plain http to a non-local host',
			parameters: { resource: 'directory', operation: 'getAll' },
			credential: () => credential({ baseUrl: 'http://api.cloud.llamaindex.ai' }),
			allFail: true,
			message: /uses plain http, which is only allowed for localhost/,
		},
		{
			name: 'a base URL where nothing listens (connection refused)',
			parameters: { resource: 'directory', operation: 'getAll', requestOptions: { maxTries: 2 } },
			credential: () => credential({ baseUrl: 'http://localhost:1' }),
			allFail: true,
			message:
				/^Could not connect to LlamaCloud at http:\/\/localhost:1: the connection was refused \[item \d\]$/,
			description: /Network error ECONNREFUSED\. Nothing accepts connections there.*Tried 2 times/,
			errorClass: 'NodeApiError',
		},
		{
			name: 'upload with a wrong key: every item fails, nothing stored',
			parameters: upload(),
			inputs: files('a', 'b', 'c'),
			credential: () => credential({ apiKey: 'llx-not-the-right-key-0000' }),
			allFail: true,
			message: 'LlamaCloud API error 401 Unauthorized: Invalid API key',
		},

		// ---- unknown IDs (404) -----------------------------------------------------------------
		{
			name: 'unknown directory ID',
			...directoryGet([good(), 'dir-missing', good()]),
			message: 'LlamaCloud API error 404 Not Found: Directory dir-missing not found',
			description: '/api/v1/beta/directories/dir-missing.',
			errorClass: 'NodeApiError',
		},
		{
			name: 'unknown file ID',
			parameters: {
				resource: 'file',
				operation: 'get',
				directoryId: byId(directoryId),
				fileId: itemId,
			},
			ids: [fileId, 'dfl-missing', fileId],
			message: 'LlamaCloud API error 404 Not Found: Directory file dfl-missing not found',
		},
		{
			name: 'unknown index ID',
			parameters: { resource: 'index', operation: 'get', indexId: itemId },
			ids: [indexId, 'idx-missing', indexId],
			message: 'LlamaCloud API error 404 Not Found: Index idx-missing not found',
		},
		{
			name: 'unknown unique ID',
			parameters: {
				resource: 'file',
				operation: 'getByUniqueId',
				directoryId: byId(directoryId),
				uniqueId: '={{ $json.id }}',
			},
			ids: ['present.txt', 'absent.txt', 'present.txt'],
			message:
				/^LlamaCloud API error 404 Not Found: No file with unique ID 'absent.txt' in directory dir-\S+ \[item 1\]$/,
		},
		{
			name: 'upload into an unknown directory',
			parameters: upload({ directoryId: itemId }),
			inputs: () =>
				files('a', 'b', 'c')().map((item, i) => ({
					...item,
					json: { id: i === 1 ? 'dir-missing' : directoryId },
				})),
			message: 'LlamaCloud API error 404 Not Found: Directory dir-missing not found',
		},
		{
			name: 'index sync of an unknown index',
			parameters: { resource: 'index', operation: 'sync', indexId: itemId },
			ids: [indexId, 'idx-missing', indexId],
			message: 'LlamaCloud API error 404 Not Found: Index idx-missing not found',
		},

		// ---- validation errors from the API (422) ------------------------------------------------
		{
			name: 'a sync frequency the API does not know (refused before sending, naming the field)',
			parameters: {
				resource: 'index',
				operation: 'create',
				sourceDirectoryId: byId(directoryId),
				additionalFields: { syncFrequency: '={{ $json.id }}' },
			},
			ids: ['manual', 'hourly', 'daily'],
			message: '"Sync Frequency" must be manual, daily, on_source_change (got "hourly") [item 1]',
		},
		{
			name: 'a vector target the API does not know (refused before sending, naming the field)',
			parameters: {
				resource: 'index',
				operation: 'create',
				sourceDirectoryId: byId(directoryId),
				additionalFields: { vectorTarget: '={{ $json.id }}' },
			},
			ids: ['DEFAULT', 'SOMEWHERE', 'DISABLED'],
			message: '"Vector Target" must be DEFAULT, DISABLED (got "SOMEWHERE") [item 1]',
		},

		// ---- oversize files (413) ----------------------------------------------------------------
		{
			name: "a file over the server's limit while the node's limit is raised (413 from the API)",
			parameters: upload({
				directoryId: byId('={{ $json.dir }}'),
				options: { maxFileSizeMb: 1024 },
			}),
			inputs: () =>
				files('small', Buffer.alloc(100 * 1024, 1), 'small too')().map((item) => ({
					...item,
					json: { dir: otherDirectoryId },
				})),
			credential: () => credential({ apiKey: OTHER_KEY, baseUrl: other.url }),
			target: () => other,
			message: /^LlamaCloud API error 413 Payload Too Large: /,
			description: /The file is larger than LlamaCloud accepts/,
		},
		{
			name: "a file over the node's own limit is refused before anything is sent",
			parameters: upload({ options: { maxFileSizeMb: 1 } }),
			inputs: files('small', Buffer.alloc(1536 * 1024, 1), 'small too'),
			message: "File 'f1.txt' is 1.5 MB (1572864 bytes), over the upload limit of 1 MB [item 1]",
			errorClass: 'NodeOperationError',
		},

		// ---- error bodies that are not JSON -------------------------------------------------------
		{
			name: 'an HTML error page (502 from a proxy): said to be HTML, not dumped',
			...directoryGet([good(), 'dir-behind-proxy', good()]),
			parameters: {
				resource: 'directory',
				operation: 'get',
				directoryId: itemId,
				requestOptions: { maxTries: 2 },
			},
			setup: () => emulator.faults.configure({ status502: 1, path: /dir-behind-proxy$/ }),
			message:
				'LlamaCloud API error 502 Bad Gateway: the server answered with an HTML page ("502 Bad Gateway") instead of JSON',
			description: /Tried 2 times/,
		},
		{
			name: 'a plain-text error body',
			...directoryGet([good(), 'dir-text', good()]),
			setup: () =>
				emulator.faults.script(
					[
						{
							kind: 'status',
							status: 400,
							body: 'upstream refused: bad things',
							contentType: 'text/plain',
						},
					],
					{
						path: /dir-text$/,
					},
				),
			message: 'LlamaCloud API error 400 Bad Request: upstream refused: bad things',
		},
		{
			name: 'an error body that is neither JSON nor short text is cut, not dumped',
			...directoryGet([good(), 'dir-long', good()]),
			setup: () =>
				emulator.faults.script(
					[{ kind: 'status', status: 400, body: 'x'.repeat(5000), contentType: 'text/plain' }],
					{ path: /dir-long$/ },
				),
			message: `LlamaCloud API error 400 Bad Request: ${'x'.repeat(300)}…`,
		},

		// ---- empty names, bad metadata -------------------------------------------------------------
		{
			name: 'empty directory name',
			parameters: { resource: 'directory', operation: 'create', name: '={{ $json.id }}' },
			ids: ['One', '', 'Two'],
			message: '"Name" must not be empty [item 1]',
			errorClass: 'NodeOperationError',
		},
		{
			name: 'whitespace directory name',
			parameters: { resource: 'directory', operation: 'create', name: '={{ $json.id }}' },
			ids: ['Three', ' \t ', 'Four'],
			message: '"Name" must not be empty [item 1]',
		},
		{
			name: 'whitespace display name on Update',
			parameters: {
				resource: 'file',
				operation: 'update',
				directoryId: byId(directoryId),
				fileId: byId(fileId),
				updateFields: { displayName: '={{ $json.id }}' },
			},
			ids: ['present.txt', '   ', 'present.txt'],
			message: '"Display Name" must not be empty [item 1]',
		},
		{
			name: 'metadata with a nested object',
			parameters: upload({ metadataInput: 'json', metadataJson: '={{ $json.meta }}' }),
			inputs: () =>
				files('a', 'b', 'c')().map((item, i) => ({
					...item,
					json: { meta: i === 1 ? { author: { name: 'Ada' } } : { n: i } },
				})),
			message:
				'Metadata key "author" is a nested object; values must be strings, numbers, booleans, null or lists of strings [item 1]',
			errorClass: 'NodeOperationError',
		},
		{
			name: 'metadata with a list that is not all strings',
			parameters: upload({ metadataInput: 'json', metadataJson: '={{ $json.meta }}' }),
			inputs: () =>
				files('a', 'b', 'c')().map((item, i) => ({
					...item,
					json: { meta: i === 1 ? { tags: ['x', 2] } : { n: i } },
				})),
			message:
				'Metadata key "tags" is a list with a value that is not a string; values must be strings, numbers, booleans, null or lists of strings [item 1]',
		},
		{
			name: 'metadata that is not valid JSON',
			parameters: upload({ metadataInput: 'json', metadataJson: '={{ $json.meta }}' }),
			inputs: () =>
				files('a', 'b', 'c')().map((item, i) => ({
					...item,
					json: { meta: i === 1 ? '{"a": ' : '{}' },
				})),
			message: '"Metadata JSON" is not valid JSON [item 1]',
		},

		// ---- binary input ------------------------------------------------------------------------
		{
			name: 'missing binary property',
			parameters: upload(),
			inputs: () => files('a', 'b', 'c')().map((item, i) => (i === 1 ? { json: { i } } : item)),
			message: `"Input Binary Field" 'data' not found: the item has no binary data [item 1]`,
			errorClass: 'NodeOperationError',
		},
		{
			name: 'binary property that is a JSON field of the item, not a file',
			parameters: upload({ binaryPropertyName: '={{ $json.prop }}' }),
			inputs: () =>
				files('a', 'b', 'c')().map((item, i) => ({
					...item,
					json: { prop: i === 1 ? 'text' : 'data', text: 'hello' },
				})),
			message: `"Input Binary Field" 'text' not found in the item [item 1]`,
			description: "'text' is a JSON field of the item, not a file",
		},
		{
			name: 'binary property that holds no file data',
			parameters: upload(),
			inputs: () =>
				files('a', 'b', 'c')().map((item, i) =>
					i === 1
						? ({
								json: {},
								binary: { data: { mimeType: 'text/plain' } },
							} as unknown as INodeExecutionData)
						: item,
				),
			message: `"Input Binary Field" 'data' is not a file [item 1]`,
		},

		// ---- IDs that could change the route --------------------------------------------------------
		{
			name: 'an ID with a slash is percent-encoded and stays one path segment',
			...directoryGet([good(), 'a/b', good()]),
			message: 'LlamaCloud API error 404 Not Found: Directory a/b not found',
			requests: (paths) => expect(paths).toContain('/api/v1/beta/directories/a%2Fb'),
		},
		{
			name: 'an ID of ".." is refused before any request',
			...directoryGet([good(), '..', good()]),
			message: `"Directory" '..' is not a valid ID [item 1]`,
			errorClass: 'NodeOperationError',
			requests: ONLY_ITEM_1,
		},
		{
			name: 'an ID of "." is refused before any request',
			parameters: { resource: 'index', operation: 'get', indexId: itemId },
			ids: [indexId, '.', indexId],
			message: `"Index" '.' is not a valid ID [item 1]`,
			requests: ONLY_ITEM_1,
		},
		{
			name: 'a file ID of "../files" stays inside its segment',
			parameters: {
				resource: 'file',
				operation: 'get',
				directoryId: byId(directoryId),
				fileId: itemId,
			},
			ids: [fileId, '../files', fileId],
			message: 'LlamaCloud API error 404 Not Found: Directory file ../files not found',
			requests: (paths) =>
				expect(paths).toContain(`/api/v1/beta/directories/${directoryId}/files/..%2Ffiles`),
		},
		{
			name: 'an ID with "?" cannot add a query',
			...directoryGet([good(), 'x?name=Good', good()]),
			message: 'LlamaCloud API error 404 Not Found: Directory x?name=Good not found',
			requests: (paths) => expect(paths).toContain('/api/v1/beta/directories/x%3Fname%3DGood'),
		},
		{
			name: 'an ID with "#" cannot cut the path',
			...directoryGet([good(), 'x#frag', good()]),
			message: 'LlamaCloud API error 404 Not Found: Directory x#frag not found',
			requests: (paths) => expect(paths).toContain('/api/v1/beta/directories/x%23frag'),
		},
		{
			name: 'an ID with "%" is not decoded twice',
			...directoryGet([good(), '100%2F', good()]),
			message: 'LlamaCloud API error 404 Not Found: Directory 100%2F not found',
			requests: (paths) => expect(paths).toContain('/api/v1/beta/directories/100%252F'),
		},
		{
			name: 'an upload into directory ".." is refused before anything is sent',
			parameters: upload({ directoryId: itemId }),
			inputs: () =>
				files('a', 'b', 'c')().map((item, i) => ({
					...item,
					json: { id: i === 1 ? '..' : directoryId },
				})),
			message: `"Directory" '..' is not a valid ID [item 1]`,
			requests: (paths) =>
				expect(
					paths.every((p) => p.startsWith(`/api/v1/beta/directories/${directoryId}/files`)),
				).toBe(true),
		},
		{
			name: 'a sync of index ".." is refused before anything is sent',
			parameters: { resource: 'index', operation: 'sync', indexId: itemId },
			ids: [indexId, '..', indexId],
			message: `"Index" '..' is not a valid ID [item 1]`,
			requests: (paths) =>
				expect(paths.every((p) => p.startsWith(`/api/v1/indexes/${indexId}`))).toBe(true),
		},
		{
			name: 'an empty ID from an expression',
			...directoryGet([good(), '  ', good()]),
			message: '"Directory" must not be empty [item 1]',
			requests: ONLY_ITEM_1,
		},

		// ---- timeouts and settings ------------------------------------------------------------------
		{
			name: 'an answer slower than the Timeout',
			...directoryGet([good(), 'dir-slow', good()]),
			parameters: {
				resource: 'directory',
				operation: 'get',
				directoryId: itemId,
				requestOptions: { timeout: 400, maxTries: 2 },
			},
			setup: () => emulator.faults.configure({ latencyMs: 3000, path: /dir-slow$/ }),
			message: 'LlamaCloud did not answer within 0.4 s [item 1]',
			description:
				/GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/beta\/directories\/dir-slow\. Network error ETIMEDOUT\. Raise "Timeout"/,
			errorClass: 'NodeApiError',
		},
		{
			name: 'Max Tries out of range (from an expression)',
			...directoryGet([good(), good(), good()]),
			parameters: {
				resource: 'directory',
				operation: 'get',
				directoryId: itemId,
				requestOptions: { maxTries: '={{ $itemIndex === 1 ? 0 : 3 }}' },
			},
			message: `"Max Tries" in the node's Request Options must be a whole number from 1 to 10 (got 0) [item 1]`,
			requests: ONLY_ITEM_1,
		},
		{
			name: 'a date filter that is not a date',
			parameters: {
				resource: 'file',
				operation: 'getAll',
				directoryId: byId(directoryId),
				filters: { updatedAfter: '={{ $json.id }}' },
			},
			ids: ['2026-01-01T00:00:00Z', 'last tuesday', '2026-01-02T00:00:00Z'],
			message: '"Updated After" is not a valid date and time [item 1]',
		},
	];
}

/** The items of a case: `inputs`, else one json `{ id }` per entry of `ids`. */
function inputsOf(c: Case): INodeExecutionData[] {
	if (c.inputs) return c.inputs();
	const ids = c.ids ?? [good(), good(), good()];
	return ids.map((id) => ({ json: { id } }));
}

async function runCase(c: Case, continueOnFail: boolean) {
	const target = c.target?.() ?? emulator;
	target.clearRequests();
	c.setup?.();
	try {
		return await runNode({
			type: LlamaCloud,
			parameters: c.parameters,
			credentials: { llamaCloudIngestApi: c.credential?.() ?? credential() },
			inputItems: inputsOf(c),
			continueOnFail,
			binaryDataMode: 'default',
		});
	} finally {
		target.faults.disable();
	}
}

/** API errors end with the item they belong to; the table gives the message without it. */
const withItem = (expected: string | RegExp, index: number) =>
	typeof expected === 'string' && expected.startsWith('LlamaCloud API error')
		? `${expected} [item ${index}]`
		: expected;

const matches = (text: unknown, expected: string | RegExp) =>
	typeof expected === 'string' ? expect(text).toBe(expected) : expect(text).toMatch(expected);

const names = table().map((c) => c.name);
const caseNamed = (name: string) => table().find((c) => c.name === name) as Case;

test('the table has at least 30 cases', () => {
	expect(names.length).toBeGreaterThanOrEqual(30);
	expect(new Set(names).size).toBe(names.length);
});

describe.each(names)('%s', (name) => {
	test('continue-on-fail: a specific error item; the other items succeed', async () => {
		const c = caseNamed(name);
		const { items, error, pairedItems } = await runCase(c, true);
		expect(error).toBeUndefined();
		const failing = c.allFail ? [0, 1, 2] : [1];
		// RoutingNode's error items carry no pairedItem; n8n fills it in only when as many items
		// come out as went in (not for Get Many), but the error's context has the item index.
		const origin = (item: INodeExecutionData, n: number) =>
			pairedItems[n][0]?.item ??
			((item.error?.context as IDataObject | undefined)?.itemIndex as number | undefined);
		const outputs = items.map((item, n) => ({ item, from: origin(item, n) }));
		for (const index of [0, 1, 2]) {
			const mine = outputs.filter((o) => o.from === index);
			expect(mine.length).toBeGreaterThanOrEqual(1);
			for (const { item } of mine) {
				if (failing.includes(index)) {
					matches(item.json.error, withItem(c.message, index));
					if (item.error) {
						if (c.errorClass) expect(item.error.name).toBe(c.errorClass);
						// The error knows its item: in its message, its description, or its context.
						const named = `${item.error.message} ${item.error.description ?? ''}`.includes(
							`item ${index}`,
						);
						expect(named || (item.error.context as IDataObject).itemIndex === index).toBe(true);
					}
				} else {
					expect(item.json.error).toBeUndefined();
					expect(item.error).toBeUndefined();
				}
			}
		}
		c.requests?.((c.target?.() ?? emulator).requests.map((r) => r.path));
	});

	test('without continue-on-fail: the node fails with that message, naming the item', async () => {
		const c = caseNamed(name);
		const { error } = await runCase(c, false);
		expect(error).toBeDefined();
		const index = c.allFail ? 0 : 1;
		matches(error?.message, withItem(c.message, index));
		const text = `${error?.message} ${error?.description ?? ''}`;
		const context = (error as unknown as { context?: IDataObject }).context ?? {};
		expect(text.includes(`item ${index}`) || context.itemIndex === index).toBe(true);
		if (c.description) {
			const description = String(error?.description ?? '');
			if (typeof c.description === 'string') expect(description).toContain(c.description);
			else expect(description).toMatch(c.description);
		}
		// An error body is summarized, never dumped.
		expect(text).not.toMatch(/<html|<body|<!doctype/i);
	});
});
