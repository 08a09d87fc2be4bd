/**
 * Trigger benchmark (issue 5). P5: one production poll over a directory of 100,000 files of
 * which 10 are new, against a raw undici listing of the same directory (every page, same page
 * size) in the same run, against the same emulator (a process of its own). Each measurement
 * runs in a fresh child process, best of several runs, taking turns.
 *
 * P5a the poll with a full scan (the emulator ignores updated_at_on_or_after): <= 1.3x raw.
 * P5b the poll when the server honours updated_at_on_or_after: how much faster than P5a.
 * P5c the saved state's size after the poll: <= 4 KiB.
 */
import { join } from 'node:path';

import { EmulatorProcess, round, runChild, type BenchResult } from './lib';
import type { TriggerChildInput, TriggerChildOutput } from './trigger-child';

export interface TriggerBenchOptions {
	files?: number;
	newFiles?: number;
	/** Rounds of (raw listing, full-scan poll), each child timing `repeats` runs. */
	rounds?: number;
	repeats?: number;
	log?: (line: string) => void;
}

const CHILD = join(__dirname, 'trigger-child.ts');
const DAY = 24 * 3_600_000;
const best = (times: number[]) => Math.min(...times);

export async function benchTrigger(options: TriggerBenchOptions = {}): Promise<BenchResult[]> {
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const files = options.files ?? (process.env.BENCH_QUICK === '1' ? 20_000 : 100_000);
	const newFiles = options.newFiles ?? 10;
	const rounds = options.rounds ?? 3;
	const repeats = options.repeats ?? 3;

	const emulator = await EmulatorProcess.start();
	try {
		const { id: directoryId } = await emulator.command<{ id: string }>('directory', { name: 'trigger-bench' });
		const base = { url: emulator.url, apiKey: emulator.apiKey, directoryId };
		const child = (input: Omit<TriggerChildInput, keyof typeof base>) =>
			runChild<TriggerChildOutput>(CHILD, { ...base, repeats, ...input });

		// Files last changed weeks ago, 10 ms apart, seeded without HTTP.
		const now = Date.now();
		log(`P5: seeding ${files} files, first activation…`);
		await emulator.command('seedFiles', { directoryId, count: files, prefix: 'old', firstMs: now - 40 * DAY, stepMs: 10 });
		const activation = await child({ scenario: 'activate' });
		if (activation.count !== 0) throw new Error(`the first activation emitted ${activation.count} items`);
		await emulator.command('seedFiles', { directoryId, count: newFiles, prefix: 'new', firstMs: now, stepMs: 1 });
		const staticData = activation.staticData!;

		log(`P5: ${rounds} rounds of raw undici listing vs full-scan poll…`);
		await emulator.command('quirks', { ignoreUpdatedAtFilters: true });
		const raw: TriggerChildOutput[] = [];
		const scan: TriggerChildOutput[] = [];
		for (let r = 0; r < rounds; r++) {
			raw.push(await child({ scenario: 'raw' }));
			scan.push(await child({ scenario: 'poll', staticData }));
		}
		log('P5: poll with updated_at_on_or_after honoured…');
		await emulator.command('quirks', { ignoreUpdatedAtFilters: false });
		const filtered = await child({ scenario: 'poll', staticData, repeats: repeats * 3 });

		for (const run of [...scan, filtered]) {
			if (run.count !== newFiles) throw new Error(`a poll emitted ${run.count} items instead of ${newFiles}`);
		}
		if (raw[0].count !== files + newFiles) throw new Error(`the raw listing saw ${raw[0].count} files`);

		const rawMs = best(raw.flatMap((r) => r.timesMs));
		const scanMs = best(scan.flatMap((r) => r.timesMs));
		const filteredMs = best(filtered.timesMs);
		// What the engine would save after the measured poll.
		const stateBytes = Buffer.byteLength(JSON.stringify(filtered.staticData), 'utf8');
		const label = `${files.toLocaleString('en-US')} files, ${newFiles} new`;
		return [
			{
				id: 'P5a',
				name: `Trigger poll, full scan, ${label}`,
				value: scanMs,
				baseline: rawMs,
				ratio: scanMs / rawMs,
				target: 'ratio <= 1.3',
				pass: scanMs / rawMs <= 1.3,
				unit: 'ms',
				notes:
					`server ignoring updated_at_on_or_after; ${raw[0].pages} pages of 100; best of ${rounds}x${repeats}, taking turns; ` +
					`poll ${scan.flatMap((r) => r.timesMs).map(Math.round).join('/')} ms, raw undici ${raw.flatMap((r) => r.timesMs).map(Math.round).join('/')} ms`,
			},
			{
				id: 'P5b',
				name: `Trigger poll, updated_at_on_or_after, ${label}`,
				value: filteredMs,
				baseline: scanMs,
				ratio: filteredMs / scanMs,
				target: 'report (vs full scan)',
				pass: filteredMs < scanMs,
				unit: 'ms',
				notes: `${round(scanMs / filteredMs, 1)}x faster than the full scan, ${round(rawMs / filteredMs, 1)}x faster than the raw full listing; best of ${repeats * 3}`,
			},
			{
				id: 'P5c',
				name: 'Trigger saved state size',
				value: stateBytes,
				baseline: 4096,
				ratio: stateBytes / 4096,
				target: '<= 4096 bytes',
				pass: stateBytes <= 4096,
				unit: 'bytes',
				notes: 'JSON of the node static data after the poll (watermark + digest of the late-arrival window)',
			},
		];
	} finally {
		await emulator.close();
	}
}

if (require.main === module) {
	benchTrigger()
		.then((results) => process.stdout.write(`${JSON.stringify(results, null, 2)}\n`))
		.catch((error) => {
			process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
			process.exit(1);
		});
}
