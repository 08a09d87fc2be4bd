/** Indexes: CRUD, list filter, asynchronous builds (ready / failed), parsed files, re-sync. */
import {
	BUILD_STATUS,
	PARSED_FILE_METADATA,
	IndexPageSchema,
	IndexSchema,
	readBuildStatus,
	startEmulator,
	type Emulator,
} from '../../emulator';
import { allowNonConformingRequests } from '../support/spec';
import { api, fileForm, listAll, waitForIndex, type Call } from './helpers';

allowNonConformingRequests('tests the 422s of invalid index bodies');

/** Most tests here read the emulator's detailed build diagnostics (a variant: not the spec's). */
const DETAILED = { buildMetadata: 'detailed' } as const;

let emulator: Emulator;
let call: Call;

beforeAll(async () => {
	emulator = await startEmulator({ buildStepMs: 20, variants: DETAILED });
	call = api(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

async function directory(name = 'source'): Promise<string> {
	return (await call('POST', '/api/v1/beta/directories', { json: { name } })).body.id;
}

async function upload(
	dir: string,
	name: string,
	content: string | Buffer,
	fields: Record<string, string> = {},
): Promise<any> {
	const reply = await call('POST', `/api/v1/beta/directories/${dir}/files/upload`, {
		form: fileForm('upload_file', name, content, fields),
	});
	expect(reply.status).toBe(201);
	return reply.body;
}

async function createIndex(body: Record<string, unknown>): Promise<any> {
	const reply = await call('POST', '/api/v1/indexes', { json: body });
	expect(reply.status).toBe(201);
	return reply.body;
}

const outputFiles = async (index: any, query: Record<string, any> = {}) =>
	listAll(call, `/api/v1/beta/directories/${index.output_directory_id}/files`, query);

/** Paragraphs long enough to need several ~1000-character chunks. */
function longMarkdown(paragraphs: number, tag = 'p'): string {
	return Array.from(
		{ length: paragraphs },
		(_, i) => `${tag}${i} ${'lorem ipsum dolor sit amet '.repeat(15).trim()}`,
	).join('\n\n');
}

describe('create, get, list, delete', () => {
	test('create answers the whole index and starts the first build', async () => {
		const source = await directory('Handbook');
		const index = await createIndex({ source_directory_id: source });
		expect(IndexSchema.parse(index)).toEqual({
			id: expect.stringMatching(/^idx-/),
			export_config_id: expect.stringMatching(/^exp-/),
			name: 'Handbook',
			project_id: emulator.defaultProjectId,
			source_directory_id: source,
			sync_config_id: expect.stringMatching(/^syn-/),
			created_at: expect.any(String),
			description: null,
			last_exported_at: null,
			last_synced_at: null,
			metadata: expect.objectContaining({
				status: BUILD_STATUS.queued,
				error_message: null,
				build_number: 1,
				pending_sync: false,
			}),
			updated_at: expect.any(String),
			output_directory_id: expect.stringMatching(/^dir-/),
		});
		const output = (await call('GET', `/api/v1/beta/directories/${index.output_directory_id}`))
			.body;
		expect(output).toMatchObject({ type: 'index', project_id: emulator.defaultProjectId });
		await emulator.waitForBuilds();
	});

	test('create takes name, description, products, store_attachments, sync_frequency, vector_target', async () => {
		const source = await directory();
		const index = await createIndex({
			source_directory_id: source,
			name: 'Named',
			description: 'About',
			products: [
				{ product_config_id: 'cfg-1', product_type: 'parse' },
				{ product_config_id: 'cfg-2', product_type: 'extract' },
			],
			store_attachments: ['screenshots', 'items'],
			sync_frequency: 'daily',
			vector_target: 'DISABLED',
		});
		expect(index).toMatchObject({ name: 'Named', description: 'About' });
		expect(emulator.store.index(index.id)).toMatchObject({
			products: [
				{ product_config_id: 'cfg-1', product_type: 'parse' },
				{ product_config_id: 'cfg-2', product_type: 'extract' },
			],
			store_attachments: ['screenshots', 'items'],
			sync_frequency: 'daily',
			vector_target: 'DISABLED',
		});
		const defaults = emulator.store.index((await createIndex({ source_directory_id: source })).id)!;
		expect(defaults).toMatchObject({
			sync_frequency: 'manual',
			vector_target: 'DEFAULT',
			products: null,
			store_attachments: null,
		});
		await emulator.waitForBuilds();
	});

	test('create validates its body', async () => {
		const source = await directory();
		const cases: Array<[Record<string, unknown>, Array<string | number>]> = [
			[{}, ['body', 'source_directory_id']],
			[{ source_directory_id: source, sync_frequency: 'hourly' }, ['body', 'sync_frequency']],
			[{ source_directory_id: source, vector_target: 'PINECONE' }, ['body', 'vector_target']],
			[
				{ source_directory_id: source, store_attachments: ['audio'] },
				['body', 'store_attachments', 0],
			],
			[
				{ source_directory_id: source, products: [{ product_type: 'parse' }] },
				['body', 'products', 0, 'product_config_id'],
			],
		];
		for (const [body, loc] of cases) {
			const reply = await call('POST', '/api/v1/indexes', { json: body });
			expect(reply.status).toBe(422);
			expect(reply.body.detail[0].loc).toEqual(loc);
		}
		const unknown = await call('POST', '/api/v1/indexes', {
			json: { source_directory_id: 'dir-nope' },
		});
		expect(unknown.status).toBe(404);
		expect(unknown.body).toEqual({ detail: 'Directory dir-nope not found' });
	});

	test('get, list with source_directory_id, pagination, delete', async () => {
		const a = await directory('a');
		const b = await directory('b');
		const ia = await createIndex({ source_directory_id: a });
		const ib1 = await createIndex({ source_directory_id: b });
		const ib2 = await createIndex({ source_directory_id: b });
		await emulator.waitForBuilds();

		const got = (await call('GET', `/api/v1/indexes/${ia.id}`)).body;
		expect(got).toMatchObject({ id: ia.id, source_directory_id: a });

		const all = IndexPageSchema.parse((await call('GET', '/api/v1/indexes')).body);
		expect(all.items.map((i) => i.id).sort()).toEqual([ia.id, ib1.id, ib2.id].sort());
		expect(all.total_size).toBeNull();
		const ofB = (await call('GET', '/api/v1/indexes', { query: { source_directory_id: b } })).body;
		expect(ofB.items.map((i: any) => i.id).sort()).toEqual([ib1.id, ib2.id].sort());

		const paged = await listAll(call, '/api/v1/indexes', { page_size: 1 });
		expect(paged).toHaveLength(3);

		const del = await call('DELETE', `/api/v1/indexes/${ia.id}`);
		expect(del.status).toBe(204);
		expect((await call('GET', `/api/v1/indexes/${ia.id}`)).body).toEqual({
			detail: `Index ${ia.id} not found`,
		});
		expect((await call('DELETE', `/api/v1/indexes/${ia.id}`)).status).toBe(404);
		expect((await call('POST', `/api/v1/indexes/${ia.id}/sync`)).status).toBe(404);
		// The index's output directory went with it; the source stays.
		expect((await call('GET', `/api/v1/beta/directories/${ia.output_directory_id}`)).status).toBe(
			404,
		);
		expect((await call('GET', `/api/v1/beta/directories/${a}`)).status).toBe(200);
	});

	test('an index of another project is invisible', async () => {
		const other = emulator.store.addProject({ name: 'Other' });
		const source = (
			await call('POST', '/api/v1/beta/directories', {
				json: { name: 's' },
				query: { project_id: other.id },
			})
		).body.id;
		const index = (
			await call('POST', '/api/v1/indexes', {
				json: { source_directory_id: source },
				query: { project_id: other.id },
			})
		).body;
		expect(index.project_id).toBe(other.id);
		expect((await call('GET', `/api/v1/indexes/${index.id}`)).status).toBe(404);
		expect((await call('GET', '/api/v1/indexes')).body.items).toEqual([]);
		// A source directory from another project cannot be used.
		expect(
			(await call('POST', '/api/v1/indexes', { json: { source_directory_id: source } })).status,
		).toBe(404);
		await emulator.waitForBuilds();
	});
});

describe('builds', () => {
	test('move queued → running → ready; sync answers {}', async () => {
		const slow = await startEmulator({ buildStepMs: 150, variants: DETAILED });
		try {
			const c = api(slow);
			const source = (await c('POST', '/api/v1/beta/directories', { json: { name: 's' } })).body.id;
			const index = (await c('POST', '/api/v1/indexes', { json: { source_directory_id: source } }))
				.body;
			const seen: string[] = [readBuildStatus(index.metadata)!];
			for (let i = 0; i < 2000 && seen[seen.length - 1] !== BUILD_STATUS.ready; i++) {
				const status = readBuildStatus(
					(await c('GET', `/api/v1/indexes/${index.id}`)).body.metadata,
				)!;
				if (status !== seen[seen.length - 1]) seen.push(status);
				await new Promise((r) => setTimeout(r, 5));
			}
			expect(seen).toEqual([BUILD_STATUS.queued, BUILD_STATUS.running, BUILD_STATUS.ready]);

			const sync = await c('POST', `/api/v1/indexes/${index.id}/sync`);
			expect(sync.status).toBe(202);
			expect(sync.body).toEqual({});
			expect(readBuildStatus((await c('GET', `/api/v1/indexes/${index.id}`)).body.metadata)).toBe(
				BUILD_STATUS.queued,
			);
			await slow.waitForBuilds();
		} finally {
			await slow.close();
		}
	});

	test('a ready build sets last_synced_at / last_exported_at and writes one parsed file per source', async () => {
		const source = await directory();
		const text = longMarkdown(6);
		const doc = await upload(source, 'guide.md', text, { unique_id: 'guide' });
		await upload(source, 'notes.txt', 'short note');
		const index = await createIndex({ source_directory_id: source });
		const done = await waitForIndex(call, index.id);

		expect(done.metadata).toMatchObject({
			status: 'ready',
			error_message: null,
			files_total: 2,
			files_parsed: 2,
			files_failed: 0,
			diagnostics: expect.arrayContaining([
				expect.objectContaining({ directory_file_id: doc.id, status: 'parsed' }),
			]),
		});
		expect(done.last_synced_at).toEqual(expect.any(String));
		expect(done.last_exported_at).toEqual(done.last_synced_at);

		const parsed = await outputFiles(done);
		expect(parsed).toHaveLength(2);
		const guide = parsed.find((f) => f.metadata[PARSED_FILE_METADATA.sourceFileId] === doc.id);
		const guideChunks = done.metadata.diagnostics.find(
			(d: any) => d.directory_file_id === doc.id,
		).chunks;
		expect(guideChunks).toBeGreaterThan(1);
		expect(done.metadata.chunks_total).toBe(guideChunks + 1);
		expect(guide).toMatchObject({
			display_name: 'guide.md',
			unique_id: 'guide',
			metadata: { source_file_id: doc.id, source_unique_id: 'guide', chunk_count: guideChunks },
		});
		// The parsed file holds the text; retrieval's chunks are spans of it (test/emulator/retrieval).
		expect((await emulator.store.readBlob(guide.file_id)).toString()).toBe(text);
	});

	test('a file that cannot be parsed fails the build, naming it; the output is untouched; a retry works', async () => {
		const source = await directory();
		await upload(source, 'good.md', 'fine');
		const index = await createIndex({ source_directory_id: source });
		await waitForIndex(call, index.id);
		const before = await outputFiles(index);

		const bad = await upload(source, 'broken.md', Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x41]));
		await call('POST', `/api/v1/indexes/${index.id}/sync`);
		const failed = await waitForIndex(call, index.id);
		expect(failed.metadata.status).toBe('failed');
		expect(failed.metadata.error_message).toContain('broken.md');
		expect(failed.metadata.error_message).toContain(bad.id);
		expect(failed.metadata.error_message).toContain('UTF-8');
		expect(failed.metadata.diagnostics[0]).toMatchObject({
			directory_file_id: bad.id,
			status: 'failed',
			display_name: 'broken.md',
		});
		expect(failed.metadata.files_failed).toBe(1);
		expect(await outputFiles(index)).toEqual(before);

		// Fix the source and sync again: the failed index recovers.
		await call('DELETE', `/api/v1/beta/directories/${source}/files/${bad.id}`);
		await call('POST', `/api/v1/indexes/${index.id}/sync`);
		const ready = await waitForIndex(call, index.id);
		expect(ready.metadata).toMatchObject({ status: 'ready', error_message: null, build_number: 3 });
	});

	test.each([
		['valid.pdf', Buffer.from('%PDF-1.7\n...'), 'ready', 0],
		['fake.pdf', Buffer.from('<html>not a pdf</html>'), 'failed', 0],
		['image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), 'ready', 0],
		['blob.xyz', Buffer.from([1, 2, 0, 4]), 'failed', 0],
		['readme', Buffer.from('plain text without an extension'), 'ready', 1],
		['data.csv', Buffer.from('a,b\n1,2\n'), 'ready', 1],
	])('parse rule: %s → %s', async (name, content, status, chunks) => {
		const source = await directory();
		const file = await upload(source, name, content);
		const index = await createIndex({ source_directory_id: source });
		const done = await waitForIndex(call, index.id);
		expect(done.metadata.status).toBe(status);
		if (status === 'failed') expect(done.metadata.error_message).toContain(name);
		else
			expect(done.metadata.diagnostics).toEqual([
				expect.objectContaining({ directory_file_id: file.id, chunks }),
			]);
	});

	test('re-sync replaces the parsed files of changed files, removes those of deleted files, keeps the rest', async () => {
		const source = await directory();
		const keep = await upload(source, 'keep.md', longMarkdown(3, 'keep'));
		const change = await upload(source, 'change.md', longMarkdown(3, 'old'));
		const remove = await upload(source, 'remove.md', longMarkdown(2, 'gone'));
		const index = await createIndex({ source_directory_id: source });
		await waitForIndex(call, index.id);
		const first = await outputFiles(index);
		const parsedIds = (fileId: string, files: any[]) =>
			files.filter((f) => f.metadata.source_file_id === fileId).map((f) => f.id);
		const keptIds = parsedIds(keep.id, first);
		expect(keptIds).toHaveLength(1);

		// Change: replace change.md (same unique_id, new content); remove remove.md.
		const replacement = (
			await call('POST', '/api/v1/beta/files', {
				form: fileForm('file', 'change.md', longMarkdown(1, 'new'), { purpose: 'user_data' }),
			})
		).body;
		await call('DELETE', `/api/v1/beta/directories/${source}/files/${change.id}`);
		const changed = (
			await call('POST', `/api/v1/beta/directories/${source}/files`, {
				json: { file_id: replacement.id, unique_id: 'change.md' },
			})
		).body;
		await call('DELETE', `/api/v1/beta/directories/${source}/files/${remove.id}`);
		await call('POST', `/api/v1/indexes/${index.id}/sync`);
		const done = await waitForIndex(call, index.id);

		expect(done.metadata).toMatchObject({
			status: 'ready',
			files_total: 2,
			files_parsed: 1,
			files_unchanged: 1,
			files_removed: 2,
		});
		const second = await outputFiles(index);
		expect(second).toHaveLength(2);
		expect(parsedIds(keep.id, second)).toEqual(keptIds);
		expect(parsedIds(change.id, second)).toEqual([]);
		expect(parsedIds(remove.id, second)).toEqual([]);
		const [newParsed] = second.filter((f) => f.metadata.source_file_id === changed.id);
		expect(newParsed.unique_id).toBe('change.md');
		expect((await emulator.store.readBlob(newParsed.file_id)).toString()).toContain('new0');
		// Replaced and removed parsed files are soft-deleted: a trigger on the output directory sees them go.
		const deleted = (await outputFiles(index, { include_deleted: true })).filter(
			(f) => f.deleted_at !== null,
		);
		expect(deleted.map((f) => f.id).sort()).toEqual(
			[...parsedIds(change.id, first), ...parsedIds(remove.id, first)].sort(),
		);
	});

	test('variant syncWhileBuilding=coalesce: a sync during a build sets pending_sync and runs exactly one more build', async () => {
		emulator.quirks.syncWhileBuilding = 'coalesce';
		const source = await directory();
		await upload(source, 'a.md', 'alpha');
		const index = await createIndex({ source_directory_id: source });
		await call('POST', `/api/v1/indexes/${index.id}/sync`);
		await call('POST', `/api/v1/indexes/${index.id}/sync`);
		const during = (await call('GET', `/api/v1/indexes/${index.id}`)).body;
		expect(during.metadata).toMatchObject({ build_number: 1, pending_sync: true });
		await emulator.waitForBuilds();
		const after = (await call('GET', `/api/v1/indexes/${index.id}`)).body;
		expect(after.metadata).toMatchObject({ status: 'ready', build_number: 2, pending_sync: false });
	});

	test('sync_frequency on_source_change rebuilds when the source changes', async () => {
		const source = await directory();
		const index = await createIndex({
			source_directory_id: source,
			sync_frequency: 'on_source_change',
		});
		await emulator.waitForBuilds();
		expect(emulator.store.index(index.id)!.metadata.build_number).toBe(1);
		await upload(source, 'new.md', 'fresh');
		await emulator.waitForBuilds();
		const after = emulator.store.index(index.id)!;
		expect(after.metadata.build_number).toBe(2);
		expect(after.metadata.files_total).toBe(1);
	});

	test('a deleted source directory makes the next build fail with a reason', async () => {
		const source = await directory();
		const index = await createIndex({ source_directory_id: source });
		await emulator.waitForBuilds();
		await call('DELETE', `/api/v1/beta/directories/${source}`);
		await call('POST', `/api/v1/indexes/${index.id}/sync`);
		const done = await waitForIndex(call, index.id);
		expect(done.metadata).toMatchObject({
			status: 'failed',
			error_message: `Source directory ${source} not found`,
		});
	});

	test('updated_at is bumped by every state change', async () => {
		let now = Date.parse('2025-06-01T00:00:00.000Z');
		const timed = await startEmulator({ buildStepMs: 5, clock: () => now++, variants: DETAILED });
		try {
			const c = api(timed);
			const source = (await c('POST', '/api/v1/beta/directories', { json: { name: 's' } })).body.id;
			const index = (await c('POST', '/api/v1/indexes', { json: { source_directory_id: source } }))
				.body;
			await timed.waitForBuilds();
			const after = (await c('GET', `/api/v1/indexes/${index.id}`)).body;
			expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(index.updated_at));
			expect(after.created_at).toBe(index.created_at);
		} finally {
			await timed.close();
		}
	});
});

describe('spec defaults and variants', () => {
	let plain: Emulator;
	let c: Call;
	beforeAll(async () => {
		plain = await startEmulator({ buildStepMs: 20 });
		c = api(plain);
	});
	afterAll(() => plain.close());
	beforeEach(() => plain.reset());

	async function indexOver(files: Record<string, string | Buffer>): Promise<any> {
		const source = (await c('POST', '/api/v1/beta/directories', { json: { name: 's' } })).body.id;
		for (const [name, content] of Object.entries(files)) {
			await c('POST', `/api/v1/beta/directories/${source}/files/upload`, {
				form: fileForm('upload_file', name, content),
			});
		}
		const reply = await c('POST', '/api/v1/indexes', { json: { source_directory_id: source } });
		expect(reply.status).toBe(201);
		return reply.body;
	}

	test('metadata is minimal by default: status, and error_message on failure', async () => {
		const good = await indexOver({ 'a.md': 'fine' });
		expect(good.metadata).toEqual({ status: 'queued' });
		expect((await waitForIndex(c, good.id)).metadata).toEqual({ status: 'ready' });
		const bad = await indexOver({ 'b.md': Buffer.from([0xff, 0xfe]) });
		const failed = await waitForIndex(c, bad.id);
		expect(failed.metadata).toEqual({
			status: 'failed',
			error_message: expect.stringContaining('b.md'),
		});
		expect(failed.last_synced_at).toBeNull();
	});

	test('a sync while a build runs answers 409 by default (the automatic first build included)', async () => {
		const index = await indexOver({ 'a.md': 'x' });
		const reply = await c('POST', `/api/v1/indexes/${index.id}/sync`);
		expect(reply.status).toBe(409);
		expect(reply.body.detail).toContain('already syncing');
		await waitForIndex(c, index.id);
		expect((await c('POST', `/api/v1/indexes/${index.id}/sync`)).status).toBe(202);
		await plain.waitForBuilds();
	});

	test.each([
		['seconds', '1'],
		['none', undefined],
	] as const)(
		'syncWhileBuilding=rate_limited answers 429 (retryAfter=%s)',
		async (retryAfter, header) => {
			plain.quirks.syncWhileBuilding = 'rate_limited';
			plain.quirks.retryAfter = retryAfter;
			const index = await indexOver({ 'a.md': 'x' });
			const reply = await c('POST', `/api/v1/indexes/${index.id}/sync`);
			expect(reply.status).toBe(429);
			expect(reply.headers['retry-after']).toBe(header);
			await plain.waitForBuilds();
		},
	);

	test.each([
		['queued_running', ['queued', 'running', 'ready']],
		['other', ['pending', 'syncing', 'ready']],
		['absent', [undefined, 'ready']],
	] as const)('buildStatuses=%s', async (variant, expected) => {
		const slow = await startEmulator({ buildStepMs: 100, variants: { buildStatuses: variant } });
		try {
			const s = api(slow);
			const source = (await s('POST', '/api/v1/beta/directories', { json: { name: 's' } })).body.id;
			const index = (await s('POST', '/api/v1/indexes', { json: { source_directory_id: source } }))
				.body;
			const seen: Array<string | undefined> = [index.metadata.status];
			for (let i = 0; i < 2000 && seen[seen.length - 1] !== 'ready'; i++) {
				const status = (await s('GET', `/api/v1/indexes/${index.id}`)).body.metadata.status;
				if (status !== seen[seen.length - 1]) seen.push(status);
				await new Promise((r) => setTimeout(r, 5));
			}
			expect(seen).toEqual(expected);
		} finally {
			await slow.close();
		}
	});

	test('failedBuildSyncTime=move: a failed build moves last_synced_at', async () => {
		plain.quirks.failedBuildSyncTime = 'move';
		const bad = await indexOver({ 'b.md': Buffer.from([0xff, 0xfe]) });
		const failed = await waitForIndex(c, bad.id);
		expect(failed.metadata.status).toBe('failed');
		expect(failed.last_synced_at).toEqual(expect.any(String));
	});

	test.each([
		['id', 200, 404],
		['export_config_id', 404, 200],
		['either', 200, 200],
	] as const)('indexIds=%s: by id %i, by export_config_id %i', async (variant, byId, byExport) => {
		plain.quirks.indexIds = variant;
		const index = await indexOver({});
		await plain.waitForBuilds();
		expect((await c('GET', `/api/v1/indexes/${index.id}`)).status).toBe(byId);
		expect((await c('GET', `/api/v1/indexes/${index.export_config_id}`)).status).toBe(byExport);
		const usable = byId === 200 ? index.id : index.export_config_id;
		expect((await c('POST', `/api/v1/indexes/${usable}/sync`)).status).toBe(202);
		await plain.waitForBuilds();
		expect((await c('DELETE', `/api/v1/indexes/${usable}`)).status).toBe(204);
	});

	test('indexDeleteCascade=index_only: the output directory stays, as an ordinary directory', async () => {
		plain.quirks.indexDeleteCascade = 'index_only';
		const index = await indexOver({ 'a.md': 'x' });
		await plain.waitForBuilds();
		expect((await c('DELETE', `/api/v1/indexes/${index.id}`)).status).toBe(204);
		const output = await c('GET', `/api/v1/beta/directories/${index.output_directory_id}`);
		expect(output.status).toBe(200);
		expect(
			(await c('DELETE', `/api/v1/beta/directories/${index.output_directory_id}`)).status,
		).toBe(204);
	});
});
