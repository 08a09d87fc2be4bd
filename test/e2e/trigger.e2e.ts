/**
 * The real n8n as a server (`n8n start`) with published workflows that start with the
 * LlamaCloud Trigger, and files uploaded to the emulator over HTTP while it polls:
 * - a trigger on its own: every change shows up in exactly one execution, none twice, none lost;
 * - examples/trigger-to-sync.json: a new file leads to a sync of the directory's index.
 * The same server also answers what n8n loaded: our node, trigger, tool and credential types.
 *
 * Poll times: n8n refuses sub-minute cron expressions for pollers ("The polling interval is too
 * short"), but each entry of Poll Times is its own cron, and one fixed second a minute is
 * allowed. Twelve entries (second 0, 5, ..., 55) poll every 5 s, as a user could set in the UI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { type Emulator, startEmulator } from '../../emulator';
import { CANARY_API_KEY } from '../support/canary';
import {
	DEMO_CREDENTIAL,
	demoCredential,
	importCredentials,
	importWorkflow,
	listLoadedTypes,
	loadWorkflow,
	makeUserFolder,
	type N8nServer,
	PACKAGE_NAME,
	type ServerExecution,
	startServer,
	type UserFolder,
	type WorkflowJson,
} from '../../harness/n8n';

const EVERY_5_SECONDS = {
	item: Array.from({ length: 12 }, (_, i) => ({
		mode: 'custom',
		cronExpression: `${i * 5} * * * * *`,
	})),
};
const CREDENTIAL = { llamaCloudIngestApi: DEMO_CREDENTIAL };
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

let emulator: Emulator;
let uf: UserFolder;
let server: N8nServer;
let inbox: { id: string };
let docs: { id: string };
let docsIndex: { id: string };

async function api<T = any>(method: string, route: string, body?: unknown): Promise<T> {
	const r = await fetch(`${emulator.url}${route}`, {
		method,
		headers: {
			Authorization: `Bearer ${emulator.apiKey}`,
			...(body ? { 'Content-Type': 'application/json' } : {}),
		},
		body: body ? JSON.stringify(body) : undefined,
	});
	const text = await r.text();
	if (!r.ok) throw new Error(`${method} ${route}: ${r.status} ${text}`);
	return (text ? JSON.parse(text) : undefined) as T;
}

/** An upload as any LlamaCloud client would send it (multipart, `upload_file`). */
async function upload(
	directoryId: string,
	name: string,
	content: string,
): Promise<{ id: string; unique_id: string }> {
	const form = new FormData();
	form.append('upload_file', new Blob([content], { type: 'text/markdown' }), name);
	const r = await fetch(`${emulator.url}/api/v1/beta/directories/${directoryId}/files/upload`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${emulator.apiKey}` },
		body: form,
	});
	if (!r.ok) throw new Error(`upload ${name}: ${r.status} ${await r.text()}`);
	return (await r.json()) as { id: string; unique_id: string };
}

/** The listings the trigger sent for a directory so far: one (or a few, when paging) per poll. */
const listings = (directoryId: string) =>
	emulator.requests.filter(
		(r) => r.method === 'GET' && r.path === `/api/v1/beta/directories/${directoryId}/files`,
	).length;

async function until<T>(
	what: string,
	check: () => Promise<T | undefined>,
	timeoutMs = 90_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

/** What a trigger node emitted, over all finished executions, oldest first. */
function emitted(executions: ServerExecution[], triggerName: string) {
	return [...executions]
		.sort((a, b) => Number(a.id) - Number(b.id))
		.flatMap((e) =>
			(e.runData[triggerName]?.[0]?.data?.main?.[0] ?? []).map((i: { json: any }) => i.json),
		);
}

const triggerWorkflow: WorkflowJson = {
	id: 'e2eTriggerFiles',
	name: 'e2e: LlamaCloud Trigger',
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'e2e00000-0000-4000-8000-trigger00001',
			name: 'LlamaCloud Trigger',
			type: `${PACKAGE_NAME}.llamaCloudIngestTrigger`,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				pollTimes: EVERY_5_SECONDS,
				directoryId: byId('PLACEHOLDER'),
				events: ['created', 'updated', 'deleted'],
				options: {},
			},
			credentials: CREDENTIAL,
		},
		{
			id: 'e2e00000-0000-4000-8000-trigger00002',
			name: 'Received',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [220, 0],
			parameters: {},
		},
	],
	connections: { 'LlamaCloud Trigger': { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
};

function setTrigger(workflow: WorkflowJson, directoryId: string): WorkflowJson {
	for (const node of workflow.nodes as Array<{
		type: string;
		parameters: Record<string, unknown>;
	}>) {
		if (node.type !== `${PACKAGE_NAME}.llamaCloudIngestTrigger`) continue;
		node.parameters.directoryId = byId(directoryId);
		node.parameters.pollTimes = EVERY_5_SECONDS;
	}
	return workflow;
}

beforeAll(async () => {
	emulator = await startEmulator({
		apiKey: CANARY_API_KEY,
		buildStepMs: 20,
		// The assertions read the build's file counts: the emulator's `detailed` diagnostics
		// (the spec promises only `status`).
		variants: { buildMetadata: 'detailed' },
	});
	inbox = emulator.store.createDirectory('e2e: trigger inbox');
	docs = emulator.store.createDirectory('e2e: trigger-to-sync docs');
	await upload(docs.id, 'existing.md', '# Existing\n\nIndexed before the workflow was published.');
	docsIndex = await api('POST', '/api/v1/indexes', {
		source_directory_id: docs.id,
		name: 'e2e: trigger-to-sync index',
	});
	await emulator.waitForBuilds();

	// Executions of pollers are what this file reads back: keep them all.
	uf = await makeUserFolder({
		env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all', EXECUTIONS_DATA_SAVE_ON_ERROR: 'all' },
	});
	await importCredentials(uf, [demoCredential(emulator)]);
	await importWorkflow(uf, [
		setTrigger(structuredClone(triggerWorkflow), inbox.id),
		setTrigger(loadWorkflow('examples/trigger-to-sync.json'), docs.id),
	]);
	server = await startServer(uf);
	// Activation runs a first poll, which only records where the directory is: a file uploaded
	// before that poll ends counts as already there. In 2.x activation returns before that poll
	// (a publication outbox activates triggers a moment later), so wait for the saved cursor.
	for (const id of ['e2eTriggerFiles', 'llcTriggerToSync']) {
		await server.activate(id);
		await until(`the first poll of ${id}`, async () =>
			(await staticData(id))?.cursor ? true : undefined,
		);
	}
});

/** The trigger node's static data as n8n saved it (the poll cursor). */
async function staticData(workflowId: string): Promise<Record<string, any> | undefined> {
	const r = await server.rest('GET', `/workflows/${workflowId}`);
	const data = r.body?.data?.staticData;
	const parsed = typeof data === 'string' ? JSON.parse(data) : data;
	const key = Object.keys(parsed ?? {}).find((k) => k.startsWith('node:'));
	return key ? parsed[key] : undefined;
}

afterAll(async () => {
	if (server) {
		const logs = server.logs();
		await server.stop();
		// Whatever n8n logged (poll errors included) must not carry the API key.
		expect(logs).not.toContain(CANARY_API_KEY);
	}
	await emulator?.close();
	uf?.remove();
});

test('n8n loads our node, trigger, tool and credential types with no load errors', async () => {
	const types = await listLoadedTypes(uf, server);
	expect(types.errors).toEqual([]);
	expect(types.nodes).toEqual(
		expect.arrayContaining([
			`${PACKAGE_NAME}.llamaCloudIngest`,
			`${PACKAGE_NAME}.llamaCloudIngestTrigger`,
			// Generated by n8n from `usableAsTool`: what AI agents connect to.
			`${PACKAGE_NAME}.llamaCloudIngestTool`,
		]),
	);
	expect(types.credentials).toContain('llamaCloudIngestApi');

	// As the editor receives them (what the screenshots show).
	const typesDir = path.join(uf.dir, '.cache', 'n8n', 'public', 'types');
	const nodes = JSON.parse(fs.readFileSync(path.join(typesDir, 'nodes.json'), 'utf8')) as any[];
	const node = (name: string) => nodes.find((n) => n.name === `${PACKAGE_NAME}.${name}`);
	expect(node('llamaCloudIngest')).toMatchObject({
		displayName: 'LlamaCloud',
		version: 1,
		usableAsTool: true,
	});
	expect(node('llamaCloudIngestTrigger')).toMatchObject({
		displayName: 'LlamaCloud Trigger',
		polling: true,
	});
	expect(node('llamaCloudIngestTool')).toMatchObject({ displayName: 'LlamaCloud Tool' });
	for (const name of ['llamaCloudIngest', 'llamaCloudIngestTrigger', 'llamaCloudIngestTool']) {
		expect(node(name).credentials).toEqual([{ name: 'llamaCloudIngestApi', required: true }]);
		expect(node(name).iconUrl).toBeDefined();
	}
	// n8n appends "Custom API Call" (an HTTP Request with this credential) to the resource and
	// operation lists of every node whose credential has `authenticate`.
	const options = (property: any) => property.options.map((o: any) => o.value).sort();
	const ours = node('llamaCloudIngest').properties;
	expect(options(ours.find((p: any) => p.name === 'resource'))).toEqual([
		'__CUSTOM_API_CALL__',
		'directory',
		'file',
		'index',
	]);
	const operations = (resource: string) =>
		options(
			ours.find(
				(p: any) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
			),
		);
	expect(operations('directory')).toEqual([
		'__CUSTOM_API_CALL__',
		'create',
		'delete',
		'get',
		'getAll',
		'update',
	]);
	expect(operations('file')).toEqual([
		'__CUSTOM_API_CALL__',
		'add',
		'delete',
		'get',
		'getAll',
		'getByUniqueId',
		'mirror',
		'update',
		'upload',
	]);
	expect(operations('index')).toEqual([
		'__CUSTOM_API_CALL__',
		'create',
		'delete',
		'findFiles',
		'get',
		'getAll',
		'grepFile',
		'readFile',
		'retrieve',
		'sync',
	]);

	// The Tool variant an AI Agent connects to offers the retrieval operations, with the
	// descriptions n8n turns into tool descriptions ("<action> in LlamaCloud").
	const tool = node('llamaCloudIngestTool').properties;
	const toolOperation = tool.find(
		(p: any) =>
			p.name === 'operation' &&
			p.displayOptions?.show?.['@tool'] &&
			p.displayOptions?.show?.resource?.includes('index'),
	);
	expect(toolOperation.default).toBe('retrieve');
	const actions = Object.fromEntries(toolOperation.options.map((o: any) => [o.value, o.action]));
	expect(actions).toMatchObject({
		retrieve: 'Search an index for passages that answer a question',
		findFiles: 'Find files in an index by name',
		grepFile: 'Search a file of an index for a pattern',
		readFile: 'Read the text of a file in an index',
	});
	expect(tool.map((p: any) => p.name)).toEqual(
		expect.arrayContaining(['toolDescription', 'query', 'topK', 'filters', 'pattern', 'fileId']),
	);

	const credentials = JSON.parse(
		fs.readFileSync(path.join(typesDir, 'credentials.json'), 'utf8'),
	) as any[];
	const credential = credentials.find((c) => c.name === 'llamaCloudIngestApi');
	expect(credential.displayName).toBe('LlamaCloud API');
	expect(credential.properties.map((p: any) => p.name)).toEqual(
		expect.arrayContaining(['apiKey', 'region', 'baseUrl', 'projectId', 'organizationId']),
	);
	expect(credential.test).toBeDefined();
});

test('every change to the watched directory starts exactly one execution item: none twice, none lost', async () => {
	const wf = 'e2eTriggerFiles';
	const seen = () => listings(inbox.id);
	expect(seen()).toBeGreaterThanOrEqual(1); // the activation poll
	expect(await server.executions(wf)).toEqual([]); // it emitted nothing

	const events = async () => {
		const all = await server.executions(wf);
		if (all.some((e) => e.status === 'running' || e.status === 'new')) return undefined;
		for (const e of all)
			expect({ id: e.id, status: e.status, mode: e.mode }).toEqual({
				id: e.id,
				status: 'success',
				mode: 'trigger',
			});
		return emitted(all, 'LlamaCloud Trigger').map((f) => `${f.event} ${f.unique_id}`);
	};
	const eventsOnce = async (expected: string[]) => {
		const got = await events();
		return got && expected.every((e) => got.includes(e)) ? got : undefined;
	};

	// Batch 1: three new files.
	const a = await upload(inbox.id, 'a.md', '# A');
	const b = await upload(inbox.id, 'b.md', '# B');
	await upload(inbox.id, 'c.txt', 'C');
	const first = ['created a.md', 'created b.md', 'created c.txt'];
	expect((await until('batch 1 to be emitted', () => eventsOnce(first))).sort()).toEqual(first);

	// Batch 2: one more file, a rename of a.md and the deletion of b.md.
	await upload(inbox.id, 'd.md', '# D');
	await api('PATCH', `/api/v1/beta/directories/${inbox.id}/files/${a.id}`, {
		display_name: 'A (renamed)',
	});
	await api('DELETE', `/api/v1/beta/directories/${inbox.id}/files/${b.id}`);
	const all = [...first, 'created d.md', 'updated a.md', 'deleted b.md'];
	await until('batch 2 to be emitted', () => eventsOnce(all));

	// Two more polls with nothing new must emit nothing.
	const after = seen();
	await until('two more polls', async () => (seen() >= after + 2 ? true : undefined), 60_000);
	const final = await until('executions to finish', events);
	expect([...final].sort()).toEqual([...all].sort());

	const items = emitted(await server.executions(wf), 'LlamaCloud Trigger');
	expect(items.find((i) => i.event === 'updated')).toMatchObject({
		id: a.id,
		display_name: 'A (renamed)',
	});
	expect(items.find((i) => i.event === 'deleted')).toMatchObject({ id: b.id });
	expect(items.find((i) => i.event === 'deleted').deleted_at).toEqual(expect.any(String));
	for (const e of await server.executions(wf))
		expect(JSON.stringify(e.runData)).not.toContain(CANARY_API_KEY);
});

test('examples/trigger-to-sync.json: a new file leads to a sync of the directory index', async () => {
	const before = emulator.store.index(docsIndex.id)?.metadata as { build_number: number };
	const added = await upload(
		docs.id,
		'new-policy.md',
		'# New policy\n\nAdded while the workflow was published.',
	);

	const [execution] = await until('the sync execution', async () => {
		const done = (await server.executions('llcTriggerToSync')).filter(
			(e) => e.status !== 'running' && e.status !== 'new',
		);
		return done.length > 0 ? done : undefined;
	});
	expect(execution).toMatchObject({ status: 'success', mode: 'trigger' });
	const item = (node: string) =>
		execution.runData[node][0].data.main[0].map((i: { json: any }) => i.json);
	expect(item('Files changed')).toEqual([
		expect.objectContaining({ id: added.id, event: 'created', unique_id: 'new-policy.md' }),
	]);
	expect(item("Find the directory's index")).toEqual([
		expect.objectContaining({ id: docsIndex.id }),
	]);
	const [synced] = item('Sync and wait');
	expect(synced.id).toBe(docsIndex.id);
	expect(synced.metadata).toMatchObject({ status: 'ready', files_total: 2, files_failed: 0 });
	expect(synced.metadata.build_number).toBeGreaterThan(before.build_number);
	expect(
		emulator.requests.filter(
			(r) => r.method === 'POST' && r.path === `/api/v1/indexes/${docsIndex.id}/sync`,
		),
	).toHaveLength(1);
});
