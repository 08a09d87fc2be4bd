/**
 * R1: ingest 1,000 small files through File → Upload in n8n's engine while the emulator
 * injects 10 % 5xx (500, HTML 502, 503), 5 % 429 with Retry-After and 2 % connection resets,
 * half of them after the server applied the request. Afterwards: exactly 1,000 files, no
 * duplicate ever created, no failed item. Faults hit every request, the reconciliation
 * lookups included.
 */
import { startEmulator, type Emulator } from '../../emulator';
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { makeBinaryItem, removeBinaryData, runNode } from '../../harness/engine';
import { CANARY_API_KEY } from '../support/canary';

const FILES = 1000;

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ apiKey: CANARY_API_KEY, requestLogSize: 10_000 });
});
afterAll(async () => {
	await emulator.close();
	removeBinaryData();
});

test('1,000 files under 10 % 5xx, 5 % 429 and 2 % resets: exactly 1,000 files, no duplicates, no failed item', async () => {
	const directory = emulator.store.createDirectory('r1');
	const items = Array.from({ length: FILES }, (_, i) =>
		makeBinaryItem(`document ${i}\n${'x'.repeat(i % 97)}`, {
			fileName: `doc-${String(i).padStart(4, '0')}.txt`,
			json: { i },
		}),
	);
	emulator.faults.configure({
		seed: 20260301,
		status500: 0.04,
		status502: 0.03,
		status503: 0.03,
		status429: 0.05,
		retryAfterSeconds: 1,
		resetBefore: 0.01,
		resetAfter: 0.01,
	});

	const started = Date.now();
	const run = await runNode({
		type: LlamaCloud,
		credentials: {
			llamaCloudIngestApi: { apiKey: CANARY_API_KEY, region: 'custom', baseUrl: emulator.url },
		},
		parameters: {
			resource: 'file',
			operation: 'upload',
			directoryId: { __rl: true, mode: 'id', value: directory.id },
			options: { concurrency: 16 },
			// More tries than the default 5: with ~17 % of requests faulted, a chain of five
			// faults somewhere among 1,000+ requests is likely enough to make the test flaky.
			// No client-side upload rate limit: the faults here are random, not a rate limiter's,
			// and pacing 1,000 uploads at 50 per 5 s would only make the test slow.
			requestOptions: { maxTries: 10, uploadRateLimit: 0 },
		},
		inputItems: items,
		// Filesystem mode, as n8n runs by default: the start node stores each binary.
		storeBinary: true,
	});
	const wallMs = Date.now() - started;
	const counters = emulator.faults.counters;
	emulator.faults.disable();

	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(FILES);
	expect(
		run.items.filter((item) => item.json.error !== undefined || item.error !== undefined),
	).toEqual([]);
	// Output order and pairing follow the input.
	expect(run.items.map((item) => item.json.unique_id)).toEqual(
		items.map((item) => item.binary?.data.fileName),
	);
	expect(run.pairedItems.map(([paired]) => paired.item)).toEqual(items.map((_, i) => i));

	const all = emulator.store.files(directory.id, { includeDeleted: true });
	const live = all.filter((file) => !file.deleted_at);
	expect(live).toHaveLength(FILES);
	// Not even a deleted duplicate: nothing was ever created twice.
	expect(all).toHaveLength(FILES);
	expect(new Set(live.map((file) => file.unique_id)).size).toBe(FILES);
	expect(new Set(run.items.map((item) => item.json.id))).toEqual(
		new Set(live.map((file) => file.id)),
	);
	// Every stored file holds its own item's content.
	const sample = live.find((file) => file.unique_id === 'doc-0421.txt');
	expect((await emulator.store.readBlob(String(sample?.file_id))).toString()).toBe(
		`document 421\n${'x'.repeat(421 % 97)}`,
	);

	// The faults really happened, every kind of them.
	for (const kind of [
		'status500',
		'status502',
		'status503',
		'status429',
		'resetBefore',
		'resetAfter',
	] as const) {
		expect(counters[kind]).toBeGreaterThan(0);
	}
	const faultedShare = counters.total / emulator.requests.length;
	expect(faultedShare).toBeGreaterThan(0.1);
	// Each file was applied exactly once: an upload whose answer was lost after the server
	// applied it was looked up by unique ID, not sent again (which would have met a 409).
	const uploads = emulator.requests.filter(
		(r) => r.method === 'POST' && r.path.endsWith('/files/upload'),
	);
	const applied = uploads.filter((r) => r.status === 201 || r.fault === 'resetAfter');
	expect(uploads.filter((r) => r.status === 409)).toEqual([]);
	expect(applied).toHaveLength(FILES);
	expect(new Set(applied.map((r) => r.fields?.unique_id)).size).toBe(FILES);
	expect(uploads.filter((r) => r.fault === 'resetAfter').length).toBeGreaterThan(0);

	if (process.env.R1_REPORT) {
		// eslint-disable-next-line no-console
		console.info(
			`R1: ${FILES} files in ${wallMs} ms; ${emulator.requests.length} requests; faults ${JSON.stringify(counters)}`,
		);
	}
}, 300_000);
