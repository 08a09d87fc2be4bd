/**
 * File → Mirror in the real n8n: examples/mirror-folder.json published in `n8n start`, its
 * Schedule Trigger every 10 s, n8n's own Read/Write Files from Disk reading a folder that
 * changes between two scheduled runs (one file edited, one added, one removed). The directory
 * must end equal to the folder, the run after the change must touch exactly those three files,
 * and every other run none. Also: the Google Drive and S3 examples' n8n nodes keep every
 * parameter the examples set (read against the installed n8n's own node descriptions).
 *
 * The folder is a symlink swapped in one rename, so a run reads either the old folder or the
 * new one, never half of each: the test does not depend on when the schedule fires.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { type Emulator, startEmulator } from '../../emulator';
import { CANARY_API_KEY } from '../support/canary';
import {
	importCredentials,
	importWorkflow,
	loadWorkflow,
	makeUserFolder,
	n8nPaths,
	type N8nServer,
	publishWorkflow,
	type ServerExecution,
	startServer,
	type UserFolder,
} from '../../harness/n8n';

const WORKFLOW_ID = 'llcMirrorFolder';
const MIRROR_NODE = 'Mirror folder';

let emulator: Emulator;
let uf: UserFolder;
let server: N8nServer | undefined;
let filesDir: string;

const samples = path.join(n8nPaths().repoRoot, 'examples', 'sample-docs');

/** `<files>/llamacloud-mirror` → `<files>/<version>`, switched in one rename. */
function pointFolderAt(version: string) {
	const link = path.join(filesDir, 'llamacloud-mirror');
	const next = `${link}.next`;
	fs.symlinkSync(path.join(filesDir, version), next);
	fs.renameSync(next, link);
}

beforeAll(async () => {
	emulator = await startEmulator({ apiKey: CANARY_API_KEY, buildStepMs: 20 });
	uf = await makeUserFolder({
		env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all', EXECUTIONS_DATA_SAVE_ON_ERROR: 'all' },
	});
	filesDir = path.join(uf.dir, '.n8n-files');
	const v1 = path.join(filesDir, 'v1');
	const v2 = path.join(filesDir, 'v2');
	fs.mkdirSync(v1, { recursive: true });
	fs.cpSync(samples, v1, { recursive: true });
	fs.cpSync(v1, v2, { recursive: true });
	fs.writeFileSync(path.join(v2, 'expense-policy.md'), '# Expenses\n\nNew limits from March.\n');
	fs.writeFileSync(path.join(v2, 'travel-policy.md'), '# Travel\n\nTrains under 600 km.\n');
	fs.rmSync(path.join(v2, 'security-guidelines.txt'));
	pointFolderAt('v1');
	uf.env.N8N_RESTRICT_FILE_ACCESS_TO = filesDir;

	await importCredentials(uf, [
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
	const workflow = loadWorkflow('examples/mirror-folder.json', filesDir);
	const trigger = nodesOf(workflow).find((n) => n.type === 'n8n-nodes-base.scheduleTrigger')!;
	trigger.parameters = { rule: { interval: [{ field: 'seconds', secondsInterval: 10 }] } };
	await importWorkflow(uf, [workflow]);
	await publishWorkflow(uf, WORKFLOW_ID);
});

afterAll(async () => {
	await server?.stop();
	await emulator?.close();
	uf?.remove();
});

interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
}
const nodesOf = (workflow: { nodes: unknown[] }) => workflow.nodes as WorkflowNode[];

const byId = (a: ServerExecution, b: ServerExecution) => Number(a.id) - Number(b.id);

function reportOf(execution: ServerExecution): Record<string, any> {
	const task = execution.runData[MIRROR_NODE]?.[0];
	if (!task)
		throw new Error(`execution ${execution.id} (${execution.status}) did not run the mirror`);
	return task.data.main[0][0].json;
}

/** Finished executions once one with an id above `afterId` has finished and none is running. */
async function executionsAfter(afterId: number): Promise<ServerExecution[]> {
	const deadline = Date.now() + 180_000;
	for (;;) {
		const all = await server!.executions(WORKFLOW_ID);
		const running = all.some((e) => ['new', 'running', 'waiting', 'unknown'].includes(e.status));
		if (!running && all.some((e) => Number(e.id) > afterId)) return all.sort(byId);
		if (Date.now() > deadline) throw new Error(`no run after execution ${afterId} in time`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

test('a scheduled mirror of a folder changed between two runs ends mirrored exactly', async () => {
	server = await startServer(uf);
	const [first] = (await executionsAfter(0)).filter((e) => e.status === 'success');
	expect(first).toBeDefined();
	expect(reportOf(first).counts).toEqual({
		added: 4,
		replaced: 0,
		unchanged: 0,
		deleted: 0,
		failed: 0,
	});

	// Every run so far has read v1; the runs from here on may read v2.
	const seen = await server.executions(WORKFLOW_ID);
	const lastBeforeSwap = Math.max(...seen.map((e) => Number(e.id)));
	pointFolderAt('v2');
	const all = await executionsAfter(lastBeforeSwap);

	for (const execution of all) expect(execution.status).toBe('success');
	const reports = all.map(reportOf);
	const changing = reports.filter((r) => r.counts.added + r.counts.replaced + r.counts.deleted > 0);
	// The first run, then exactly one run making the folder's three changes; all others idle.
	expect(changing).toHaveLength(2);
	expect(changing[1]).toMatchObject({
		counts: { added: 1, replaced: 1, unchanged: 2, deleted: 1, failed: 0 },
		added: ['travel-policy.md'],
		replaced: ['expense-policy.md'],
		deleted: ['security-guidelines.txt'],
		indexSync: { synced: true, indexes: [expect.objectContaining({ status: 'ready' })] },
	});
	for (const idle of reports.filter((r) => !changing.includes(r)))
		expect(idle.counts).toMatchObject({ added: 0, replaced: 0, deleted: 0, failed: 0 });

	const directoryId = String(changing[1].directoryId);
	const files = emulator.store.files(directoryId, { includeDeleted: false });
	const folder = path.join(filesDir, 'v2');
	expect(files.map((f) => f.unique_id).sort()).toEqual(fs.readdirSync(folder).sort());
	for (const file of files) {
		const content = await emulator.store.readBlob(String(file.file_id));
		expect(content.toString()).toBe(fs.readFileSync(path.join(folder, file.unique_id), 'utf8'));
	}
	// The key never reached n8n's output.
	expect(server.logs()).not.toContain(CANARY_API_KEY);
});

/**
 * Resolves each node's parameters with n8n's own n8n-workflow and node classes, in n8n's own
 * Node (n8n-nodes-base needs its require of ES modules), as the editor does on import.
 */
const RESOLVE_PARAMETERS = `
const path = require('path');
const [installed, nodes] = [process.argv[1], JSON.parse(process.argv[2])];
const { NodeHelpers } = require(path.join(installed, 'n8n-workflow'));
const out = nodes.map(({ module, name, typeVersion, parameters }) => {
	const type = new (require(path.join(installed, 'n8n-nodes-base', 'dist', 'nodes', module))[name])();
	const version = (type.nodeVersions && type.nodeVersions[typeVersion]) || type;
	return NodeHelpers.getNodeParameters(version.description.properties, parameters, true, false, { typeVersion });
});
process.stdout.write(JSON.stringify(out));
`;

test("the Google Drive and S3 examples' n8n nodes keep every parameter the examples set", () => {
	const classes: Record<string, { module: string; name: string }> = {
		'n8n-nodes-base.googleDrive': {
			module: 'Google/Drive/GoogleDrive.node.js',
			name: 'GoogleDrive',
		},
		'n8n-nodes-base.awsS3': { module: 'Aws/S3/AwsS3.node.js', name: 'AwsS3' },
	};
	const nodes = ['examples/mirror-google-drive.json', 'examples/mirror-s3.json'].flatMap((file) =>
		nodesOf(loadWorkflow(file))
			.filter((n) => classes[n.type])
			.map((n) => ({
				file,
				node: n.name,
				...classes[n.type],
				typeVersion: n.typeVersion,
				parameters: n.parameters,
			})),
	);
	expect(nodes).toHaveLength(4);
	const output = execFileSync(
		n8nPaths().node,
		[
			'-e',
			RESOLVE_PARAMETERS,
			path.join(n8nPaths().cacheDir, 'node_modules'),
			JSON.stringify(nodes),
		],
		{ encoding: 'utf8' },
	);
	const resolved = JSON.parse(output) as unknown[];
	// A parameter the node does not know, or hides for these settings, would be dropped.
	nodes.forEach(({ file, node, parameters }, i) =>
		expect({ file, node, parameters: resolved[i] }).toEqual({
			file,
			node,
			parameters: expect.objectContaining(parameters),
		}),
	);
});
