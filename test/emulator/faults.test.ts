/** Fault injection: seeded probabilities, scripts, counters, resets before/after processing. */
import { createPrng, startEmulator, type Emulator } from '../../emulator';
import { faultsFromEnv, optionsFromEnv } from '../../emulator/env';
import { api, fileForm, type Call } from './helpers';

const DIRS = '/api/v1/beta/directories';

async function statuses(call: Call, n: number): Promise<number[]> {
	const out: number[] = [];
	for (let i = 0; i < n; i++) out.push((await call('GET', DIRS)).status);
	return out;
}

describe('probabilities', () => {
	test('the same seed gives the same faults; counters count them', async () => {
		const options = { faults: { seed: 42, status503: 0.3, status429: 0.1 } };
		const a = await startEmulator(options);
		const b = await startEmulator(options);
		try {
			const first = await statuses(api(a), 60);
			const second = await statuses(api(b), 60);
			expect(first).toEqual(second);
			expect(first.filter((s) => s === 503).length).toBeGreaterThan(5);
			expect(first.filter((s) => s === 429).length).toBeGreaterThan(0);
			expect(a.faults.counters).toMatchObject({
				status503: first.filter((s) => s === 503).length,
				status429: first.filter((s) => s === 429).length,
				total: first.filter((s) => s !== 200).length,
			});
			expect(a.requests.filter((r) => r.fault === 'status503')).toHaveLength(
				a.faults.counters.status503,
			);
		} finally {
			await Promise.all([a.close(), b.close()]);
		}
	});

	test('429 carries Retry-After; 503 too; 502 is an HTML proxy page; 500 is JSON', async () => {
		const emulator = await startEmulator({ faults: { retryAfterSeconds: 7 } });
		const call = api(emulator);
		try {
			emulator.faults.script([
				{ kind: 'status', status: 429 },
				{ kind: 'status', status: 503 },
				{ kind: 'status', status: 502 },
				{ kind: 'status', status: 500 },
			]);
			const r429 = await call('GET', DIRS);
			expect(r429.status).toBe(429);
			expect(r429.body).toEqual({ detail: 'Too Many Requests' });
			const r503 = await call('GET', DIRS);
			expect(r503.status).toBe(503);
			expect(r503.body).toEqual({ detail: 'Service Unavailable' });
			const r502 = await call('GET', DIRS);
			expect(r502.status).toBe(502);
			expect(r502.headers['content-type']).toBe('text/html');
			expect(r502.text).toContain('<h1>502 Bad Gateway</h1>');
			const r500 = await call('GET', DIRS);
			expect(r500.body).toEqual({ detail: 'Internal Server Error' });
			// Scripted 429/503 take Retry-After from the instance options unless the step says otherwise.
			emulator.faults.script([{ kind: 'status', status: 429, retryAfterSeconds: 2 }]);
			expect((await call('GET', DIRS)).headers['retry-after']).toBe('2');
		} finally {
			await emulator.close();
		}
	});

	test('probabilistic 429 and 503 send the configured Retry-After', async () => {
		const emulator = await startEmulator({ faults: { status429: 1, retryAfterSeconds: 3 } });
		try {
			const reply = await api(emulator)('GET', DIRS);
			expect(reply.status).toBe(429);
			expect(reply.headers['retry-after']).toBe('3');
		} finally {
			await emulator.close();
		}
	});

	test('methods and path restrict which requests are eligible', async () => {
		const emulator = await startEmulator({
			faults: { status500: 1, methods: ['POST'], path: '^/api/v1/indexes' },
		});
		const call = api(emulator);
		try {
			expect((await call('GET', '/api/v1/indexes')).status).toBe(200);
			expect((await call('POST', DIRS, { json: { name: 'x' } })).status).toBe(201);
			expect((await call('POST', '/api/v1/indexes', { json: {} })).status).toBe(500);
		} finally {
			await emulator.close();
		}
	});
});

describe('scripts and runtime control', () => {
	let emulator: Emulator;
	let call: Call;
	beforeAll(async () => {
		emulator = await startEmulator();
		call = api(emulator);
	});
	afterAll(() => emulator.close());
	beforeEach(() => emulator.reset());

	test('steps are consumed one matching request at a time; others pass through', async () => {
		emulator.faults.script(
			[{ kind: 'status', status: 503 }, null, { kind: 'status', status: 502 }],
			{ method: 'POST', path: /directories$/ },
		);
		expect((await call('GET', DIRS)).status).toBe(200); // not matching: untouched, nothing consumed
		expect(emulator.faults.scriptRemaining).toBe(3);
		const first = await call('POST', DIRS, { json: { name: 'one' } });
		expect(first.status).toBe(503);
		expect((await call('POST', DIRS, { json: { name: 'two' } })).status).toBe(201);
		expect((await call('POST', DIRS, { json: { name: 'three' } })).status).toBe(502);
		expect((await call('POST', DIRS, { json: { name: 'four' } })).status).toBe(201);
		expect(emulator.faults.scriptRemaining).toBe(0);
		// Status faults answer before processing: 'one' and 'three' were never created.
		expect(
			emulator.store
				.directories()
				.map((d) => d.name)
				.sort(),
		).toEqual(['four', 'two']);
		expect(emulator.faults.counters).toMatchObject({ status503: 1, status502: 1, total: 2 });
	});

	test('reset before processing: the client gets a connection error and nothing is applied', async () => {
		emulator.faults.script([{ kind: 'reset', when: 'before' }]);
		await expect(call('POST', DIRS, { json: { name: 'lost' } })).rejects.toThrow();
		expect(emulator.store.directories()).toEqual([]);
		expect(emulator.faults.counters.resetBefore).toBe(1);
		expect((await call('GET', DIRS)).status).toBe(200); // the next request is fine
	});

	test('reset after processing: the connection drops but the change WAS applied', async () => {
		emulator.faults.script([{ kind: 'reset', when: 'after' }]);
		await expect(call('POST', DIRS, { json: { name: 'applied' } })).rejects.toThrow();
		expect(emulator.faults.counters.resetAfter).toBe(1);
		const listed = (await call('GET', DIRS)).body.items.map((d: any) => d.name);
		expect(listed).toEqual(['applied']);
		expect(emulator.requests.find((r) => r.method === 'POST')).toMatchObject({
			fault: 'resetAfter',
			status: 0,
		});
	});

	test('reset after processing an upload: the file is stored', async () => {
		const dir = (await call('POST', DIRS, { json: { name: 'up' } })).body.id;
		emulator.faults.script([{ kind: 'reset', when: 'after' }], { path: /upload$/ });
		await expect(
			call('POST', `${DIRS}/${dir}/files/upload`, {
				form: fileForm('upload_file', 'a.txt', 'content'),
			}),
		).rejects.toThrow();
		expect(emulator.store.files(dir).map((f) => f.unique_id)).toEqual(['a.txt']);
	});

	test('reset mid-upload (after part of the body): nothing is stored', async () => {
		const dir = (await call('POST', DIRS, { json: { name: 'up' } })).body.id;
		emulator.faults.script([{ kind: 'reset', when: 'before', readBytes: 64 * 1024 }]);
		await expect(
			call('POST', `${DIRS}/${dir}/files/upload`, {
				form: fileForm('upload_file', 'big.bin', Buffer.alloc(4 * 1024 * 1024, 7)),
			}),
		).rejects.toThrow();
		expect(emulator.store.files(dir)).toEqual([]);
		expect(emulator.store.activeUploads()).toEqual([]);
	});

	test('latency delays a request without failing it', async () => {
		emulator.faults.script([{ kind: 'latency', ms: 30 }]);
		expect((await call('GET', DIRS)).status).toBe(200);
		expect(emulator.faults.counters.latency).toBe(1);
		expect(emulator.requests.at(-1)!.fault).toBe('latency');
	});

	test('disable() stops injection, configure() restarts it, reset() restores the start options', async () => {
		emulator.faults.configure({ status500: 1 });
		expect((await call('GET', DIRS)).status).toBe(500);
		emulator.faults.disable();
		expect((await call('GET', DIRS)).status).toBe(200);
		emulator.faults.configure({ status503: 1 });
		expect((await call('GET', DIRS)).status).toBe(503);
		expect(emulator.faults.counters).toMatchObject({ status500: 1, status503: 1, total: 2 });
		emulator.faults.resetCounters();
		expect(emulator.faults.counters.total).toBe(0);
		emulator.faults.reset();
		expect((await call('GET', DIRS)).status).toBe(200);
	});

	test('faults never touch the health route, and are not recorded for it', async () => {
		emulator.faults.configure({ status500: 1 });
		emulator.clearRequests();
		expect((await call('GET', '/__emulator/health', { key: null })).status).toBe(200);
		expect(emulator.faults.counters.total).toBe(0);
		expect(emulator.requests).toHaveLength(0);
		emulator.faults.disable();
	});
});

describe('environment variables (standalone CLI)', () => {
	test('JSON and discrete fault variables combine; discrete ones win', () => {
		const faults = faultsFromEnv({
			LLAMACLOUD_EMULATOR_FAULTS: '{"status429":0.05,"status500":0.01,"seed":3}',
			LLAMACLOUD_EMULATOR_FAULT_500: '0.2',
			LLAMACLOUD_EMULATOR_FAULT_RESET_AFTER: '0.1',
			LLAMACLOUD_EMULATOR_FAULT_LATENCY_MS: '20-200',
			LLAMACLOUD_EMULATOR_FAULT_RETRY_AFTER: '2',
		});
		expect(faults).toEqual({
			status429: 0.05,
			status500: 0.2,
			seed: 3,
			resetAfter: 0.1,
			latencyMs: [20, 200],
			retryAfterSeconds: 2,
		});
		expect(faultsFromEnv({})).toBeUndefined();
	});

	test('bad values fail loudly, naming the variable', () => {
		expect(() => faultsFromEnv({ LLAMACLOUD_EMULATOR_FAULT_503: '2' })).toThrow(
			'LLAMACLOUD_EMULATOR_FAULT_503',
		);
		expect(() => faultsFromEnv({ LLAMACLOUD_EMULATOR_FAULTS: '{nope' })).toThrow(
			'LLAMACLOUD_EMULATOR_FAULTS',
		);
		expect(() => faultsFromEnv({ LLAMACLOUD_EMULATOR_FAULT_LATENCY_MS: '9-1' })).toThrow(
			'LLAMACLOUD_EMULATOR_FAULT_LATENCY_MS',
		);
		expect(() => optionsFromEnv({ PORT: 'http' })).toThrow('PORT');
	});

	test('port, key and limits', () => {
		expect(optionsFromEnv({}).port).toBe(8787);
		expect(optionsFromEnv({ PORT: '9000' }).port).toBe(9000);
		expect(optionsFromEnv({ PORT: '9000', LLAMACLOUD_EMULATOR_PORT: '9100' }).port).toBe(9100);
		expect(optionsFromEnv({ LLAMACLOUD_API_KEY: 'llx-mine' }).apiKey).toBe('llx-mine');
		expect(
			optionsFromEnv({
				LLAMACLOUD_EMULATOR_MAX_UPLOAD_BYTES: '1024',
				LLAMACLOUD_EMULATOR_BUILD_STEP_MS: '5',
			}),
		).toMatchObject({
			maxUploadBytes: 1024,
			buildStepMs: 5,
			quiet: false,
		});
	});
});

test('the PRNG is deterministic and uniform enough', () => {
	const a = createPrng(7);
	const b = createPrng(7);
	const xs = Array.from({ length: 10_000 }, () => a());
	expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
	const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
	expect(mean).toBeGreaterThan(0.45);
	expect(mean).toBeLessThan(0.55);
});
