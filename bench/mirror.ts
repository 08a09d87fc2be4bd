/**
 * File → Mirror benchmarks (issue 12), through the stand-in (HTTPS with a 50 ms round trip,
 * bench/standin/), each run a fresh child process (bench/mirror-child.ts). Requests are counted
 * by the emulator.
 *
 * P9  re-running the mirror of 1,000 unchanged files: 0 uploads, 0 deletions, and no more
 *     requests than a raw listing of the directory needs (measured beside it).
 * P10 10 changed, 10 new and 10 removed of 1,000: exactly 30 file writes (10 added, 10 replaced,
 *     10 deleted), against the 30 differences between the two sources.
 * P11 fingerprinting one 1 GiB file (a Dry Run: the SHA-256 is all it does): peak RSS rises by
 *     at most 64 MiB, beside the same run over a 16 MiB file (flat: about the same).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GiB, MiB, round, runChild, writeRandomFile, type BenchResult } from './lib';
import type { MirrorChildInput, MirrorChildOutput, Ranges } from './mirror-child';
import { startStandIn, type StandIn } from './standin';

const CHILD = join(__dirname, 'mirror-child.ts');

export interface MirrorBenchOptions {
	/** P9/P10: files in the source. Default 1000 (200 with BENCH_QUICK). */
	count?: number;
	/** P11: the large file. Default 1 GiB (256 MiB with BENCH_QUICK). */
	largeBytes?: number;
	log?: (line: string) => void;
}

interface RequestStats {
	total: number;
	byRoute: Record<string, number>;
}

type ChildRequest = Omit<MirrorChildInput, 'url' | 'apiKey' | 'directoryId'>;

const routes = (stats: RequestStats) =>
	Object.entries(stats.byRoute)
		.map(([route, n]) => `${n} ${route}`)
		.join(', ');
const countOf = (stats: RequestStats, pattern: RegExp) =>
	Object.entries(stats.byRoute)
		.filter(([route]) => pattern.test(route))
		.reduce((sum, [, n]) => sum + n, 0);
const UPLOADS = /^POST .*\/files\/upload$/;
const DELETES = /^(DELETE .*\/files\/\{dfl\}|POST .*\/bulk-delete)$/;
const WRITES = /^(POST|PATCH|DELETE|PUT) /;

function expectCounts(what: string, got: Record<string, number> | undefined, want: object) {
	for (const [key, value] of Object.entries(want)) {
		if (got?.[key] !== value)
			throw new Error(`${what}: expected ${key} = ${value}, got ${JSON.stringify(got)}`);
	}
}

export async function benchMirror(options: MirrorBenchOptions = {}): Promise<{
	results: BenchResult[];
	details: Record<string, unknown>;
}> {
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const quick = process.env.BENCH_QUICK === '1';
	const count = options.count ?? (quick ? 200 : 1000);
	const largeBytes = options.largeBytes ?? (quick ? 256 * MiB : GiB);
	const results: BenchResult[] = [];
	const details: Record<string, unknown> = {};
	const work = await mkdtemp(join(tmpdir(), 'llamacloud-bench-mirror-'));
	const standIn: StandIn = await startStandIn({
		emulator: { requestLogSize: 100_000, maxUploadBytes: 4 * GiB },
	});
	const via = `HTTPS, ${standIn.rttMs} ms round trip`;
	const child = async (directoryId: string, input: ChildRequest) => {
		await standIn.emulator.command('clearRequests');
		const output = await runChild<MirrorChildOutput>(
			CHILD,
			{ url: standIn.url, apiKey: standIn.apiKey, directoryId, ...input },
			standIn.childEnv,
		);
		const stats = await standIn.emulator.command<RequestStats>('requestStats');
		return { output, stats };
	};

	try {
		const { id: directoryId } = await standIn.emulator.command<{ id: string }>('directory', {
			name: 'mirror',
		});
		const all: Ranges = [[0, count]];
		log(`P9/P10: mirroring ${count} files of 2 KB once (seeding), ${via}…`);
		const seeded = await child(directoryId, {
			scenario: 'mirror',
			files: all,
			// Seeding only: the stand-in has no rate limit, the node's client-side budget need not wait.
			parameters: { requestOptions: { uploadRateLimit: 0 } },
		});
		expectCounts('seeding run', seeded.output.counts, { added: count, failed: 0 });

		log(`P9: the same ${count} files again; a raw listing beside it…`);
		const rerun = await child(directoryId, { scenario: 'mirror', files: all });
		expectCounts('unchanged re-run', rerun.output.counts, {
			unchanged: count,
			added: 0,
			replaced: 0,
			deleted: 0,
			failed: 0,
		});
		const raw = await child(directoryId, { scenario: 'raw-list' });
		if (raw.output.listed !== count)
			throw new Error(`raw listing: ${raw.output.listed} files, expected ${count}`);
		const uploads = countOf(rerun.stats, UPLOADS);
		const deletions = countOf(rerun.stats, DELETES);
		details.p9 = { count, rerun, raw };
		results.push({
			id: 'P9',
			name: `Mirror re-run, ${count} unchanged files: requests`,
			value: rerun.stats.total,
			baseline: raw.stats.total,
			ratio: rerun.stats.total / raw.stats.total,
			target: '0 uploads, 0 deletions, ratio <= 1',
			pass: uploads === 0 && deletions === 0 && rerun.stats.total <= raw.stats.total,
			unit: 'requests',
			notes:
				`baseline = a raw undici listing of the directory (page_size 1000); ${via}; ` +
				`node: ${routes(rerun.stats)}, ${uploads} uploads, ${deletions} deletions, ` +
				`${round(rerun.output.ms / 1000)} s with hashing ${count} files (raw listing ${round(raw.output.ms / 1000)} s)`,
		});

		log(`P10: 10 changed, 10 new, 10 removed of ${count}…`);
		// Files 0-9 leave the source, 10-19 get a second version, count..count+9 are new.
		const changed = await child(directoryId, {
			scenario: 'mirror',
			files: [[10, count + 10]],
			changed: [[10, 20]],
		});
		expectCounts('changed run', changed.output.counts, {
			added: 10,
			replaced: 10,
			deleted: 10,
			unchanged: count - 20,
			failed: 0,
		});
		const c = changed.output.counts!;
		const fileWrites = c.added + c.replaced + c.deleted;
		const changedUploads = countOf(changed.stats, UPLOADS);
		details.p10 = { count, changed };
		results.push({
			id: 'P10',
			name: `Mirror, 10 changed + 10 new + 10 removed of ${count}: file writes`,
			value: fileWrites,
			baseline: 30,
			ratio: fileWrites / 30,
			target: 'exactly 30 (ratio 1), no other upload',
			pass: fileWrites === 30 && changedUploads === c.added + c.replaced,
			unit: 'writes',
			notes:
				`baseline = the 30 differences between the two sources; ${via}; ` +
				`${countOf(changed.stats, WRITES)} write requests (a replace is 3: the new file under a temporary unique ID, the old one deleted, the new one renamed; the 10 removals one bulk delete), ` +
				`${changed.stats.total} requests in all: ${routes(changed.stats)}; ${round(changed.output.ms / 1000)} s`,
		});

		log(`P11: fingerprinting a ${round(largeBytes / MiB)} MiB file and a 16 MiB one…`);
		const large = join(work, 'large.bin');
		const small = join(work, 'small.bin');
		await writeRandomFile(large, largeBytes);
		await writeRandomFile(small, 16 * MiB);
		const { id: emptyDirectory } = await standIn.emulator.command<{ id: string }>('directory', {
			name: 'mirror-fingerprint',
		});
		const big = await child(emptyDirectory, { scenario: 'fingerprint', filePath: large });
		const base = await child(emptyDirectory, { scenario: 'fingerprint', filePath: small });
		for (const run of [big, base])
			expectCounts('fingerprint dry run', run.output.counts, { added: 1 });
		const bigMiB = big.output.memory!.peakIncrease / MiB;
		const baseMiB = base.output.memory!.peakIncrease / MiB;
		details.p11 = { largeBytes, big: big.output, base: base.output };
		results.push({
			id: 'P11',
			name: `Mirror, fingerprinting a ${round(largeBytes / MiB)} MiB file: peak RSS increase`,
			value: bigMiB,
			baseline: baseMiB,
			ratio: baseMiB > 0 ? bigMiB / baseMiB : bigMiB,
			target: '<= 64 MiB',
			pass: bigMiB <= 64,
			unit: 'MiB',
			notes:
				`baseline = the same Dry Run over a 16 MiB file; SHA-256 at ${round(largeBytes / MiB / (big.output.ms / 1000))} MiB/s ` +
				`(the file streamed from n8n's filesystem binary data service in 1 MiB chunks)`,
		});
		return { results, details };
	} finally {
		await standIn.close();
		await rm(work, { recursive: true, force: true });
	}
}
