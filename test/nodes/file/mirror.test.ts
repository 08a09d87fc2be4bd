/**
 * File → Mirror through n8n's real engine against the emulator over real HTTP: the plan (add,
 * replace, leave, delete) from one listing, fingerprints (content hash, a field), each safety
 * rule (failed uploads, empty input, Max Deletions, Replace keeping the old file, scopes), Dry
 * Run, the report and per-file items, bulk deletes with their fallback, and the index sync.
 */
import { createHash } from 'node:crypto';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { LlamaCloudIngest as LlamaCloud } from '../../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { FINGERPRINT_KEY } from '../../../nodes/LlamaCloud/actions/file/upload/fingerprint';
import type { DirectoryFileRecord } from '../../../emulator';
import {
	makeBinaryItem,
	makeStoredBinaryItem,
	removeBinaryData,
	runNode,
	type RunNodeOptions,
} from '../../../harness/engine';
import { byId, credential, useEmulator } from '../../support/emulator';

const emulator = useEmulator({ buildStepMs: 20 });
let directoryId: string;

beforeEach(() => {
	directoryId = emulator.current.store.createDirectory('mirror').id;
});
afterAll(() => removeBinaryData());

type Source = Record<string, string>;

const items = (source: Source, json: (name: string) => object = () => ({})) =>
	Object.entries(source).map(([name, content]) =>
		makeBinaryItem(content, { fileName: name, json: json(name) as never }),
	);

function mirror(
	inputItems: INodeExecutionData[],
	parameters: INodeParameters = {},
	options: Partial<RunNodeOptions> = {},
) {
	return runNode({
		type: LlamaCloud,
		credentials: credential(emulator.current),
		parameters: {
			resource: 'file',
			operation: 'mirror',
			directoryId: byId(directoryId),
			...parameters,
		},
		inputItems,
		...options,
	});
}

/** Runs the mirror and expects it to succeed; returns the report's JSON. */
async function mirrored(source: INodeExecutionData[], parameters: INodeParameters = {}) {
	const run = await mirror(source, parameters);
	expect(run.error).toBeUndefined();
	return run.items[0].json as Record<string, any>;
}

const live = (dir = directoryId): DirectoryFileRecord[] =>
	emulator.current.store.files(dir, { includeDeleted: false });
const byUnique = () => new Map(live().map((f) => [f.unique_id, f]));
const contentOf = async (file: DirectoryFileRecord) =>
	(await emulator.current.store.readBlob(String(file.file_id))).toString();
async function contents(): Promise<Source> {
	const out: Source = {};
	for (const file of live()) out[file.unique_id] = await contentOf(file);
	return out;
}
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** Requests since the last clear, as "METHOD /path-pattern". */
function requests(): string[] {
	return emulator.current.requests.map(
		(r) => `${r.method} ${r.path.replace(/\/(dir|dfl|idx)-[^/]+/g, '/{$1}')}`,
	);
}
const writes = () => requests().filter((r) => !r.startsWith('GET '));

const first: Source = { 'a.txt': 'alpha', 'b.txt': 'bravo', 'c.txt': 'charlie' };

test('a first run uploads every file with its fingerprint and reports them as added', async () => {
	const report = await mirrored(items(first));
	expect(report).toMatchObject({
		directoryId,
		dryRun: false,
		scope: 'the whole directory',
		counts: { added: 3, replaced: 0, unchanged: 0, deleted: 0, failed: 0 },
		added: ['a.txt', 'b.txt', 'c.txt'],
		replaced: [],
		unchanged: [],
		deleted: [],
		failed: [],
	});
	expect(await contents()).toEqual(first);
	for (const file of live())
		expect(file.metadata[FINGERPRINT_KEY]).toBe(sha256(first[file.unique_id]));
});

test('a re-run of an unchanged source writes nothing and sends only the listing', async () => {
	await mirrored(items(first));
	const before = byUnique();
	emulator.current.clearRequests();

	const report = await mirrored(items(first));
	expect(report.counts).toEqual({ added: 0, replaced: 0, unchanged: 3, deleted: 0, failed: 0 });
	expect(requests()).toEqual(['GET /api/v1/beta/directories/{dir}/files']);
	expect([...byUnique().values()].map((f) => f.id)).toEqual([...before.values()].map((f) => f.id));
});

test('a changed, a new and a removed file: one replace, one upload, one delete, the rest untouched', async () => {
	await mirrored(items(first));
	const before = byUnique();
	emulator.current.clearRequests();

	const next: Source = { 'a.txt': 'alpha', 'b.txt': 'bravo v2', 'd.txt': 'delta' };
	const report = await mirrored(items(next));
	expect(report).toMatchObject({
		counts: { added: 1, replaced: 1, unchanged: 1, deleted: 1, failed: 0 },
		added: ['d.txt'],
		replaced: ['b.txt'],
		unchanged: ['a.txt'],
		deleted: ['c.txt'],
	});
	expect(await contents()).toEqual(next);
	expect(byUnique().get('a.txt')?.id).toBe(before.get('a.txt')?.id);
	// Replace: upload under a temporary ID, delete the old file, rename; the removal: one bulk delete.
	expect(writes().sort()).toEqual(
		[
			'POST /api/v1/beta/directories/{dir}/files/upload',
			'POST /api/v1/beta/directories/{dir}/files/upload',
			'DELETE /api/v1/beta/directories/{dir}/files/{dfl}',
			'PATCH /api/v1/beta/directories/{dir}/files/{dfl}',
			'POST /api/v1/beta/directories/{dir}/files/bulk-delete',
		].sort(),
	);
});

test('"Report and One Item per File" adds an item per file, paired with its input item', async () => {
	await mirrored(items(first));
	const run = await mirror(items({ 'a.txt': 'alpha', 'b.txt': 'bravo v2', 'd.txt': 'delta' }), {
		output: 'reportAndFiles',
	});
	expect(run.error).toBeUndefined();
	const [report, ...files] = run.items.map((i) => i.json);
	expect(report.counts).toMatchObject({ added: 1, replaced: 1, unchanged: 1, deleted: 1 });
	expect(files.map((f) => [f.action, f.uniqueId])).toEqual([
		['unchanged', 'a.txt'],
		['replaced', 'b.txt'],
		['added', 'd.txt'],
		['deleted', 'c.txt'],
	]);
	const now = byUnique();
	expect(files[1]).toMatchObject({ id: now.get('b.txt')?.id, fingerprint: sha256('bravo v2') });
	expect(files[1].previousId).not.toBe(files[1].id);
	expect(run.pairedItems.slice(1, 4)).toEqual([[{ item: 0 }], [{ item: 1 }], [{ item: 2 }]]);
	// The report and a deletion stem from the whole input.
	expect(run.pairedItems[0]).toHaveLength(3);
	expect(run.pairedItems[4]).toHaveLength(3);
});

test('binaries in the binary data service are hashed as streamed', async () => {
	const stored = await Promise.all(
		Object.entries(first).map(([name, content]) =>
			makeStoredBinaryItem(content, { fileName: name }),
		),
	);
	await mirrored(stored);
	const report = await mirrored(items(first));
	// The same content in memory mode has the same fingerprint.
	expect(report.counts).toMatchObject({ unchanged: 3, added: 0, replaced: 0 });
});

describe('fingerprint from a field', () => {
	const fromField = {
		fingerprint: 'field',
		fingerprintValue: '={{ $json.md5Checksum }}',
	};
	const withChecksum = (source: Source, checksums: Source) =>
		items(source, (name) => ({ md5Checksum: checksums[name] }));

	test('is stored as given and compared instead of the content', async () => {
		await mirrored(withChecksum(first, { 'a.txt': 'm1', 'b.txt': 'm2', 'c.txt': 'm3' }), fromField);
		expect(byUnique().get('a.txt')?.metadata[FINGERPRINT_KEY]).toBe('m1');
		emulator.current.clearRequests();

		// Different content under the same checksum is not read: the field says unchanged.
		const report = await mirrored(
			withChecksum(
				{ 'a.txt': 'other', 'b.txt': 'bravo', 'c.txt': 'charlie' },
				{ 'a.txt': 'm1', 'b.txt': 'm2b', 'c.txt': 'm3' },
			),
			fromField,
		);
		expect(report).toMatchObject({ unchanged: ['a.txt', 'c.txt'], replaced: ['b.txt'] });
		expect(await contentOf(byUnique().get('a.txt')!)).toBe('alpha');
	});

	test('an empty value fails the item before anything is sent, naming the field', async () => {
		const run = await mirror(
			withChecksum(first, { 'a.txt': 'm1', 'b.txt': '', 'c.txt': 'm3' }),
			fromField,
		);
		expect(run.error?.message).toBe('"Fingerprint Value" is empty [item 1]');
		expect(emulator.current.requests).toHaveLength(0);
	});
});

describe('safety', () => {
	test('a failed upload leaves the old file in place and deletes nothing', async () => {
		await mirrored(items(first));
		const before = byUnique();
		// The replacement of b.txt is refused by the server (a 400 is not retried).
		emulator.current.faults.script([{ kind: 'status', status: 400 }], {
			method: 'POST',
			path: /\/files\/upload$/,
		});
		const run = await mirror(
			items({ 'a.txt': 'alpha', 'b.txt': 'bravo v2' }),
			{},
			{
				continueOnFail: true,
			},
		);
		expect(run.error).toBeUndefined();
		const report = run.items[0].json as Record<string, any>;
		expect(report.counts).toMatchObject({ failed: 1, deleted: 0, unchanged: 1 });
		expect(report.failed).toEqual([expect.objectContaining({ uniqueId: 'b.txt', itemIndex: 1 })]);
		expect(report.deletionsSkipped).toMatch(/^1 item\(s\) failed: nothing was deleted/);
		// c.txt, gone from the source, is still there; b.txt still has its old content and id.
		expect(await contents()).toEqual(first);
		expect(byUnique().get('b.txt')?.id).toBe(before.get('b.txt')?.id);
	});

	test('without continue-on-fail the failure stops the run and says what was done', async () => {
		await mirrored(items(first));
		emulator.current.faults.script([{ kind: 'status', status: 400 }], {
			method: 'POST',
			path: /\/files\/upload$/,
		});
		const run = await mirror(items({ 'a.txt': 'alpha', 'b.txt': 'bravo v2' }), {
			options: { concurrency: 1 },
		});
		expect(run.error?.message).toMatch(/400/);
		expect(run.error?.description).toContain(
			'The mirror stopped here; done before: 0 added, 0 replaced, 1 unchanged, 0 deleted.',
		);
		expect(await contents()).toEqual(first);
	});

	test('an input of only empty items (Always Output Data) deletes nothing', async () => {
		await mirrored(items(first));
		emulator.current.clearRequests();
		const report = await mirrored([{ json: {} }]);
		expect(report.counts).toEqual({ added: 0, replaced: 0, unchanged: 0, deleted: 0, failed: 0 });
		expect(report.deletionsSkipped).toMatch(/^The input has no files: nothing was deleted/);
		expect(writes()).toEqual([]);
		expect(live()).toHaveLength(3);
	});

	test('a run that would delete more than Max Deletions (files) is refused before any change', async () => {
		await mirrored(items(first));
		emulator.current.clearRequests();
		const run = await mirror(items({ 'a.txt': 'alpha v2', 'z.txt': 'zulu' }), {
			maxDeletions: 1,
			maxDeletionsUnit: 'files',
		});
		expect(run.error?.message).toBe(
			'The mirror would delete 2 of the 3 file(s) in scope (66.7 %), more than "Max Deletions" allows (1 file(s)): nothing was changed',
		);
		expect(run.error?.description).toContain('Files it would delete: b.txt, c.txt.');
		expect(writes()).toEqual([]);
		expect(await contents()).toEqual(first);
	});

	test('the default limit (50 % of the files in scope) refuses a run that loses most files', async () => {
		await mirrored(items(first));
		const run = await mirror(items({ 'a.txt': 'alpha' }));
		expect(run.error?.message).toMatch(/^The mirror would delete 2 of the 3 file\(s\) in scope/);
		expect(live()).toHaveLength(3);
		// Within the limit it goes ahead.
		const report = await mirrored(items({ 'a.txt': 'alpha' }), { maxDeletions: 70 });
		expect(report.deleted).toEqual(['b.txt', 'c.txt']);
	});

	test('with continue-on-fail a refused run outputs one error item', async () => {
		await mirrored(items(first));
		const run = await mirror(
			items({ 'a.txt': 'alpha' }),
			{ maxDeletions: 0 },
			{ continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json.error).toMatch(
			/more than "Max Deletions" allows \(0 %\): nothing was changed$/,
		);
		expect(live()).toHaveLength(3);
	});

	test('two items with the same unique ID both fail before anything is sent', async () => {
		const source = [
			makeBinaryItem('one', { fileName: 'same.txt' }),
			makeBinaryItem('two', { fileName: 'same.txt' }),
		];
		const run = await mirror(source);
		expect(run.error?.message).toBe(
			"Unique ID 'same.txt' is also the unique ID of item(s) 1 [item 0]",
		);
		expect(emulator.current.requests).toHaveLength(0);
	});
});

describe('continue-on-fail and bad input', () => {
	test('a bad item is reported and the others go on; per-file items carry the error', async () => {
		await mirrored(items(first));
		const source = [
			...items({ 'a.txt': 'alpha v2', 'b.txt': 'bravo' }),
			{ json: { note: 'no file here' } },
		];
		const run = await mirror(source, { output: 'reportAndFiles' }, { continueOnFail: true });
		expect(run.error).toBeUndefined();
		const [report, ...files] = run.items.map((i) => i.json);
		expect(report).toMatchObject({
			counts: { replaced: 1, unchanged: 1, failed: 1, deleted: 0 },
			failed: [
				{
					uniqueId: null,
					itemIndex: 2,
					error: `"Input Binary Field" 'data' not found: the item has no binary data [item 2]`,
				},
			],
		});
		expect(report.deletionsSkipped).toBeDefined();
		expect(files[2]).toMatchObject({
			action: 'failed',
			error: expect.stringContaining('[item 2]'),
		});
		expect(run.pairedItems[3]).toEqual([{ item: 2 }]);
		expect(await contentOf(byUnique().get('a.txt')!)).toBe('alpha v2');
		expect(byUnique().has('c.txt')).toBe(true);
	});

	test('a deletion the service refuses is reported with the file, the rest stands', async () => {
		await mirrored(items(first));
		// Bulk and single deletes both fail (500, one try each).
		emulator.current.faults.configure({
			status500: 1,
			methods: ['DELETE', 'POST'],
			path: /delete|\/files\/dfl-/,
		});
		const run = await mirror(
			items({ 'a.txt': 'alpha', 'b.txt': 'bravo' }),
			{
				requestOptions: { maxTries: 1 },
			},
			{ continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		const report = run.items[0].json as Record<string, any>;
		expect(report.counts).toMatchObject({ deleted: 0, failed: 1, unchanged: 2 });
		expect(report.failed).toEqual([
			expect.objectContaining({ uniqueId: 'c.txt', id: byUnique().get('c.txt')?.id }),
		]);
		expect(report.failed[0].error).toMatch(/500/);
	});

	test('items naming different directories fail before anything is sent', async () => {
		const other = emulator.current.store.createDirectory('other').id;
		const run = await mirror(
			items(first, (name) => ({ dir: name === 'c.txt' ? other : directoryId })),
			{
				directoryId: byId('={{ $json.dir }}'),
			},
		);
		expect(run.error?.message).toBe(
			`"Directory" is ${other} for this item, but ${directoryId} for item 0 [item 2]`,
		);
		expect(emulator.current.requests).toHaveLength(0);
	});

	test.each([
		[
			{ maxDeletions: -1 },
			'"Max Deletions" must be a number from 0 to 100 (percent) (got -1) [item 0]',
		],
		[
			{ maxDeletions: 150 },
			'"Max Deletions" must be a number from 0 to 100 (percent) (got 150) [item 0]',
		],
		[{ scope: 'prefix', scopePrefix: '  ' }, '"Unique ID Prefix" must not be empty [item 0]'],
		[
			{ scope: 'tag', scopeTagKey: 'k', scopeTagValue: ' ' },
			'"Tag Value" must not be empty [item 0]',
		],
		[{ fingerprint: 'md5' }, `"Fingerprint" has an unknown value 'md5' [item 0]`],
	])('bad settings %j are refused before any request', async (parameters, message) => {
		const run = await mirror(items(first), parameters);
		expect(run.error?.message).toBe(message);
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('a 409 for a new file whose holder cannot be found fails that item only', async () => {
		emulator.current.faults.script([{ kind: 'status', status: 409 }], {
			method: 'POST',
			path: /\/files\/upload$/,
		});
		const run = await mirror(
			items({ 'a.txt': 'alpha' }),
			{ options: { concurrency: 1 } },
			{ continueOnFail: true },
		);
		const report = run.items[0].json as Record<string, any>;
		expect(report.failed[0].error).toBe(
			"LlamaCloud reports unique ID 'a.txt' as taken, but no file with it can be found [item 0]",
		);
	});
});

describe('Dry Run', () => {
	test('reports the plan and changes nothing', async () => {
		await mirrored(items(first));
		emulator.current.clearRequests();
		const run = await mirror(items({ 'a.txt': 'alpha', 'b.txt': 'bravo v2', 'd.txt': 'delta' }), {
			dryRun: true,
			output: 'reportAndFiles',
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({
			dryRun: true,
			counts: { added: 1, replaced: 1, unchanged: 1, deleted: 1, failed: 0 },
			deleted: ['c.txt'],
		});
		expect(run.items.slice(1).every((i) => i.json.dryRun === true)).toBe(true);
		expect(writes()).toEqual([]);
		expect(await contents()).toEqual(first);
	});

	test('reports a refusal instead of failing', async () => {
		await mirrored(items(first));
		const report = await mirrored(items({ 'a.txt': 'alpha' }), { dryRun: true, maxDeletions: 0 });
		expect(report.deleted).toEqual([]);
		expect(report.deletionsSkipped).toMatch(/more than "Max Deletions" allows \(0 %\)$/);
	});
});

describe('scope', () => {
	test('a unique-ID prefix: files outside it are never touched; items must carry it', async () => {
		emulator.current.store.seedFiles(directoryId, 2, { uniqueId: (i) => `other/${i}.txt` });
		const prefixed = (source: Source) =>
			Object.entries(source).map(([name, content]) =>
				makeBinaryItem(content, { fileName: name, json: { path: `hr/${name}` } }),
			);
		const parameters = { scope: 'prefix', scopePrefix: 'hr/', uniqueId: '={{ $json.path }}' };
		await mirrored(prefixed(first), parameters);
		const report = await mirrored(prefixed({ 'a.txt': 'alpha' }), {
			...parameters,
			maxDeletions: 100,
		});
		expect(report.deleted).toEqual(['hr/b.txt', 'hr/c.txt']);
		expect(
			live()
				.map((f) => f.unique_id)
				.sort(),
		).toEqual(['hr/a.txt', 'other/0.txt', 'other/1.txt']);

		const outside = await mirror(items({ 'x.txt': 'x' }), parameters);
		expect(outside.error?.message).toBe(
			"Unique ID 'x.txt' is outside the mirror's scope (unique IDs starting with 'hr/') [item 0]",
		);
	});

	test('a metadata tag: uploads carry it, untagged files are never touched', async () => {
		emulator.current.store.seedFiles(directoryId, 1, { uniqueId: () => 'mine-not.txt' });
		const parameters = { scope: 'tag', scopeTagKey: 'mirror', scopeTagValue: 'drive-hr' };
		await mirrored(items(first), parameters);
		expect(byUnique().get('a.txt')?.metadata.mirror).toBe('drive-hr');

		const report = await mirrored(items({ 'a.txt': 'alpha', 'b.txt': 'bravo' }), parameters);
		expect(report).toMatchObject({ deleted: ['c.txt'], unchanged: ['a.txt', 'b.txt'] });
		expect(byUnique().has('mine-not.txt')).toBe(true);

		// A unique ID held by an untagged file fails its item (and so the deletions).
		const run = await mirror(items({ 'a.txt': 'alpha', 'mine-not.txt': 'x' }), parameters, {
			continueOnFail: true,
		});
		const held = run.items[0].json as Record<string, any>;
		expect(held.failed[0].error).toMatch(
			/^Unique ID 'mine-not.txt' belongs to file dfl-\S+, which is outside the mirror's scope \(files whose metadata "mirror" is 'drive-hr'\) \[item 1\]$/,
		);
		expect(held.deletionsSkipped).toBeDefined();
	});

	test('the tag key may not be set by the metadata too', async () => {
		const run = await mirror(items({ 'a.txt': 'a' }), {
			scope: 'tag',
			scopeTagKey: 'mirror',
			scopeTagValue: 'x',
			metadataInput: 'json',
			metadataJson: '{"mirror": "y"}',
		});
		expect(run.error?.message).toBe(
			'Metadata key "mirror" is set by this operation itself [item 0]',
		);
	});
});

describe('deletions', () => {
	test('go in bulk, up to 100 a request', async () => {
		emulator.current.store.seedFiles(directoryId, 150, { uniqueId: (i) => `old-${i}` });
		emulator.current.clearRequests();
		const report = await mirrored(items({ 'a.txt': 'alpha' }), { maxDeletions: 100 });
		expect(report.counts).toMatchObject({ added: 1, deleted: 150 });
		expect(writes().filter((r) => r.endsWith('/bulk-delete'))).toHaveLength(2);
		expect(live().map((f) => f.unique_id)).toEqual(['a.txt']);
	});

	test('fall back to single deletes when the bulk endpoint is refused', async () => {
		await mirrored(items(first));
		emulator.current.faults.script([{ kind: 'status', status: 404 }], { path: /bulk-delete$/ });
		emulator.current.clearRequests();
		const report = await mirrored(items({ 'a.txt': 'alpha' }), { maxDeletions: 100 });
		expect(report.deleted).toEqual(['b.txt', 'c.txt']);
		expect(writes().filter((r) => r.startsWith('DELETE '))).toHaveLength(2);
		expect(live().map((f) => f.unique_id)).toEqual(['a.txt']);
	});
});

describe('Sync Index', () => {
	async function indexOverDirectory() {
		const created = await runNode({
			type: LlamaCloud,
			credentials: credential(emulator.current),
			parameters: { resource: 'index', operation: 'create', sourceDirectoryId: byId(directoryId) },
		});
		await emulator.current.waitForBuilds();
		return String(created.items[0].json.id);
	}

	test("syncs the directory's index after a change and waits until it is built", async () => {
		const indexId = await indexOverDirectory();
		const report = await mirrored(items(first), { syncIndex: true, waitUntilBuilt: true });
		expect(report.indexSync).toEqual({
			synced: true,
			indexes: [expect.objectContaining({ id: indexId, status: 'ready' })],
		});
		emulator.current.clearRequests();
		// Nothing changed: no sync (a build costs credits).
		const again = await mirrored(items(first), { syncIndex: true, waitUntilBuilt: true });
		expect(again.indexSync.synced).toBe(false);
		expect(requests().some((r) => r.endsWith('/sync'))).toBe(false);
	});

	test('without an index over the directory the run fails before any change', async () => {
		const run = await mirror(items(first), { syncIndex: true });
		expect(run.error?.message).toBe(
			`"Sync Index" is on, but no index is built from directory ${directoryId}`,
		);
		expect(live()).toHaveLength(0);
	});
});

describe('Upload: Replace If Changed', () => {
	const upload = (source: INodeExecutionData[]) =>
		runNode({
			type: LlamaCloud,
			credentials: credential(emulator.current),
			parameters: {
				resource: 'file',
				operation: 'upload',
				directoryId: byId(directoryId),
				onConflict: 'replaceIfChanged',
			},
			inputItems: source,
		});

	test('uploads new files with their fingerprint, skips unchanged ones, replaces changed ones', async () => {
		const firstRun = await upload(items({ 'a.txt': 'alpha', 'b.txt': 'bravo' }));
		expect(firstRun.error).toBeUndefined();
		expect(byUnique().get('a.txt')?.metadata[FINGERPRINT_KEY]).toBe(sha256('alpha'));
		const before = byUnique();
		emulator.current.clearRequests();

		const second = await upload(items({ 'a.txt': 'alpha', 'b.txt': 'bravo v2' }));
		expect(second.error).toBeUndefined();
		expect(second.items.map((i) => i.json.skipped === true)).toEqual([true, false]);
		expect(byUnique().get('a.txt')?.id).toBe(before.get('a.txt')?.id);
		expect(await contentOf(byUnique().get('b.txt')!)).toBe('bravo v2');
		expect(writes().filter((r) => r.endsWith('/upload'))).toHaveLength(1);
	});

	test('agrees with Mirror: files Upload stored count as unchanged for a mirror', async () => {
		await upload(items(first));
		const report = await mirrored(items(first));
		expect(report.counts).toMatchObject({ unchanged: 3, added: 0, replaced: 0 });
	});
});
