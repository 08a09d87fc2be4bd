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
 *    concurrency, and at least 5x the node at concurrency 1.
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
	/**
	 * P3: latency the emulator adds to each upload, standing for the network round trip and
	 * server time of the real service (a loopback emulator answers in about a millisecond,
	 * where no client gains much from concurrency): drawn uniformly from [min, max] ms.
	 * Default [25, 75] (50 ms on average; a fixed delay would move requests in lockstep).
	 */
	bulkLatencyMs?: [number, number];
	log?: (line: string) => void;
}

const CHILD = join(__dirname, 'upload-child.ts');
const best = (times: number[]) => Math.min(...times);
type ChildRequest = Omit<ChildInput, 'url' | 'apiKey' | 'directoryId' | 'warmDirectoryId'>;

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

	let faults: Record<string, unknown> = {};
	const child = async (input: ChildRequest): Promise<ChildOutput> => {
		// Uploaded content piles up in the emulator's temp folder: each child starts afresh.
		await emulator.command('reset');
		await emulator.command('faults', { options: faults });
		const directory = async (name: string) =>
			(await emulator.command<{ id: string }>('directory', { name })).id;
		return await runChild<ChildOutput>(CHILD, {
			url: emulator.url,
			apiKey: emulator.apiKey,
			directoryId: await directory(input.scenario),
			warmDirectoryId: await directory(`${input.scenario}-warm`),
			...input,
		});
	};
	/** Runs the children in turn, `rounds` times. */
	const takeTurns = async (rounds: number, inputs: ChildRequest[]): Promise<ChildOutput[][]> => {
		const outputs: ChildOutput[][] = inputs.map(() => []);
		for (let r = 0; r < rounds; r++) {
			for (const [i, input] of inputs.entries()) outputs[i].push(await child(input));
		}
		return outputs;
	};

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
			const latencyMs = options.bulkLatencyMs ?? [25, 75];
			const bulk = { count, size };
			const rate = (output: ChildOutput) => Number(output.files) / (output.timesMs[0] / 1000);

			const latency = `${latencyMs[0]}-${latencyMs[1]} ms`;
			log(
				`P3: ${count} files of ${size} bytes, concurrency ${concurrency}, emulator latency ${latency} per upload…`,
			);
			faults = { latencyMs, path: '/files/upload$' };
			const [[node], [undici], [sequential]] = await takeTurns(1, [
				{ scenario: 'bulk-node', ...bulk, concurrency },
				{ scenario: 'bulk-undici', ...bulk, concurrency },
				{ scenario: 'bulk-node', ...bulk, concurrency: 1 },
			]);
			log('P3: the same without added latency (raw loopback, for information)…');
			faults = {};
			const [[rawNode], [rawUndici]] = await takeTurns(1, [
				{ scenario: 'bulk-node', ...bulk, concurrency },
				{ scenario: 'bulk-undici', ...bulk, concurrency },
			]);
			Object.assign(details, {
				bulk: { count, size, concurrency, latencyMs, node, undici, sequential, rawNode, rawUndici },
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
						`emulator adds ${latency} (uniform) per upload, standing for the real service's round trip and server time; ` +
						`both read the same files from n8n's binary data folder; ` +
						`without it (loopback, CPU-bound): node ${round(rate(rawNode))} vs undici ${round(rate(rawUndici))} files/s = ${round(rate(rawNode) / rate(rawUndici), 3)}`,
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
					notes: `the node at Concurrency ${concurrency} vs Concurrency 1, same emulator latency`,
				},
			);
		}
		return { results, details };
	} finally {
		await emulator.close();
		await rm(work, { recursive: true, force: true });
		await rm(emulatorTmp, { recursive: true, force: true });
	}
}
