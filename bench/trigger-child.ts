/**
 * One listing measurement, run by bench/trigger.ts in a fresh process (argv[2]: JSON input).
 * Scenarios: the trigger's first poll (to get a saved state), a timed production poll from a
 * given state through n8n's real PollContext, a raw undici listing of every page of the same
 * directory, the official SDK iterating it, and the node's File → Get Many with Return All.
 */
import { performance } from 'node:perf_hooks';

import LlamaCloudSdk from '@llamaindex/llama-cloud';
import type { IDataObject } from 'n8n-workflow';
import { request } from 'undici';

// '.js': tsx would otherwise resolve '*.node' to the codex file (.node.json).
import { LlamaCloudIngest as LlamaCloud } from '../nodes/LlamaCloud/LlamaCloudIngest.node.js';
import { LlamaCloudIngestTrigger as LlamaCloudTrigger } from '../nodes/LlamaCloud/LlamaCloudIngestTrigger.node.js';
import { LISTING_PAGE_SIZE } from '../nodes/LlamaCloud/transport';
import { pollOnce, runNode } from '../harness/engine';
import { reportToParent } from './lib';

export interface TriggerChildInput {
	scenario: 'activate' | 'poll' | 'raw' | 'sdk' | 'getAll';
	url: string;
	apiKey: string;
	directoryId: string;
	staticData?: IDataObject;
	/** Timed runs after one warm-up run. */
	repeats?: number;
	/** Page size of the raw and SDK listings (the node chooses its own). Default LISTING_PAGE_SIZE. */
	pageSize?: number;
}

export interface TriggerChildOutput {
	scenario: string;
	timesMs: number[];
	/** Items emitted by the poll, or files listed by the raw listing. */
	count: number;
	pages?: number;
	staticData?: IDataObject;
}

const input = JSON.parse(process.argv[2]) as TriggerChildInput;
const pageSize = input.pageSize ?? LISTING_PAGE_SIZE;
const credentials = {
	llamaCloudIngestApi: { apiKey: input.apiKey, region: 'custom', baseUrl: input.url },
};

/**
 * The official SDK's auto-pagination over the same list, soft-deleted files included, at the
 * node's page size (the SDK's default would be the server's 50).
 */
async function sdkListing(maxPages = Infinity): Promise<{ count: number; pages: number }> {
	const client = new LlamaCloudSdk({ apiKey: input.apiKey, baseURL: input.url });
	let page = await client.beta.directories.files.list(input.directoryId, {
		include_deleted: true,
		page_size: pageSize,
	});
	let count = page.items.length;
	let pages = 1;
	while (page.hasNextPage() && pages < maxPages) {
		page = await page.getNextPage();
		count += page.items.length;
		pages++;
	}
	return { count, pages };
}

/** File → Get Many with Return All (and Include Deleted, to list what the others list). */
async function nodeGetAll(limit?: number): Promise<{ count: number }> {
	const run = await runNode({
		type: LlamaCloud,
		credentials,
		parameters: {
			resource: 'file',
			operation: 'getAll',
			directoryId: { __rl: true, mode: 'id', value: input.directoryId },
			returnAll: limit === undefined,
			...(limit === undefined ? {} : { limit }),
			filters: { includeDeleted: true },
		},
	});
	if (run.error) throw new Error(`Get Many failed: ${run.error.message}`);
	return { count: run.items.length };
}

function triggerPoll(staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger') {
	return pollOnce({
		mode,
		nodeType: LlamaCloudTrigger,
		parameters: {
			directoryId: { __rl: true, mode: 'id', value: input.directoryId },
			events: ['created', 'updated', 'deleted'],
			options: {},
		},
		credentials,
		staticData,
	});
}

/** What the trigger's full scan fetches: every page, soft-deleted files included, same page size. */
async function rawListing(maxPages = Infinity): Promise<{ count: number; pages: number }> {
	let token: string | undefined;
	let count = 0;
	let pages = 0;
	do {
		const qs = new URLSearchParams({
			include_deleted: 'true',
			page_size: String(pageSize),
		});
		if (token) qs.set('page_token', token);
		const response = await request(
			`${input.url}/api/v1/beta/directories/${input.directoryId}/files?${qs}`,
			{
				headers: { authorization: `Bearer ${input.apiKey}`, accept: 'application/json' },
			},
		);
		if (response.statusCode !== 200)
			throw new Error(`list: ${response.statusCode} ${await response.body.text()}`);
		const page = (await response.body.json()) as {
			items: unknown[];
			next_page_token?: string | null;
		};
		count += page.items.length;
		pages++;
		token = page.next_page_token || undefined;
	} while (token && pages < maxPages);
	return { count, pages };
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
	const started = performance.now();
	const value = await run();
	return { ms: performance.now() - started, value };
}

async function main() {
	const repeats = input.repeats ?? 3;
	if (input.scenario === 'activate') {
		const first = await triggerPoll({});
		reportToParent({
			scenario: 'activate',
			timesMs: [],
			count: first.items?.length ?? 0,
			staticData: first.staticData,
		});
		return;
	}
	type Run = () => Promise<{ count: number; pages?: number; staticData?: IDataObject }>;
	const poll: Run = async () => {
		const result = await triggerPoll(input.staticData ?? {});
		return { count: result.items?.length ?? 0, pages: undefined, staticData: result.staticData };
	};
	const runs: Record<Exclude<TriggerChildInput['scenario'], 'activate'>, [Run, Run]> = {
		// [the measured run, a warm-up (module loading, JIT) with about one page]
		raw: [rawListing, () => rawListing(1)],
		sdk: [sdkListing, () => sdkListing(1)],
		getAll: [nodeGetAll, () => nodeGetAll(10)],
		poll: [
			poll,
			async () => ({
				count: (await triggerPoll(input.staticData ?? {}, 'manual')).items?.length ?? 0,
			}),
		],
	};
	const [run, warmUp] = runs[input.scenario];
	await warmUp();
	const times: number[] = [];
	let last: { count: number; pages?: number; staticData?: IDataObject } = { count: 0 };
	for (let i = 0; i < repeats; i++) {
		const { ms, value } = await timed(run);
		times.push(ms);
		last = value;
	}
	reportToParent({
		scenario: input.scenario,
		timesMs: times,
		count: last.count,
		pages: last.pages,
		staticData: last.staticData,
	});
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
