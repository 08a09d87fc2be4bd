/**
 * LlamaCloud Trigger through n8n's real PollContext against the emulator over HTTP: first
 * activation, the three events, manual "Fetch Test Event", filters, API errors, bounded state,
 * servers that ignore updated_at_on_or_after, late arrivals and repeated polls.
 */
import type { IDataObject } from 'n8n-workflow';

import { LlamaCloudIngestTrigger as LlamaCloudTrigger } from '../../nodes/LlamaCloud/LlamaCloudIngestTrigger.node';
import {
	deleteFile,
	emittedLines,
	eventLines,
	FILES_PATH,
	netChanges,
	observed,
	poll,
	renameFile,
	setMetadata,
	startWorld,
	stateSize,
	storeSnapshot,
	type TriggerWorld,
	uploadFile,
} from './helpers';

let world: TriggerWorld;
let directoryId: string;

beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world.close();
});
beforeEach(() => {
	world.emulator.reset();
	world.proxy.beforePage = undefined;
	world.proxy.takeServed();
	world.clock.now = Date.parse('2026-03-01T09:00:00.000Z');
	directoryId = world.emulator.store.createDirectory('Inbox').id;
});

const listRequests = () =>
	world.emulator.requests.filter((r) => r.method === 'GET' && FILES_PATH.test(r.path));
const names = (items: Array<{ json: IDataObject }> | null) =>
	(items ?? []).map((i) => `${i.json.event}:${i.json.display_name}`);

describe('description', () => {
	test('is a polling trigger with the directory locator, events and options', () => {
		const { description } = new LlamaCloudTrigger();
		expect(description).toMatchObject({
			name: 'llamaCloudIngestTrigger',
			displayName: 'LlamaCloud Trigger',
			polling: true,
			inputs: [],
			credentials: [{ name: 'llamaCloudIngestApi', required: true }],
		});
		const byName = Object.fromEntries(description.properties.map((p) => [p.name, p]));
		expect(byName.directoryId.type).toBe('resourceLocator');
		expect(byName.events.type).toBe('multiOptions');
		expect((byName.events.options ?? []).map((o) => ('value' in o ? o.value : ''))).toEqual([
			'created',
			'updated',
			'deleted',
		]);
		const options = (byName.options.options ?? []).map((o) => ('name' in o ? o.name : ''));
		expect(options).toEqual([
			'displayNameContains',
			'emitExisting',
			'findDeletionsBy',
			'lateArrivalSeconds',
		]);
		expect(new LlamaCloudTrigger().methods.listSearch.searchDirectories).toBeInstanceOf(Function);
	});
});

describe('first activation', () => {
	test('records where the directory is and emits nothing; later changes are emitted once each', async () => {
		world.emulator.store.seedFiles(directoryId, 3);
		world.clock.advance(1000);

		const first = await poll(world, directoryId, {});
		expect(first.items).toBeNull();
		expect(first.staticDataChanged).toBe(true);
		expect(first.staticData.cursor).toMatchObject({
			version: 1,
			watermark: '2026-03-01T09:00:00.000Z',
		});

		world.clock.advance(10);
		const uploaded = await uploadFile(world, directoryId, 'report.pdf');
		const second = await poll(world, directoryId, first.staticData);
		expect(names(second.items)).toEqual(['created:report.pdf']);
		expect(second.items![0].json).toMatchObject({
			id: uploaded.id,
			directory_id: directoryId,
			event: 'created',
		});

		world.clock.advance(10);
		await renameFile(world, directoryId, String(uploaded.id), 'report-final.pdf');
		const third = await poll(world, directoryId, second.staticData);
		expect(names(third.items)).toEqual(['updated:report-final.pdf']);

		world.clock.advance(10);
		await deleteFile(world, directoryId, String(uploaded.id));
		const fourth = await poll(world, directoryId, third.staticData);
		expect(names(fourth.items)).toEqual(['deleted:report-final.pdf']);
		expect(fourth.items![0].json.deleted_at).toEqual(expect.any(String));

		// Nothing changed: nothing emitted and the static data is left alone (no workflow save).
		world.clock.advance(60_000);
		const idle = await poll(world, directoryId, fourth.staticData);
		expect(idle.items).toBeNull();
		expect(idle.staticDataChanged).toBe(false);
		expect(idle.staticData).toEqual(fourth.staticData);
	});

	test('"Emit Existing Files on First Activation" emits every live file once, then only changes', async () => {
		const seeded = world.emulator.store.seedFiles(directoryId, 250, {
			updatedAtMs: (i) => world.clock.now - 100_000 + i * 100,
		});
		world.clock.advance(1);
		await deleteFile(world, directoryId, seeded[7].id);

		const first = await poll(world, directoryId, {}, { options: { emitExisting: true } });
		expect(first.items).toHaveLength(249);
		expect(new Set(first.items!.map((i) => i.json.event))).toEqual(new Set(['created']));
		expect(first.items!.map((i) => i.json.id)).not.toContain(seeded[7].id);

		const second = await poll(world, directoryId, first.staticData, {
			options: { emitExisting: true },
		});
		expect(second.items).toBeNull();
	});

	test('the first poll of a large idle directory looks back, then lists everything once', async () => {
		// Files last changed 40 days ago: the hour, day and month look-backs find nothing.
		world.emulator.store.seedFiles(directoryId, 120, {
			updatedAtMs: world.clock.now - 40 * 24 * 3_600_000,
		});
		world.emulator.clearRequests();
		// Look-backs are how polls that read only what changed start (a full scan reads all).
		const byUpdatedAt = { options: { findDeletionsBy: 'updatedAt' } };
		const first = await poll(world, directoryId, {}, byUpdatedAt);
		expect(first.items).toBeNull();
		const queries = listRequests().map((r) => r.query.updated_at_on_or_after ?? 'all');
		expect(queries.filter((q) => q !== 'all')).toHaveLength(3);
		expect(queries.filter((q) => q === 'all').length).toBeGreaterThan(0);
		expect(first.staticData.cursor).toMatchObject({ watermark: '2026-01-20T09:00:00.000Z' });

		// A file added now is the only event.
		world.clock.advance(5);
		await uploadFile(world, directoryId, 'new.txt');
		const second = await poll(world, directoryId, first.staticData, byUpdatedAt);
		expect(names(second.items)).toEqual(['created:new.txt']);
	});

	test('a deletion that leaves updated_at alone is reported once (Find Deletions By: Full Scan)', async () => {
		world.emulator.quirks.softDelete = 'keep_updated_at';
		const [kept, gone] = world.emulator.store.seedFiles(directoryId, 2);
		const first = await poll(world, directoryId, {});
		world.clock.advance(60_000);
		const deleted = await fetch(
			`${world.emulator.url}/api/v1/beta/directories/${directoryId}/files/${gone.id}`,
			{ method: 'DELETE', headers: { Authorization: `Bearer ${world.emulator.apiKey}` } },
		);
		expect(deleted.status).toBe(204);
		expect(world.emulator.store.file(gone.id)!.updated_at).toBe(gone.updated_at);
		const second = await poll(world, directoryId, first.staticData);
		expect(names(second.items)).toEqual([`deleted:${gone.display_name}`]);
		const third = await poll(world, directoryId, second.staticData);
		expect(third.items).toBeNull();
		expect(world.emulator.store.file(kept.id)!.deleted_at).toBeNull();
	});

	test('choosing another directory starts over (first activation again)', async () => {
		const first = await poll(world, directoryId, {});
		const other = world.emulator.store.createDirectory('Other').id;
		world.emulator.store.seedFiles(other, 2);
		const switched = await poll(world, other, first.staticData);
		expect(switched.items).toBeNull();
		world.clock.advance(5);
		await uploadFile(world, other, 'x.txt');
		expect(names((await poll(world, other, switched.staticData)).items)).toEqual(['created:x.txt']);
	});
});

describe('net change between two polls', () => {
	test('a file created and changed before the next poll is one New event with its latest content', async () => {
		const start = await poll(world, directoryId, {});
		world.clock.advance(3);
		const file = await uploadFile(world, directoryId, 'draft.txt');
		world.clock.advance(3);
		await setMetadata(world, directoryId, String(file.id), { stage: 'reviewed' });
		const next = await poll(world, directoryId, start.staticData);
		expect(next.items).toHaveLength(1);
		expect(next.items![0].json).toMatchObject({
			event: 'created',
			id: file.id,
			metadata: { stage: 'reviewed' },
		});
	});

	test('a file created and deleted before the next poll emits nothing', async () => {
		const start = await poll(world, directoryId, {});
		world.clock.advance(3);
		const file = await uploadFile(world, directoryId, 'oops.txt');
		world.clock.advance(3);
		await deleteFile(world, directoryId, String(file.id));
		const next = await poll(world, directoryId, start.staticData);
		expect(next.items).toBeNull();
	});

	test('changes within one millisecond of files already emitted are still seen', async () => {
		const start = await poll(world, directoryId, {});
		world.clock.advance(3); // then frozen: everything below shares one millisecond
		const a = await uploadFile(world, directoryId, 'a.txt');
		const first = await poll(world, directoryId, start.staticData);
		expect(names(first.items)).toEqual(['created:a.txt']);

		await uploadFile(world, directoryId, 'b.txt');
		await renameFile(world, directoryId, String(a.id), 'a2.txt');
		const second = await poll(world, directoryId, first.staticData);
		expect(names(second.items).sort()).toEqual(['created:b.txt', 'updated:a2.txt']);

		const third = await poll(world, directoryId, second.staticData);
		expect(third.items).toBeNull();
	});
});

describe('manual "Fetch Test Event"', () => {
	test('returns the most recent file per chosen event and leaves the saved state untouched', async () => {
		const files = world.emulator.store.seedFiles(directoryId, 5, {
			updatedAtMs: (i) => world.clock.now - 10_000 + i,
		});
		world.clock.advance(10);
		const start = await poll(world, directoryId, {});
		world.clock.advance(10);
		await renameFile(world, directoryId, files[1].id, 'renamed.txt');
		world.clock.advance(10);
		await deleteFile(world, directoryId, files[2].id);
		world.clock.advance(10);
		await uploadFile(world, directoryId, 'latest.txt');

		const manual = await poll(world, directoryId, start.staticData, {}, 'manual');
		expect(names(manual.items)).toEqual([
			'created:latest.txt',
			'deleted:seed-000002.txt',
			'updated:renamed.txt',
		]);
		expect(manual.staticData).toEqual(start.staticData);
		expect(manual.staticDataChanged).toBe(false);

		const onlyNew = await poll(
			world,
			directoryId,
			start.staticData,
			{ events: ['created'] },
			'manual',
		);
		expect(names(onlyNew.items)).toEqual(['created:latest.txt']);

		// The production poll that follows still emits all three changes: the manual run consumed nothing.
		const production = await poll(world, directoryId, start.staticData);
		expect(names(production.items).sort()).toEqual([
			'created:latest.txt',
			'deleted:seed-000002.txt',
			'updated:renamed.txt',
		]);
	});

	test('without saved state it writes none, and an empty directory gives no items', async () => {
		const empty = await poll(world, directoryId, {}, {}, 'manual');
		expect(empty.items).toBeNull();
		expect(empty.staticData).toEqual({});
		world.emulator.store.seedFiles(directoryId, 2, {
			updatedAtMs: (i) => world.clock.now - 90 * 24 * 3_600_000 + i,
		});
		const old = await poll(world, directoryId, {}, {}, 'manual');
		expect(names(old.items)).toEqual(['created:seed-000001.txt']);
		expect(old.staticData).toEqual({});
	});
});

describe('filters', () => {
	test('events: only the chosen kinds are emitted, and the others are not emitted later either', async () => {
		const [keep, gone] = world.emulator.store.seedFiles(directoryId, 2);
		world.clock.advance(10);
		const start = await poll(world, directoryId, {}, { events: ['deleted'] });
		world.clock.advance(10);
		await uploadFile(world, directoryId, 'new.txt');
		await renameFile(world, directoryId, keep.id, 'renamed.txt');
		await deleteFile(world, directoryId, gone.id);
		const next = await poll(world, directoryId, start.staticData, { events: ['deleted'] });
		expect(names(next.items)).toEqual(['deleted:seed-000001.txt']);
		const after = await poll(world, directoryId, next.staticData, {
			events: ['created', 'updated', 'deleted'],
		});
		expect(after.items).toBeNull();
	});

	test('display name contains (case-insensitive) applies to the name the file has now', async () => {
		const [a, b] = world.emulator.store.seedFiles(directoryId, 2);
		world.clock.advance(10);
		const parameters = { options: { displayNameContains: 'Invoice' } };
		const start = await poll(world, directoryId, {}, parameters);
		world.clock.advance(10);
		await uploadFile(world, directoryId, 'INVOICE-42.pdf');
		await uploadFile(world, directoryId, 'photo.jpg');
		await renameFile(world, directoryId, a.id, 'old-invoice.pdf'); // renamed into the filter: an update
		await setMetadata(world, directoryId, b.id, { x: 1 });
		const next = await poll(world, directoryId, start.staticData, parameters);
		expect(names(next.items).sort()).toEqual(['created:INVOICE-42.pdf', 'updated:old-invoice.pdf']);
	});

	test('an empty event list or a missing directory fails before any request', async () => {
		world.emulator.clearRequests();
		await expect(poll(world, directoryId, {}, { events: [] })).rejects.toThrow(
			'Choose at least one event',
		);
		await expect(poll(world, '', {})).rejects.toThrow('Choose a directory');
		expect(listRequests()).toHaveLength(0);
	});
});

describe('API errors', () => {
	async function primed() {
		world.emulator.store.seedFiles(directoryId, 150, { updatedAtMs: (i) => world.clock.now + i });
		world.clock.advance(1000);
		const start = await poll(world, directoryId, {});
		world.clock.advance(10);
		world.emulator.store.seedFiles(directoryId, 120, {
			displayName: (i) => `batch-${i}.txt`,
			uniqueId: (i) => `batch-${i}`,
		});
		return start;
	}

	test('401 on the second page: the poll fails, emits nothing and the state stays where it was', async () => {
		const start = await primed();
		world.emulator.faults.script([null, { kind: 'status', status: 401 }], {
			path: FILES_PATH,
			method: 'GET',
		});
		await expect(poll(world, directoryId, start.staticData)).rejects.toMatchObject({
			httpCode: '401',
		});
		// The engine keeps the old state: the next poll emits the 120 files exactly once.
		const retry = await poll(world, directoryId, start.staticData);
		expect(retry.items).toHaveLength(120);
		expect((await poll(world, directoryId, retry.staticData)).items).toBeNull();
	});

	test('a persistent 500 fails the poll after the retries; the static data is not touched', async () => {
		const start = await primed();
		world.emulator.faults.configure({ status500: 1, path: FILES_PATH });
		let error: unknown;
		const staticData = structuredClone(start.staticData);
		try {
			await poll(world, directoryId, staticData);
		} catch (e) {
			error = e;
		}
		expect(error).toMatchObject({ httpCode: '500' });
		expect(world.emulator.faults.counters.status500).toBeGreaterThanOrEqual(5);
		expect(staticData).toEqual(start.staticData);
		world.emulator.faults.disable();
		expect((await poll(world, directoryId, start.staticData)).items).toHaveLength(120);
	}, 30_000);

	test('a transient 500 is retried and the poll succeeds', async () => {
		const start = await primed();
		world.emulator.faults.script([{ kind: 'status', status: 500 }], {
			path: FILES_PATH,
			method: 'GET',
		});
		const next = await poll(world, directoryId, start.staticData);
		expect(next.items).toHaveLength(120);
	});
});

describe('bounded state', () => {
	test('10,000 files sharing one millisecond: state under 4 KiB, later changes in that millisecond exactly once', async () => {
		const start = await poll(world, directoryId, {});
		world.clock.advance(7); // frozen from here on
		world.emulator.store.seedFiles(directoryId, 10_000);
		const seededPoll = await poll(world, directoryId, start.staticData);
		expect(seededPoll.items).toHaveLength(10_000);
		expect(stateSize(seededPoll.staticData)).toBeLessThanOrEqual(4096);
		expect((seededPoll.staticData.cursor as IDataObject).window).toMatchObject({ mode: 'sketch' });

		// Still the same millisecond: 60 new files, 30 renames, 20 deletions.
		const seeded = world.emulator.store.files(directoryId);
		world.emulator.store.seedFiles(directoryId, 60, {
			displayName: (i) => `late-${i}.txt`,
			uniqueId: (i) => `late-${i}`,
		});
		for (const f of seeded.slice(0, 30))
			await renameFile(world, directoryId, f.id, `${f.display_name}.v2`);
		for (const f of seeded.slice(100, 120)) await deleteFile(world, directoryId, f.id);
		const next = await poll(world, directoryId, seededPoll.staticData);
		const counts = (next.items ?? []).reduce<Record<string, number>>((acc, i) => {
			acc[String(i.json.event)] = (acc[String(i.json.event)] ?? 0) + 1;
			return acc;
		}, {});
		expect(counts).toEqual({ created: 60, updated: 30, deleted: 20 });
		expect(stateSize(next.staticData)).toBeLessThanOrEqual(4096);
		expect((await poll(world, directoryId, next.staticData)).items).toBeNull();
	}, 180_000);

	test('the state stays under 4 KiB across modes and window sizes', async () => {
		let state: IDataObject = (
			await poll(world, directoryId, {}, { options: { lateArrivalSeconds: 3600 } })
		).staticData;
		for (const count of [1, 50, 349, 351, 2000]) {
			world.clock.advance(1);
			world.emulator.store.seedFiles(directoryId, count, {
				displayName: (i) => `${count}-${i}`,
				uniqueId: (i) => `${count}-${i}`,
			});
			const result = await poll(world, directoryId, state, {
				options: { lateArrivalSeconds: 3600 },
			});
			expect(result.items).toHaveLength(count);
			state = result.staticData;
			expect(stateSize(state)).toBeLessThanOrEqual(4096);
		}
	}, 60_000);
});

describe('servers that ignore updated_at_on_or_after', () => {
	test('a full scan gives the same events as the filtered listing', async () => {
		world.emulator.store.seedFiles(directoryId, 300, {
			updatedAtMs: (i) => world.clock.now - 600_000 + i * 1000,
		});
		const start = await poll(world, directoryId, {});
		world.clock.advance(10);
		const seeded = world.emulator.store.files(directoryId);
		await uploadFile(world, directoryId, 'new.txt');
		await renameFile(world, directoryId, seeded[3].id, 'renamed.txt');
		await deleteFile(world, directoryId, seeded[299].id);

		const filtered = await poll(world, directoryId, start.staticData);
		world.emulator.quirks.ignoreUpdatedAtFilters = true;
		world.emulator.clearRequests();
		const scanned = await poll(world, directoryId, start.staticData);
		expect(listRequests().length).toBeGreaterThanOrEqual(3); // 301 files, 100 per page
		expect(emittedLines(scanned)).toEqual(emittedLines(filtered));
		expect(names(scanned.items).sort()).toEqual([
			'created:new.txt',
			'deleted:seed-000299.txt',
			'updated:renamed.txt',
		]);
		expect(scanned.staticData).toEqual(filtered.staticData);

		// And it goes on exactly once with full scans only.
		world.clock.advance(10);
		await uploadFile(world, directoryId, 'second.txt');
		const again = await poll(world, directoryId, scanned.staticData);
		expect(names(again.items)).toEqual(['created:second.txt']);
		expect((await poll(world, directoryId, again.staticData)).items).toBeNull();
	});
});

describe('late arrivals and repeated polls', () => {
	test('a file listed late with an updated_at inside the window is emitted once; the window bounds the wait', async () => {
		const start = await poll(world, directoryId, {});
		world.clock.advance(1000);
		await uploadFile(world, directoryId, 'on-time.txt');
		const first = await poll(world, directoryId, start.staticData);
		expect(names(first.items)).toEqual(['created:on-time.txt']);

		// Becomes visible now, stamped 3 s ago (before the watermark): inside the default 5 s window.
		world.clock.advance(500);
		world.emulator.store.seedFiles(directoryId, 1, {
			displayName: () => 'late.txt',
			uniqueId: () => 'late',
			updatedAtMs: world.clock.now - 3000,
		});
		const second = await poll(world, directoryId, first.staticData);
		expect(names(second.items)).toEqual(['created:late.txt']);
		expect((await poll(world, directoryId, second.staticData)).items).toBeNull();

		// The documented assumption's other side: stamped more than the window before the
		// watermark, a file that only becomes visible now is taken as already seen.
		world.emulator.store.seedFiles(directoryId, 1, {
			displayName: () => 'too-late.txt',
			uniqueId: () => 'too-late',
			updatedAtMs: world.clock.now - 10_000,
		});
		expect((await poll(world, directoryId, second.staticData)).items).toBeNull();
	});

	test('a longer late-arrival window covers files that show up later', async () => {
		const wide = { options: { lateArrivalSeconds: 30 } };
		const start = await poll(world, directoryId, {}, wide);
		world.clock.advance(1000);
		await uploadFile(world, directoryId, 'on-time.txt');
		const first = await poll(world, directoryId, start.staticData, wide);
		world.emulator.store.seedFiles(directoryId, 1, {
			displayName: () => 'late.txt',
			uniqueId: () => 'late',
			updatedAtMs: world.clock.now - 10_000,
		});
		const second = await poll(world, directoryId, first.staticData, wide);
		expect(names(second.items)).toEqual(['created:late.txt']);
		expect((second.staticData.cursor as IDataObject).windowMs).toBe(30_000);
	});

	test('a poll re-run from the same saved state (crash before saving) emits the same events again, and nothing after', async () => {
		const start = await poll(world, directoryId, {});
		world.clock.advance(5);
		await uploadFile(world, directoryId, 'a.txt');
		const lost = await poll(world, directoryId, start.staticData); // its execution and state are lost
		const rerun = await poll(world, directoryId, start.staticData);
		expect(emittedLines(rerun)).toEqual(emittedLines(lost));
		expect(rerun.staticData).toEqual(lost.staticData);
		expect((await poll(world, directoryId, rerun.staticData)).items).toBeNull();
	});

	test('a late file that shows up while a listing pages is emitted next poll, even when the last pages carry the watermark past its window', async () => {
		world.emulator.store.seedFiles(directoryId, 1, { displayName: () => 'old.txt' });
		const start = await poll(world, directoryId, {});
		world.clock.advance(10_000);
		const firstFiles = world.emulator.store.seedFiles(directoryId, 1010);
		world.clock.advance(100);
		const listingStart = world.clock.now;
		world.proxy.takeServed();
		world.proxy.beforePage = async (page) => {
			if (page !== 0) return;
			// Visible only now, stamped 4.9 s before the listing began: inside the window, and
			// before the listing's cursor, so this listing does not serve it.
			world.emulator.store.seedFiles(directoryId, 1, {
				displayName: () => 'late.txt',
				uniqueId: () => 'late',
				updatedAtMs: listingStart - 4900,
			});
			// A change 1 s later, served on a later page: the watermark moves more than the
			// window past the late file's updated_at.
			world.clock.advance(1000);
			await renameFile(world, directoryId, firstFiles[0].id, 'renamed.txt');
		};
		const first = await poll(world, directoryId, start.staticData);
		world.proxy.beforePage = undefined;
		const served = world.proxy.takeServed().map((f) => f.display_name);
		const second = await poll(world, directoryId, first.staticData);
		const third = await poll(world, directoryId, second.staticData);
		// Whatever the list order: each file is emitted once over the polls, the renamed one under
		// one of its names, and the late one too.
		const emitted = [...names(first.items), ...names(second.items)];
		const once = (name: string) => emitted.filter((n) => n === `created:${name}`).length;
		expect(once('late.txt')).toBe(1);
		expect(once('renamed.txt') + once(firstFiles[0].display_name)).toBe(1);
		expect(emitted.filter((n) => n.startsWith('created:'))).toHaveLength(1011);
		// Served under its old name before the rename, the rename is an update next poll.
		const servedBeforeRename = once(firstFiles[0].display_name) === 1;
		expect(emitted.filter((n) => !n.startsWith('created:'))).toEqual(
			servedBeforeRename ? ['updated:renamed.txt'] : [],
		);
		expect(third.items).toBeNull();
		const order = world.emulator.quirks.listOrder;
		if (order === 'updated') {
			// The case this test builds: the late file sorts before the listing's cursor and the
			// rename, served on a later page, carries the watermark past its window.
			expect(served).toContain('renamed.txt');
			expect(served).not.toContain('late.txt');
			expect(first.items).toHaveLength(1010);
			expect(names(second.items)).toEqual(['created:late.txt']);
		} else if (order === 'newest_first') {
			// Newest first (a variant), the late file sorts after the cursor: this listing serves it.
			expect(served).toContain('late.txt');
			expect(first.items).toHaveLength(1011);
		}
		// In creation order (a variant) a rename keeps its place: where it falls depends on the
		// seeded IDs, and only the exactly-once counts above hold.
	});

	test('files added between two pages of a listing are emitted once', async () => {
		world.emulator.store.seedFiles(directoryId, 10);
		world.clock.advance(10);
		const start = await poll(world, directoryId, {});
		const base = storeSnapshot(world.emulator, directoryId);
		world.clock.advance(10);
		world.emulator.store.seedFiles(directoryId, 250, {
			displayName: (i) => `b-${i}`,
			uniqueId: (i) => `b-${i}`,
		});
		const atStart = storeSnapshot(world.emulator, directoryId);
		world.proxy.takeServed();
		world.proxy.beforePage = async (page) => {
			if (page !== 0) return;
			// Same millisecond: some of these sort before the listing's cursor and are not served.
			world.emulator.store.seedFiles(directoryId, 40, {
				displayName: (i) => `c-${i}`,
				uniqueId: (i) => `c-${i}`,
			});
			world.clock.advance(1);
			world.emulator.store.seedFiles(directoryId, 5, {
				displayName: (i) => `d-${i}`,
				uniqueId: (i) => `d-${i}`,
			});
		};
		const first = await poll(world, directoryId, start.staticData);
		world.proxy.beforePage = undefined;
		const seen = observed(atStart, world.proxy.takeServed());
		const before = storeSnapshot(world.emulator, directoryId);
		expect(emittedLines(first)).toEqual(eventLines(netChanges(base, seen)));
		const second = await poll(world, directoryId, first.staticData);
		expect(emittedLines(second)).toEqual(eventLines(netChanges(seen, before)));
		expect((first.items?.length ?? 0) + (second.items?.length ?? 0)).toBe(295);
	});
});
