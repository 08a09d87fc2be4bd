/**
 * Upload benchmarks (issue 4). Every figure is compared with a baseline measured in the same
 * run against the same emulator, which runs in a process of its own; each measurement runs in
 * a fresh child process (bench/upload-child.ts), and the sides being compared take turns so
 * that a change of machine load hits both.
 *
 * P1 memory: a 1 GiB filesystem-mode binary uploaded by the node raises peak RSS by at most
 *    64 MiB. Printed next to it: the buffer-the-whole-file approach (the official node's).
 * P2 throughput: the node's upload of that file at least 0.8x a raw undici streaming upload:
 *    the median, over pairs of runs taken in turn (alternating which goes first), of the pair's
 *    ratio, so that a change of machine load during one run does not decide the figure.
 * P3 bulk (issue 4's definition): 1,000 files of 20 KB in one execution, the emulator adding
 *    25-75 ms to each upload (the real service's round trip and server time), without a rate
 *    limit (P6 has it): P3a at least 0.7x an undici loop at the same concurrency, P3b at least
 *    5x the node at concurrency 1.
 * P3c/P3d the same through the stand-in (HTTPS with a 50 ms round trip, bench/standin/): what a
 *    user sees over a real network, where n8n's helper opens a new connection for every request
 *    and undici keeps its connections alive (reported; docs/performance.md).
 *
 * P1 and P2 run on the plain-HTTP emulator over loopback: they measure memory and streaming
 * throughput, which a round trip does not change (the stand-in has no bandwidth limit).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	EmulatorProcess,
	GiB,
	MiB,
	round,
	runChild,
	writeRandomFile,
	type BenchResult,
} from './lib';
import { startStandIn, type StandIn } from './standin';
import type { ChildInput, ChildOutput } from './upload-child';

export interface UploadBenchOptions {
	/** Which parts to run (default both): 'large' = P1 + P2, 'bulk' = P3. */
	parts?: Array<'large' | 'bulk'>;
	/** Size of the large file (P1, P2). Default 1 GiB. */
	largeBytes?: number;
	/** Pairs of P1/P2 runs (node and undici in turn; the median pair ratio counts). Default 7. */
	rounds?: number;
	/** P3: files, size, concurrency. Defaults 1000, 20 KB, 10. */
	bulkCount?: number;
	bulkSize?: number;
	bulkConcurrency?: number;
	/** P3a/P3b: latency the emulator adds to each upload, ms (uniform). Default [25, 75]. */
	bulkLatencyMs?: [number, number];
	/** P3c/P3d: the stand-in's round trip in ms. Default 50. */
	rttMs?: number;
	log?: (line: string) => void;
}

const CHILD = join(__dirname, 'upload-child.ts');
const best = (times: number[]) => Math.min(...times);
const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export type ChildRequest = Omit<ChildInput, 'url' | 'apiKey' | 'directoryId' | 'warmDirectoryId'>;

/**
 * Runs upload-child.ts against an emulator (plain, or the stand-in's): a fresh state, fresh
 * directories, the child's own process.
 */
export async function uploadChild(
	target: {
		emulator: EmulatorProcess;
		url: string;
		apiKey: string;
		childEnv?: Record<string, string>;
	},
	input: ChildRequest,
	setup: { faults?: Record<string, unknown>; rateLimit?: Record<string, unknown> | null } = {},
): Promise<ChildOutput> {
	// Uploaded content piles up in the emulator's temp folder: each child starts afresh.
	await target.emulator.command('reset');
	await target.emulator.command('faults', { options: setup.faults ?? {} });
	// The reset restored the emulator's start options; `rateLimit` replaces them for this child.
	if (setup.rateLimit !== undefined)
		await target.emulator.command('rateLimit', { options: setup.rateLimit });
	const directory = async (name: string) =>
		(await target.emulator.command<{ id: string }>('directory', { name })).id;
	return await runChild<ChildOutput>(
		CHILD,
		{
			url: target.url,
			apiKey: target.apiKey,
			directoryId: await directory(input.scenario),
			warmDirectoryId: await directory(`${input.scenario}-warm`),
			...input,
		},
		target.childEnv,
	);
}

export async function benchUpload(
	options: UploadBenchOptions = {},
): Promise<{ results: BenchResult[]; details: Record<string, unknown> }> {
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const parts = options.parts ?? ['large', 'bulk'];
	const work = await mkdtemp(join(tmpdir(), 'llamacloud-bench-'));
	// Uploads land in RAM (tmpfs) when there is one: disk writeback would dominate and blur
	// the figures, and the emulator's speed is not what is measured.
	const emulatorTmp = existsSync('/dev/shm') ? await mkdtemp('/dev/shm/llamacloud-bench-') : work;
	const emulator = await EmulatorProcess.start({ maxUploadBytes: 4 * GiB, tmpDir: emulatorTmp });
	const results: BenchResult[] = [];
	const details: Record<string, unknown> = {};

	const plain = { emulator, url: emulator.url, apiKey: emulator.apiKey };
	/**
	 * Runs the children in turn, `rounds` times, on the plain emulator; `alternate` reverses the
	 * order every other round, so neither side always runs first.
	 */
	const takeTurns = async (
		rounds: number,
		inputs: ChildRequest[],
		setup: { faults?: Record<string, unknown>; alternate?: boolean } = {},
	): Promise<ChildOutput[][]> => {
		const outputs: ChildOutput[][] = inputs.map(() => []);
		for (let r = 0; r < rounds; r++) {
			const order = [...inputs.keys()];
			if (setup.alternate && r % 2 === 1) order.reverse();
			for (const i of order) outputs[i].push(await uploadChild(plain, inputs[i], setup));
		}
		return outputs;
	};
	let standIn: StandIn | undefined;

	try {
		if (parts.includes('large')) {
			const largeBytes = options.largeBytes ?? GiB;
			const rounds = options.rounds ?? 7;
			const size = `${round(largeBytes / MiB)} MiB`;
			log(`writing a ${size} test file…`);
			const filePath = join(work, 'large.bin');
			await writeRandomFile(filePath, largeBytes);

			log(
				`P1/P2: ${rounds} pairs of node streaming and raw undici in turn; buffer-the-whole-file once…`,
			);
			const [nodeRuns, undiciRuns] = await takeTurns(
				rounds,
				[
					{ scenario: 'node-stream', filePath },
					{ scenario: 'undici-stream', filePath },
				],
				{ alternate: true },
			);
			const [[buffered]] = await takeTurns(1, [{ scenario: 'node-buffer', filePath }]);
			await rm(filePath, { force: true });
			Object.assign(details, { largeBytes, rounds, nodeRuns, undiciRuns, buffered });

			// The worst (largest) memory figure of the node's runs counts.
			const mem = nodeRuns.map((r) => r.memory!).sort((a, b) => b.peakIncrease - a.peakIncrease)[0];
			const p1 = mem.peakIncrease / MiB;
			const p1Buffer = buffered.memory!.peakIncrease / MiB;
			const nodeTimes = nodeRuns.map((r) => r.timesMs[0]);
			const undiciTimes = undiciRuns.map((r) => r.timesMs[0]);
			// Throughput ratio of each pair (same bytes: undici's time over the node's).
			const pairRatios = nodeTimes.map((t, i) => undiciTimes[i] / t);
			const p2Ratio = median(pairRatios);
			const p2 = largeBytes / MiB / (median(nodeTimes) / 1000);
			const p2Base = largeBytes / MiB / (median(undiciTimes) / 1000);
			results.push(
				{
					id: 'P1',
					name: `Peak RSS increase, ${size} filesystem-mode upload`,
					value: p1,
					baseline: p1Buffer,
					ratio: p1 / p1Buffer,
					target: '<= 64 MiB',
					pass: p1 <= 64,
					unit: 'MiB',
					notes:
						`worst of ${rounds} node runs: maxRSS after - RSS before = +${round(p1)} MiB over ${round(mem.baseline / MiB)} MiB ` +
						`(RSS sampled every 25 ms: +${round((mem.sampledPeak - mem.baseline) / MiB)} MiB); ` +
						`baseline = buffer-the-whole-file (getBinaryDataBuffer + Blob + FormData, as the official node): +${round(p1Buffer)} MiB`,
				},
				{
					id: 'P2',
					name: `Upload throughput, ${size}`,
					value: p2,
					baseline: p2Base,
					ratio: p2Ratio,
					target: 'ratio >= 0.8',
					pass: p2Ratio >= 0.8,
					unit: 'MiB/s',
					notes:
						`ratio = median of ${rounds} pair ratios (pairs in turn, alternating which goes first; pairs ${pairRatios.map((r) => round(r, 2)).join('/')}); ` +
						`values = median throughputs; best of each: ${round(best(undiciTimes) / best(nodeTimes), 3)}; ` +
						`node ${nodeTimes.map(Math.round).join('/')} ms, raw undici ${undiciTimes.map(Math.round).join('/')} ms`,
				},
			);
		}

		if (parts.includes('bulk')) {
			const count = options.bulkCount ?? 1000;
			const size = options.bulkSize ?? 20 * 1000;
			const concurrency = options.bulkConcurrency ?? 10;
			const latencyMs = options.bulkLatencyMs ?? [25, 75];
			// Sequential uploads pay every round trip in full: a tenth of the files tells the rate.
			const sequentialCount = Math.max(20, Math.round(count / 10));
			const rate = (output: ChildOutput) => Number(output.files) / (output.timesMs[0] / 1000);
			const bulk = { count, size };
			// No client-side rate limit: P3 compares clients on a server without one (P6 has it).
			const node: ChildRequest = {
				scenario: 'bulk-node',
				...bulk,
				concurrency,
				uploadRateLimit: 0,
			};
			const undici: ChildRequest = { scenario: 'bulk-undici', ...bulk, concurrency };
			const sequential: ChildRequest = {
				scenario: 'bulk-node',
				count: sequentialCount,
				size,
				concurrency: 1,
				uploadRateLimit: 0,
			};
			const name = `Bulk ${count} x ${size / 1000} KB`;

			const latency = `${latencyMs[0]}-${latencyMs[1]} ms`;
			log(
				`P3: ${count} files of ${size} bytes, concurrency ${concurrency}, emulator adding ${latency} per upload…`,
			);
			const [[plainNode], [plainUndici], [plainSequential]] = await takeTurns(
				1,
				[node, undici, sequential],
				{ faults: { latencyMs, path: '/files/upload$' } },
			);
			const added = `plain HTTP, the emulator adds ${latency} (uniform) to each upload (issue 4)`;
			results.push(
				{
					id: 'P3a',
					name: `${name}, concurrency ${concurrency}, vs undici loop`,
					value: rate(plainNode),
					baseline: rate(plainUndici),
					ratio: rate(plainNode) / rate(plainUndici),
					target: 'ratio >= 0.7',
					pass: rate(plainNode) / rate(plainUndici) >= 0.7,
					unit: 'files/s',
					notes: `${added}; no rate limit; both read the same files from n8n's binary data folder`,
				},
				{
					id: 'P3b',
					name: `${name}, concurrency ${concurrency} vs 1`,
					value: rate(plainNode),
					baseline: rate(plainSequential),
					ratio: rate(plainNode) / rate(plainSequential),
					target: 'ratio >= 5',
					pass: rate(plainNode) / rate(plainSequential) >= 5,
					unit: 'files/s',
					notes: `the node at Concurrency ${concurrency} vs Concurrency 1 (${sequentialCount} files), ${added}`,
				},
			);

			standIn = await startStandIn({
				rttMs: options.rttMs ?? 50,
				emulator: { tmpDir: emulatorTmp, requestLogSize: 50_000 },
			});
			const via = `HTTPS, ${standIn.rttMs} ms round trip`;
			log(`P3c/P3d: the same through the stand-in, ${via}…`);
			const viaNode = await uploadChild(standIn, node);
			const viaUndici = await uploadChild(standIn, undici);
			const viaSequential = await uploadChild(standIn, sequential);
			Object.assign(details, {
				bulk: {
					count,
					size,
					concurrency,
					latencyMs,
					rttMs: standIn.rttMs,
					plain: { node: plainNode, undici: plainUndici, sequential: plainSequential },
					standIn: { node: viaNode, undici: viaUndici, sequential: viaSequential },
				},
			});
			const connections = `${via}: n8n's helper opens a connection (TCP + TLS) for every request, undici keeps its connections alive`;
			results.push(
				{
					id: 'P3c',
					name: `${name}, concurrency ${concurrency}, vs undici loop, through the stand-in`,
					value: rate(viaNode),
					baseline: rate(viaUndici),
					ratio: rate(viaNode) / rate(viaUndici),
					target: 'report',
					pass: true,
					unit: 'files/s',
					notes: `${connections}; no rate limit (P6 has it)`,
				},
				{
					id: 'P3d',
					name: `${name}, concurrency ${concurrency} vs 1, through the stand-in`,
					value: rate(viaNode),
					baseline: rate(viaSequential),
					ratio: rate(viaNode) / rate(viaSequential),
					target: 'report',
					pass: true,
					unit: 'files/s',
					notes: `the node at Concurrency ${concurrency} vs Concurrency 1 (${sequentialCount} files), ${via}`,
				},
			);
		}
		return { results, details };
	} finally {
		await standIn?.close();
		await emulator.close();
		await rm(work, { recursive: true, force: true });
		await rm(emulatorTmp, { recursive: true, force: true });
	}
}
