/**
 * Our nodes inside the real n8n: workflows imported with `n8n import:workflow` (credential with
 * `n8n import:credentials`) and run with `n8n execute`, against an emulator in this process that
 * n8n reaches over loopback. One user folder for the file: each CLI command is a whole n8n start.
 *
 * - examples/ingest-folder.json, the demo, as shipped (its files folder pointed at a copy of
 *   examples/sample-docs);
 * - workflows/every-resource.json: every operation of every resource, in one chain (Retrieve,
 *   Find Files, Grep File and Read File included);
 * - workflows/continue-on-fail.json: bad items kept as items, on the error output and on the
 *   regular one, for a routed operation (validation and API errors) and for Upload.
 */
import { type Emulator, startEmulator } from '../../emulator';
import { CANARY_API_KEY } from '../support/canary';
import {
	demoCredential,
	type ExecutionResult,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	loadWorkflow,
	makeFilesFolder,
	makeUserFolder,
	nodeErrors,
	nodeItems,
	nodeOutput,
	type UserFolder,
	n8nMajor,
} from '../../harness/n8n';

let emulator: Emulator;
let uf: UserFolder;
let samples: string[];

beforeAll(async () => {
	emulator = await startEmulator({
		apiKey: CANARY_API_KEY,
		buildStepMs: 20,
		// The assertions read the build's file counts: the emulator's `detailed` diagnostics
		// (the spec promises only `status`).
		variants: { buildMetadata: 'detailed' },
	});
	uf = await makeUserFolder();
	const files = makeFilesFolder(uf.dir);
	samples = files.samples;
	uf.env.N8N_RESTRICT_FILE_ACCESS_TO = files.dir;
	await importCredentials(uf, [demoCredential(emulator)]);
	// One import for all: each command costs an n8n start.
	await importWorkflow(uf, [
		loadWorkflow('examples/ingest-folder.json', files.dir),
		loadWorkflow('test/e2e/workflows/every-resource.json', files.dir),
		loadWorkflow('test/e2e/workflows/continue-on-fail.json', files.dir),
	]);
});

afterAll(async () => {
	await emulator?.close();
	uf?.remove();
});

/** Runs a workflow; the API key must not show up anywhere in what n8n printed. */
async function run(id: string): Promise<ExecutionResult> {
	const result = await executeWorkflow(uf, id);
	expect(`${result.command.stdout}\n${result.command.stderr}`).not.toContain(CANARY_API_KEY);
	return result;
}

function expectSuccess(result: ExecutionResult, nodes: string[]): void {
	expect(nodeErrors(result)).toEqual({});
	expect(result.error).toBeUndefined();
	expect(result.status).toBe('success');
	// Every node ran (a node left out of the run would otherwise pass unnoticed).
	expect(Object.keys(result.runData).sort()).toEqual([...nodes].sort());
}

const metadataOf = (item: { metadata?: unknown }) => item.metadata as Record<string, unknown>;

test('examples/ingest-folder.json uploads the sample folder, builds the index, lists it and asks it a question', async () => {
	const result = await run('llcIngestFolder');
	expectSuccess(result, [
		'Start',
		'Create directory',
		'Read sample files',
		'Upload files',
		'Create index',
		'Sync and wait',
		'List indexed files',
		'Ask the index',
	]);

	const [directory] = nodeItems(result, 'Create directory');
	expect(directory).toMatchObject({ name: 'n8n demo: company docs' });

	const uploads = nodeItems(result, 'Upload files');
	expect(uploads).toHaveLength(samples.length);
	expect(uploads.map((u) => u.unique_id).sort()).toEqual(samples);
	for (const u of uploads) {
		expect(u.directory_id).toBe(directory.id);
		expect(metadataOf(u)).toMatchObject({ source: 'n8n demo' });
		// The example reads `$binary.data.bytes`; n8n 1.85's binary metadata has no `bytes` (only
		// the human-readable fileSize), so there the example sends its fallback, 0.
		if (n8nMajor() >= 2) expect(metadataOf(u).size_bytes).toBeGreaterThan(0);
		else expect(metadataOf(u).size_bytes).toBe(0);
	}

	const [index] = nodeItems(result, 'Sync and wait');
	expect(index.source_directory_id).toBe(directory.id);
	expect(metadataOf(index)).toMatchObject({
		status: 'ready',
		error_message: null,
		files_total: samples.length,
		files_failed: 0,
	});

	// One parsed file per sample in the output directory; the index holds their chunks.
	const parsed = nodeItems(result, 'List indexed files');
	expect(parsed).toHaveLength(samples.length);
	expect(metadataOf(index).chunks_total).toBeGreaterThanOrEqual(samples.length);
	expect(new Set(parsed.map((c) => c.directory_id))).toEqual(new Set([index.output_directory_id]));
	expect(parsed.map((c) => metadataOf(c).source_unique_id).sort()).toEqual(samples);

	// The emulator holds exactly that: one live file per sample, the bytes as on disk.
	const stored = emulator.store.files(String(directory.id), { includeDeleted: false });
	expect(stored.map((f) => f.unique_id).sort()).toEqual(samples);
	expect(emulator.store.index(String(index.id))?.metadata).toMatchObject({ status: 'ready' });
	expect(
		emulator.store.files(String(index.output_directory_id), { includeDeleted: false }),
	).toHaveLength(parsed.length);

	// The demo's question: the handbook's passage first, cited by file, pages and position.
	const answer = nodeItems(result, 'Ask the index');
	expect(answer.length).toBeGreaterThan(0);
	expect(answer[0]).toMatchObject({
		query: 'How many days of paid leave do we get?',
		rank: 1,
		content: expect.stringContaining('28 days of paid leave'),
		file: { display_name: 'employee-handbook.md', unique_id: 'employee-handbook.md' },
		page_range_start: 1,
		chunk_index: 0,
	});
	expect(parsed.map((f) => f.id)).toContain((answer[0].file as { id: string }).id);
});

test('workflows/every-resource.json runs every operation of Directory, File and Index', async () => {
	const result = await run('e2eEveryResource');
	const names = [
		'Start',
		'Create directory',
		'Create target directory',
		'Get directory',
		'Update directory',
		'Get many directories',
		'Read a sample file',
		'Upload file',
		'Add stored file',
		'Get file',
		'Get file by unique ID',
		'Get many files',
		'Update and move file',
		'Get many files in target',
		'Create index',
		'Get index',
		'Get many indexes',
		'Sync and wait',
		'Retrieve',
		'Find files',
		'Grep file',
		'Read file',
		'Delete file by unique ID',
		'Delete file',
		'Delete index',
		'Delete target directory',
		'Delete directory',
	];
	expectSuccess(result, names);
	const one = (node: string) => {
		const items = nodeItems(result, node);
		expect({ node, count: items.length }).toEqual({ node, count: 1 });
		return items[0];
	};

	// Directory
	const directory = one('Create directory');
	expect(directory).toMatchObject({
		name: 'e2e: every resource',
		description: 'made by test/e2e/workflows/every-resource.json',
	});
	expect(directory.id).toMatch(/^dir-/);
	const target = one('Create target directory');
	expect(target.id).not.toBe(directory.id);
	expect(one('Get directory')).toMatchObject({ id: directory.id, name: 'e2e: every resource' });
	expect(one('Update directory')).toMatchObject({
		id: directory.id,
		name: 'e2e: every resource (renamed)',
		description: 'updated by the workflow',
	});
	expect(one('Get many directories')).toMatchObject({
		id: directory.id,
		name: 'e2e: every resource (renamed)',
	});

	// File
	const uploaded = one('Upload file');
	expect(uploaded).toMatchObject({
		directory_id: directory.id,
		unique_id: 'docs/expense-policy.md',
		display_name: 'expense-policy.md',
		metadata: { team: 'finance', year: 2026 },
	});
	const added = one('Add stored file');
	expect(added).toMatchObject({
		directory_id: target.id,
		file_id: uploaded.file_id,
		unique_id: 'copies/expense-policy.md',
		display_name: 'Expense policy (copy)',
		metadata: { copy: true },
	});
	expect(one('Get file')).toMatchObject({ id: uploaded.id, unique_id: 'docs/expense-policy.md' });
	expect(one('Get file by unique ID')).toMatchObject({
		id: uploaded.id,
		directory_id: directory.id,
	});
	expect(one('Get many files')).toMatchObject({ id: uploaded.id });
	expect(one('Update and move file')).toMatchObject({
		id: uploaded.id,
		directory_id: target.id,
		display_name: 'Expense policy',
		metadata: { team: 'finance', reviewed: true },
	});
	expect(
		nodeItems(result, 'Get many files in target')
			.map((f) => f.id)
			.sort(),
	).toEqual([uploaded.id, added.id].sort());

	// Index
	const index = one('Create index');
	expect(index).toMatchObject({
		name: 'e2e: every resource index',
		source_directory_id: target.id,
	});
	expect(one('Get index')).toMatchObject({ id: index.id, source_directory_id: target.id });
	expect(one('Get many indexes')).toMatchObject({ id: index.id });
	const synced = one('Sync and wait');
	expect(synced.id).toBe(index.id);
	expect(metadataOf(synced)).toMatchObject({ status: 'ready', files_total: 2, files_failed: 0 });
	expect(metadataOf(synced).chunks_total).toBeGreaterThan(0);

	// Retrieval: by the export config ID, a metadata filter, rerank on; then the file tools.
	const passage = one('Retrieve');
	expect(passage).toMatchObject({
		rank: 1,
		content: expect.stringContaining('Submit receipts'),
		rerank_score: expect.any(Number),
		file: { display_name: 'Expense policy', unique_id: 'docs/expense-policy.md' },
		metadata: { team: 'finance', reviewed: true },
	});
	const cited = (passage.file as { id: string }).id;
	expect(one('Find files')).toEqual({
		file_id: expect.any(String),
		file_name: 'Expense policy (copy)',
	});
	const matches = nodeItems(result, 'Grep file');
	expect(matches.map((m) => m.content)).toEqual([
		expect.stringContaining('1,000 EUR'),
		expect.stringContaining('45 EUR'),
		expect.stringContaining('500 EUR'),
	]);
	for (const m of matches) expect(m.file_id).toBe(cited);
	expect(one('Read file')).toEqual({
		file_id: cited,
		offset: 2,
		content: 'Expense Policy',
		length: 14,
		next_offset: 16,
	});

	// Deletes
	expect(one('Delete file by unique ID')).toEqual({ deleted: true, id: added.id });
	expect(one('Delete file')).toEqual({ deleted: true, id: uploaded.id });
	expect(one('Delete index')).toMatchObject({ deleted: true, id: index.id });
	expect(one('Delete target directory')).toMatchObject({ deleted: true, id: target.id });
	expect(one('Delete directory')).toMatchObject({ deleted: true, id: directory.id });

	// The emulator agrees: everything the workflow made is gone but the stored file.
	expect(emulator.store.directory(String(directory.id))).toBeUndefined();
	expect(emulator.store.directory(String(target.id))).toBeUndefined();
	expect(emulator.store.directory(String(index.output_directory_id))).toBeUndefined();
	expect(emulator.store.index(String(index.id))).toBeUndefined();
	const blob = emulator.store.blob(String(uploaded.file_id));
	expect((await emulator.store.readBlob(String(uploaded.file_id))).toString('utf8')).toContain(
		'Expense',
	);
	expect(blob?.size).toBeGreaterThan(0);
});

test('workflows/continue-on-fail.json keeps failed items as items that name them', async () => {
	const result = await run('e2eContinueOnFail');
	expect(result.status).toBe('success');
	expect(nodeErrors(result)).toEqual({});

	// "On Error: Continue (using error output)": item 1's blank name goes to the second output.
	const created = nodeItems(result, 'Create directories', 0, 0);
	expect(created.map((d) => d.name)).toEqual([
		'e2e cof: alpha',
		'e2e cof: gamma',
		'e2e cof: delta',
	]);
	const failed = nodeItems(result, 'Create directories', 0, 1);
	expect(failed).toHaveLength(1);
	expect(failed[0].error).toBe('"Name" must not be empty [item 1]');
	expect(nodeItems(result, 'Not created')).toEqual(failed);
	expect(emulator.store.directories().filter((d) => d.name.startsWith('e2e cof:'))).toHaveLength(3);

	// "On Error: Continue": item 1 asks for an unknown directory; the API's 404 is its output.
	const got = nodeItems(result, 'Get directories');
	expect(got).toHaveLength(3);
	expect(got[0]).toMatchObject({ id: created[0].id, name: 'e2e cof: alpha' });
	expect(got[1].error).toMatch(/404/);
	expect(got[1].error).toContain('Directory dir-does-not-exist not found');
	// API errors name the ID, not the item (by design, unlike input checks): pairedItem links it.
	expect(nodeOutput(result, 'Get directories')[1].pairedItem).toEqual({ item: 1 });
	expect(got[2]).toMatchObject({ id: created[2].id, name: 'e2e cof: delta' });

	// Upload (a custom operation): the item without the binary field fails alone, the rest upload.
	// (in the order Read/Write Files listed them, which need not be sorted)
	const read = nodeItems(result, 'Read sample files').map((f) => String(f.fileName));
	expect([...read].sort()).toEqual(samples);
	const uploads = nodeOutput(result, 'Upload files');
	expect(uploads).toHaveLength(samples.length);
	const bad = read.indexOf('expense-policy.md');
	uploads.forEach((u, i) => {
		expect(u.pairedItem).toEqual({ item: i });
		if (i === bad) {
			expect(u.json.error).toBe(
				`"Input Binary Field" 'attachment' not found in the item [item ${bad}]`,
			);
		} else {
			expect(u.json).toMatchObject({ directory_id: created[0].id, unique_id: read[i] });
		}
	});
	expect(
		emulator.store
			.files(String(created[0].id), { includeDeleted: false })
			.map((f) => f.unique_id)
			.sort(),
	).toEqual(samples.filter((s) => s !== 'expense-policy.md'));
});
