/**
 * File → Get Many through n8n's real engine against the emulator over HTTP: pages followed with
 * every filter kept, Limit, deleted files, date filters read in the workflow time zone, a 503 on
 * a later page retried.
 */
import { toIsoInstant } from '../../../nodes/LlamaCloud/helpers/dates';
import { byId } from '../../support/emulator';
import { DIRECTORY_FILES, expectBadInput, items, NOW, requestsTo, useFileTests } from './fixtures';

const { emulator, run, directory } = useFileTests();

describe('Get Many', () => {
	const HOUR = 3_600_000;
	const T0 = NOW - 300 * HOUR;

	/**
	 * 260 "report" files one hour apart sharing one stored file (two of them soft-deleted, which
	 * stamps them NOW), 10 reports updated after NOW, and 30 others with their own stored files.
	 */
	async function seedReports() {
		const reports = emulator.current.store.seedFiles(directory.current.id, 260, {
			content: 'same blob',
			displayName: (i) => `report-${i}.pdf`,
			updatedAtMs: (i) => T0 + i * HOUR,
		});
		emulator.current.store.seedFiles(directory.current.id, 10, {
			content: 'same blob',
			displayName: (i) => `report-late-${i}.pdf`,
			updatedAtMs: (i) => NOW + (i + 1) * HOUR,
		});
		emulator.current.store.seedFiles(directory.current.id, 30, {
			displayName: (i) => `other-${i}.pdf`,
			updatedAtMs: (i) => T0 + i * HOUR,
		});
		for (const file of [reports[20], reports[21]]) {
			const response = await fetch(
				`${emulator.current.url}/api/v1/beta/directories/${directory.current.id}/files/${file.id}`,
				{
					method: 'DELETE',
					headers: { Authorization: `Bearer ${emulator.current.apiKey}` },
				},
			);
			expect(response.status).toBe(204);
		}
		emulator.current.clearRequests();
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
			directoryId: byId(directory.current.id),
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

		const pages = requestsTo(emulator.current, 'GET', /\/files$/);
		expect(pages).toHaveLength(3);
		for (const page of pages) {
			expect(page.query).toMatchObject({
				display_name_contains: 'report',
				file_id: String(reports[0].file_id),
				include_deleted: 'true',
				updated_at_on_or_after: '2026-01-19T22:00:00.000Z',
				updated_at_on_or_before: '2026-02-01T00:00:00.000Z',
				page_size: '10000',
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
			directoryId: byId(directory.current.id),
			returnAll: false,
			limit: 130,
			filters: manyFilters(String(reports[0].file_id)),
		});
		expect(out).toHaveLength(130);
		const pages = requestsTo(emulator.current, 'GET', /\/files$/);
		// 250 matches would take 3 pages; 130 take 2 (100 served of 130 asked), the second only as
		// large as needed.
		expect(pages.map((p) => p.query.page_size)).toEqual(['130', '30']);
		expect(pages[1].query).toMatchObject({
			display_name_contains: 'report',
			include_deleted: 'true',
		});
	});

	test('a small Limit is one request of that page size', async () => {
		emulator.current.store.seedFiles(directory.current.id, 20);
		const { items: out } = await run({
			operation: 'getAll',
			directoryId: byId(directory.current.id),
			limit: 5,
		});
		expect(out).toHaveLength(5);
		expect(emulator.current.requests.map((r) => r.query.page_size)).toEqual(['5']);
	});

	test('deleted files are left out unless asked for', async () => {
		await seedReports();
		const { items: out } = await run({
			operation: 'getAll',
			directoryId: byId(directory.current.id),
			returnAll: true,
			filters: { displayNameContains: 'report' },
		});
		expect(out).toHaveLength(268);
		expect(out.some((i) => i.json.deleted_at)).toBe(false);
	});

	test('exact display name and unique ID filters reach the API', async () => {
		emulator.current.store.seedFiles(directory.current.id, 5, { uniqueId: (i) => `u-${i}` });
		const byName = await run({
			operation: 'getAll',
			directoryId: byId(directory.current.id),
			returnAll: true,
			filters: { displayName: 'seed-000002.txt' },
		});
		expect(byName.items.map((i) => i.json.unique_id)).toEqual(['u-2']);
		const byUnique = await run({
			operation: 'getAll',
			directoryId: byId(directory.current.id),
			returnAll: true,
			filters: { uniqueId: 'u-4' },
		});
		expect(byUnique.items.map((i) => i.json.display_name)).toEqual(['seed-000004.txt']);
		expect(emulator.current.requests.map((r) => [r.query.display_name, r.query.unique_id])).toEqual(
			[
				['seed-000002.txt', undefined],
				[undefined, 'u-4'],
			],
		);
	});

	test('one list per input item, each with its own expression filter', async () => {
		emulator.current.store.seedFiles(directory.current.id, 6, {
			displayName: (i) => (i % 2 ? `odd-${i}` : `even-${i}`),
		});
		const { items: out, pairedItems } = await run(
			{
				operation: 'getAll',
				directoryId: byId(directory.current.id),
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
				directoryId: byId(directory.current.id),
				filters: { updatedAfter: '={{ "last tuesday" }}' },
			},
			{ continueOnFail: true },
		);
		expectBadInput(out[0], '"Updated After" is not a valid date and time [item 0]');
		expect(emulator.current.requests).toHaveLength(0);
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

describe('transient failures (routed operations and lookups share the transport retries)', () => {
	test('a 503 on the second page of Get Many is retried with every filter kept', async () => {
		emulator.current.store.seedFiles(directory.current.id, 250, {
			displayName: (i) => `report-${i}.pdf`,
		});
		emulator.current.faults.script([null, { kind: 'status', status: 503, retryAfterSeconds: 0 }], {
			method: 'GET',
			path: DIRECTORY_FILES,
		});
		const { items: out, error } = await run({
			operation: 'getAll',
			directoryId: byId(directory.current.id),
			returnAll: true,
			filters: { displayNameContains: 'report' },
		});
		expect(error).toBeUndefined();
		expect(out).toHaveLength(250);
		const pages = requestsTo(emulator.current, 'GET', DIRECTORY_FILES);
		expect(pages.map((p) => p.status)).toEqual([200, 503, 200, 200]);
		expect(pages[2].query).toEqual(pages[1].query);
		expect(pages.every((p) => p.query.display_name_contains === 'report')).toBe(true);
	});
});
