/**
 * Index resource through n8n's real engine against the emulator over HTTP: every operation,
 * the create body, Get Many pages, and Sync with and without waiting for the build.
 */
import type { INodeParameters } from 'n8n-workflow';

import * as emulatorBuildState from '../../emulator/buildState';
import { type Emulator, type RecordedRequest, startEmulator } from '../../emulator';
import { CANARY_API_KEY } from '../support/canary';
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import * as nodeBuildState from '../../nodes/LlamaCloud/actions/index/buildState';
import { type RunNodeOptions, runNode } from '../../harness/engine';

let emulator: Emulator;

beforeAll(async () => {
	// A server that serves 100 items a page at most, whatever the node asks for (1000): lists
	// of a few hundred objects still take several pages.
	emulator = await startEmulator({
		apiKey: CANARY_API_KEY,
		buildStepMs: 20,
		maxPageSize: 100,
		pageSizeAboveMax: 'clamp',
	});
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const credentialFor = (target: Emulator) => ({
	llamaCloudIngestApi: { apiKey: target.apiKey, region: 'custom', baseUrl: target.url },
});

function run(
	parameters: INodeParameters,
	options: Partial<RunNodeOptions> & { target?: Emulator } = {},
) {
	const { target = emulator, ...rest } = options;
	return runNode({
		type: LlamaCloud,
		parameters: { resource: 'index', ...parameters },
		credentials: credentialFor(target),
		...rest,
	});
}

/** Creates an index over plain HTTP (test setup, not the node under test). */
async function createIndexDirectly(
	target: Emulator,
	body: Record<string, unknown>,
): Promise<{ id: string; output_directory_id: string; name: string }> {
	const response = await fetch(`${target.url}/api/v1/indexes`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${target.apiKey}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	expect(response.status).toBe(201);
	return (await response.json()) as { id: string; output_directory_id: string; name: string };
}

/** A source directory with `count` markdown files long enough to make several chunks each. */
function sourceWithMarkdown(count: number, name = 'Handbook') {
	const directory = emulator.store.createDirectory(name);
	const paragraph = (i: number, p: number) =>
		`Section ${p} of document ${i}. ${'Lorem ipsum dolor sit amet. '.repeat(20)}`;
	emulator.store.seedFiles(directory.id, count, {
		displayName: (i) => `chapter-${i}.md`,
		content: (i) => `# Chapter ${i}\n\n${[1, 2, 3, 4].map((p) => paragraph(i, p)).join('\n\n')}\n`,
	});
	return directory;
}

const requestsTo = (pattern: RegExp, method?: string): RecordedRequest[] =>
	emulator.requests.filter(
		(r) => pattern.test(r.path) && (method === undefined || r.method === method),
	);

describe('Index: Create', () => {
	test('products, sync frequency, vector target and attachments reach the body; the index is output whole', async () => {
		const source = emulator.store.createDirectory('Contracts');
		const { items, error } = await run({
			operation: 'create',
			sourceDirectoryId: byId(source.id),
			additionalFields: {
				name: 'Contracts index',
				description: 'All signed contracts',
				products: {
					product: [
						{ productType: 'parse', productConfigId: 'cfg-parse-1' },
						{ productType: 'extract', productConfigId: 'cfg-extract-7' },
					],
				},
				syncFrequency: 'on_source_change',
				vectorTarget: 'DISABLED',
				storeAttachments: ['screenshots', 'items'],
			},
		});
		expect(error).toBeUndefined();
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.requests[0]).toMatchObject({
			method: 'POST',
			path: '/api/v1/indexes',
			status: 201,
		});
		expect(emulator.requests[0].body).toEqual({
			source_directory_id: source.id,
			name: 'Contracts index',
			description: 'All signed contracts',
			products: [
				{ product_type: 'parse', product_config_id: 'cfg-parse-1' },
				{ product_type: 'extract', product_config_id: 'cfg-extract-7' },
			],
			sync_frequency: 'on_source_change',
			vector_target: 'DISABLED',
			store_attachments: ['screenshots', 'items'],
		});

		const index = items[0].json;
		expect(index).toMatchObject({
			name: 'Contracts index',
			description: 'All signed contracts',
			source_directory_id: source.id,
		});
		for (const key of [
			'id',
			'export_config_id',
			'sync_config_id',
			'project_id',
			'output_directory_id',
			'metadata',
			'created_at',
		]) {
			expect(index).toHaveProperty(key);
		}
		const stored = emulator.store.index(String(index.id));
		expect(stored).toMatchObject({
			sync_frequency: 'on_source_change',
			vector_target: 'DISABLED',
			store_attachments: ['screenshots', 'items'],
			products: [
				{ product_type: 'parse', product_config_id: 'cfg-parse-1' },
				{ product_type: 'extract', product_config_id: 'cfg-extract-7' },
			],
		});
	});

	test('with only a source directory (chosen From List), nothing else is sent and the API defaults apply', async () => {
		const source = emulator.store.createDirectory('Plain');
		const { items, error } = await run({
			operation: 'create',
			sourceDirectoryId: { __rl: true, mode: 'list', value: source.id, cachedResultName: 'Plain' },
		});
		expect(error).toBeUndefined();
		expect(emulator.requests[0].body).toEqual({ source_directory_id: source.id });
		// The name defaults to the source directory's.
		expect(items[0].json.name).toBe('Plain');
		expect(emulator.store.index(String(items[0].json.id))).toMatchObject({
			sync_frequency: 'manual',
			vector_target: 'DEFAULT',
		});
	});

	test('expressions create one index per input item, paired with it', async () => {
		const a = emulator.store.createDirectory('A');
		const b = emulator.store.createDirectory('B');
		const { items, pairedItems, error } = await run(
			{
				operation: 'create',
				sourceDirectoryId: byId('={{ $json.dir }}'),
				additionalFields: { name: '={{ $json.label }}' },
			},
			{
				inputItems: [
					{ json: { dir: a.id, label: 'first' } },
					{ json: { dir: b.id, label: 'second' } },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => [i.json.name, i.json.source_directory_id])).toEqual([
			['first', a.id],
			['second', b.id],
		]);
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }]]);
	});

	test.each([
		['a blank name', { name: '  ' }, '"Name" must not be empty [item 0]'],
		[
			'a product without config ID',
			{
				products: {
					product: [
						{ productType: 'parse', productConfigId: 'cfg-1' },
						{ productType: 'extract', productConfigId: ' ' },
					],
				},
			},
			'"Product Config ID" of product 2 must not be empty [item 0]',
		],
	])('%s is rejected before any request', async (_case, additionalFields, message) => {
		const source = emulator.store.createDirectory('Source');
		const { error } = await run({
			operation: 'create',
			sourceDirectoryId: byId(source.id),
			additionalFields,
		});
		expect(error?.message).toBe(message);
		expect(emulator.requests).toHaveLength(0);
		expect(emulator.store.indexes()).toHaveLength(0);
	});

	test('a source directory ID that resolves to blank is rejected before any request', async () => {
		const { error } = await run({ operation: 'create', sourceDirectoryId: byId('={{ "" }}') });
		expect(error?.message).toContain('"Source Directory" must not be empty [item 0]');
		expect(emulator.requests).toHaveLength(0);
	});

	test('an unknown source directory gives the API 404', async () => {
		const { error } = await run({ operation: 'create', sourceDirectoryId: byId('dir-nope') });
		expect((error as unknown as { httpCode: string }).httpCode).toBe('404');
		expect(error?.message).toContain('Directory dir-nope not found');
	});
});

describe('Index: Get, Delete', () => {
	test('Get outputs the index with its build state', async () => {
		const source = emulator.store.createDirectory('Docs');
		const created = await createIndexDirectly(emulator, {
			source_directory_id: source.id,
			name: 'Docs index',
		});
		await emulator.waitForBuilds();
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

	test('Delete outputs { deleted: true, id } and removes the index', async () => {
		const source = emulator.store.createDirectory('Docs');
		const created = await createIndexDirectly(emulator, { source_directory_id: source.id });
		await emulator.waitForBuilds();
		const { items, error } = await run({ operation: 'delete', indexId: byId(created.id) });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([{ deleted: true, id: created.id }]);
		expect(emulator.store.index(created.id)).toBeUndefined();
		// What else goes with an index (its output directory) is the service's business: not asserted.
		expect(emulator.store.directory(source.id)).toBeDefined();
	});
});

describe('Index: Get Many', () => {
	let sourceA: string;
	let sourceB: string;

	beforeEach(async () => {
		sourceA = emulator.store.createDirectory('A').id;
		sourceB = emulator.store.createDirectory('B').id;
		for (let batch = 0; batch < 230; batch += 46) {
			await Promise.all(
				Array.from({ length: 46 }, (_, i) =>
					createIndexDirectly(emulator, { source_directory_id: sourceA, name: `A-${batch + i}` }),
				),
			);
		}
		for (let i = 0; i < 3; i++)
			await createIndexDirectly(emulator, { source_directory_id: sourceB, name: `B-${i}` });
		await emulator.waitForBuilds();
		emulator.clearRequests();
	});

	test('Return All with a source directory filter follows 3 pages, keeping the filter on each', async () => {
		const { items, error } = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { sourceDirectoryId: byId(sourceA) },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(230);
		expect(items.every((i) => i.json.source_directory_id === sourceA)).toBe(true);
		expect(new Set(items.map((i) => i.json.id)).size).toBe(230);
		const pages = requestsTo(/^\/api\/v1\/indexes$/, 'GET');
		expect(pages).toHaveLength(3);
		for (const page of pages)
			expect(page.query).toMatchObject({ source_directory_id: sourceA, page_size: '1000' });
		expect(pages.slice(1).every((p) => typeof p.query.page_token === 'string')).toBe(true);
	});

	test('Limit stops early; the other source directory filters too', async () => {
		const limited = await run({
			operation: 'getAll',
			limit: 120,
			filters: { sourceDirectoryId: byId(sourceA) },
		});
		expect(limited.items).toHaveLength(120);
		expect(requestsTo(/^\/api\/v1\/indexes$/, 'GET').map((p) => p.query.page_size)).toEqual([
			'120',
			'20',
		]);

		emulator.clearRequests();
		const onlyB = await run({
			operation: 'getAll',
			limit: 50,
			filters: { sourceDirectoryId: byId(sourceB) },
		});
		// In whatever order the service lists them (not documented).
		expect(onlyB.items.map((i) => i.json.name).sort()).toEqual(['B-0', 'B-1', 'B-2']);
		expect(requestsTo(/^\/api\/v1\/indexes$/, 'GET')).toHaveLength(1);
	});

	test('without a filter every index of the project is listed', async () => {
		const { items } = await run({ operation: 'getAll', returnAll: true });
		expect(items).toHaveLength(233);
		expect(
			requestsTo(/^\/api\/v1\/indexes$/, 'GET').every((p) => !('source_directory_id' in p.query)),
		).toBe(true);
	});
});

describe('Index: Sync', () => {
	test('without waiting: one sync request, then the index with its queued build is output', async () => {
		const source = sourceWithMarkdown(2);
		const created = await createIndexDirectly(emulator, {
			source_directory_id: source.id,
			name: 'Handbook',
		});
		await emulator.waitForBuilds();
		emulator.clearRequests();

		const { items, error } = await run({ operation: 'sync', indexId: byId(created.id) });
		expect(error).toBeUndefined();
		// The index is read first (which of its ids the service takes is not public, see
		// actions/index/common.ts), then synced, then read again for the output.
		const index = items[0].json as { id: string; metadata: Record<string, unknown> };
		expect(index.id).toBe(created.id);
		expect(requestsTo(/\/sync$/, 'POST').map((r) => r.status)).toEqual([202]);
		expect(emulator.store.index(created.id)!.metadata.build_number).toBe(2);
		// The output is the index as read after the sync (its build may be over already).
		expect(index.metadata).toEqual(expect.any(Object));
	});

	test('waiting until built: outputs the ready index; its parsed files are in the output directory', async () => {
		const source = sourceWithMarkdown(3);
		const created = await createIndexDirectly(emulator, {
			source_directory_id: source.id,
			name: 'Handbook',
		});
		await emulator.waitForBuilds();
		// A new document after the first build: this sync must parse it.
		emulator.store.seedFiles(source.id, 1, {
			displayName: () => 'appendix.md',
			content: '# Appendix\n\nLate addition.\n',
		});

		const { items, error } = await run({
			operation: 'sync',
			indexId: byId(created.id),
			waitUntilBuilt: true,
			pollInterval: 0.5,
			timeout: 30,
		});
		expect(error).toBeUndefined();
		const index = items[0].json as {
			metadata: Record<string, unknown>;
			output_directory_id: string;
		};
		expect(index.metadata.status).toBe('ready');
		// What the emulator knows of that build (its API shows only what its variant says).
		expect(emulator.store.index(String(items[0].json.id))!.metadata).toMatchObject({
			build_number: 2,
			files_total: 4,
			files_parsed: 1,
		});

		const parsed = emulator.store.files(index.output_directory_id, { includeDeleted: false });
		expect(parsed).toHaveLength(4);
		expect(emulator.store.index(String(items[0].json.id))!.metadata.chunks_total).toBeGreaterThan(
			4,
		);
		const sources = new Set(
			parsed.map((c) => c.metadata[emulatorBuildState.PARSED_FILE_METADATA.sourceUniqueId]),
		);
		expect(sources).toEqual(
			new Set(['chapter-0.md', 'chapter-1.md', 'chapter-2.md', 'appendix.md']),
		);
		// It polled the index (GET) rather than returning straight after the sync.
		expect(requestsTo(/^\/api\/v1\/indexes\/[^/]+$/, 'GET').length).toBeGreaterThanOrEqual(2);
	});

	test('a sync right after Create (its automatic first build runs) waits for that build, syncs, and waits for its own', async () => {
		const source = sourceWithMarkdown(1);
		// The index's first build is queued right now: the service refuses the sync (409 by
		// default; 429 or a coalesced sync under the variants).
		const created = await createIndexDirectly(emulator, { source_directory_id: source.id });
		const { items, error } = await run({
			operation: 'sync',
			indexId: byId(created.id),
			waitUntilBuilt: true,
			pollInterval: 0.5,
			timeout: 30,
		});
		expect(error).toBeUndefined();
		expect((items[0].json.metadata as Record<string, unknown>).status).toBe('ready');
		expect(emulator.store.index(created.id)!.metadata.build_number).toBe(2);
		// Refused while the first build ran (never retried by the transport), accepted once.
		const statuses = requestsTo(/\/sync$/, 'POST').map((r) => r.status);
		expect(statuses.filter((s) => s === 202)).toHaveLength(1);
		expect(statuses[statuses.length - 1]).toBe(202);
		expect(statuses.slice(0, -1).every((s) => s === 409 || s === 429)).toBe(true);
	});

	test('a sync refused with 409 (build in progress) is sent again once that build ends', async () => {
		const source = sourceWithMarkdown(1);
		const created = await createIndexDirectly(emulator, { source_directory_id: source.id });
		await emulator.waitForBuilds();
		emulator.faults.script(
			[
				{
					kind: 'status',
					status: 409,
					body: JSON.stringify({ detail: 'A sync is already in progress' }),
					contentType: 'application/json',
				},
			],
			{ method: 'POST', path: /\/sync$/ },
		);
		const { items, error } = await run({
			operation: 'sync',
			indexId: byId(created.id),
			waitUntilBuilt: true,
			pollInterval: 0.5,
			timeout: 30,
		});
		expect(error).toBeUndefined();
		expect(requestsTo(/\/sync$/, 'POST').map((r) => r.status)).toEqual([409, 202]);
		expect(items[0].json.metadata).toMatchObject({ status: 'ready' });
		expect(emulator.store.index(created.id)!.metadata.build_number).toBe(2);
	});

	test.each([409, 429])(
		'without waiting too, a sync refused with %i (a build runs) is sent again once that build ends',
		async (code) => {
			const source = emulator.store.createDirectory('S');
			const created = await createIndexDirectly(emulator, { source_directory_id: source.id });
			await emulator.waitForBuilds();
			emulator.faults.script([{ kind: 'status', status: code, retryAfterSeconds: 0 }], {
				method: 'POST',
				path: /\/sync$/,
			});
			const { items, error } = await run({
				operation: 'sync',
				indexId: byId(created.id),
				pollInterval: 0.5,
			});
			expect(error).toBeUndefined();
			expect(items[0].json.id).toBe(created.id);
			// Not retried by the transport: one refusal, then the sync once the index is idle.
			expect(requestsTo(/\/sync$/, 'POST').map((r) => r.status)).toEqual([code, 202]);
		},
	);

	test.each([
		['id', 'export_config_id'],
		['export_config_id', 'id'],
	] as const)(
		'Get, Sync and Delete accept either id: a service that takes only the %s is addressed by it when given the %s',
		async (taken, given) => {
			emulator.quirks.indexIds = taken;
			const source = emulator.store.createDirectory('Either');
			const created = (await createIndexDirectly(emulator, {
				source_directory_id: source.id,
			})) as { id: string; export_config_id?: string };
			await emulator.waitForBuilds();
			const record = emulator.store.index(created.id)!;
			const value = given === 'id' ? record.id : record.export_config_id;
			const got = await run({ operation: 'get', indexId: byId(value) });
			expect(got.error).toBeUndefined();
			expect(got.items[0].json.id).toBe(record.id);
			const synced = await run({
				operation: 'sync',
				indexId: byId(value),
				waitUntilBuilt: true,
				pollInterval: 0.5,
				timeout: 30,
			});
			expect(synced.error).toBeUndefined();
			expect(synced.items[0].json.metadata).toMatchObject({ status: 'ready' });
			const deleted = await run({ operation: 'delete', indexId: byId(value) });
			expect(deleted.error).toBeUndefined();
			expect(deleted.items[0].json).toEqual({ deleted: true, id: value });
			expect(emulator.store.index(record.id)).toBeUndefined();
		},
	);

	test('a failed build fails the item, naming the index, the reason and the failing file', async () => {
		const source = sourceWithMarkdown(1);
		const [bad] = emulator.store.seedFiles(source.id, 1, {
			displayName: () => 'scan.bin',
			// A function, so the blob keeps the .bin name; NUL bytes make it unparseable (emulator/parsing.ts).
			content: () => Buffer.from([0x50, 0x4b, 0x00, 0x01, 0x02]),
		});
		const created = await createIndexDirectly(emulator, {
			source_directory_id: source.id,
			name: 'Broken',
		});
		await emulator.waitForBuilds();

		const { items, error } = await run({
			operation: 'sync',
			indexId: byId(created.id),
			waitUntilBuilt: true,
			pollInterval: 0.5,
			timeout: 30,
		});
		expect(items).toHaveLength(0);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain(`The build of index "Broken" (${created.id}) failed`);
		expect(error?.message).toContain('scan.bin');
		expect(error?.message).toContain(bad.id);
		expect(error?.message).toContain('binary content');
		expect(error?.message).toContain('[item 0]');
		// One failing file: named once, in the reason.
		expect(error?.message.split('scan.bin')).toHaveLength(2);
		// The output directory was left as it was: nothing from a failed build.
		expect(
			emulator.store.files(created.output_directory_id, { includeDeleted: false }),
		).toHaveLength(0);
	});

	test('with continue-on-fail, a failed build is an error item and the next item still syncs', async () => {
		// Per-file diagnostics are the emulator's `detailed` metadata (the spec promises none).
		emulator.quirks.buildMetadata = 'detailed';
		const broken = emulator.store.createDirectory('Broken');
		emulator.store.seedFiles(broken.id, 2, {
			displayName: (i) => ['bad.dat', 'worse.dat'][i],
			content: () => Buffer.from([0x00, 0x00, 0x01]),
		});
		const fine = sourceWithMarkdown(1, 'Fine');
		const bad = await createIndexDirectly(emulator, {
			source_directory_id: broken.id,
			name: 'Bad',
		});
		const good = await createIndexDirectly(emulator, {
			source_directory_id: fine.id,
			name: 'Good',
		});
		await emulator.waitForBuilds();

		const { items, pairedItems, error } = await run(
			{
				operation: 'sync',
				indexId: byId('={{ $json.id }}'),
				waitUntilBuilt: true,
				pollInterval: 0.5,
				timeout: 30,
			},
			{ continueOnFail: true, inputItems: [{ json: { id: bad.id } }, { json: { id: good.id } }] },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(String(items[0].json.error)).toContain('The build of index "Bad"');
		// Every failing file is named: the first in the reason, the rest after it.
		expect(String(items[0].json.error)).toMatch(
			/failed: Cannot parse file '(bad|worse)\.dat'.*Other failing file\(s\): (bad|worse)\.dat/,
		);
		expect(String(items[0].json.error)).toContain('bad.dat');
		expect(String(items[0].json.error)).toContain('worse.dat');
		expect(items[1].json).toMatchObject({ id: good.id, metadata: { status: 'ready' } });
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }]]);
	});

	test('a build slower than the timeout fails clearly with the last seen state', async () => {
		const slow = await startEmulator({
			apiKey: CANARY_API_KEY,
			buildStepMs: 60_000,
			variants: {
				syncWhileBuilding: 'coalesce',
				buildMetadata: 'detailed',
				buildStatuses: 'queued_running',
			},
		});
		try {
			const source = slow.store.createDirectory('Slow');
			const created = await createIndexDirectly(slow, {
				source_directory_id: source.id,
				name: 'Slow index',
			});
			const { error } = await run(
				{
					operation: 'sync',
					indexId: byId(created.id),
					waitUntilBuilt: true,
					pollInterval: 0.5,
					timeout: 1,
				},
				{ target: slow },
			);
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.message).toContain(
				`Timed out after 1 s waiting for the build to end of index "Slow index" (${created.id})`,
			);
			expect(error?.message).toContain('last seen state: queued (build 1), another sync queued');
			expect(error?.description).toContain('Timeout (Seconds)');
		} finally {
			await slow.close();
		}
	});

	test.each([
		[
			'Poll Interval (Seconds)',
			{ pollInterval: 0.1, timeout: 30 },
			'between 0.5 and 3600 seconds (got 0.1)',
		],
		[
			'Poll Interval (Seconds)',
			{ pollInterval: 5000, timeout: 30 },
			'between 0.5 and 3600 seconds (got 5000)',
		],
		['Timeout (Seconds)', { pollInterval: 1, timeout: 0 }, 'between 1 and 86400 seconds (got 0)'],
		[
			'Timeout (Seconds)',
			{ pollInterval: 1, timeout: 100_000 },
			'between 1 and 86400 seconds (got 100000)',
		],
	])('an out-of-range "%s" fails before any request', async (field, values, range) => {
		const { error } = await run({
			operation: 'sync',
			indexId: byId('idx-any'),
			waitUntilBuilt: true,
			...values,
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(`"${field}" must be ${range} [item 0]`);
		expect(emulator.requests).toHaveLength(0);
	});

	test('a bad timeout on a later item fails the node before the first item sends anything', async () => {
		const source = emulator.store.createDirectory('S');
		const created = await createIndexDirectly(emulator, { source_directory_id: source.id });
		emulator.clearRequests();
		const { error } = await run(
			{
				operation: 'sync',
				indexId: byId(created.id),
				waitUntilBuilt: true,
				pollInterval: 1,
				timeout: '={{ $json.timeout }}',
			},
			{ inputItems: [{ json: { timeout: 30 } }, { json: { timeout: -5 } }] },
		);
		expect(error?.message).toBe(
			'"Timeout (Seconds)" must be between 1 and 86400 seconds (got -5) [item 1]',
		);
		expect(emulator.requests).toHaveLength(0);
	});

	test('with continue-on-fail, an unknown index is an error item and the other item is synced', async () => {
		const source = emulator.store.createDirectory('S');
		const created = await createIndexDirectly(emulator, { source_directory_id: source.id });
		const { items, pairedItems, error } = await run(
			{ operation: 'sync', indexId: byId('={{ $json.id }}') },
			{
				continueOnFail: true,
				inputItems: [{ json: { id: 'idx-missing' } }, { json: { id: created.id } }],
			},
		);
		expect(error).toBeUndefined();
		expect(String(items[0].json.error)).toContain('Index idx-missing not found');
		expect(items[1].json.id).toBe(created.id);
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }]]);
	});
});

describe('build state vocabulary', () => {
	test('the node and the emulator name the build state the same way', () => {
		expect(nodeBuildState.BUILD_STATUS_FIELD).toBe(emulatorBuildState.BUILD_STATUS_FIELD);
		expect(nodeBuildState.BUILD_ERROR_FIELD).toBe(emulatorBuildState.BUILD_ERROR_FIELD);
		expect(nodeBuildState.BUILD_DIAGNOSTICS_FIELD).toBe(emulatorBuildState.BUILD_DIAGNOSTICS_FIELD);
		expect(nodeBuildState.BUILD_PENDING_SYNC_FIELD).toBe(
			emulatorBuildState.BUILD_PENDING_SYNC_FIELD,
		);
		expect(nodeBuildState.BUILD_STATUS).toEqual({
			ready: emulatorBuildState.BUILD_STATUS.ready,
			failed: emulatorBuildState.BUILD_STATUS.failed,
		});
		expect(nodeBuildState.FAILED_FILE_STATUS).toBe(
			emulatorBuildState.FILE_DIAGNOSTIC_STATUS.failed,
		);
	});

	test('a failure reason is read from metadata.error_message, as LlamaCloud’s sample code does', () => {
		const state = nodeBuildState.readBuildState({
			metadata: { status: 'failed', error_message: 'Parsing failed for report.pdf' },
		});
		expect(state).toMatchObject({ failed: true, reason: 'Parsing failed for report.pdf' });
	});

	test('only ready and failed end a build: any other status, or none, is a build in progress', () => {
		for (const metadata of [{ status: 'pending' }, { status: 'SYNCING' }, {}]) {
			const state = nodeBuildState.readBuildState({ metadata });
			expect([state.ready, state.failed]).toEqual([false, false]);
		}
		// A ready → failed transition is told apart without keys only the emulator writes.
		const before = nodeBuildState.readBuildState({ metadata: { status: 'ready' } });
		const after = nodeBuildState.readBuildState({ metadata: { status: 'failed' } });
		expect(after.marker).not.toBe(before.marker);
	});
});

describe('Index: Create with "Reuse Existing"', () => {
	test('outputs the existing index over the same directory and name instead of creating another', async () => {
		const source = emulator.store.createDirectory('Policies');
		const params = {
			operation: 'create',
			sourceDirectoryId: byId(source.id),
			additionalFields: { name: 'Policies index' },
			options: { reuseExisting: true },
		};
		const first = await run(params);
		expect(first.error).toBeUndefined();
		const again = await run(params);
		expect(again.error).toBeUndefined();
		expect(again.items[0].json.id).toBe(first.items[0].json.id);
		expect(requestsTo(/^\/api\/v1\/indexes$/, 'POST')).toHaveLength(1);
		// A different name over the same directory is a different index.
		const other = await run({ ...params, additionalFields: { name: 'Policies v2' } });
		expect(other.items[0].json.id).not.toBe(first.items[0].json.id);
		expect(requestsTo(/^\/api\/v1\/indexes$/, 'POST')).toHaveLength(2);
	});
});
