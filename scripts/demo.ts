/**
 * `npm run demo`: the main job. Runs examples/ingest-folder.json end to end through n8n's
 * execution engine: create (or reuse) a directory, upload every file of examples/sample-docs,
 * create an index over it, sync and wait until it is built, list what was indexed, and ask
 * the index a question: the answer's passages are printed with their citations.
 * Then examples/mirror-folder.json twice, as its schedule would, over a copy of the samples
 * changed in between (one file edited, one added, one removed): the second run touches only
 * those three. On the bundled emulator by default; on LlamaCloud when LLAMA_CLOUD_API_KEY is set.
 */
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { INodeExecutionData, ITaskData } from 'n8n-workflow';

import { type Emulator, startEmulator } from '../emulator';
import {
	REPO_ROOT,
	type ExampleWorkflow,
	credentialsFromEnv,
	loadExample,
	runExample,
} from './lib/examples';

const SAMPLE_FOLDER = path.join(REPO_ROOT, 'examples', 'sample-docs');

function itemsOf(task: ITaskData): INodeExecutionData[] {
	return task.data?.main?.[0] ?? [];
}

function describe(nodeName: string, items: INodeExecutionData[]): string {
	const first = items[0]?.json ?? {};
	switch (nodeName) {
		case 'Create directory':
			return `directory ${String(first.id)} "${String(first.name)}"`;
		case 'Read folder':
			return `${items.length} files from the folder`;
		case 'Read sample files':
			return `${items.length} files from ${path.relative(REPO_ROOT, SAMPLE_FOLDER)}`;
		case 'Upload files': {
			const skipped = items.filter((i) => i.json.skipped).length;
			return `${items.length - skipped} uploaded, ${skipped} unchanged`;
		}
		case 'Create index':
			return `index ${String(first.id)} "${String(first.name)}"`;
		case 'Sync and wait': {
			const status = (first.metadata as { status?: string } | undefined)?.status ?? '?';
			return `build ${status}, last synced ${String(first.last_synced_at ?? '-')}`;
		}
		case 'List indexed files':
			return `${items.length} parsed files in the output directory`;
		case 'Ask the index': {
			const file = (first.file ?? {}) as { display_name?: string | null };
			return `${items.length} passages; best from ${String(file.display_name ?? '?')}`;
		}
		case 'Mirror folder': {
			const counts = first.counts as Record<string, number> | undefined;
			if (!counts) return `${items.length} item(s)`;
			const listed = (key: string) =>
				(first[key] as string[]).length ? ` (${(first[key] as string[]).join(', ')})` : '';
			const sync = first.indexSync as
				{ synced: boolean; indexes: Array<{ status: string | null }> } | undefined;
			const index = sync
				? `; index ${sync.synced ? `synced, ${sync.indexes.map((i) => i.status).join(', ')}` : 'not synced (nothing changed)'}`
				: '';
			return `${counts.added} added${listed('added')}, ${counts.replaced} replaced${listed('replaced')}, ${counts.unchanged} unchanged, ${counts.deleted} deleted${listed('deleted')}, ${counts.failed} failed${index}`;
		}
		default:
			return `${items.length} item(s)`;
	}
}

/** The question the demo asks its index, and the cited passages that answer it. */
function printAnswer(items: INodeExecutionData[]): void {
	if (items.length === 0) return;
	console.log(`\nQuestion: ${String(items[0].json.query)}`);
	for (const { json } of items) {
		const file = (json.file ?? {}) as { id?: string; display_name?: string | null };
		const pages =
			json.page_range_start === json.page_range_end
				? `page ${String(json.page_range_start)}`
				: `pages ${String(json.page_range_start)}-${String(json.page_range_end)}`;
		const score = typeof json.score === 'number' ? json.score.toFixed(2) : '-';
		console.log(
			`\n  [${String(json.rank)}] ${String(file.display_name ?? file.id)}, ${pages}, characters ` +
				`${String(json.chunk_start_char)}-${String(json.chunk_end_char)} (score ${score})`,
		);
		for (const line of String(json.content).split('\n')) console.log(`      ${line}`.trimEnd());
	}
}

async function main() {
	const started = Date.now();
	const realCredentials = credentialsFromEnv();
	let emulator: Emulator | undefined;
	let credentials = realCredentials;
	if (!credentials) {
		emulator = await startEmulator({ buildStepMs: 300, quiet: true });
		credentials = {
			apiKey: emulator.apiKey,
			region: 'custom',
			baseUrl: emulator.url,
			projectId: '',
			organizationId: '',
		};
		console.log(
			`LlamaCloud emulator at ${emulator.url} (set LLAMA_CLOUD_API_KEY to use LlamaCloud itself)`,
		);
	} else {
		const where =
			credentials.region === 'custom'
				? String(credentials.baseUrl)
				: `region ${String(credentials.region).toUpperCase()}`;
		console.log(`LlamaCloud at ${where} (key from LLAMA_CLOUD_API_KEY)`);
	}

	const rows: Array<[string, string, string]> = [];
	const run = async (workflow: ExampleWorkflow, heading: string) => {
		console.log(`${heading}\n`);
		const result = await runExample(workflow, {
			credentials: credentials!,
			onNodeStart: (name) => process.stdout.write(`  … ${name}\n`),
			onNodeFinish: (name, task) => {
				const seconds = ((task.executionTime ?? 0) / 1000).toFixed(2);
				const outcome = task.error
					? `FAILED: ${task.error.message}`
					: describe(name, itemsOf(task));
				rows.push([name, outcome, `${seconds}s`]);
				process.stdout.write(`  ${task.error ? '✗' : '✓'} ${name}: ${outcome}\n`);
			},
		});
		if (result.status !== 'success') {
			throw new Error(
				`The workflow did not succeed: ${result.workflowError?.message ?? result.status}`,
			);
		}
		console.log('');
		return result;
	};

	const folder = mkdtempSync(path.join(tmpdir(), 'llamacloud-demo-mirror-'));
	try {
		const workflow = loadExample('ingest-folder.json');
		const reader = workflow.nodes.find((n) => n.name === 'Read sample files');
		if (reader) reader.parameters.fileSelector = path.join(SAMPLE_FOLDER, '*');
		const ingest = await run(workflow, `Running "${workflow.name}"`);

		// The mirror example, over a copy of the samples, run twice as its schedule would.
		cpSync(SAMPLE_FOLDER, folder, { recursive: true });
		const mirror = () => {
			const w = loadExample('mirror-folder.json');
			const read = w.nodes.find((n) => n.name === 'Read folder');
			if (read) read.parameters.fileSelector = path.join(folder, '*');
			return w;
		};
		await run(mirror(), `Running "${mirror().name}" (first run)`);
		writeFileSync(
			path.join(folder, 'expense-policy.md'),
			'# Expense policy\n\nMeals are reimbursed up to 60 EUR a day from next month.\n',
		);
		writeFileSync(
			path.join(folder, 'travel-policy.md'),
			'# Travel policy\n\nBook trains for trips under 600 km.\n',
		);
		unlinkSync(path.join(folder, 'security-guidelines.txt'));
		await run(
			mirror(),
			'The folder changed: expense-policy.md edited, travel-policy.md added, security-guidelines.txt removed. Next scheduled run',
		);

		console.log('Summary');
		const width = Math.max(...rows.map((r) => r[0].length));
		for (const [name, outcome, time] of rows)
			console.log(`  ${name.padEnd(width)}  ${time.padStart(6)}  ${outcome}`);
		console.log(
			`  ${'Total'.padEnd(width)}  ${((Date.now() - started) / 1000).toFixed(2).padStart(5)}s`,
		);
		printAnswer(ingest.items('Ask the index'));
	} catch (error) {
		console.error(`\n${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = 1;
	} finally {
		rmSync(folder, { recursive: true, force: true });
		await emulator?.close();
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
