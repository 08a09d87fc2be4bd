/**
 * The canary API key never appears in output items, error messages, error descriptions, any
 * other part of an error (cause, context, serialized form) or anything logged. Every test file
 * is checked after its tests (test/support/secrets.ts); this one provokes every kind of failure
 * with the canary as the key — wrong key, key echoed back by the server, HTML pages, dropped
 * connections, timeouts, refused connections, routed and programmatic requests, the trigger,
 * list searches, the credential test — and asserts over each error it gets, and that the check
 * would notice a leak.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../emulator';
import { LlamaCloudIngestApi } from '../../credentials/LlamaCloudIngestApi.credentials';
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { LlamaCloudIngestTrigger as LlamaCloudTrigger } from '../../nodes/LlamaCloud/LlamaCloudIngestTrigger.node';
import {
	findSecret,
	listSearch,
	makeBinaryItem,
	pollOnce,
	reachableStrings,
	recorded,
	runNode,
	testCredential,
	type Recorded,
} from '../../harness/engine';
import { CANARY_API_KEY } from '../support/canary';
import { byId, credential } from '../support/emulator';

let emulator: Emulator;
/** Expects another key: the canary is the wrong key there. */
let elsewhere: Emulator;
let directoryId: string;

beforeAll(async () => {
	emulator = await startEmulator({ apiKey: CANARY_API_KEY });
	elsewhere = await startEmulator({ apiKey: 'llx-the-right-key-for-elsewhere-000' });
	directoryId = emulator.store.createDirectory('Secrets').id;
});
afterAll(async () => {
	await emulator.close();
	await elsewhere.close();
});
beforeEach(() => {
	emulator.faults.disable();
	emulator.clearRequests();
});

const credentials = (baseUrl = emulator.url) => credential(emulator, { baseUrl });

/** Every error this file provokes, to assert over at the end as well. */
const provoked: unknown[] = [];

/** Asserts the canary is nowhere in an error: message, description, cause chain, context, JSON. */
function expectClean(error: unknown): void {
	expect(error).toBeDefined();
	provoked.push(error);
	const e = error as {
		message?: string;
		description?: string;
		cause?: unknown;
		context?: unknown;
		errorResponse?: unknown;
	};
	expect(e.message ?? '').not.toContain(CANARY_API_KEY);
	expect(e.description ?? '').not.toContain(CANARY_API_KEY);
	expect(JSON.stringify(error)).not.toContain(CANARY_API_KEY);
	expect(
		JSON.stringify({ cause: e.cause, context: e.context, errorResponse: e.errorResponse }),
	).not.toContain(CANARY_API_KEY);
	expect(findSecret(CANARY_API_KEY, [{ kind: 'error', value: error }])).toEqual([]);
}

async function failingRun(
	parameters: INodeParameters,
	baseUrl?: string,
	extra: Partial<Parameters<typeof runNode>[0]> = {},
) {
	const run = await runNode({
		type: LlamaCloud,
		parameters,
		credentials: credentials(baseUrl),
		...extra,
	});
	expect(run.error).toBeDefined();
	expectClean(run.error);
	expect(JSON.stringify(run.items)).not.toContain(CANARY_API_KEY);
	return run;
}

const getAll: INodeParameters = { resource: 'directory', operation: 'getAll' };
const uploadOne = (parameters: INodeParameters = {}) => ({
	parameters: {
		resource: 'file',
		operation: 'upload',
		directoryId: byId(directoryId),
		...parameters,
	},
	extra: {
		inputItems: [makeBinaryItem('secret stuff', { fileName: 's.txt' })],
		binaryDataMode: 'default' as const,
	},
});

describe('errors carry no key', () => {
	test('the canary as the wrong key (routed and upload): 401, key nowhere', async () => {
		const routed = await failingRun(getAll, elsewhere.url);
		expect(routed.error?.message).toBe(
			'LlamaCloud API error 401 Unauthorized: Invalid API key [item 0]',
		);
		const { parameters, extra } = uploadOne();
		const upload = await failingRun(parameters, elsewhere.url, extra);
		expect(upload.error?.message).toBe(
			'LlamaCloud API error 401 Unauthorized: Invalid API key [item 0]',
		);
	});

	test('a server that echoes the key in its error body: redacted', async () => {
		const echo = JSON.stringify({
			detail: `Key ${CANARY_API_KEY} is not allowed here (Authorization: Bearer ${CANARY_API_KEY})`,
		});
		emulator.faults.script([
			{ kind: 'status', status: 403, body: echo, contentType: 'application/json' },
		]);
		const run = await failingRun(getAll);
		expect(run.error?.message).toBe(
			'LlamaCloud API error 403 Forbidden: Key [redacted] is not allowed here (Authorization: Bearer [redacted]) [item 0]',
		);
		emulator.faults.script([
			{
				kind: 'status',
				status: 400,
				body: `<html><title>Bad ${CANARY_API_KEY}</title></html>`,
				contentType: 'text/html',
			},
		]);
		const html = await failingRun(getAll);
		expect(html.error?.message).toContain('[redacted]');
	});

	test('an echo in a programmatic request (upload) is redacted too', async () => {
		emulator.faults.script(
			[
				{
					kind: 'status',
					status: 400,
					body: `bad key ${CANARY_API_KEY}`,
					contentType: 'text/plain',
				},
			],
			{
				method: 'POST',
			},
		);
		const { parameters, extra } = uploadOne();
		const run = await failingRun(parameters, undefined, extra);
		expect(run.error?.message).toBe(
			'LlamaCloud API error 400 Bad Request: bad key [redacted] [item 0]',
		);
	});

	test('dropped connections, timeouts and refused connections, routed and programmatic', async () => {
		emulator.faults.configure({ resetBefore: 1 });
		await failingRun({ ...getAll, requestOptions: { maxTries: 2 } });
		const { parameters, extra } = uploadOne({ requestOptions: { maxTries: 2 } });
		await failingRun(parameters, undefined, extra);

		emulator.faults.configure({ latencyMs: 1500 });
		await failingRun({ ...getAll, requestOptions: { timeout: 200, maxTries: 1 } });
		const slow = uploadOne({ requestOptions: { timeout: 200, maxTries: 1 } });
		await failingRun(slow.parameters, undefined, slow.extra);
		emulator.faults.disable();

		await failingRun({ ...getAll, requestOptions: { maxTries: 1 } }, 'http://localhost:1');
		await failingRun(
			{ resource: 'directory', operation: 'create', name: 'x', requestOptions: { maxTries: 1 } },
			'http://localhost:1',
		);
	});

	test('a create whose answer was lost, and an HTML 502 page', async () => {
		emulator.faults.script([{ kind: 'reset', when: 'after' }], { method: 'POST' });
		await failingRun({ resource: 'directory', operation: 'create', name: 'lost' });
		emulator.faults.configure({ status502: 1 });
		const run = await failingRun({ ...getAll, requestOptions: { maxTries: 1 } });
		expect(run.error?.message).toContain('instead of JSON');
	});

	test('Sync with Wait Until Built on an unknown index, with continue-on-fail', async () => {
		const run = await runNode({
			type: LlamaCloud,
			parameters: {
				resource: 'index',
				operation: 'sync',
				indexId: byId('idx-nope'),
				waitUntilBuilt: true,
				pollInterval: 1,
				timeout: 5,
			},
			credentials: credentials(elsewhere.url),
			continueOnFail: true,
		});
		expect(run.items[0].json.error).toContain('401');
		// Continue-on-fail items carry the error's message and description, not the error itself.
		expectClean(run.items[0].json);
		expect(JSON.stringify(run.items)).not.toContain(CANARY_API_KEY);
	});

	test('the trigger: a poll with the wrong key, and one that meets dropped connections', async () => {
		const poll = (baseUrl: string, extra: INodeParameters = {}) =>
			pollOnce({
				nodeType: LlamaCloudTrigger,
				parameters: { directoryId: byId(directoryId), events: ['created'], ...extra },
				credentials: credentials(baseUrl),
				staticData: {},
			});
		let failure: unknown;
		await poll(elsewhere.url).catch((error: unknown) => (failure = error));
		expectClean(failure);
		emulator.faults.configure({ resetBefore: 1 });
		failure = undefined;
		await poll(emulator.url, { requestOptions: { maxTries: 2 } }).catch(
			(error: unknown) => (failure = error),
		);
		expectClean(failure);
	});

	test('list searches (the editor\'s "From List") and the credential test', async () => {
		let failure: unknown;
		await listSearch({
			nodeType: LlamaCloud,
			method: 'searchDirectories',
			credentials: credentials(elsewhere.url),
		}).catch((error: unknown) => (failure = error));
		expectClean(failure);
		expect((failure as Error).message).toBe(
			'LlamaCloud API error 401 Unauthorized: Invalid API key',
		);
		const found = await listSearch({
			nodeType: LlamaCloud,
			method: 'searchDirectories',
			credentials: credentials(),
		});
		expect(found.results.map((r) => r.value)).toContain(directoryId);

		const result = await testCredential(LlamaCloudIngestApi, {
			apiKey: CANARY_API_KEY,
			region: 'custom',
			baseUrl: elsewhere.url,
		});
		expect(result.status).toBe('Error');
		expect(JSON.stringify(result)).not.toContain(CANARY_API_KEY);
	});
});

describe('the check itself', () => {
	test("it finds a key anywhere in an error: n8n's own request error keeps the Authorization header in its cause", async () => {
		// What the transport must never let through: the error n8n's HTTP helper throws wraps the
		// axios error, whose request config has the bearer header. A throwaway key, not the canary,
		// so this file's own check stays meaningful.
		const probeKey = 'llx-probe-only-key-5e2b7c1d9a';
		let raw: unknown;
		const node = new LlamaCloud();
		(node.customOperations as Record<string, Record<string, unknown>>).directory = {
			probe: async function (this: import('n8n-workflow').IExecuteFunctions) {
				try {
					await this.helpers.httpRequestWithAuthentication.call(this, 'llamaCloudIngestApi', {
						method: 'GET',
						url: 'http://localhost:1/api/v1/beta/directories',
					});
				} catch (error) {
					raw = error;
				}
				return [[]];
			},
		};
		await runNode({
			type: node,
			parameters: { resource: 'directory', operation: 'probe' },
			credentials: {
				llamaCloudIngestApi: { apiKey: probeKey, region: 'custom', baseUrl: 'http://localhost:1' },
			},
		});
		expect(findSecret(probeKey, [{ kind: 'raw n8n error', value: raw }])).toHaveLength(1);
		expect(reachableStrings(raw).some((text) => text.includes(`Bearer ${probeKey}`))).toBe(true);
	});

	test('it looks into nested causes, non-enumerable fields, Maps and serialized forms', () => {
		const hidden = new Error('outer');
		Object.defineProperty(hidden, 'secret', {
			value: { deep: [new Map([['k', `x${CANARY_API_KEY}y`]])] },
			enumerable: false,
		});
		const values: Recorded[] = [{ kind: 'planted', value: { cause: hidden } }];
		expect(findSecret(CANARY_API_KEY, values)).toHaveLength(1);
		const serialized: Recorded[] = [
			{ kind: 'planted', value: { toJSON: () => ({ header: CANARY_API_KEY }) } },
		];
		expect(findSecret(CANARY_API_KEY, serialized)).toHaveLength(1);
	});

	test('everything this file provoked was recorded, and the canary is in none of it', () => {
		const kinds = new Set(recorded().map((r) => r.kind));
		for (const kind of [
			'run',
			'poll-error',
			'list-search',
			'list-search-error',
			'credential-test',
			'report:error',
		]) {
			expect(kinds).toContain(kind);
		}
		expect(provoked.length).toBeGreaterThanOrEqual(15);
		expect(
			findSecret(
				CANARY_API_KEY,
				provoked.map((value) => ({ kind: 'provoked', value })),
			),
		).toEqual([]);
		expect(findSecret(CANARY_API_KEY)).toEqual([]);
		// The recorders saw the errors themselves, not just the items.
		const reports = recorded()
			.filter((r) => r.kind === 'report:error')
			.map((r) => r.value as IDataObject);
		expect(reports.length).toBeGreaterThan(5);
	});
});
