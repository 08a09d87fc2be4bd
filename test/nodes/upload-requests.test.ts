/**
 * File → Upload, fewer and paced requests: one listing answers the look-ups of many uploads
 * ("Replace", "Keep Both"), and uploads keep to "Upload Rate Limit" so that a server enforcing
 * LlamaCloud's limit answers no 429. Real engine, emulator over HTTP.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../emulator';
import { CANARY_API_KEY } from '../support/canary';
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { RateBudget } from '../../nodes/LlamaCloud/transport/rateBudget';
import { makeBinaryItem, runNode } from '../../harness/engine';

let emulator: Emulator;
let directoryId: string;

beforeAll(async () => {
	emulator = await startEmulator({ apiKey: CANARY_API_KEY });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.reset();
	directoryId = emulator.store.createDirectory('uploads').id;
});

const files = (names: string[]) =>
	names.map((name) => makeBinaryItem(`content of ${name}`, { fileName: name }));

function upload(parameters: INodeParameters, inputItems: INodeExecutionData[]) {
	return runNode({
		type: LlamaCloud,
		credentials: {
			llamaCloudIngestApi: { apiKey: emulator.apiKey, region: 'custom', baseUrl: emulator.url },
		},
		parameters: {
			resource: 'file',
			operation: 'upload',
			directoryId: { __rl: true, mode: 'id', value: directoryId },
			...parameters,
		},
		inputItems,
	});
}

const requests = () =>
	emulator.requests.map((r) => `${r.method} ${r.path.replace(/dir-[^/]+/, '{dir}')}`);

test.each(['replace', 'keepBoth'])(
	'%s: one listing serves the look-ups of all uploads, not one GET per file',
	async (onConflict) => {
		emulator.store.seedFiles(directoryId, 3, { uniqueId: (i) => `f${i}.txt` });
		emulator.clearRequests();
		const names = Array.from({ length: 12 }, (_, i) => `f${i}.txt`);
		const run = await upload({ onConflict }, files(names));
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(12);

		const sent = requests();
		expect(sent.filter((r) => r.startsWith('GET'))).toEqual([
			'GET /api/v1/beta/directories/{dir}/files',
		]);
		expect(emulator.requests[0].query).toMatchObject({ page_size: '1000' });
		const live = emulator.store.files(directoryId, { includeDeleted: false });
		if (onConflict === 'replace') {
			// 12 uploads; the 3 existing files also take a delete and a rename each.
			expect(sent.filter((r) => r.endsWith('/upload'))).toHaveLength(12);
			expect(live.map((f) => f.unique_id).sort()).toEqual([...names].sort());
		} else {
			expect(live).toHaveLength(15);
			expect(live.map((f) => f.unique_id)).toEqual(
				expect.arrayContaining(['f0 (2).txt', 'f1 (2).txt', 'f2 (2).txt']),
			);
			expect(sent).toHaveLength(13);
		}
	},
);

test('a directory too large to list for a few uploads is not listed: each looks its file up', async () => {
	emulator.store.seedFiles(directoryId, 2500);
	emulator.clearRequests();
	const run = await upload({ onConflict: 'replace' }, files(['a.txt', 'b.txt', 'c.txt', 'd.txt']));
	expect(run.error).toBeUndefined();
	const gets = emulator.requests.filter((r) => r.method === 'GET');
	// Listing would take 3 pages for 4 look-ups (at most 2 pages are worth it): it stops after
	// the pages that tell it so, and the look-ups go by unique ID.
	expect(gets.filter((r) => r.query.unique_id !== undefined)).toHaveLength(4);
	expect(gets.filter((r) => r.query.unique_id === undefined).length).toBeLessThanOrEqual(3);
});

test('uploads keep to "Upload Rate Limit": a server enforcing that limit answers no 429', async () => {
	// 3 uploads per 5 s on the server; the node, told the same, counts each from its answer.
	emulator.rateLimit.configure({ limit: 3, windowMs: 5000 });
	const names = ['r0.txt', 'r1.txt', 'r2.txt', 'r3.txt', 'r4.txt'];
	const run = await upload({ requestOptions: { uploadRateLimit: 3 } }, files(names));
	expect(run.error).toBeUndefined();
	expect(run.items.map((i) => i.json.unique_id)).toEqual(names);
	expect(emulator.rateLimit.counters).toEqual({ allowed: 5, limited: 0 });
	expect(emulator.requests.filter((r) => r.status === 429)).toEqual([]);
}, 60_000);

test('"Upload Rate Limit" out of range fails naming the field', async () => {
	const run = await upload({ requestOptions: { uploadRateLimit: -1 } }, files(['a.txt']));
	expect(run.error?.message).toBe(
		`"Upload Rate Limit (per 5 Seconds)" in the node's Request Options must be a whole number from 0 to 100000 (got -1) [item 0]`,
	);
	expect(emulator.requests).toEqual([]);
});

describe('RateBudget (on a clock the test moves)', () => {
	let now = 0;
	const waits: number[] = [];
	const budget = (limit: number) =>
		new RateBudget(
			limit,
			5000,
			() => now,
			async (ms) => {
				waits.push(ms);
				now += ms;
			},
		);
	beforeEach(() => {
		now = 0;
		waits.length = 0;
	});

	test('a burst of the limit, then room as the oldest answers leave the window', async () => {
		const b = budget(50);
		for (let i = 0; i < 50; i++) (await b.take())();
		expect(waits).toEqual([]);
		const next = b.take(); // the 51st waits for the first answer to be 5 s old
		await next;
		expect(now).toBe(5000);
	});

	test('an upload counts from its answer: late answers keep their place in the window', async () => {
		const b = budget(3);
		const answered = [await b.take(), await b.take(), await b.take()];
		now = 300; // the answers come 300 ms after the sends
		for (const done of answered) done();
		await b.take();
		expect(now).toBe(5300);
	});

	test('uploads still waiting for their answer hold their place', async () => {
		const b = budget(2);
		const first = await b.take();
		await b.take(); // never answered in this test
		now = 1000;
		first();
		await b.take(); // the first answer leaves the window at 6000
		expect(now).toBe(6000);
	});

	test('a 429 pauses for Retry-After and sends a fifth less; successes win it back', async () => {
		const b = budget(50);
		(await b.take())();
		b.throttled(2000);
		expect(b.perWindow).toBe(40);
		(await b.take())();
		expect(now).toBe(2000);
		for (let i = 0; i < 20; i++) b.succeeded();
		expect(b.perWindow).toBe(50);
		b.throttled(undefined); // no hint: a second
		(await b.take())();
		expect(now).toBe(3000);
	});
});
