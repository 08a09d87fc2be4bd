/**
 * Class 3 of issue 14: secrets. The API key never leaves for another origin — a redirect is
 * not followed, whatever request meets it (routed, programmatic, the trigger, list searches,
 * the credential test) — and never appears in any output, whatever the server echoes: error
 * bodies, 200 bodies, a build's failure reason, a redirect's Location, the refusal of a base URL
 * that contains it, a key stored with whitespace around it.
 *
 * The second origin records everything that reaches it, and the after-file scan
 * (test/support/secrets.ts) fails this file if the canary is in any of it.
 */
import type { ExecutionError } from 'n8n-workflow';

import { LlamaCloudIngestApi } from '../../credentials/LlamaCloudIngestApi.credentials';
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import {
	findSecret,
	listSearch,
	makeBinaryItem,
	recorded,
	runNode,
	testCredential,
} from '../../harness/engine';
import { CANARY_API_KEY, findSecretInAnyForm } from '../support/canary';
import { byId, useHostileApi } from '../support/hostile-api';
import type { ReceivedRequest } from '../support/hostile-server';

const api = useHostileApi({ buildStepMs: 10 });

const DIRECTORIES = '/api/v1/beta/directories';
const FILES = /^\/api\/v1\/beta\/directories\/[^/]+\/files$/;
const NOT_FOLLOWED =
	/answered with a redirect to (http:\/\/127\.0\.0\.1:\d+|another path), which the node does not follow/;

/** Nothing carrying the key reached the other origin (nothing at all, in fact). */
function expectNothingForeign() {
	expect(api.foreign.requests.map((r) => r.bearer ?? '(no key)')).toEqual([]);
}

function expectNoKey(value: unknown) {
	expect(findSecret(CANARY_API_KEY, [{ kind: 'checked', value }])).toEqual([]);
}

describe('redirects are not followed: the key stays with its origin', () => {
	const redirectAll = (status: 301 | 302 | 303 | 307 | 308 = 307) =>
		api.hostile.on({}, (request: ReceivedRequest) => ({
			redirect: `${api.foreign.url}${request.path}`,
			status,
		}));

	test.each([301, 302, 303, 307, 308] as const)(
		'routed Get Many meeting a %i to another origin fails naming the request',
		async (status) => {
			redirectAll(status);
			const { error } = await api.run({ resource: 'directory', operation: 'getAll' });
			expect(error?.message).toMatch(NOT_FOLLOWED);
			expect(error?.message).toMatch(/\[item 0\]$/);
			expect(error?.description).toContain(`GET ${api.hostile.url}${DIRECTORIES}.`);
			expectNothingForeign();
		},
	);

	test('an Upload meeting a redirect sends its file nowhere else', async () => {
		const directory = api.emulator.store.createDirectory('Uploads');
		redirectAll(307);
		const { error } = await api.run(
			{ resource: 'file', operation: 'upload', directoryId: byId(directory.id) },
			{
				inputItems: [makeBinaryItem('secret file', { fileName: 's.txt' })],
				binaryDataMode: 'default',
			},
		);
		expect(error?.message).toMatch(NOT_FOLLOWED);
		expectNothingForeign();
	});

	test('Sync, the trigger and a list search refuse it too', async () => {
		redirectAll(302);
		const sync = await api.run({ resource: 'index', operation: 'sync', indexId: byId('idx-1') });
		expect(sync.error?.message).toMatch(NOT_FOLLOWED);
		const directory = api.emulator.store.createDirectory('Inbox');
		await expect(
			api.poll({
				parameters: { directoryId: byId(directory.id), events: ['created'] },
				staticData: {},
			}),
		).rejects.toThrow(NOT_FOLLOWED);
		await expect(
			listSearch({
				nodeType: LlamaCloud,
				method: 'searchDirectories',
				credentials: api.credentials(),
			}),
		).rejects.toThrow(NOT_FOLLOWED);
		expectNothingForeign();
	});

	test('the credential test does not follow it either', async () => {
		redirectAll(302);
		const result = await testCredential(LlamaCloudIngestApi, {
			apiKey: CANARY_API_KEY,
			region: 'custom',
			baseUrl: api.hostile.url,
		});
		expect(result.status).toBe('Error');
		expectNothingForeign();
	});

	test('a redirect whose Location carries the key: the message shows no more than the origin', async () => {
		api.hostile.on({}, (request) => ({
			redirect: `${api.foreign.url}/login?token=${request.bearer}`,
		}));
		const { error } = await api.run({ resource: 'directory', operation: 'getAll' });
		expect(error?.message).toMatch(NOT_FOLLOWED);
		expectNoKey(error);
		expectNothingForeign();
	});

	test('a redirect to the same origin is refused too (the node follows no redirect)', async () => {
		api.hostile.on({ path: DIRECTORIES }, { redirect: `${DIRECTORIES}/`, status: 307 });
		const { error } = await api.run({ resource: 'directory', operation: 'getAll' });
		expect(error?.message).toMatch(/answered with a redirect to another path/);
	});
});

describe('the key never appears in output, whatever the server echoes', () => {
	test('a base URL that contains the key is refused without repeating it', async () => {
		for (const baseUrl of [
			`http://127.0.0.1:1/${CANARY_API_KEY}`,
			`http://user:${CANARY_API_KEY}@127.0.0.1:1`,
			`http://127.0.0.1:1?key=${CANARY_API_KEY}`,
		]) {
			const { error } = await runNode({
				type: LlamaCloud,
				parameters: { resource: 'directory', operation: 'getAll' },
				credentials: api.credentials({ baseUrl }),
			});
			expect(error?.message).toMatch(/The credential's Base URL/);
			expectNoKey(error);
		}
	});

	test('a 200 body that echoes the key (a directory named after it) is redacted in the output', async () => {
		const directory = api.emulator.store.createDirectory('Echo');
		api.hostile.on(
			{ method: 'GET' },
			{
				forward: true,
				transform: (json, request) => ({ ...(json as object), name: `for ${request.bearer}` }),
			},
		);
		const { error, items } = await api.run({
			resource: 'directory',
			operation: 'get',
			directoryId: byId(directory.id),
		});
		expect(error).toBeUndefined();
		expect(items[0].json.name).toBe('for [redacted]');
	});

	test("a failed build's reason that echoes the key is redacted", async () => {
		api.hostile.on({ method: 'POST', path: /\/sync$/ }, { json: {} });
		api.hostile.on({ method: 'GET', path: /^\/api\/v1\/indexes\/[^/]+$/ }, (request) => ({
			json: {
				id: 'idx-echo',
				name: 'Echo',
				project_id: 'p',
				source_directory_id: 'dir-s',
				output_directory_id: 'dir-o',
				sync_config_id: null,
				export_config_id: null,
				metadata: {
					status: 'failed',
					build_number: 2,
					error: `Rejected credentials Bearer ${request.bearer}`,
					pending_sync: false,
				},
			},
		}));
		const { error } = await api.run({
			resource: 'index',
			operation: 'sync',
			indexId: byId('idx-echo'),
			waitUntilBuilt: true,
			pollInterval: 0.5,
			timeout: 5,
		});
		expect(error).toBeDefined();
		expectNoKey(error);
	});

	test('an HTML 200 whose title echoes the key is redacted', async () => {
		api.hostile.on({}, (request) => ({
			body: `<html><title>Hello ${request.bearer}</title></html>`,
		}));
		const { error } = await api.run({ resource: 'directory', operation: 'getAll' });
		expect(error).toBeDefined();
		expectNoKey(error);
	});

	test('trigger items whose file names echo the key are redacted', async () => {
		const directory = api.emulator.store.createDirectory('Inbox');
		const first = await api.poll({
			parameters: { directoryId: byId(directory.id), events: ['created'] },
			staticData: {},
		});
		api.emulator.store.seedFiles(directory.id, 1, { displayName: () => 'plain.txt' });
		api.hostile.on(
			{ method: 'GET', path: FILES },
			{
				forward: true,
				transform: (json, request) => {
					const page = json as { items: Array<Record<string, unknown>> };
					return {
						...page,
						items: page.items.map((f) => ({ ...f, display_name: `x ${request.bearer}` })),
					};
				},
			},
		);
		const next = await api.poll({
			parameters: { directoryId: byId(directory.id), events: ['created'] },
			staticData: first.staticData,
		});
		expect(next.items?.map((item) => item.json.display_name)).toEqual(['x [redacted]']);
	});

	describe('a key stored with whitespace around it', () => {
		const padded = `  ${CANARY_API_KEY} \n`;

		test('is sent trimmed, and works', async () => {
			api.emulator.store.createDirectory('Padded');
			const { error, items } = await runNode({
				type: LlamaCloud,
				parameters: { resource: 'directory', operation: 'getAll' },
				credentials: api.credentials({ apiKey: padded }),
			});
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.name)).toEqual(['Padded']);
			expect(api.hostile.requests[0].headers.authorization).toBe(`Bearer ${CANARY_API_KEY}`);
		});

		test('an error body that echoes it is redacted (routed and programmatic)', async () => {
			api.hostile.on({}, (request) => ({
				status: 403,
				json: { detail: `Key ${request.bearer} may not do this` },
			}));
			const routed = await runNode({
				type: LlamaCloud,
				parameters: { resource: 'directory', operation: 'getAll' },
				credentials: api.credentials({ apiKey: padded }),
			});
			expect(routed.error?.message).toBe(
				'LlamaCloud API error 403 Forbidden: Key [redacted] may not do this [item 0]',
			);
			const upload = await runNode({
				type: LlamaCloud,
				parameters: { resource: 'file', operation: 'upload', directoryId: byId('dir-1') },
				credentials: api.credentials({ apiKey: padded }),
				inputItems: [makeBinaryItem('x', { fileName: 'x.txt' })],
				binaryDataMode: 'default',
			});
			expect(upload.error?.message).toContain('Key [redacted] may not do this');
			expectNoKey([routed.error, upload.error] as ExecutionError[]);
		});
	});
});

describe('the after-file scan covers redirect targets and echoes', () => {
	// A throwaway key, not the canary, so this file's own scan stays meaningful.
	const probeKey = 'llx-probe-only-key-8c21f0d7e3';

	test('a key that reached another origin is found in what that origin recorded', async () => {
		const before = recorded().length;
		await fetch(`${api.foreign.url}/api/v1/beta/directories`, {
			headers: { Authorization: `Bearer ${probeKey}` },
		});
		const arrived = recorded().slice(before);
		expect(arrived.map((r) => r.kind)).toEqual(['foreign-request']);
		expect(findSecretInAnyForm(probeKey, arrived)).toHaveLength(1);
	});

	test('an echo in base64, base64url or URL-encoded form is found', () => {
		for (const text of [
			Buffer.from(`user:${probeKey}`).toString('base64'),
			Buffer.from(`x${probeKey}`).toString('base64url'),
			`https://elsewhere.invalid/?k=${encodeURIComponent(`${probeKey}/`)}`,
		]) {
			expect(findSecretInAnyForm(probeKey, [{ kind: 'echo', value: { text } }])).not.toEqual([]);
		}
	});
});
