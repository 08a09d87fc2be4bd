/**
 * One File → Mirror measurement, run by bench/mirror.ts in a fresh process (argv[2]: JSON input).
 * Scenarios: `mirror` (the node mirrors a generated source of small files, stored in n8n's
 * filesystem binary data service as Read/Write Files from Disk stores them), `raw-list` (a raw
 * undici listing of the directory: the requests a listing needs) and `fingerprint` (the node in
 * a Dry Run over one large file: the content hash's memory).
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { request } from 'undici';

// '.js': tsx would otherwise resolve 'LlamaCloudIngest.node' to the codex file LlamaCloudIngest.node.json.
import { LlamaCloudIngest as LlamaCloud } from '../nodes/LlamaCloud/LlamaCloudIngest.node.js';
import { makeStoredBinaryItem, runNode } from '../harness/engine';
import { storedFileItem } from './binary';
import { reportToParent } from './lib';
import { measureMemory, timed, type MemoryFigures } from './measure';

/** Half-open ranges of file numbers, [from, to). */
export type Ranges = Array<[number, number]>;

export interface MirrorChildInput {
	scenario: 'mirror' | 'raw-list' | 'fingerprint';
	url: string;
	apiKey: string;
	directoryId: string;
	/** mirror: the files of the source, and which of them have their second version. */
	files?: Ranges;
	changed?: Ranges;
	size?: number;
	/** mirror: node parameters on top of the defaults (the seeding run lifts the rate limit). */
	parameters?: INodeParameters;
	/** fingerprint: the file to hash. */
	filePath?: string;
}

export interface MirrorChildOutput {
	ms: number;
	/** mirror, fingerprint: the report's counts. */
	counts?: Record<string, number>;
	/** raw-list: the requests it took and the files listed. */
	requests?: number;
	listed?: number;
	memory?: MemoryFigures;
	bytes?: number;
}

const input = JSON.parse(process.argv[2]) as MirrorChildInput;
const credentials = {
	llamaCloudIngestApi: { apiKey: input.apiKey, region: 'custom', baseUrl: input.url },
};

const numbers = (ranges: Ranges = []) =>
	ranges.flatMap(([from, to]) => Array.from({ length: to - from }, (_, i) => from + i));

/** File `n`'s content: the same bytes for the same version in every run. */
function content(n: number, version: number, size: number): Buffer {
	const bytes = Buffer.alloc(size, (n + version) % 251);
	bytes.write(`file ${n} version ${version} `, 0);
	return bytes;
}

async function source(): Promise<INodeExecutionData[]> {
	const changed = new Set(numbers(input.changed));
	const items: INodeExecutionData[] = [];
	for (const n of numbers(input.files)) {
		const name = `f${String(n).padStart(5, '0')}.txt`;
		const bytes = content(n, changed.has(n) ? 2 : 1, input.size ?? 2000);
		const item = await makeStoredBinaryItem(bytes, { fileName: name, mimeType: 'text/plain' });
		item.json = { path: `docs/${name}` };
		items.push(item);
	}
	return items;
}

function nodeMirror(items: INodeExecutionData[], parameters: INodeParameters = {}) {
	return runNode({
		type: LlamaCloud,
		credentials,
		parameters: {
			resource: 'file',
			operation: 'mirror',
			directoryId: { __rl: true, mode: 'id', value: input.directoryId },
			uniqueId: '={{ $json.path }}',
			...parameters,
		},
		inputItems: items,
	});
}

function countsOf(run: Awaited<ReturnType<typeof nodeMirror>>): Record<string, number> {
	if (run.error)
		throw new Error(`mirror failed: ${run.error.message} ${run.error.description ?? ''}`);
	return (run.items[0].json as IDataObject).counts as Record<string, number>;
}

async function mirror(): Promise<MirrorChildOutput> {
	const items = await source();
	let run!: Awaited<ReturnType<typeof nodeMirror>>;
	const ms = await timed(async () => {
		run = await nodeMirror(items, input.parameters);
	});
	return { ms, counts: countsOf(run) };
}

async function rawList(): Promise<MirrorChildOutput> {
	let requests = 0;
	let listed = 0;
	const ms = await timed(async () => {
		let token: string | undefined;
		do {
			const qs = new URLSearchParams({
				page_size: '1000',
				...(token ? { page_token: token } : {}),
			});
			const res = await request(
				`${input.url}/api/v1/beta/directories/${input.directoryId}/files?${qs}`,
				{ headers: { authorization: `Bearer ${input.apiKey}` } },
			);
			requests++;
			if (res.statusCode !== 200) throw new Error(`listing answered ${res.statusCode}`);
			const page = (await res.body.json()) as { items: unknown[]; next_page_token?: string | null };
			listed += page.items.length;
			token = page.next_page_token || undefined;
		} while (token);
	});
	return { ms, requests, listed };
}

async function fingerprint(): Promise<MirrorChildOutput> {
	const item = await storedFileItem(String(input.filePath));
	item.json = { path: 'big.bin' };
	// Warm up the code paths (a small file, also a Dry Run), so the figure is the hash's own.
	countsOf(
		await nodeMirror([await makeStoredBinaryItem(Buffer.alloc(1024), { fileName: 'w' })], {
			dryRun: true,
		}),
	);
	const measured = await measureMemory(() =>
		nodeMirror([item], { dryRun: true, options: { maxFileSizeMb: 4096 } }),
	);
	const counts = countsOf(measured.result);
	return {
		ms: measured.ms,
		counts,
		memory: measured.memory,
		bytes: Number(item.binary!.data.bytes),
	};
}

const scenarios = { mirror, 'raw-list': rawList, fingerprint };

scenarios[input.scenario]()
	.then((output) => {
		reportToParent(output);
		process.exit(0);
	})
	.catch((error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	});
