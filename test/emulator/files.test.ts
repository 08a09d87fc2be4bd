/** Directory files: add, get, list filters, update and move, soft delete, unique_id, pagination. */
import {
	DirectoryFilePageSchema,
	DirectoryFileSchema,
	startEmulator,
	type Emulator,
} from '../../emulator';
import { allowNonConformingRequests } from '../support/spec';
import { api, fileForm, listAll, type Call } from './helpers';

allowNonConformingRequests('tests 404, 422 and ignored fields with requests the spec refuses');

let emulator: Emulator;
let call: Call;
const START = Date.parse('2025-03-01T10:00:00.000Z');
let now = START;
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
	emulator = await startEmulator({ clock: () => now, pageSizeAboveMax: 'clamp' });
	call = api(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => {
	emulator.reset();
	now = START;
});

async function directory(name = 'docs'): Promise<string> {
	return (await call('POST', '/api/v1/beta/directories', { json: { name } })).body.id;
}

/** POST /api/v1/beta/files: a stored file whose id "add" takes. */
async function storedFile(
	name: string,
	content = 'hello',
	fields: Record<string, string> = {},
): Promise<any> {
	const reply = await call('POST', '/api/v1/beta/files', {
		form: fileForm('file', name, content, { purpose: 'user_data', ...fields }),
	});
	expect(reply.status).toBe(201);
	return reply.body;
}

const filesPath = (dir: string) => `/api/v1/beta/directories/${dir}/files`;

describe('add, get, update, delete', () => {
	test('add by file_id defaults display_name and unique_id from the stored file', async () => {
		const dir = await directory();
		const stored = await storedFile('report.pdf', '%PDF-1.4');
		const reply = await call('POST', filesPath(dir), { json: { file_id: stored.id } });
		expect(reply.status).toBe(201);
		expect(DirectoryFileSchema.parse(reply.body)).toEqual({
			id: expect.stringMatching(/^dfl-/),
			directory_id: dir,
			display_name: 'report.pdf',
			project_id: emulator.defaultProjectId,
			unique_id: 'report.pdf',
			created_at: iso(now),
			deleted_at: null,
			file_id: stored.id,
			metadata: {},
			updated_at: iso(now),
		});
	});

	test('unique_id defaults to the stored file’s external_file_id when it has one', async () => {
		const dir = await directory();
		const stored = await storedFile('a.txt', 'x', { external_file_id: 'ext-42' });
		expect(stored.external_file_id).toBe('ext-42');
		const file = (await call('POST', filesPath(dir), { json: { file_id: stored.id } })).body;
		expect(file.unique_id).toBe('ext-42');
	});

	test('add takes display_name, unique_id and metadata (string, number, boolean, null, string[])', async () => {
		const dir = await directory();
		const stored = await storedFile('a.txt');
		const metadata = { team: 'legal', pages: 3, draft: false, owner: null, tags: ['a', 'b'] };
		const file = (
			await call('POST', filesPath(dir), {
				json: { file_id: stored.id, display_name: 'A', unique_id: 'u-1', metadata },
			})
		).body;
		expect(file).toMatchObject({ display_name: 'A', unique_id: 'u-1', metadata });
		const bad = await call('POST', filesPath(dir), {
			json: { file_id: stored.id, metadata: { nested: { no: 1 } } },
		});
		expect(bad.status).toBe(422);
		expect(bad.body.detail[0].loc.slice(0, 3)).toEqual(['body', 'metadata', 'nested']);
	});

	test('add answers 404 for an unknown directory or file_id, 422 without file_id', async () => {
		const dir = await directory();
		const stored = await storedFile('a.txt');
		expect(
			(await call('POST', filesPath('dir-nope'), { json: { file_id: stored.id } })).body,
		).toEqual({ detail: 'Directory dir-nope not found' });
		const unknownFile = '00000000-0000-4000-8000-000000000000';
		expect((await call('POST', filesPath(dir), { json: { file_id: unknownFile } })).body).toEqual({
			detail: `File ${unknownFile} not found`,
		});
		const missing = await call('POST', filesPath(dir), { json: {} });
		expect(missing.body.detail[0]).toMatchObject({ loc: ['body', 'file_id'], type: 'missing' });
	});

	test('get, update (display_name, unique_id, metadata replaces), delete', async () => {
		const dir = await directory();
		const stored = await storedFile('a.txt');
		const file = (
			await call('POST', filesPath(dir), { json: { file_id: stored.id, metadata: { a: 1, b: 2 } } })
		).body;
		expect((await call('GET', `${filesPath(dir)}/${file.id}`)).body).toEqual(file);

		now += 10;
		const updated = await call('PATCH', `${filesPath(dir)}/${file.id}`, {
			json: { display_name: 'Renamed', unique_id: 'u-2', metadata: { c: 'x' } },
		});
		expect(updated.status).toBe(200);
		expect(updated.body).toMatchObject({
			display_name: 'Renamed',
			unique_id: 'u-2',
			metadata: { c: 'x' },
			updated_at: iso(now),
			created_at: file.created_at,
		});

		now += 10;
		const del = await call('DELETE', `${filesPath(dir)}/${file.id}`);
		expect(del.status).toBe(204);
		expect((await call('GET', `${filesPath(dir)}/${file.id}`)).body).toEqual({
			detail: `Directory file ${file.id} not found`,
		});
		expect((await call('DELETE', `${filesPath(dir)}/${file.id}`)).status).toBe(404);
		expect((await call('PATCH', `${filesPath(dir)}/${file.id}`, { json: {} })).status).toBe(404);
	});

	test('a file is only reachable through its own directory', async () => {
		const a = await directory('a');
		const b = await directory('b');
		const file = (
			await call('POST', filesPath(a), { json: { file_id: (await storedFile('x.txt')).id } })
		).body;
		expect((await call('GET', `${filesPath(b)}/${file.id}`)).status).toBe(404);
	});
});

describe('move', () => {
	test('PATCH with target_directory_id moves the file', async () => {
		const from = await directory('from');
		const to = await directory('to');
		const file = (
			await call('POST', filesPath(from), { json: { file_id: (await storedFile('m.txt')).id } })
		).body;
		now += 5;
		const moved = await call('PATCH', `${filesPath(from)}/${file.id}`, {
			json: { target_directory_id: to },
		});
		expect(moved.status).toBe(200);
		expect(moved.body).toMatchObject({ id: file.id, directory_id: to, updated_at: iso(now) });
		expect((await call('GET', filesPath(from))).body.items).toEqual([]);
		expect((await call('GET', filesPath(to))).body.items.map((f: any) => f.id)).toEqual([file.id]);
		expect((await call('GET', `${filesPath(to)}/${file.id}`)).status).toBe(200);
	});

	test('the older reference’s body directory_id is ignored: 200, and the file stays (spec)', async () => {
		const from = await directory('from');
		const to = await directory('to');
		const file = (
			await call('POST', filesPath(from), { json: { file_id: (await storedFile('m.txt')).id } })
		).body;
		const reply = await call('PATCH', `${filesPath(from)}/${file.id}`, {
			json: { directory_id: to },
		});
		expect(reply.status).toBe(200);
		expect(reply.body.directory_id).toBe(from);
		expect((await call('GET', filesPath(to))).body.items).toEqual([]);
	});

	test('moving to an unknown directory is a 404', async () => {
		const from = await directory();
		const file = (
			await call('POST', filesPath(from), { json: { file_id: (await storedFile('m.txt')).id } })
		).body;
		expect(
			(
				await call('PATCH', `${filesPath(from)}/${file.id}`, {
					json: { target_directory_id: 'dir-nope' },
				})
			).status,
		).toBe(404);
	});

	test('moving onto a taken unique_id is a 409', async () => {
		const from = await directory('from');
		const to = await directory('to');
		const stored = await storedFile('same.txt');
		const file = (await call('POST', filesPath(from), { json: { file_id: stored.id } })).body;
		await call('POST', filesPath(to), { json: { file_id: stored.id } });
		const reply = await call('PATCH', `${filesPath(from)}/${file.id}`, {
			json: { target_directory_id: to },
		});
		expect(reply.status).toBe(409);
		expect(reply.body).toEqual({
			detail: `A file with unique_id 'same.txt' already exists in directory ${to}`,
		});
	});
});

describe('unique_id', () => {
	test('a repeated add with the same unique_id answers 409 naming it', async () => {
		const dir = await directory();
		const stored = await storedFile('dup.txt');
		await call('POST', filesPath(dir), { json: { file_id: stored.id } });
		const again = await call('POST', filesPath(dir), { json: { file_id: stored.id } });
		expect(again.status).toBe(409);
		expect(again.body).toEqual({
			detail: `A file with unique_id 'dup.txt' already exists in directory ${dir}`,
		});
		// A different unique_id for the same stored file is fine.
		expect(
			(await call('POST', filesPath(dir), { json: { file_id: stored.id, unique_id: 'other' } }))
				.status,
		).toBe(201);
	});

	test('a repeated upload with the same unique_id answers 409 and stores nothing', async () => {
		const dir = await directory();
		expect(
			(
				await call('POST', `${filesPath(dir)}/upload`, {
					form: fileForm('upload_file', 'a.txt', 'one'),
				})
			).status,
		).toBe(201);
		const blobs = emulator.store.blobs().length;
		const again = await call('POST', `${filesPath(dir)}/upload`, {
			form: fileForm('upload_file', 'a.txt', 'two'),
		});
		expect(again.status).toBe(409);
		expect(emulator.store.blobs()).toHaveLength(blobs);
	});

	test('renaming onto a taken unique_id answers 409', async () => {
		const dir = await directory();
		const a = (
			await call('POST', filesPath(dir), { json: { file_id: (await storedFile('a.txt')).id } })
		).body;
		await call('POST', filesPath(dir), { json: { file_id: (await storedFile('b.txt')).id } });
		expect(
			(await call('PATCH', `${filesPath(dir)}/${a.id}`, { json: { unique_id: 'b.txt' } })).status,
		).toBe(409);
		// Setting a file's own unique_id again is not a conflict.
		expect(
			(await call('PATCH', `${filesPath(dir)}/${a.id}`, { json: { unique_id: 'a.txt' } })).status,
		).toBe(200);
	});

	test('deleting a file frees its unique_id', async () => {
		const dir = await directory();
		const stored = await storedFile('reuse.txt');
		const first = (await call('POST', filesPath(dir), { json: { file_id: stored.id } })).body;
		await call('DELETE', `${filesPath(dir)}/${first.id}`);
		const second = await call('POST', filesPath(dir), { json: { file_id: stored.id } });
		expect(second.status).toBe(201);
		expect(second.body.id).not.toBe(first.id);
		const all = (
			await call('GET', filesPath(dir), {
				query: { unique_id: 'reuse.txt', include_deleted: true },
			})
		).body;
		expect(all.items.map((f: any) => f.id).sort()).toEqual([first.id, second.body.id].sort());
	});
});

describe('soft delete', () => {
	test('deleted files are hidden unless include_deleted=true, with deleted_at and a bumped updated_at', async () => {
		const dir = await directory();
		const created = now;
		const file = (
			await call('POST', filesPath(dir), { json: { file_id: (await storedFile('gone.txt')).id } })
		).body;
		now += 1000;
		await call('DELETE', `${filesPath(dir)}/${file.id}`);
		expect((await call('GET', filesPath(dir))).body).toEqual({
			items: [],
			next_page_token: null,
			total_size: null,
		});
		const withDeleted = (await call('GET', filesPath(dir), { query: { include_deleted: true } }))
			.body;
		expect(withDeleted.items).toEqual([
			{ ...file, deleted_at: iso(now), updated_at: iso(now), created_at: iso(created) },
		]);
	});

	test('variant softDelete=keep_updated_at: deleted_at is set, updated_at stays', async () => {
		emulator.quirks.softDelete = 'keep_updated_at';
		const dir = await directory();
		const file = (
			await call('POST', filesPath(dir), { json: { file_id: (await storedFile('gone.txt')).id } })
		).body;
		now += 1000;
		await call('DELETE', `${filesPath(dir)}/${file.id}`);
		const listed = (await call('GET', filesPath(dir), { query: { include_deleted: true } })).body;
		expect(listed.items).toEqual([{ ...file, deleted_at: iso(now) }]);
		expect(
			(
				await call('GET', filesPath(dir), {
					query: { include_deleted: true, updated_at_on_or_after: iso(now) },
				})
			).body.items,
		).toEqual([]);
	});
});

describe('repeated unique_id variants', () => {
	test('duplicateUniqueId=replace: the live file keeps its id and takes the new content', async () => {
		emulator.quirks.duplicateUniqueId = 'replace';
		const dir = await directory();
		const first = (
			await call('POST', `${filesPath(dir)}/upload`, {
				form: fileForm('upload_file', 'a.txt', 'one', { metadata: '{"v":1}' }),
			})
		).body;
		now += 10;
		const again = await call('POST', `${filesPath(dir)}/upload`, {
			form: fileForm('upload_file', 'a.txt', 'two', { metadata: '{"v":2}' }),
		});
		expect(again.status).toBe(201);
		expect(again.body).toMatchObject({ id: first.id, metadata: { v: 2 }, updated_at: iso(now) });
		expect(again.body.file_id).not.toBe(first.file_id);
		expect(emulator.store.files(dir, { includeDeleted: true })).toHaveLength(1);
		expect((await emulator.store.readBlob(again.body.file_id)).toString()).toBe('two');
	});

	test('duplicateUniqueId=keep_both: a second file with the same unique_id', async () => {
		emulator.quirks.duplicateUniqueId = 'keep_both';
		const dir = await directory();
		const stored = await storedFile('dup.txt');
		const a = (await call('POST', filesPath(dir), { json: { file_id: stored.id } })).body;
		const b = await call('POST', filesPath(dir), { json: { file_id: stored.id } });
		expect(b.status).toBe(201);
		expect(b.body.id).not.toBe(a.id);
		const found = (await call('GET', filesPath(dir), { query: { unique_id: 'dup.txt' } })).body;
		expect(found.items.map((f: any) => f.id).sort()).toEqual([a.id, b.body.id].sort());
	});
});

describe('list filters', () => {
	let dir: string;
	let ids: Record<string, string>;

	beforeEach(async () => {
		dir = await directory();
		ids = {};
		const add = async (name: string, uniqueId: string) => {
			const stored = await storedFile(name);
			ids[uniqueId] = (
				await call('POST', filesPath(dir), {
					json: { file_id: stored.id, display_name: name, unique_id: uniqueId },
				})
			).body.id;
			return stored.id;
		};
		await add('Annual Report.pdf', 'u-report');
		now += 1000;
		ids.fileIdOfNotes = await add('notes.md', 'u-notes');
		now += 1000;
		await add('REPORT-draft.txt', 'u-draft');
		now += 1000;
		await add('deleted.txt', 'u-deleted');
		await call('DELETE', `${filesPath(dir)}/${ids['u-deleted']}`);
	});

	const uniqueIds = async (query: Record<string, any>) =>
		DirectoryFilePageSchema.parse((await call('GET', filesPath(dir), { query })).body).items.map(
			(f) => f.unique_id,
		);

	test('display_name (exact) and display_name_contains (case-insensitive)', async () => {
		expect(await uniqueIds({ display_name: 'notes.md' })).toEqual(['u-notes']);
		expect(await uniqueIds({ display_name: 'Notes.md' })).toEqual([]);
		expect(await uniqueIds({ display_name_contains: 'report' })).toEqual(['u-report', 'u-draft']);
	});

	test('unique_id and file_id', async () => {
		expect(await uniqueIds({ unique_id: 'u-draft' })).toEqual(['u-draft']);
		expect(await uniqueIds({ unique_id: 'u-deleted' })).toEqual([]);
		expect(await uniqueIds({ unique_id: 'u-deleted', include_deleted: true })).toEqual([
			'u-deleted',
		]);
		expect(await uniqueIds({ file_id: ids.fileIdOfNotes })).toEqual(['u-notes']);
		const page = (await call('GET', filesPath(dir), { query: { unique_id: 'u-notes' } })).body;
		expect(page.total_size).toBeNull();
		expect(page.next_page_token).toBeNull();
	});

	test('an empty filter value filters on the empty string (it is not "no filter")', async () => {
		expect(await uniqueIds({ display_name: '' })).toEqual([]);
		expect(await uniqueIds({ unique_id: '' })).toEqual([]);
		expect((await call('GET', filesPath(dir), { query: { include_deleted: '' } })).status).toBe(
			422,
		);
	});

	test('include_deleted; total_size is not served (null)', async () => {
		expect(await uniqueIds({})).toEqual(['u-report', 'u-notes', 'u-draft']);
		expect(await uniqueIds({ include_deleted: true })).toEqual([
			'u-report',
			'u-notes',
			'u-draft',
			'u-deleted',
		]);
		expect((await call('GET', filesPath(dir))).body.total_size).toBeNull();
	});

	test('updated_at_on_or_after / on_or_before are inclusive, any ISO form', async () => {
		const t0 = START;
		expect(await uniqueIds({ updated_at_on_or_after: iso(t0 + 1000) })).toEqual([
			'u-notes',
			'u-draft',
		]);
		expect(await uniqueIds({ updated_at_on_or_before: iso(t0 + 1000) })).toEqual([
			'u-report',
			'u-notes',
		]);
		expect(
			await uniqueIds({
				updated_at_on_or_after: iso(t0 + 1000),
				updated_at_on_or_before: iso(t0 + 1000),
			}),
		).toEqual(['u-notes']);
		// Sub-millisecond precision: 10:00:01.0005 is after the file stamped 10:00:01.000.
		expect(await uniqueIds({ updated_at_on_or_after: '2025-03-01T10:00:01.000500Z' })).toEqual([
			'u-draft',
		]);
		// Offsets are honoured: 12:00:01+02:00 is 10:00:01Z.
		expect(await uniqueIds({ updated_at_on_or_after: '2025-03-01T12:00:01+02:00' })).toEqual([
			'u-notes',
			'u-draft',
		]);
		expect(await uniqueIds({ updated_at_on_or_after: iso(t0 + 60_000) })).toEqual([]);
		// The deleted file was stamped (updated) at deletion time.
		expect(
			await uniqueIds({ updated_at_on_or_after: iso(t0 + 3000), include_deleted: true }),
		).toEqual(['u-deleted']);
	});

	test('filters combine', async () => {
		expect(
			await uniqueIds({
				display_name_contains: 'report',
				updated_at_on_or_after: iso(Date.parse('2025-03-01T10:00:01Z')),
			}),
		).toEqual(['u-draft']);
	});
});

describe('pagination', () => {
	test('page_size splits a directory; last page has no token; above the maximum it is clamped', async () => {
		const dir = emulator.store.createDirectory('many');
		emulator.store.seedFiles(dir.id, 1005);
		const first = (await call('GET', filesPath(dir.id), { query: { page_size: 10 } })).body;
		expect(first.items).toHaveLength(10);
		expect(first.total_size).toBeNull();
		const big = await call('GET', filesPath(dir.id), { query: { page_size: 5000 } });
		expect(big.status).toBe(200);
		expect(big.body.items).toHaveLength(1000);
		expect(big.body.next_page_token).toEqual(expect.any(String));
		expect((await call('GET', filesPath(dir.id), { query: { page_size: 0 } })).status).toBe(422);
	});

	test('every page, then no token', async () => {
		const dir = emulator.store.createDirectory('many');
		emulator.store.seedFiles(dir.id, 25);
		const all = await listAll(call, filesPath(dir.id), { page_size: 10 });
		expect(all).toHaveLength(25);
		expect(new Set(all.map((f) => f.id)).size).toBe(25);
	});

	test('many files share one millisecond: ordered by id, nothing skipped or repeated', async () => {
		const dir = emulator.store.createDirectory('same-ms');
		const seeded = emulator.store.seedFiles(dir.id, 200);
		expect(new Set(seeded.map((f) => f.updated_at)).size).toBe(1);
		const all = await listAll(call, filesPath(dir.id), { page_size: 7 });
		expect(all.map((f) => f.id)).toEqual(seeded.map((f) => f.id).sort());
	});

	test('inserts and deletes between pages never skip or repeat an existing file', async () => {
		const dir = emulator.store.createDirectory('moving');
		const originals = emulator.store.seedFiles(dir.id, 60, {
			updatedAtMs: (i) => now - 100_000 + i * 10,
		});
		const deletedBeforeSeen = new Set<string>();
		const deleted = new Set<string>();
		const seen: string[] = [];
		let token: string | undefined;
		let round = 0;
		do {
			const page = (
				await call('GET', filesPath(dir.id), { query: { page_size: 8, page_token: token } })
			).body;
			seen.push(...page.items.map((f: any) => f.id));
			token = page.next_page_token ?? undefined;

			// Between pages: a new file (newest key), then delete one original not seen yet
			// (every other round) and one already seen.
			now += 1;
			await call('POST', filesPath(dir.id), {
				json: { file_id: (await storedFile(`new-${round}.txt`)).id },
			});
			const unseen = originals.find((f) => !seen.includes(f.id) && !deleted.has(f.id));
			if (unseen && round % 2 === 0) {
				deleted.add(unseen.id);
				deletedBeforeSeen.add(unseen.id);
				await call('DELETE', `${filesPath(dir.id)}/${unseen.id}`);
			}
			const alreadySeen = originals.find((f) => seen.includes(f.id) && !deleted.has(f.id));
			if (alreadySeen) {
				deleted.add(alreadySeen.id);
				await call('DELETE', `${filesPath(dir.id)}/${alreadySeen.id}`);
			}
			round++;
		} while (token && round < 100);

		expect(new Set(seen).size).toBe(seen.length); // nothing repeated
		const expected = originals.filter((f) => !deletedBeforeSeen.has(f.id)).map((f) => f.id);
		expect(seen.filter((id) => originals.some((f) => f.id === id))).toEqual(expected); // nothing skipped, in order
		expect(deletedBeforeSeen.size).toBeGreaterThan(0);
	});

	test('a 100,000-file directory lists page by page (seeded without HTTP)', async () => {
		const dir = emulator.store.createDirectory('big');
		emulator.store.seedFiles(dir.id, 100_000);
		const ids: string[] = [];
		let token: string | undefined;
		do {
			const page = (
				await call('GET', filesPath(dir.id), { query: { page_size: 1000, page_token: token } })
			).body;
			for (const f of page.items) ids.push(f.id);
			token = page.next_page_token ?? undefined;
		} while (token);
		expect(ids).toHaveLength(100_000);
		// Same updated_at for all: strictly increasing ids means no repeat and a stable order.
		expect(ids.every((id, i) => i === 0 || ids[i - 1] < id)).toBe(true);
		const found = (
			await call('GET', filesPath(dir.id), { query: { unique_id: 'seed-054321.txt' } })
		).body;
		expect(found.items.map((f: any) => f.display_name)).toEqual(['seed-054321.txt']);
	});
});

describe('list order and page token variants', () => {
	/** Three files created a, b, c; then a is updated (so by updated_at: b, c, a). */
	async function threeFiles(): Promise<{ dir: string; ids: Record<string, string> }> {
		const dir = await directory();
		const ids: Record<string, string> = {};
		for (const name of ['a', 'b', 'c']) {
			now += 10;
			ids[name] = (
				await call('POST', filesPath(dir), {
					json: { file_id: (await storedFile(`${name}.txt`)).id, unique_id: name },
				})
			).body.id;
		}
		now += 10;
		await call('PATCH', `${filesPath(dir)}/${ids.a}`, { json: { display_name: 'A' } });
		return { dir, ids };
	}
	const order = async (dir: string) =>
		(await listAll(call, filesPath(dir), { page_size: 1 })).map((f) => f.unique_id);

	test.each([
		['updated', ['b', 'c', 'a']],
		['created', ['a', 'b', 'c']],
		['newest_first', ['c', 'b', 'a']],
	] as const)('listOrder=%s', async (listOrder, expected) => {
		emulator.quirks.listOrder = listOrder;
		const { dir } = await threeFiles();
		expect(await order(dir)).toEqual(expected);
	});

	test('pageTokens=offset: an item deleted before the offset shifts the rest (one is skipped)', async () => {
		emulator.quirks.pageTokens = 'offset';
		emulator.quirks.listOrder = 'created';
		const { dir, ids } = await threeFiles();
		const first = (await call('GET', filesPath(dir), { query: { page_size: 1 } })).body;
		expect(first.items.map((f: any) => f.unique_id)).toEqual(['a']);
		await call('DELETE', `${filesPath(dir)}/${ids.a}`);
		const second = (
			await call('GET', filesPath(dir), {
				query: { page_size: 1, page_token: first.next_page_token },
			})
		).body;
		expect(second.items.map((f: any) => f.unique_id)).toEqual(['c']);
	});
});
