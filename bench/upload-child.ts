/**
 * One upload measurement, run by bench/upload.ts in a fresh process (argv[2]: JSON input).
 * Scenarios: the node streaming a large filesystem-mode binary (memory + time), the
 * buffer-everything comparison node, a raw undici streaming upload, and bulk uploads of many
 * small files by the node or by a raw undici loop.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';

import LlamaCloudSdk, { toFile } from '@llamaindex/llama-cloud';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { request } from 'undici';

// '.js': tsx would otherwise resolve 'LlamaCloudIngest.node' to the codex file LlamaCloudIngest.node.json.
import { LlamaCloudIngest as LlamaCloud } from '../nodes/LlamaCloud/LlamaCloudIngest.node.js';
import { multipartLayout } from '../nodes/LlamaCloud/actions/file/upload/multipart';
import { makeStoredBinaryItem, runNode, useBinaryDataMode } from '../harness/engine';
import { storedFileItem } from './binary';
import { BufferUpload } from './buffer-upload.node';
import { reportToParent } from './lib';
import { measureMemory, timed, timedCpu, type MemoryFigures } from './measure';

export type { MemoryFigures };

export interface ChildInput {
	scenario:
		'node-stream' | 'node-buffer' | 'undici-stream' | 'bulk-node' | 'bulk-undici' | 'bulk-sdk';
	url: string;
	apiKey: string;
	directoryId: string;
	warmDirectoryId: string;
	/** Large-file scenarios: the file to upload and how many timed runs. */
	filePath?: string;
	repeats?: number;
	/** Bulk scenarios. */
	count?: number;
	size?: number;
	concurrency?: number;
	/** bulk-node: "If a File with This Unique ID Exists" (default the node's). */
	onConflict?: 'skip' | 'replace' | 'keepBoth';
	/** bulk-node: continue on fail, counting failed items instead of stopping (P6). */
	continueOnFail?: boolean;
	/** bulk-node: "Upload Rate Limit (per 5 Seconds)" (default the node's: 50). */
	uploadRateLimit?: number;
	/** bulk scenarios: no warm-up run (its requests would count in the emulator's figures). */
	noWarmUp?: boolean;
}

export interface ChildOutput {
	scenario: string;
	timesMs: number[];
	/** CPU and GC time of this process over the timed runs (ms). */
	cpuMs?: { user: number; system: number; gc: number; majorGcs: number };
	bytes?: number;
	files?: number;
	/** Bulk: items that failed (continue on fail) or uploads that threw (SDK), with a sample reason. */
	failed?: number;
	failure?: string;
	memory?: MemoryFigures;
}

const input = JSON.parse(process.argv[2]) as ChildInput;
const credentials = {
	llamaCloudIngestApi: { apiKey: input.apiKey, region: 'custom', baseUrl: input.url },
};
const uploadUrl = (directoryId: string) =>
	`${input.url}/api/v1/beta/directories/${directoryId}/files/upload`;

function nodeUpload(
	directoryId: string,
	items: INodeExecutionData[],
	parameters: INodeParameters = {},
	continueOnFail = false,
) {
	return runNode({
		continueOnFail,
		type: LlamaCloud,
		credentials,
		parameters: {
			resource: 'file',
			operation: 'upload',
			directoryId: { __rl: true, mode: 'id', value: directoryId },
			...parameters,
		},
		inputItems: items,
	});
}

function expectUploaded(run: Awaited<ReturnType<typeof runNode>>, count: number) {
	if (run.error)
		throw new Error(`upload failed: ${run.error.message} ${run.error.description ?? ''}`);
	const ok = run.items.filter((i) => typeof i.json.id === 'string' && !i.json.skipped).length;
	if (ok !== count) throw new Error(`expected ${count} uploaded files, got ${ok}`);
}

async function warmUpNode(): Promise<void> {
	const item = await makeStoredBinaryItem(randomBytes(256 * 1024), { fileName: 'warm.bin' });
	expectUploaded(
		await nodeUpload(input.warmDirectoryId, [item], { uniqueId: `warm-${process.pid}` }),
		1,
	);
}

async function nodeStream(): Promise<ChildOutput> {
	const item = await storedFileItem(String(input.filePath));
	await warmUpNode();
	const size = Number(item.binary!.data.bytes);
	const first = await measureMemory(() =>
		nodeUpload(input.directoryId, [item], { uniqueId: 'node-0', options: { maxFileSizeMb: 4096 } }),
	);
	expectUploaded(first.result, 1);
	const timesMs = [first.ms];
	for (let i = 1; i < (input.repeats ?? 1); i++) {
		timesMs.push(
			await timed(async () =>
				expectUploaded(
					await nodeUpload(input.directoryId, [item], {
						uniqueId: `node-${i}`,
						options: { maxFileSizeMb: 4096 },
					}),
					1,
				),
			),
		);
	}
	return { scenario: input.scenario, timesMs, bytes: size, memory: first.memory };
}

async function nodeBuffer(): Promise<ChildOutput> {
	const item = await storedFileItem(String(input.filePath));
	const size = Number(item.binary!.data.bytes);
	const run = (directoryId: string, items: INodeExecutionData[]) =>
		runNode({
			type: BufferUpload,
			parameters: { url: uploadUrl(directoryId), apiKey: input.apiKey },
			inputItems: items,
		});
	const warm = await run(input.warmDirectoryId, [
		await makeStoredBinaryItem(randomBytes(256 * 1024), { fileName: `warm-${process.pid}.bin` }),
	]);
	if (warm.error) throw new Error(warm.error.message);
	const measured = await measureMemory(() => run(input.directoryId, [item]));
	if (measured.result.error) throw new Error(measured.result.error.message);
	return { scenario: input.scenario, timesMs: [measured.ms], bytes: size, memory: measured.memory };
}

async function undiciUpload(
	directoryId: string,
	uniqueId: string,
	body: () => Readable | Buffer,
	size: number,
	fileName: string,
) {
	const layout = multipartLayout(
		{ display_name: fileName, unique_id: uniqueId },
		{ fileName, mimeType: 'application/octet-stream', size },
		'upload_file',
	);
	const content = body();
	const payload = Buffer.isBuffer(content)
		? Buffer.concat([layout.head, content, layout.tail])
		: Readable.from(
				(async function* () {
					yield layout.head;
					for await (const chunk of content) yield chunk as Buffer;
					yield layout.tail;
				})(),
				{ objectMode: false },
			);
	const response = await request(uploadUrl(directoryId), {
		method: 'POST',
		headers: {
			authorization: `Bearer ${input.apiKey}`,
			accept: 'application/json',
			...layout.headers,
		},
		body: payload,
	});
	const text = await response.body.text();
	// 201 Created, as the spec says an upload answers.
	if (response.statusCode !== 201)
		throw new Error(`undici upload: HTTP ${response.statusCode} ${text}`);
}

async function undiciStream(): Promise<ChildOutput> {
	const path = String(input.filePath);
	const { size } = await import('node:fs/promises').then((fs) => fs.stat(path));
	const warm = randomBytes(256 * 1024);
	await undiciUpload(
		input.warmDirectoryId,
		`warm-undici-${process.pid}`,
		() => warm,
		warm.length,
		'warm.bin',
	);
	const timesMs: number[] = [];
	for (let i = 0; i < (input.repeats ?? 1); i++) {
		timesMs.push(
			await timed(() =>
				undiciUpload(
					input.directoryId,
					`undici-${i}`,
					() => createReadStream(path, { highWaterMark: 256 * 1024 }),
					size,
					'big.bin',
				),
			),
		);
	}
	return { scenario: input.scenario, timesMs, bytes: size };
}

/** Distinct small files, the same in both bulk scenarios (seeded by index). */
function smallFile(i: number, size: number): Buffer {
	const content = Buffer.alloc(size, i % 251);
	content.write(`file ${i} `, 0);
	return content;
}

async function bulkNode(): Promise<ChildOutput> {
	const count = Number(input.count);
	const size = Number(input.size);
	const items = await storedSmallFiles('', count, size);
	const parameters: INodeParameters = {
		...(input.onConflict ? { onConflict: input.onConflict } : {}),
		options: { concurrency: input.concurrency },
		...(input.uploadRateLimit === undefined
			? {}
			: { requestOptions: { uploadRateLimit: input.uploadRateLimit } }),
	};
	if (!input.noWarmUp) {
		const warm = await storedSmallFiles(`warm-${process.pid}-`, 20, size);
		expectUploaded(await nodeUpload(input.warmDirectoryId, warm, parameters), warm.length);
	}
	let run!: Awaited<ReturnType<typeof nodeUpload>>;
	const ms = await timed(async () => {
		run = await nodeUpload(input.directoryId, items, parameters, input.continueOnFail);
	});
	if (!input.continueOnFail) expectUploaded(run, count);
	const failedItems = run.items.filter((i) => i.json.error !== undefined);
	const failed = run.error ? count : failedItems.length;
	const failure = run.error?.message ?? (failedItems[0]?.json.error as string | undefined);
	return {
		scenario: input.scenario,
		timesMs: [ms],
		files: count - failed,
		failed,
		failure,
		bytes: count * size,
	};
}

/** The bulk files, stored in n8n's binary data service (filesystem mode) like the node's input. */
async function storedSmallFiles(
	prefix: string,
	count: number,
	size: number,
): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	for (let i = 0; i < count; i++)
		items.push(await makeStoredBinaryItem(smallFile(i, size), { fileName: `${prefix}f${i}.bin` }));
	return items;
}

async function bulkUndici(): Promise<ChildOutput> {
	const count = Number(input.count);
	const size = Number(input.size);
	const concurrency = Number(input.concurrency);
	// The same files the node reads: stored by n8n's binary data service, read from its disk.
	const service = await useBinaryDataMode('filesystem');
	const pathOf = (item: INodeExecutionData) => service.getPath(String(item.binary!.data.id));
	const pool = async (directoryId: string, items: INodeExecutionData[]) => {
		let next = 0;
		const worker = async () => {
			while (next < items.length) {
				const item = items[next++];
				const content = await readFile(pathOf(item));
				const name = String(item.binary!.data.fileName);
				await undiciUpload(directoryId, name, () => content, content.length, name);
			}
		};
		await Promise.all(Array.from({ length: concurrency }, worker));
	};
	const items = await storedSmallFiles('', count, size);
	if (!input.noWarmUp)
		await pool(input.warmDirectoryId, await storedSmallFiles(`warm-${process.pid}-`, 20, size));
	const ms = await timed(() => pool(input.directoryId, items));
	return { scenario: input.scenario, timesMs: [ms], files: count, bytes: count * size };
}

/**
 * The official SDK uploading the same files at `concurrency`, as a user would write it: its
 * defaults (5 retries on 429 and 5xx with its own backoff, 1-minute timeout), one client.
 */
async function bulkSdk(): Promise<ChildOutput> {
	const count = Number(input.count);
	const size = Number(input.size);
	const concurrency = Number(input.concurrency);
	const client = new LlamaCloudSdk({ apiKey: input.apiKey, baseURL: input.url });
	const service = await useBinaryDataMode('filesystem');
	let failed = 0;
	let failure: string | undefined;
	const pool = async (directoryId: string, items: INodeExecutionData[]) => {
		let next = 0;
		const worker = async () => {
			while (next < items.length) {
				const item = items[next++];
				const name = String(item.binary!.data.fileName);
				try {
					const content = await readFile(service.getPath(String(item.binary!.data.id)));
					await client.beta.directories.files.upload(directoryId, {
						upload_file: await toFile(content, name),
						unique_id: name,
					});
				} catch (error) {
					failed++;
					failure ??= error instanceof Error ? error.message : String(error);
				}
			}
		};
		await Promise.all(Array.from({ length: concurrency }, worker));
	};
	const items = await storedSmallFiles('', count, size);
	if (!input.noWarmUp)
		await pool(input.warmDirectoryId, await storedSmallFiles(`warm-${process.pid}-`, 20, size));
	failed = 0;
	const ms = await timed(() => pool(input.directoryId, items));
	return {
		scenario: input.scenario,
		timesMs: [ms],
		files: count - failed,
		failed,
		failure,
		bytes: count * size,
	};
}

const scenarios: Record<ChildInput['scenario'], () => Promise<ChildOutput>> = {
	'node-stream': nodeStream,
	'node-buffer': nodeBuffer,
	'undici-stream': undiciStream,
	'bulk-node': bulkNode,
	'bulk-undici': bulkUndici,
	'bulk-sdk': bulkSdk,
};

scenarios[input.scenario]()
	.then((output) => {
		reportToParent({ ...output, cpuMs: timedCpu });
		process.exit(0);
	})
	.catch((error) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	});
