/**
 * The real n8n 2.41 in queue mode: PostgreSQL, Redis, one main and a worker (harness/n8n/queue.ts),
 * binary data in `database` mode, durable poll cursors on. Against an emulator in this process:
 * - examples/ingest-folder.json, run from main's REST API, executes on the worker: the files
 *   it reads are stored in PostgreSQL and streamed from there into the uploads;
 * - the LlamaCloud Trigger polls on main, its executions run on the worker, and every file
 *   uploaded is emitted exactly once across a restart of main (files added while main is down
 *   included);
 * - a worker killed (SIGKILL) in the middle of a 1,000-file ingestion, started again, and the
 *   workflow run again: the directory ends with exactly 1,000 files, none twice.
 * The times of the fault test are printed (never asserted).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { type Emulator, startEmulator } from '../../../emulator';
import {
	importCredentials,
	importWorkflow,
	loadWorkflow,
	makeFilesFolder,
	PACKAGE_NAME,
	type ServerExecution,
	type WorkflowJson,
} from '../../../harness/n8n';
import { type QueueMode, setUpQueueMode } from './cluster';
import { CANARY_API_KEY } from '../../support/canary';

const BULK_FILES = 1000;
// One Poll Times entry, once a minute. Each entry is its own job in n8n 2.41's durable scheduler,
// and due occurrences of different jobs run at once (after a restart, every entry that fell due
// while main was down): two polls of one node then start from the same cursor and both emit.
// trigger.e2e.ts polls every 5 s with twelve entries; that is safe only without such overlaps.
const EVERY_MINUTE = { item: [{ mode: 'custom', cronExpression: '0 * * * * *' }] };
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

let emulator: Emulator;
let qm: QueueMode;
let filesDir: string;
let samples: string[];
let inbox: { id: string };

const INGEST = 'llcIngestFolder';
const BULK = 'e2eQueueBulk';
const TRIGGER = 'e2eQueueTrigger';

async function until<T>(
	what: string,
	check: () => Promise<T | undefined> | T | undefined,
	timeoutMs = 120_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** An upload as any LlamaCloud client would send it (multipart, `upload_file`). */
async function upload(directoryId: string, name: string, content: string): Promise<void> {
	const form = new FormData();
	form.append('upload_file', new Blob([content], { type: 'text/markdown' }), name);
	const r = await fetch(`${emulator.url}/api/v1/beta/directories/${directoryId}/files/upload`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${emulator.apiKey}` },
		body: form,
	});
	if (!r.ok) throw new Error(`upload ${name}: ${r.status} ${await r.text()}`);
}

async function blobText(fileId: string | null): Promise<string> {
	return (await emulator.store.readBlob(String(fileId))).toString('utf8');
}

/** Starts a manual run through main's REST API (as the editor's "Execute workflow" does). */
async function runFromMain(workflowId: string): Promise<string> {
	const r = await qm.main!.rest('POST', `/workflows/${workflowId}/run`, {
		triggerToStartFrom: { name: 'Start' },
	});
	const id = r.body?.data?.executionId;
	if (r.status !== 200 || !id)
		throw new Error(`run ${workflowId}: ${r.status} ${JSON.stringify(r.body)}`);
	return String(id);
}

async function finishedExecution(workflowId: string, id: string, timeoutMs = 300_000) {
	return await until(
		`execution ${id} to finish`,
		async () =>
			(await qm.main!.executions(workflowId)).find(
				(e) => e.id === id && !['new', 'running', 'waiting', 'unknown'].includes(e.status),
			),
		timeoutMs,
	);
}

function emitted(executions: ServerExecution[]): string[] {
	return executions.flatMap((e) =>
		(e.runData['LlamaCloud Trigger']?.[0]?.data?.main?.[0] ?? []).map(
			(i: { json: { event: string; unique_id: string } }) => `${i.json.event} ${i.json.unique_id}`,
		),
	);
}

/** The trigger's durable cursor as n8n committed it (poller_state), or undefined before its first poll. */
function durableCursor(workflowId: string): string | undefined {
	const [row] = qm.postgres.query(
		`select "cursor" from poller_state where "workflowId" = '${workflowId}'`,
	);
	return row && row !== '{}' ? row : undefined;
}

function bulkWorkflow(): WorkflowJson {
	const wf = loadWorkflow('examples/ingest-folder.json', filesDir);
	const keep = ['Start', 'Create directory', 'Read sample files', 'Upload files'];
	const nodes = (wf.nodes as Array<{ name: string; parameters: any }>).filter((n) =>
		keep.includes(n.name),
	);
	const node = (name: string) => nodes.find((n) => n.name === name)!;
	node('Create directory').parameters.name = 'e2e: queue bulk';
	node('Read sample files').parameters.fileSelector = `${filesDir}/bulk/*`;
	// The example without its index steps: Upload files is the last node.
	const connections = Object.fromEntries(
		Object.entries(wf.connections).filter(
			([from]) => keep.includes(from) && from !== 'Upload files',
		),
	);
	return { ...wf, id: BULK, name: 'e2e: 1,000 files in queue mode', nodes, connections };
}

function triggerWorkflow(directoryId: string): WorkflowJson {
	return {
		id: TRIGGER,
		name: 'e2e: LlamaCloud Trigger in queue mode',
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'e2e00000-0000-4000-8000-queue0000001',
				name: 'LlamaCloud Trigger',
				type: `${PACKAGE_NAME}.llamaCloudIngestTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: EVERY_MINUTE,
					directoryId: byId(directoryId),
					events: ['created', 'updated', 'deleted'],
					options: {},
				},
				credentials: {
					llamaCloudIngestApi: { id: 'llamacloud-demo', name: 'LlamaCloud API (demo)' },
				},
			},
			{
				id: 'e2e00000-0000-4000-8000-queue0000002',
				name: 'Received',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: {
			'LlamaCloud Trigger': { main: [[{ node: 'Received', type: 'main', index: 0 }]] },
		},
	};
}

beforeAll(async () => {
	emulator = await startEmulator({ apiKey: CANARY_API_KEY, buildStepMs: 20 });
	inbox = emulator.store.createDirectory('e2e: queue-mode trigger inbox');
	// Debug logs: the scheduler's decisions show which process polled.
	qm = await setUpQueueMode({ env: { N8N_LOG_LEVEL: 'debug' } });
	({ dir: filesDir, samples } = makeFilesFolder(qm.dir));
	const bulk = path.join(filesDir, 'bulk');
	fs.mkdirSync(bulk);
	for (let i = 1; i <= BULK_FILES; i++) {
		const name = `doc-${String(i).padStart(4, '0')}.md`;
		fs.writeFileSync(path.join(bulk, name), `# Document ${i}\n\n${'Lorem ipsum. '.repeat(80)}\n`);
	}
	qm.uf.env.N8N_RESTRICT_FILE_ACCESS_TO = filesDir;

	await importCredentials(qm.uf, [
		{
			id: 'llamacloud-demo',
			name: 'LlamaCloud API (demo)',
			type: 'llamaCloudIngestApi',
			data: {
				apiKey: emulator.apiKey,
				region: 'custom',
				baseUrl: emulator.url,
				projectId: '',
				organizationId: '',
			},
		},
	]);
	await importWorkflow(qm.uf, [
		loadWorkflow('examples/ingest-folder.json', filesDir),
		bulkWorkflow(),
		triggerWorkflow(inbox.id),
	]);
	await qm.startMain();
	await qm.startWorker();
}, 600_000);

afterAll(async () => {
	if (qm) {
		const logs = `${qm.mainLogs()}\n${qm.workerLogs()}`;
		await qm.stop();
		expect(logs).not.toContain(CANARY_API_KEY);
	}
	await emulator?.close();
});

test('examples/ingest-folder.json runs on the worker, uploading from database-mode binary data', async () => {
	const id = await runFromMain(INGEST);
	const execution = await finishedExecution(INGEST, id);
	expect({ status: execution.status, mode: execution.mode }).toEqual({
		status: 'success',
		mode: 'manual',
	});
	expect(qm.workers[0].ran(id)).toBe(true);
	expect(qm.main!.logs()).not.toMatch(new RegExp(`Worker started execution ${id}\\b`));

	// The files were read on the worker and stored in PostgreSQL (binary data `database` mode).
	const [stored] = qm.postgres.query('select count(*) from binary_data');
	expect(Number(stored)).toBeGreaterThanOrEqual(samples.length);

	const out = (node: string) =>
		execution.runData[node][0].data.main[0].map((i: { json: any }) => i.json);
	const uploaded = out('Upload files');
	expect(uploaded.map((f: { unique_id: string }) => f.unique_id).sort()).toEqual(samples);
	for (const file of uploaded) {
		const sent = await blobText(emulator.store.file(file.id)!.file_id);
		expect(sent).toBe(
			fs.readFileSync(path.join(filesDir, 'llamacloud-demo', file.unique_id), 'utf8'),
		);
	}
	expect(out('Sync and wait')[0].metadata).toMatchObject({ status: 'ready' });
});

test('the trigger polls on main, runs on the worker and emits every file once across a restart of main', async () => {
	await qm.main!.activate(TRIGGER);
	await until('the first poll to commit its durable cursor', () => durableCursor(TRIGGER));

	const events = async () => {
		const all = await qm.main!.executions(TRIGGER);
		if (all.some((e) => ['new', 'running', 'waiting', 'unknown'].includes(e.status)))
			return undefined;
		return { all, events: emitted(all) };
	};
	const waitFor = (expected: string[]) =>
		until(`${expected.join(', ')} to be emitted`, async () => {
			const got = await events();
			return got && expected.every((e) => got.events.includes(e)) ? got : undefined;
		});

	for (const n of ['a', 'b', 'c']) await upload(inbox.id, `${n}.md`, `# ${n}`);
	const first = ['created a.md', 'created b.md', 'created c.md'];
	await waitFor(first);

	await qm.stopMain();
	for (const n of ['d', 'e', 'f']) await upload(inbox.id, `${n}.md`, `# ${n} (main down)`);
	await qm.startMain();
	for (const n of ['g', 'h']) await upload(inbox.id, `${n}.md`, `# ${n} (after restart)`);

	const all = 'abcdefgh'.split('').map((n) => `created ${n}.md`);
	await waitFor(all);
	// One more poll with nothing new: nothing more may come out.
	const polls = () =>
		emulator.requests.filter(
			(r) => r.method === 'GET' && r.path === `/api/v1/beta/directories/${inbox.id}/files`,
		).length;
	const seen = polls();
	await until('one more poll', () => (polls() >= seen + 1 ? true : undefined), 90_000);
	const final = (await until('executions to settle', events))!;
	expect([...final.events].sort()).toEqual(all);

	for (const e of final.all) {
		expect({ id: e.id, status: e.status, mode: e.mode }).toEqual({
			id: e.id,
			status: 'success',
			mode: 'trigger',
		});
		expect(qm.workers.some((w) => w.ran(e.id))).toBe(true);
	}
	// Polling happens on main only: main's scheduler handed each emitting poll off to a new
	// execution, and the worker never polled.
	const handedOff = qm.mainLogs().match(/Poll returned new data; handed off to a new execution/g);
	expect(handedOff?.length).toBe(final.all.length);
	expect(qm.workerLogs()).not.toMatch(/Poll returned|Poll trigger initiated/);
});

test('a worker killed in the middle of a 1,000-file ingestion, restarted, and the workflow run again: 1,000 files, none twice', async () => {
	// Each upload takes 20-40 ms longer, as over a real network: the kill lands mid-run.
	emulator.faults.configure({ latencyMs: [20, 40], methods: ['POST'] });
	const started = Date.now();
	const firstRun = await runFromMain(BULK);
	const directory = await until('the bulk directory', () =>
		emulator.store.directories().find((d) => d.name === 'e2e: queue bulk'),
	);
	const liveFiles = () => emulator.store.files(directory.id, { includeDeleted: false });
	const live = () => liveFiles().length;
	await until('a third of the files to be uploaded', () =>
		live() >= BULK_FILES / 3 ? true : undefined,
	);
	const killedAfterMs = Date.now() - started;
	await qm.workers[0].kill();
	const atKill = live();
	expect(atKill).toBeLessThan(BULK_FILES);

	const restartAt = Date.now();
	await qm.startWorker();
	const restartMs = Date.now() - restartAt;
	expect(qm.workers).toHaveLength(1);

	const rerunAt = Date.now();
	const secondRun = await runFromMain(BULK);
	const execution = await finishedExecution(BULK, secondRun, 600_000);
	const rerunMs = Date.now() - rerunAt;
	expect(execution.status).toBe('success');
	expect(qm.workers[0].ran(secondRun)).toBe(true);

	const files = liveFiles();
	const uniqueIds = files.map((f) => f.unique_id);
	expect(new Set(uniqueIds).size).toBe(uniqueIds.length);
	expect(uniqueIds.sort()).toEqual(
		Array.from({ length: BULK_FILES }, (_, i) => `doc-${String(i + 1).padStart(4, '0')}.md`),
	);
	for (const f of [files[0], files[files.length - 1]])
		expect(await blobText(f.file_id)).toBe(
			fs.readFileSync(path.join(filesDir, 'bulk', f.unique_id), 'utf8'),
		);

	// The killed run never finished as a success (main recovers it as crashed, or it stays open).
	const killed = (await qm.main!.executions(BULK)).find((e) => e.id === firstRun);
	expect(killed?.status).not.toBe('success');
	emulator.faults.configure({});

	process.stdout.write(
		`queue-mode fault test: ${atKill}/${BULK_FILES} files uploaded when the worker was killed ` +
			`${(killedAfterMs / 1000).toFixed(1)} s into the run; worker ready again in ` +
			`${(restartMs / 1000).toFixed(1)} s; the second run (${BULK_FILES} files, replace on conflict) ` +
			`took ${(rerunMs / 1000).toFixed(1)} s; killed run's status: ${killed?.status}\n`,
	);
});
