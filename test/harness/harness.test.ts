import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { LlamaCloudIngestApi } from '../../credentials/LlamaCloudIngestApi.credentials';
import { ProbeDeclarative } from './fixtures/ProbeDeclarative.node';
import { ProbePoll } from './fixtures/ProbePoll.node';
import { ProbeStream } from './fixtures/ProbeStream.node';
import { QsProbeApi, QsViaCredential, QsViaRequestDefaults } from './fixtures/QsProbe';
import { startProbeServer } from './fixtures/probe-server';
import {
	generateBytes,
	makeBinaryItem,
	makeStoredBinaryItem,
	pollOnce,
	removeBinaryData,
	runNode,
	runWorkflow,
	testCredential,
} from '../../harness/engine';

const API_KEY = 'llx-harness-key';
let server: Awaited<ReturnType<typeof startProbeServer>>;
const creds = () => ({
	llamaCloudIngestApi: { apiKey: API_KEY, region: 'custom', baseUrl: server.url },
});

beforeAll(async () => {
	server = await startProbeServer({ apiKey: API_KEY });
});
afterAll(async () => {
	await server.close();
	removeBinaryData();
});
beforeEach(() => server.requests.splice(0));

describe('runNode / runWorkflow (WorkflowExecute)', () => {
	test('declarative probe runs over HTTP with the generic credential header resolved', async () => {
		const { items, error } = await runNode({ type: ProbeDeclarative, credentials: creds() });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			{ id: 'proj-1', name: 'Default', seq: 1 },
			{ id: 'proj-2', name: 'Default-2', seq: 1 },
		]);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({
			method: 'GET',
			path: '/api/v1/projects',
			rawQuery: '',
		});
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
	});

	test('parameter expressions resolve per item; pairedItem follows the engine rules', async () => {
		const { items, pairedItems } = await runNode({
			type: ProbeDeclarative,
			parameters: { name: '={{ $json.name.toUpperCase() }}' },
			credentials: creds(),
			inputItems: [{ json: { name: 'a' } }, { json: { name: 'b' } }, { json: { name: 'c' } }],
		});
		expect(server.requests.map((r) => r.query.name)).toEqual(['A', 'B', 'C']);
		expect(items.map((i) => i.json.name)).toEqual(['A', 'A-2', 'B', 'B-2', 'C', 'C-2']);
		// RoutingNode sets no pairedItem, and the engine only fills it in for 1→1, n→n and n→1;
		// 3 items → 6 items stays unpaired.
		expect(pairedItems).toEqual([[], [], [], [], [], []]);
	});

	test('pairedItem: n items in, n items out are paired by index', async () => {
		const a = makeBinaryItem('alpha');
		const b = makeBinaryItem('beta');
		const { items, pairedItems } = await runNode({
			type: ProbeStream,
			inputItems: [a, b],
			binaryDataMode: 'default',
		});
		expect(items).toHaveLength(2);
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }]]);
	});

	test('continue-on-fail turns a failed request into an error item; without it the node errors', async () => {
		const ok = await runNode({
			type: ProbeDeclarative,
			parameters: { path: '/fail' },
			credentials: creds(),
			continueOnFail: true,
			inputItems: [{ json: { n: 1 } }, { json: { n: 2 } }],
		});
		expect(ok.error).toBeUndefined();
		expect(ok.workflowRun.status).toBe('success');
		// one error item per input item: json.error = message, item.error = the NodeApiError
		expect(ok.items).toHaveLength(2);
		expect(ok.pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }]]);
		for (const item of ok.items) {
			expect(item.json).toEqual({ error: 'The service was not able to process your request' });
			expect(item.error).toMatchObject({
				name: 'NodeApiError',
				context: { data: { detail: 'boom' } },
			});
		}

		const failed = await runNode({
			type: ProbeDeclarative,
			parameters: { path: '/fail' },
			credentials: creds(),
		});
		expect(failed.workflowRun.status).toBe('error');
		expect(failed.items).toEqual([]);
		expect(failed.error).toMatchObject({ httpCode: '500' });
	});

	test('missing credentials fail like n8n', async () => {
		const none = await runNode({ type: ProbeDeclarative });
		expect(none.error?.message).toMatch(/does not have any credentials set/);

		// node refers to a credential the harness was not given
		const run = await runWorkflow({
			nodes: [
				{
					id: 's',
					name: 'Start',
					type: 'harness.start',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'p',
					name: 'Probe',
					type: 'n8n-nodes-llamacloud-ingest.harnessProbe',
					typeVersion: 1,
					position: [1, 0],
					parameters: {},
					credentials: { llamaCloudIngestApi: { id: 'other', name: 'Other' } },
				},
			],
			connections: { Start: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } },
			nodeTypes: { 'n8n-nodes-llamacloud-ingest.harnessProbe': new ProbeDeclarative() },
		});
		expect(run.error('Probe')?.message).toBe(
			'Credential with ID "other" does not exist for type "llamaCloudIngestApi".',
		);
	});
});

describe('binary data', () => {
	const SIZE = Number(process.env.HARNESS_BIG_BYTES ?? 64 * 1024 * 1024);
	const expectedHash = () => {
		const hash = createHash('sha256');
		for (const chunk of generateBytes(SIZE)) hash.update(chunk);
		return hash.digest('hex');
	};

	test('filesystem mode: a large stored item streams back intact through getBinaryStream', async () => {
		const item = await makeStoredBinaryItem(generateBytes(SIZE), { fileName: 'big.bin' });
		expect(item.binary!.data.id).toMatch(/^filesystem-v2:/);
		expect(item.binary!.data.bytes).toBe(SIZE);
		const { items, error } = await runNode({
			type: ProbeStream,
			inputItems: [item],
			binaryDataMode: 'filesystem',
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ stored: true, bytes: SIZE, sha256: expectedHash() });
		expect(items[0].json.metadata).toMatchObject({ fileName: 'big.bin', fileSize: SIZE });
	});

	test('memory item: inline in default mode; stored by prepareBinaryData in filesystem mode', async () => {
		const content = Buffer.from('hello binary');
		const sha256 = createHash('sha256').update(content).digest('hex');
		const inline = await runNode({
			type: ProbeStream,
			inputItems: [makeBinaryItem(content)],
			binaryDataMode: 'default',
		});
		expect(inline.items[0].json).toMatchObject({ stored: false, sha256, bytes: content.length });

		const stored = await runNode({
			type: ProbeStream,
			inputItems: [makeBinaryItem(content)],
			binaryDataMode: 'filesystem',
			storeBinary: true,
		});
		expect(stored.items[0].json).toMatchObject({ stored: true, sha256, bytes: content.length });
		const startOutput = stored.workflowRun.items('Start')[0];
		expect(startOutput.binary!.data.id).toMatch(
			/^filesystem-v2:workflows\/harness-workflow\/executions\//,
		);
	});
});

describe('pollOnce (PollContext)', () => {
	const base = {
		nodeType: ProbePoll,
		get credentials() {
			return creds();
		},
	};

	test('static data persists across polls and can be replayed', async () => {
		const first = await pollOnce({ ...base, staticData: {} });
		expect(first.items).toEqual([{ json: { count: 1, previous: 0, region: 'custom' } }]);
		expect(first.staticData).toEqual({ count: 1, seen: ['poll-1'] });
		expect(first.staticDataChanged).toBe(true);

		const second = await pollOnce({ ...base, staticData: first.staticData });
		expect(second.items![0].json).toMatchObject({ count: 2, previous: 1 });
		expect(second.staticData).toEqual({ count: 2, seen: ['poll-1', 'poll-2'] });
		// the caller's object is not mutated, so an old state can be replayed
		expect(first.staticData).toEqual({ count: 1, seen: ['poll-1'] });
		const replay = await pollOnce({ ...base, staticData: first.staticData });
		expect(replay.staticData).toEqual(second.staticData);
	});

	test('manual mode leaves static data alone; null result still stores the cursor', async () => {
		const manual = await pollOnce({ ...base, staticData: { count: 5 }, mode: 'manual' });
		expect(manual.items).toEqual([{ json: { count: 5, manual: true } }]);
		expect(manual.staticData).toEqual({ count: 5 });
		expect(manual.staticDataChanged).toBe(false);

		const quiet = await pollOnce({
			...base,
			parameters: { emit: false },
			staticData: { count: 5 },
		});
		expect(quiet.items).toBeNull();
		expect(quiet.staticData).toMatchObject({ count: 6 });
	});
});

describe('testCredential (CredentialsTester + RoutingNode)', () => {
	test('OK with the right key (trailing slash in the base URL is stripped)', async () => {
		const result = await testCredential(LlamaCloudIngestApi, {
			apiKey: API_KEY,
			region: 'custom',
			baseUrl: `${server.url}/`,
		});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(server.requests[0]).toMatchObject({ path: '/api/v1/projects' });
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
	});

	test('Error on 401', async () => {
		const result = await testCredential(LlamaCloudIngestApi, {
			apiKey: 'wrong',
			region: 'custom',
			baseUrl: server.url,
		});
		// The credential's rules turn the 401 into its own message, as n8n's tester does.
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^The API key was rejected/);
	});
});

// Pinned facts about how n8n sends a query value that resolves to undefined / ''.
describe('undefined query values', () => {
	const run = (type: typeof QsViaCredential | typeof QsViaRequestDefaults, projectId: string) =>
		runNode({
			type,
			credentialTypes: [QsProbeApi],
			credentials: {
				qsProbeApi: { apiKey: API_KEY, baseUrl: server.url, projectId },
				llamaCloudIngestApi: { apiKey: API_KEY, region: 'custom', baseUrl: server.url, projectId },
			},
		});

	test("credential authenticate.qs: undefined becomes '' and is sent as project_id=", async () => {
		await run(QsViaCredential, '');
		await run(QsViaCredential, 'p1');
		expect(server.requests.map((r) => r.rawQuery)).toEqual(['project_id=', 'project_id=p1']);
	});

	test('requestDefaults.qs: undefined stays undefined and is dropped', async () => {
		await run(QsViaRequestDefaults, '');
		await run(QsViaRequestDefaults, 'p1');
		expect(server.requests.map((r) => r.rawQuery)).toEqual(['', 'project_id=p1']);
	});
});

// The same end-to-end checks against the project's emulator, once it exists (built in parallel).
const emulatorEntry = join(__dirname, '../../emulator/index.ts');
(existsSync(emulatorEntry) ? describe : describe.skip)('against the emulator', () => {
	let emulator: { url: string; apiKey: string; close(): Promise<void> };
	beforeAll(async () => {
		// A computed path keeps tsc from requiring the module before it exists.
		const { startEmulator } = require(emulatorEntry);
		emulator = await startEmulator({ port: 0, apiKey: API_KEY });
	});
	afterAll(async () => emulator?.close());

	test('declarative probe lists projects; credential test passes and fails on a wrong key', async () => {
		const { items, error } = await runNode({
			type: ProbeDeclarative,
			credentials: {
				llamaCloudIngestApi: { apiKey: API_KEY, region: 'custom', baseUrl: emulator.url },
			},
		});
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		expect(items[0].json).toHaveProperty('id');

		const base = { region: 'custom', baseUrl: emulator.url };
		const good = await testCredential(LlamaCloudIngestApi, { ...base, apiKey: API_KEY });
		expect(good).toMatchObject({ status: 'OK' });
		const bad = await testCredential(LlamaCloudIngestApi, { ...base, apiKey: 'wrong' });
		expect(bad).toMatchObject({ status: 'Error' });
	});
});
