/**
 * The workflows of examples/ run through n8n's real engine (stand-ins for the n8n-nodes-base
 * nodes they start with) against the emulator: the demo's ingestion, its scheduled twin, and
 * trigger-to-sync. The e2e suite runs the same files inside the real n8n.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type Emulator, startEmulator } from '../../emulator';
import { CANARY_API_KEY } from '../support/canary';
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { LlamaCloudIngestTrigger as LlamaCloudTrigger } from '../../nodes/LlamaCloud/LlamaCloudIngestTrigger.node';
import {
	REPO_ROOT,
	STAND_IN_TYPES,
	type ExampleWorkflow,
	loadExample,
	runExample,
} from '../../scripts/lib/examples';
import { type SourceFile, sourceStandIn } from './source-stand-ins';

const SAMPLES = path.join(REPO_ROOT, 'examples', 'sample-docs');
const SAMPLE_COUNT = readdirSync(SAMPLES).length;

const nodeTypes = {
	'n8n-nodes-llamacloud-ingest.llamaCloudIngest': new LlamaCloud(),
	'n8n-nodes-llamacloud-ingest.llamaCloudIngestTrigger': new LlamaCloudTrigger(),
	...STAND_IN_TYPES,
};

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({ apiKey: CANARY_API_KEY, buildStepMs: 20 });
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.reset());

const credentials = () => ({ apiKey: emulator.apiKey, region: 'custom', baseUrl: emulator.url });

function withSampleFolder(workflow: ExampleWorkflow): ExampleWorkflow {
	const reader = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.readWriteFile');
	if (reader) reader.parameters.fileSelector = path.join(SAMPLES, '*');
	return workflow;
}

describe('examples/ingest-folder.json (the demo)', () => {
	test('uploads every sample file, builds the index, lists its parsed files and asks it', async () => {
		const run = await runExample(withSampleFolder(loadExample('ingest-folder.json')), {
			credentials: credentials(),
			nodeTypes,
		});
		expect(run.workflowError).toBeUndefined();
		expect(run.status).toBe('success');
		expect(run.items('Upload files')).toHaveLength(SAMPLE_COUNT);
		const [index] = run.items('Sync and wait');
		expect((index.json.metadata as { status: string }).status).toBe('ready');
		const parsed = run.items('List indexed files');
		expect(parsed).toHaveLength(SAMPLE_COUNT);
		expect(new Set(parsed.map((c) => c.json.directory_id))).toEqual(
			new Set([index.json.output_directory_id]),
		);
		// The demo's question: the handbook's passage first, with its citation.
		const answer = run.items('Ask the index').map((i) => i.json);
		expect(answer.length).toBeGreaterThan(0);
		expect(answer[0]).toMatchObject({
			rank: 1,
			content: expect.stringContaining('28 days of paid leave'),
			file: { display_name: 'employee-handbook.md', directory_id: index.json.output_directory_id },
		});
		const directoryId = String(run.items('Create directory')[0].json.id);
		expect(
			emulator.store
				.files(directoryId, { includeDeleted: false })
				.map((f) => f.unique_id)
				.sort(),
		).toEqual(readdirSync(SAMPLES).sort());
	});

	test('running it again reuses the directory and index and keeps one file per unique ID', async () => {
		const workflow = () => withSampleFolder(loadExample('ingest-folder.json'));
		const first = await runExample(workflow(), { credentials: credentials(), nodeTypes });
		const second = await runExample(workflow(), { credentials: credentials(), nodeTypes });
		expect(second.status).toBe('success');
		const directoryId = String(first.items('Create directory')[0].json.id);
		expect(second.items('Create directory')[0].json.id).toBe(directoryId);
		expect(second.items('Create index')[0].json.id).toBe(first.items('Create index')[0].json.id);
		expect(
			emulator.store.directories().filter((d) => d.name === 'n8n demo: company docs'),
		).toHaveLength(1);
		expect(emulator.store.files(directoryId, { includeDeleted: false })).toHaveLength(SAMPLE_COUNT);
		expect(emulator.store.indexes()).toHaveLength(1);
	});
});

describe('examples/scheduled-ingestion.json', () => {
	test('runs from its schedule trigger to a built index', async () => {
		const run = await runExample(withSampleFolder(loadExample('scheduled-ingestion.json')), {
			credentials: credentials(),
			nodeTypes,
		});
		expect(run.status).toBe('success');
		expect(run.items('Upload files')).toHaveLength(SAMPLE_COUNT);
		expect((run.items('Sync and wait')[0].json.metadata as { status: string }).status).toBe(
			'ready',
		);
	});
});

describe('examples/trigger-to-sync.json', () => {
	test("files emitted by the trigger lead to one sync of the directory's index", async () => {
		const directory = emulator.store.createDirectory('Inbox');
		const [file] = emulator.store.seedFiles(directory.id, 3, {
			content: (i) => `# Note ${i}\n\nSome text.`,
		});
		const create = await fetch(`${emulator.url}/api/v1/indexes`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${emulator.apiKey}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ source_directory_id: directory.id }),
		});
		const index = (await create.json()) as { id: string };
		await emulator.waitForBuilds();
		const workflow = loadExample('trigger-to-sync.json');
		// Start after the trigger, with what it would emit: three new files of the directory.
		const files = emulator.store
			.files(directory.id)
			.map((f) => ({ json: { ...f, event: 'created' } }));
		const run = await runExample(workflow, {
			credentials: credentials(),
			nodeTypes,
			startNode: "Find the directory's index",
			inputItems: files,
		});
		expect(file).toBeDefined();
		expect(run.workflowError?.message).toBeUndefined();
		expect(run.status).toBe('success');
		const synced = run.items('Sync and wait');
		expect(synced).toHaveLength(1);
		expect(synced[0].json.id).toBe(index.id);
		expect((synced[0].json.metadata as { status: string }).status).toBe('ready');
		expect(
			emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/sync')),
		).toHaveLength(1);
	});
});

describe('examples/mirror-folder.json', () => {
	test('mirrors a folder; a second run after changes adds, replaces and deletes exactly those', async () => {
		const folder = mkdtempSync(path.join(tmpdir(), 'mirror-example-'));
		try {
			cpSync(SAMPLES, folder, { recursive: true });
			const workflow = () => {
				const w = loadExample('mirror-folder.json');
				w.nodes.find((n) => n.name === 'Read folder')!.parameters.fileSelector = path.join(
					folder,
					'*',
				);
				return w;
			};
			const first = await runExample(workflow(), { credentials: credentials(), nodeTypes });
			expect(first.workflowError?.message).toBeUndefined();
			const [report] = first.items('Mirror folder');
			expect(report.json.counts).toEqual({
				added: SAMPLE_COUNT,
				replaced: 0,
				unchanged: 0,
				deleted: 0,
				failed: 0,
			});
			expect((report.json.indexSync as { synced: boolean }).synced).toBe(true);

			writeFileSync(path.join(folder, 'expense-policy.md'), '# Expenses\n\nNew limits.\n');
			writeFileSync(path.join(folder, 'travel-policy.md'), '# Travel\n\nBook early.\n');
			unlinkSync(path.join(folder, 'security-guidelines.txt'));
			const second = await runExample(workflow(), { credentials: credentials(), nodeTypes });
			expect(second.workflowError?.message).toBeUndefined();
			expect(second.items('Mirror folder')[0].json).toMatchObject({
				counts: { added: 1, replaced: 1, unchanged: SAMPLE_COUNT - 2, deleted: 1, failed: 0 },
				added: ['travel-policy.md'],
				replaced: ['expense-policy.md'],
				deleted: ['security-guidelines.txt'],
				indexSync: { synced: true, indexes: [expect.objectContaining({ status: 'ready' })] },
			});
			const directoryId = String(second.items('Create directory')[0].json.id);
			const files = emulator.store.files(directoryId, { includeDeleted: false });
			expect(files.map((f) => f.unique_id).sort()).toEqual(readdirSync(folder).sort());
		} finally {
			rmSync(folder, { recursive: true, force: true });
		}
	});
});

describe('the Google Drive and S3 mirror examples', () => {
	const cases = [
		{ file: 'mirror-google-drive.json', kind: 'googleDrive', node: 'Mirror Drive folder' },
		{ file: 'mirror-s3.json', kind: 'awsS3', node: 'Mirror S3 folder' },
	] as const;

	test.each(cases)(
		'$file mirrors the listed files by their checksum',
		async ({ file, kind, node }) => {
			const key = (n: number) => (kind === 'awsS3' ? `contracts/c${n}.txt` : `drive-id-${n}`);
			let source: SourceFile[] = [1, 2, 3, 4, 5].map((n) => ({
				key: key(n),
				name: `c${n}.txt`,
				content: `contract ${n}`,
				checksum: `sum-${n}`,
			}));
			const types = { ...nodeTypes, [`n8n-nodes-base.${kind}`]: sourceStandIn(kind, () => source) };
			const run = async () => {
				const result = await runExample(loadExample(file), {
					credentials: credentials(),
					nodeTypes: types,
				});
				expect(result.workflowError?.message).toBeUndefined();
				return result.items(node)[0].json as Record<string, any>;
			};
			expect((await run()).counts).toMatchObject({ added: 5, failed: 0 });

			// A new checksum for c2 (content unchanged: the checksum decides), c6 new, c1 gone.
			source = [
				{ ...source[1], checksum: 'sum-2b' },
				...source.slice(2),
				{ key: key(6), name: 'c6.txt', content: 'contract 6', checksum: 'sum-6' },
			];
			const report = await run();
			expect(report).toMatchObject({
				counts: { added: 1, replaced: 1, unchanged: 3, deleted: 1, failed: 0 },
				added: [key(6)],
				replaced: [key(2)],
				deleted: [key(1)],
			});
		},
	);
});

describe('every example', () => {
	const known = new Set([
		...Object.keys(nodeTypes),
		'n8n-nodes-base.googleDrive',
		'n8n-nodes-base.awsS3',
		'n8n-nodes-llamacloud-ingest.llamaCloudIngestTool',
		'@n8n/n8n-nodes-langchain.chatTrigger',
		'@n8n/n8n-nodes-langchain.agent',
		'@n8n/n8n-nodes-langchain.lmChatOpenAi',
	]);
	const files = readdirSync(path.join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.json'));

	test.each(files)('%s is an importable workflow of known node types, wired by name', (file) => {
		const workflow = loadExample(file);
		// n8n stores static data (the trigger's cursor) only for ids of at most 21 characters.
		expect(workflow.id).toMatch(/^[A-Za-z0-9]{1,21}$/);
		const names = new Set(workflow.nodes.map((n) => n.name));
		for (const node of workflow.nodes) expect(known).toContain(node.type);
		for (const [from, outputs] of Object.entries(workflow.connections)) {
			expect(names).toContain(from);
			for (const output of Object.values(outputs)) {
				for (const target of (output ?? []).flat()) expect(names).toContain(target?.node);
			}
		}
	});
});
