/**
 * Upload benchmarks (issue 4). Every figure is compared with a baseline measured in the same
 * run against the same emulator, which runs in a process of its own; each measurement runs in
 * a fresh child process (bench/upload-child.ts), and the sides being compared take turns so
 * that a change of machine load hits both.
 *
 * P1 memory: a 1 GiB filesystem-mode binary uploaded by the node raises peak RSS by at most
 *    64 MiB. Printed next to it: the buffer-the-whole-file approach (the official node's).
 * P2 throughput: the node's upload of that file at least 0.8x a raw undici streaming upload.
 * P3 bulk: 1,000 files of 20 KB in one execution at least 0.7x an undici loop at the same
 *    concurrency, and at least 5x the node at concurrency 1, through the stand-in (HTTPS with a
 *    50 ms round trip, bench/standin/), without a rate limit (P6 has it).
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
	/** Rounds of P1/P2 (node and undici take turns; the best time of each counts). Default 3. */
	rounds?: number;
	/** P3: files, size, concurrency. Defaults 1000, 20 KB, 10. */
	bulkCount?: number;
	bulkSize?: number;
	bulkConcurrency?: number;
	/** P3: the stand-in's round trip in ms. Default 50. */
	rttMs?: number;
	log?: (line: string) => void;
}

const CHILD = join(__dirname, 'upload-child.ts');
const best = (times: number[]) => Math.min(...times);
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
	/** Runs the children in turn, `rounds` times, on the plain emulator. */
	const takeTurns = async (rounds: number, inputs: ChildRequest[]): Promise<ChildOutput[][]> => {
		const outputs: ChildOutput[][] = inputs.map(() => []);
		for (let r = 0; r < rounds; r++) {
			for (const [i, input] of inputs.entries()) outputs[i].push(await uploadChild(plain, input));
		}
		return outputs;
	};
	let standIn: StandIn | undefined;

	try {
		if (parts.includes('large')) {
			const largeBytes = options.largeBytes ?? GiB;
			const rounds = options.rounds ?? 3;
			const size = `${round(largeBytes / MiB)} MiB`;
			log(`writing a ${size} test file…`);
			const filePath = join(work, 'large.bin');
			await writeRandomFile(filePath, largeBytes);

			log(`P1/P2: node streaming and raw undici, ${rounds} rounds; buffer-the-whole-file once…`);
			const [nodeRuns, undiciRuns] = await takeTurns(rounds, [
				{ scenario: 'node-stream', filePath },
				{ scenario: 'undici-stream', filePath },
			]);
			const [[buffered]] = await takeTurns(1, [{ scenario: 'node-buffer', filePath }]);
			await rm(filePath, { force: true });
			Object.assign(details, { largeBytes, rounds, nodeRuns, undiciRuns, buffered });

			// The worst (largest) memory figure of the node's runs counts.
			const mem = nodeRuns.map((r) => r.memory!).sort((a, b) => b.peakIncrease - a.peakIncrease)[0];
			const p1 = mem.peakIncrease / MiB;
			const p1Buffer = buffered.memory!.peakIncrease / MiB;
			const nodeTimes = nodeRuns.flatMap((r) => r.timesMs);
			const undiciTimes = undiciRuns.flatMap((r) => r.timesMs);
			const p2 = largeBytes / MiB / (best(nodeTimes) / 1000);
			const p2Base = largeBytes / MiB / (best(undiciTimes) / 1000);
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
					ratio: p2 / p2Base,
					target: 'ratio >= 0.8',
					pass: p2 / p2Base >= 0.8,
					unit: 'MiB/s',
					notes: `best of ${rounds}, taking turns; node ${nodeTimes.map(Math.round).join('/')} ms, raw undici ${undiciTimes.map(Math.round).join('/')} ms`,
				},
			);
		}

		if (parts.includes('bulk')) {
			const count = options.bulkCount ?? 1000;
			const size = options.bulkSize ?? 20 * 1000;
			const concurrency = options.bulkConcurrency ?? 10;
			// Sequential uploads pay every round trip in full: a tenth of the files tells the rate.
			const sequentialCount = Math.max(20, Math.round(count / 10));
			standIn = await startStandIn({
				rttMs: options.rttMs ?? 50,
				emulator: { tmpDir: emulatorTmp, requestLogSize: 50_000 },
			});
			const rate = (output: ChildOutput) => Number(output.files) / (output.timesMs[0] / 1000);
			const via = `HTTPS, ${standIn.rttMs} ms round trip`;
			log(`P3: ${count} files of ${size} bytes, concurrency ${concurrency}, ${via}…`);
			const bulk = { count, size };
			// No client-side rate limit: P3 compares clients on a server without one (P6 has it).
			const node = await uploadChild(standIn, {
				scenario: 'bulk-node',
				...bulk,
				concurrency,
				uploadRateLimit: 0,
			});
			const undici = await uploadChild(standIn, { scenario: 'bulk-undici', ...bulk, concurrency });
			const sequential = await uploadChild(standIn, {
				scenario: 'bulk-node',
				count: sequentialCount,
				size,
				concurrency: 1,
				uploadRateLimit: 0,
			});
			Object.assign(details, {
				bulk: { count, size, concurrency, rttMs: standIn.rttMs, node, undici, sequential },
			});

			const name = `Bulk ${count} x ${size / 1000} KB`;
			results.push(
				{
					id: 'P3a',
					name: `${name}, concurrency ${concurrency}, vs undici loop`,
					value: rate(node),
					baseline: rate(undici),
					ratio: rate(node) / rate(undici),
					target: 'ratio >= 0.7',
					pass: rate(node) / rate(undici) >= 0.7,
					unit: 'files/s',
					notes:
						`${via} (bench/standin), no rate limit; undici keeps its connections alive; ` +
						`both read the same files from n8n's binary data folder`,
				},
				{
					id: 'P3b',
					name: `${name}, concurrency ${concurrency} vs 1`,
					value: rate(node),
					baseline: rate(sequential),
					ratio: rate(node) / rate(sequential),
					target: 'ratio >= 5',
					pass: rate(node) / rate(sequential) >= 5,
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
