/**
 * Index → Sync through n8n's real engine against the emulator over HTTP: with and without waiting
 * for the build, syncs refused while a build runs sent again, failed builds whose failing files
 * reach the error and continue-on-fail items, timeouts; one sync per index and run, and Wait Until
 * Built that checks soon and then backs off.
 */
import type { INodeParameters } from 'n8n-workflow';

import { startEmulator } from '../../../emulator';
import * as emulatorBuildState from '../../../emulator/buildState';
import { makeBinaryItem, type RunNodeOptions } from '../../../harness/engine';
import { CANARY_API_KEY } from '../../support/canary';
import { byId, llamaCloudRunner, numberedItems, useEmulator } from '../../support/emulator';
import { createIndexDirectly, INDEX_EMULATOR, requestsTo, sourceWithMarkdown } from './fixtures';

const emulator = useEmulator(INDEX_EMULATOR);
const run = llamaCloudRunner(emulator, { resource: 'index' });

async function indexOver(files: Array<{ name: string; content: string }> = []) {
	const source = emulator.current.store.createDirectory('docs').id;
	if (files.length > 0) {
		await run(
			{ resource: 'file', operation: 'upload', directoryId: byId(source) },
			{ inputItems: files.map((f) => makeBinaryItem(f.content, { fileName: f.name })) },
		);
	}
	const created = await run({
		resource: 'index',
		operation: 'create',
		sourceDirectoryId: byId(source),
	});
	await emulator.current.waitForBuilds();
	return String(created.items[0].json.id);
}

const syncs = () =>
	emulator.current.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/sync')).length;
const sync = (
	indexId: string,
	parameters: INodeParameters = {},
	options: Partial<RunNodeOptions> = {},
) => run({ resource: 'index', operation: 'sync', indexId: byId(indexId), ...parameters }, options);

describe('Index: Sync', () => {
	test('without waiting: one sync request, then the index with its queued build is output', async () => {
		const source = sourceWithMarkdown(emulator.current, 2);
		const created = await createIndexDirectly(emulator.current, {
			source_directory_id: source.id,
			name: 'Handbook',
		});
		await emulator.current.waitForBuilds();
		emulator.current.clearRequests();

		const { items, error } = await run({ operation: 'sync', indexId: byId(created.id) });
		expect(error).toBeUndefined();
		// The index is read first (which of its ids the service takes is not public, see
		// actions/index/common.ts), then synced, then read again for the output.
		const index = items[0].json as { id: string; metadata: Record<string, unknown> };
		expect(index.id).toBe(created.id);
		expect(requestsTo(emulator.current, /\/sync$/, 'POST').map((r) => r.status)).toEqual([202]);
		expect(emulator.current.store.index(created.id)!.metadata.build_number).toBe(2);
		// The output is the index as read after the sync (its build may be over already).
		expect(index.metadata).toEqual(expect.any(Object));
	});

	test('waiting until built: outputs the ready index; its parsed files are in the output directory', async () => {
		const source = sourceWithMarkdown(emulator.current, 3);
		const created = await createIndexDirectly(emulator.current, {
			source_directory_id: source.id,
			name: 'Handbook',
		});
		await emulator.current.waitForBuilds();
		// A new document after the first build: this sync must parse it.
		emulator.current.store.seedFiles(source.id, 1, {
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
		expect(emulator.current.store.index(String(items[0].json.id))!.metadata).toMatchObject({
			build_number: 2,
			files_total: 4,
			files_parsed: 1,
		});

		const parsed = emulator.current.store.files(index.output_directory_id, {
			includeDeleted: false,
		});
		expect(parsed).toHaveLength(4);
		expect(
			emulator.current.store.index(String(items[0].json.id))!.metadata.chunks_total,
		).toBeGreaterThan(4);
		const sources = new Set(
			parsed.map((c) => c.metadata[emulatorBuildState.PARSED_FILE_METADATA.sourceUniqueId]),
		);
		expect(sources).toEqual(
			new Set(['chapter-0.md', 'chapter-1.md', 'chapter-2.md', 'appendix.md']),
		);
		// It polled the index (GET) rather than returning straight after the sync.
		expect(
			requestsTo(emulator.current, /^\/api\/v1\/indexes\/[^/]+$/, 'GET').length,
		).toBeGreaterThanOrEqual(2);
	});

	test('a sync right after Create (its automatic first build runs) waits for that build, syncs, and waits for its own', async () => {
		const source = sourceWithMarkdown(emulator.current, 1);
		// The index's first build is queued right now: the service refuses the sync (409 by
		// default; 429 or a coalesced sync under the variants).
		const created = await createIndexDirectly(emulator.current, { source_directory_id: source.id });
		const { items, error } = await run({
			operation: 'sync',
			indexId: byId(created.id),
			waitUntilBuilt: true,
			pollInterval: 0.5,
			timeout: 30,
		});
		expect(error).toBeUndefined();
		expect((items[0].json.metadata as Record<string, unknown>).status).toBe('ready');
		expect(emulator.current.store.index(created.id)!.metadata.build_number).toBe(2);
		// Refused while the first build ran (never retried by the transport), accepted once.
		const statuses = requestsTo(emulator.current, /\/sync$/, 'POST').map((r) => r.status);
		expect(statuses.filter((s) => s === 202)).toHaveLength(1);
		expect(statuses[statuses.length - 1]).toBe(202);
		expect(statuses.slice(0, -1).every((s) => s === 409 || s === 429)).toBe(true);
	});

	test('a sync refused with 409 (build in progress) is sent again once that build ends', async () => {
		const source = sourceWithMarkdown(emulator.current, 1);
		const created = await createIndexDirectly(emulator.current, { source_directory_id: source.id });
		await emulator.current.waitForBuilds();
		emulator.current.faults.script(
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
		expect(requestsTo(emulator.current, /\/sync$/, 'POST').map((r) => r.status)).toEqual([
			409, 202,
		]);
		expect(items[0].json.metadata).toMatchObject({ status: 'ready' });
		expect(emulator.current.store.index(created.id)!.metadata.build_number).toBe(2);
	});

	test.each([409, 429])(
		'without waiting too, a sync refused with %i (a build runs) is sent again once that build ends',
		async (code) => {
			const source = emulator.current.store.createDirectory('S');
			const created = await createIndexDirectly(emulator.current, {
				source_directory_id: source.id,
			});
			await emulator.current.waitForBuilds();
			emulator.current.faults.script([{ kind: 'status', status: code, retryAfterSeconds: 0 }], {
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
			expect(requestsTo(emulator.current, /\/sync$/, 'POST').map((r) => r.status)).toEqual([
				code,
				202,
			]);
		},
	);

	test.each([
		['id', 'export_config_id'],
		['export_config_id', 'id'],
	] as const)(
		'Get, Sync and Delete accept either id: a service that takes only the %s is addressed by it when given the %s',
		async (taken, given) => {
			emulator.current.quirks.indexIds = taken;
			const source = emulator.current.store.createDirectory('Either');
			const created = (await createIndexDirectly(emulator.current, {
				source_directory_id: source.id,
			})) as { id: string; export_config_id?: string };
			await emulator.current.waitForBuilds();
			const record = emulator.current.store.index(created.id)!;
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
			expect(emulator.current.store.index(record.id)).toBeUndefined();
		},
	);

	test('a failed build fails the item, naming the index, the reason and the failing file', async () => {
		const source = sourceWithMarkdown(emulator.current, 1);
		const [bad] = emulator.current.store.seedFiles(source.id, 1, {
			displayName: () => 'scan.bin',
			// A function, so the blob keeps the .bin name; NUL bytes make it unparseable (emulator/parsing.ts).
			content: () => Buffer.from([0x50, 0x4b, 0x00, 0x01, 0x02]),
		});
		const created = await createIndexDirectly(emulator.current, {
			source_directory_id: source.id,
			name: 'Broken',
		});
		await emulator.current.waitForBuilds();

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
			emulator.current.store.files(created.output_directory_id, { includeDeleted: false }),
		).toHaveLength(0);
	});

	test('with continue-on-fail, a failed build is an error item and the next item still syncs', async () => {
		// Per-file diagnostics are the emulator's `detailed` metadata (the spec promises none).
		emulator.current.quirks.buildMetadata = 'detailed';
		const broken = emulator.current.store.createDirectory('Broken');
		emulator.current.store.seedFiles(broken.id, 2, {
			displayName: (i) => ['bad.dat', 'worse.dat'][i],
			content: () => Buffer.from([0x00, 0x00, 0x01]),
		});
		const fine = sourceWithMarkdown(emulator.current, 1, 'Fine');
		const bad = await createIndexDirectly(emulator.current, {
			source_directory_id: broken.id,
			name: 'Bad',
		});
		const good = await createIndexDirectly(emulator.current, {
			source_directory_id: fine.id,
			name: 'Good',
		});
		await emulator.current.waitForBuilds();

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
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('a bad timeout on a later item fails the node before the first item sends anything', async () => {
		const source = emulator.current.store.createDirectory('S');
		const created = await createIndexDirectly(emulator.current, { source_directory_id: source.id });
		emulator.current.clearRequests();
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
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('with continue-on-fail, an unknown index is an error item and the other item is synced', async () => {
		const source = emulator.current.store.createDirectory('S');
		const created = await createIndexDirectly(emulator.current, { source_directory_id: source.id });
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

test('two items syncing one index send one sync; both output the index, each paired to itself', async () => {
	const indexId = await indexOver();
	const before = syncs();
	const { items, pairedItems } = await sync(indexId, {}, { inputItems: numberedItems(2) });
	expect(syncs() - before).toBe(1);
	expect(items.map((i) => i.json.id)).toEqual([indexId, indexId]);
	expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }]]);
});

test('Wait Until Built sees a quick build long before the poll interval (here an hour) has passed', async () => {
	const indexId = await indexOver();
	const { items, error } = await sync(indexId, {
		waitUntilBuilt: true,
		pollInterval: 3600,
		timeout: 86400,
	});
	expect(error).toBeUndefined();
	expect((items[0].json.metadata as { status: string }).status).toBe('ready');
});

describe('a failed build says which files failed and why', () => {
	const broken = [{ name: 'broken.pdf', content: 'not a pdf' }];
	// Per-file diagnostics: the emulator's `detailed` metadata (the spec promises none; with only
	// `error_message`, the reason alone is reported).
	beforeEach(() => {
		emulator.current.quirks.buildMetadata = 'detailed';
	});

	test('in the error description', async () => {
		const { error } = await sync(await indexOver(broken), { waitUntilBuilt: true });
		expect(error?.description).toMatch(
			/^Failing files \(1\): broken\.pdf \(dfl-[^)]+\): not a valid PDF .*\. Fix or remove the failing file\(s\) in source directory dir-/,
		);
	});

	test('and in the continue-on-fail item, as details', async () => {
		const { items } = await sync(
			await indexOver(broken),
			{ waitUntilBuilt: true },
			{ continueOnFail: true },
		);
		expect(items[0].json.error).toMatch(/^The build of index .* failed/);
		expect(items[0].json.details).toMatch(/^Failing files \(1\): broken\.pdf/);
	});
});
