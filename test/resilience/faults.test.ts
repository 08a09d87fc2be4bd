/**
 * Retries under injected faults, through n8n's engine against the emulator: the node's
 * Request Options (Max Tries, Max Retry Wait, Timeout) for routed and programmatic requests,
 * Retry-After, creates whose answer was lost (reconciled or failed clearly, never repeated
 * blindly), sync-and-wait polling through faults, and the trigger polling through a 503.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator, type Emulator, type RecordedRequest } from '../../emulator';
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { LlamaCloudIngestTrigger as LlamaCloudTrigger } from '../../nodes/LlamaCloud/LlamaCloudIngestTrigger.node';
import { makeBinaryItem, pollOnce, runNode, type RunNodeOptions } from '../../harness/engine';
import { CANARY_API_KEY } from '../support/canary';
import { byId, credential } from '../support/emulator';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ apiKey: CANARY_API_KEY, buildStepMs: 30 });
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

const credentials = () => credential(emulator);
const requestsTo = (method: string, path: RegExp): RecordedRequest[] =>
	emulator.requests.filter((r) => r.method === method && path.test(r.path));
const DIRECTORIES = /^\/api\/v1\/beta\/directories$/;
const ONE_DIRECTORY = /^\/api\/v1\/beta\/directories\/[^/]+$/;
const FILES = /^\/api\/v1\/beta\/directories\/[^/]+\/files$/;
const UPLOAD = /\/files\/upload$/;
const INDEXES = /^\/api\/v1\/indexes$/;

function run(parameters: INodeParameters, options: Partial<RunNodeOptions> = {}) {
	return runNode({ type: LlamaCloud, parameters, credentials: credentials(), ...options });
}

const status = (code: number, retryAfterSeconds?: number) => ({
	kind: 'status' as const,
	status: code,
	retryAfterSeconds,
});

describe('Request Options: Max Tries, Max Retry Wait, Timeout', () => {
	test("the node offers Max Tries and Max Retry Wait next to n8n's own Timeout, in one Request Options collection", async () => {
		// The harness applies n8n's loader, which merges its Request Options into ours.
		const directory = emulator.store.createDirectory('D');
		const { workflowRun } = await run({
			resource: 'directory',
			operation: 'get',
			directoryId: byId(directory.id),
		});
		expect(workflowRun.status).toBe('success');
		const { properties } = new LlamaCloud().description;
		expect(properties.filter((p) => p.name === 'requestOptions')).toHaveLength(1);
		const trigger = new LlamaCloudTrigger().description.properties.find(
			(p) => p.name === 'requestOptions',
		);
		expect((trigger?.options ?? []).map((o) => o.name)).toEqual([
			'maxTries',
			'maxRetryWait',
			'allowUnauthorizedCerts',
			'proxy',
			'timeout',
		]);
	});

	test('routed: a 503 that persists is sent exactly Max Tries times, then fails saying so', async () => {
		const directory = emulator.store.createDirectory('D');
		emulator.faults.script(
			Array.from({ length: 10 }, () => status(503, 0)),
			{ method: 'GET' },
		);
		const { error } = await run({
			resource: 'directory',
			operation: 'get',
			directoryId: byId(directory.id),
			requestOptions: { maxTries: 3 },
		});
		expect(error?.message).toBe(
			'LlamaCloud API error 503 Service Unavailable: Service Unavailable [item 0]',
		);
		expect(error?.description).toContain(
			`GET ${emulator.url}/api/v1/beta/directories/${directory.id}.`,
		);
		expect(error?.description).toContain('Tried 3 times');
		expect(error?.description).toContain('"Max Tries"');
		expect(requestsTo('GET', ONE_DIRECTORY)).toHaveLength(3);
	});

	test('programmatic (Upload): the same setting bounds the tries per item', async () => {
		const directory = emulator.store.createDirectory('D');
		emulator.faults.script(
			Array.from({ length: 10 }, () => status(500)),
			{ method: 'POST', path: UPLOAD },
		);
		const { error } = await run(
			{
				resource: 'file',
				operation: 'upload',
				directoryId: byId(directory.id),
				requestOptions: { maxTries: 2 },
			},
			{ inputItems: [makeBinaryItem('a', { fileName: 'a.txt' })], binaryDataMode: 'default' },
		);
		expect(error?.message).toBe(
			'LlamaCloud API error 500 Internal Server Error: Internal Server Error [item 0]',
		);
		expect(error?.description).toContain('Tried 2 times');
		expect(requestsTo('POST', UPLOAD)).toHaveLength(2);
	});

	test('Max Tries 1 turns retries off: one request, no attempts note', async () => {
		emulator.faults.script([status(429, 0)], { method: 'GET' });
		const { error } = await run({
			resource: 'directory',
			operation: 'getAll',
			requestOptions: { maxTries: 1 },
		});
		expect(error?.message).toBe(
			'LlamaCloud API error 429 Too Many Requests: Too Many Requests [item 0]',
		);
		expect(error?.description).not.toContain('Tried');
		expect(requestsTo('GET', DIRECTORIES)).toHaveLength(1);
	});

	test('a Retry-After longer than Max Retry Wait fails at once instead of waiting', async () => {
		emulator.faults.script([status(429, 120)], { method: 'GET' });
		const { error } = await run({
			resource: 'directory',
			operation: 'getAll',
			requestOptions: { maxRetryWait: 5 },
		});
		expect(error?.message).toContain('429 Too Many Requests');
		expect(error?.description).toContain(
			'LlamaCloud asked to wait 120 s before trying again, longer than "Max Retry Wait (Seconds)" allows',
		);
		expect(requestsTo('GET', DIRECTORIES)).toHaveLength(1);
	});

	test('Retry-After is honoured: the retry is not sent before the time the server asked for', async () => {
		emulator.faults.script([status(503, 1)], { method: 'GET' });
		const { error, items } = await run({ resource: 'directory', operation: 'getAll' });
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		const [first, second] = requestsTo('GET', DIRECTORIES);
		expect([first.status, second.status]).toEqual([503, 200]);
		// A correctness bound (the client must not come back early), not a speed measurement.
		expect(Date.parse(second.at) - Date.parse(first.at)).toBeGreaterThanOrEqual(1000);
	});

	test('a 402 (out of credits) says so and is not retried', async () => {
		emulator.faults.script(
			[{ kind: 'status', status: 402, body: '{"detail":"Insufficient credits"}' }],
			{ method: 'GET' },
		);
		const { error } = await run({ resource: 'directory', operation: 'getAll' });
		expect(error?.message).toBe(
			'LlamaCloud API error 402 Payment Required (out of credits): Insufficient credits [item 0]',
		);
		expect((error as unknown as { description: string }).description).toContain(
			'run out of credits',
		);
		expect(requestsTo('GET', DIRECTORIES)).toHaveLength(1);
	});

	test('statuses that cannot heal are not retried: 400, 401, 402, 404, 409, 422', async () => {
		for (const code of [400, 401, 402, 404, 409, 422]) {
			emulator.clearRequests();
			emulator.faults.script([status(code)], { method: 'GET' });
			const { error } = await run({ resource: 'directory', operation: 'getAll' });
			expect((error as unknown as { httpCode: string }).httpCode).toBe(String(code));
			expect(requestsTo('GET', DIRECTORIES)).toHaveLength(1);
		}
	});

	test("Timeout (n8n's own Request Options setting) bounds programmatic requests too; a slow answer is retried", async () => {
		const directory = emulator.store.createDirectory('D');
		// The upload's first attempt is slower than the timeout; the second is not.
		emulator.faults.script([{ kind: 'latency', ms: 3000 }], { method: 'POST', path: UPLOAD });
		const { error, items } = await run(
			{
				resource: 'file',
				operation: 'upload',
				directoryId: byId(directory.id),
				requestOptions: { timeout: 500 },
			},
			{ inputItems: [makeBinaryItem('slow', { fileName: 'slow.txt' })], binaryDataMode: 'default' },
		);
		expect(error).toBeUndefined();
		expect(items[0].json.unique_id).toBe('slow.txt');
		// The slow attempt may have been applied: it was looked up by unique ID before sending again.
		expect(emulator.store.files(directory.id)).toHaveLength(1);
		expect(requestsTo('GET', FILES).length).toBeGreaterThanOrEqual(1);
	});

	test('an answer slower than Timeout on every try fails naming the timeout and the setting', async () => {
		emulator.faults.configure({ latencyMs: 2000, methods: ['GET'] });
		const { error } = await run({
			resource: 'directory',
			operation: 'getAll',
			requestOptions: { timeout: 300, maxTries: 2 },
		});
		expect(error?.message).toBe('LlamaCloud did not answer within 0.3 s [item 0]');
		expect(error?.description).toContain('Raise "Timeout" in the node\'s Request Options');
		expect(error?.description).toContain('Tried 2 times');
		expect(requestsTo('GET', DIRECTORIES)).toHaveLength(2);
	});
});

describe('creates whose answer was lost are never repeated blindly', () => {
	test('Directory Create (no natural key): the item fails clearly, the POST is not sent again, the others succeed', async () => {
		emulator.faults.script([null, { kind: 'reset', when: 'after' }], {
			method: 'POST',
			path: DIRECTORIES,
		});
		const { items, error } = await run(
			{
				resource: 'directory',
				operation: 'create',
				name: '={{ $json.name }}',
				requestOptions: { maxTries: 5 },
			},
			{
				continueOnFail: true,
				inputItems: [{ json: { name: 'A' } }, { json: { name: 'B' } }, { json: { name: 'C' } }],
			},
		);
		expect(error).toBeUndefined();
		expect(requestsTo('POST', DIRECTORIES)).toHaveLength(3);
		// The server did create B; it exists exactly once.
		expect(
			emulator.store
				.directories()
				.map((d) => d.name)
				.sort(),
		).toEqual(['A', 'B', 'C']);
		// Continue-on-fail items: the message as `error`, the description as `details`.
		const failed = items.find((item) => item.json.error);
		expect(failed?.json.error).toMatch(
			/^The connection to LlamaCloud dropped after POST \/api\/v1\/beta\/directories was sent, so it is unknown whether it was applied \[item \d\]$/,
		);
		expect(failed?.json.details).toContain('It was not sent again, to avoid creating a duplicate');
		expect(items.filter((item) => !item.json.error).map((item) => item.json.name)).toHaveLength(2);
	});

	test('Directory Create: a connection reset before processing cannot be told apart, so it fails clearly too', async () => {
		emulator.faults.script([{ kind: 'reset', when: 'before' }], {
			method: 'POST',
			path: DIRECTORIES,
		});
		const { error } = await run({ resource: 'directory', operation: 'create', name: 'Once' });
		expect(error?.message).toContain('unknown whether it was applied');
		expect(requestsTo('POST', DIRECTORIES)).toHaveLength(1);
		expect(emulator.store.directories()).toHaveLength(0);
	});

	test('Directory Create: a 503 (nothing applied) is retried and creates one directory', async () => {
		emulator.faults.script([status(503, 0), status(429, 0)], { method: 'POST', path: DIRECTORIES });
		const { items, error } = await run({
			resource: 'directory',
			operation: 'create',
			name: 'Retried',
		});
		expect(error).toBeUndefined();
		expect(requestsTo('POST', DIRECTORIES).map((r) => r.status)).toEqual([503, 429, 201]);
		expect(emulator.store.directories().map((d) => d.id)).toEqual([items[0].json.id]);
	});

	test('Directory Create: a 502 from a gateway may have been applied upstream, so it is not repeated either', async () => {
		emulator.faults.script([status(502)], { method: 'POST', path: DIRECTORIES });
		const { error } = await run({ resource: 'directory', operation: 'create', name: 'Maybe' });
		expect(error?.message).toBe(
			'A gateway answered 502 Bad Gateway to POST /api/v1/beta/directories, so it is unknown whether it was applied [item 0]',
		);
		expect(error?.description).toContain('502 Bad Gateway: the server answered with an HTML page');
		expect(requestsTo('POST', DIRECTORIES)).toHaveLength(1);
	});

	test('Index Create (no natural key): fails clearly after a reset, the index exists once', async () => {
		const source = emulator.store.createDirectory('Source');
		emulator.faults.script([{ kind: 'reset', when: 'after' }], { method: 'POST', path: INDEXES });
		const { error } = await run({
			resource: 'index',
			operation: 'create',
			sourceDirectoryId: byId(source.id),
		});
		expect(error?.message).toMatch(
			/dropped after POST \/api\/v1\/indexes was sent, so it is unknown whether it was applied \[item 0\]/,
		);
		expect(requestsTo('POST', INDEXES)).toHaveLength(1);
		expect(emulator.store.indexes()).toHaveLength(1);
		await emulator.waitForBuilds();
	});

	test('File Add with a unique ID: reconciled by it — one POST, one file, the items succeed', async () => {
		const directory = emulator.store.createDirectory('D');
		const [a, b] = emulator.store.seedFiles(emulator.store.createDirectory('Stored').id, 2);
		emulator.faults.script(
			[
				{ kind: 'reset', when: 'after' },
				{ kind: 'reset', when: 'before' },
			],
			{ method: 'POST', path: FILES },
		);
		const { items, error } = await run(
			{
				resource: 'file',
				operation: 'add',
				directoryId: byId(directory.id),
				storageFileId: '={{ $json.fileId }}',
				additionalFields: { uniqueId: '={{ $json.key }}' },
			},
			{
				inputItems: [
					{ json: { fileId: a.file_id, key: 'k-a' } },
					{ json: { fileId: b.file_id, key: 'k-b' } },
				],
			},
		);
		expect(error).toBeUndefined();
		const live = emulator.store.files(directory.id);
		expect(live.map((f) => f.unique_id).sort()).toEqual(['k-a', 'k-b']);
		expect(items.map((item) => item.json.id).sort()).toEqual(live.map((f) => f.id).sort());
		// The applied one was found; the one reset before processing was sent again.
		const posts = requestsTo('POST', FILES);
		expect(posts).toHaveLength(3);
		expect(posts.filter((r) => r.status === 409)).toEqual([]);
	});
});

describe('Index → Sync with "Wait Until Built" polls through faults', () => {
	// Builds slow enough that polling meets every scripted fault before the end.
	let slow: Emulator;
	beforeAll(async () => {
		slow = await startEmulator({ apiKey: CANARY_API_KEY, buildStepMs: 1500 });
	});
	afterAll(async () => {
		await slow.close();
	});

	test('503, 429, 502, resets and latency while polling: it still reports the final state', async () => {
		const emulator = slow;
		const run = (parameters: INodeParameters) =>
			runNode({
				type: LlamaCloud,
				parameters,
				credentials: credential(slow),
			});
		const requestsTo = (method: string, path: RegExp) =>
			slow.requests.filter((r) => r.method === method && path.test(r.path));
		const source = emulator.store.createDirectory('Handbook');
		emulator.store.seedFiles(source.id, 3, {
			displayName: (i) => `chapter-${i}.md`,
			content: (i) => `# Chapter ${i}\n\nText.\n`,
		});
		const created = await run({
			resource: 'index',
			operation: 'create',
			sourceDirectoryId: byId(source.id),
		});
		const indexId = String(created.items[0].json.id);
		await emulator.waitForBuilds();
		emulator.store.seedFiles(source.id, 1, {
			displayName: () => 'appendix.md',
			content: '# Appendix\n\nLate.\n',
		});
		emulator.clearRequests();

		// In request order: the GET before the sync; the sync, whose answer is lost although it
		// was applied (syncing again is harmless, so it is retried: the build it started refuses
		// the retry with 409, so the node waits for that build); then the polling GETs meet one
		// fault after another.
		emulator.faults.script(
			[
				null,
				{ kind: 'reset', when: 'after' },
				null,
				status(503, 0),
				{ kind: 'reset', when: 'before' },
				status(429, 0),
				null,
				status(502),
				{ kind: 'reset', when: 'after' },
				{ kind: 'latency', ms: 50 },
				status(500),
			],
			{ path: /^\/api\/v1\/indexes\/[^/]+(\/sync)?$/ },
		);
		const { items, error } = await run({
			resource: 'index',
			operation: 'sync',
			indexId: byId(indexId),
			waitUntilBuilt: true,
			pollInterval: 0.5,
			timeout: 60,
		});
		expect(error).toBeUndefined();
		expect(emulator.faults.scriptRemaining).toBe(0);
		const index = items[0].json as { metadata: IDataObject; updated_at: string };
		expect(index.metadata).toMatchObject({ status: 'ready' });
		// What it reports is the index's real final state, after every build the syncs started.
		await emulator.waitForBuilds();
		const record = emulator.store.index(indexId)!;
		expect(record.metadata).toMatchObject({ status: 'ready', files_total: 4, build_number: 3 });
		expect(index.updated_at).toBe(record.updated_at);
		// The lost answer, the retry the running build refused, then (once that build ended) the
		// sync that was accepted; a scripted fault may land on a POST too when builds are quick.
		const posts = requestsTo('POST', /\/sync$/);
		expect(posts[0]).toMatchObject({ status: 0, fault: 'resetAfter' });
		expect(posts[1].status).toBe(409);
		expect(posts[posts.length - 1].status).toBe(202);
		expect(posts.slice(2, -1).every((r) => r.fault !== undefined)).toBe(true);
		expect(emulator.requests.filter((r) => r.fault && r.fault !== 'latency')).toHaveLength(7);
	});
});

describe('LlamaCloud Trigger polls through a transient failure', () => {
	const parameters = (): INodeParameters => ({
		directoryId: byId(directoryId),
		events: ['created'],
		options: {},
	});
	let directoryId: string;

	beforeEach(() => {
		directoryId = emulator.store.createDirectory('Inbox').id;
	});

	const poll = (staticData: IDataObject, extra: INodeParameters = {}) =>
		pollOnce({
			nodeType: LlamaCloudTrigger,
			parameters: { ...parameters(), ...extra },
			credentials: credentials(),
			staticData,
		});

	test('a poll that meets a 503 then succeeds within its retries emits its events once', async () => {
		const first = await poll({});
		expect(first.items).toBeNull(); // the first poll only records where the directory is
		emulator.store.seedFiles(directoryId, 3, { displayName: (i) => `new-${i}.pdf` });

		emulator.faults.script([status(503, 0)], { method: 'GET', path: FILES });
		const second = await poll(first.staticData);
		expect(requestsTo('GET', FILES).filter((r) => r.status === 503)).toHaveLength(1);
		expect(
			(second.items ?? []).map((item) => `${item.json.event}:${item.json.display_name}`).sort(),
		).toEqual(['created:new-0.pdf', 'created:new-1.pdf', 'created:new-2.pdf']);

		const third = await poll(second.staticData);
		expect(third.items).toBeNull();
	});

	test('a poll whose retries run out fails, keeps its cursor, and the next poll emits the events once', async () => {
		const first = await poll({});
		emulator.store.seedFiles(directoryId, 2, { displayName: (i) => `late-${i}.pdf` });
		emulator.faults.script([status(503, 0), status(503, 0)], { method: 'GET', path: FILES });
		await expect(poll(first.staticData, { requestOptions: { maxTries: 2 } })).rejects.toThrow(
			'LlamaCloud API error 503 Service Unavailable',
		);
		const next = await poll(first.staticData);
		expect((next.items ?? []).map((item) => item.json.display_name).sort()).toEqual([
			'late-0.pdf',
			'late-1.pdf',
		]);
		expect((await poll(next.staticData)).items).toBeNull();
	});
});
