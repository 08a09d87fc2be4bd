/**
 * Ingestion benchmarks (issue 16) through the stand-in (HTTPS with a 50 ms round trip,
 * bench/standin/), each run in a fresh child process (bench/upload-child.ts) on a fresh
 * emulator state.
 *
 * P6 1,000 files of 20 KB under LlamaCloud's upload rate limit, enforced by the emulator (50
 *    per 5 s per project, 429 beyond): the node reaches at least 0.9x the limit in files per
 *    second with no failed item and at most 2 % of its requests answered 429. The official SDK
 *    at concurrency 10 runs beside it, on the same limit.
 * P8 requests per uploaded file, counted by the emulator, with each "If a File with This
 *    Unique ID Exists" policy: at most 1.01.
 */
import { round, type BenchResult } from './lib';
import { startStandIn, type StandIn } from './standin';
import { uploadChild, type ChildRequest } from './upload';
import type { ChildOutput } from './upload-child';

export interface IngestBenchOptions {
	/** P6: files and size. Defaults 1000, 20 KB. */
	count?: number;
	size?: number;
	/** P8: files per policy. Default 200. */
	policyCount?: number;
	rttMs?: number;
	log?: (line: string) => void;
}

interface RequestStats {
	total: number;
	byRoute: Record<string, number>;
	byStatus: Record<string, number>;
	rateLimit: { allowed: number; limited: number };
}

const POLICIES = ['skip', 'replace', 'keepBoth'] as const;

/** One child's run plus what the emulator saw meanwhile. */
async function measured(
	standIn: StandIn,
	input: ChildRequest,
): Promise<{ output: ChildOutput; stats: RequestStats }> {
	const output = await uploadChild(standIn, input);
	const stats = await standIn.emulator.command<RequestStats>('requestStats');
	return { output, stats };
}

const share429 = (stats: RequestStats) => (stats.byStatus['429'] ?? 0) / Math.max(1, stats.total);
const percent = (n: number) => `${round(n * 100, 2)} %`;
const routes = (stats: RequestStats) =>
	Object.entries(stats.byRoute)
		.map(([route, n]) => `${n} ${route}`)
		.join(', ');

export async function benchIngest(options: IngestBenchOptions = {}): Promise<{
	results: BenchResult[];
	details: Record<string, unknown>;
}> {
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const quick = process.env.BENCH_QUICK === '1';
	const count = options.count ?? (quick ? 200 : 1000);
	const size = options.size ?? 20 * 1000;
	const policyCount = options.policyCount ?? (quick ? 50 : 200);
	const limit = { limit: 50, windowMs: 5000 };
	const limitRate = limit.limit / (limit.windowMs / 1000);
	const results: BenchResult[] = [];
	const details: Record<string, unknown> = {};

	// Every request of a child counts (no warm-up): the request log must hold them all.
	const standIn = await startStandIn({
		rttMs: options.rttMs,
		emulator: { rateLimit: limit, requestLogSize: 100_000 },
	});
	const via = `HTTPS, ${standIn.rttMs} ms round trip`;
	try {
		log(
			`P6: ${count} files of ${size} bytes under ${limit.limit} uploads per ${limit.windowMs / 1000} s, ${via}…`,
		);
		const bulk = { count, size, noWarmUp: true };
		const node = await measured(standIn, {
			scenario: 'bulk-node',
			...bulk,
			continueOnFail: true,
		});
		const sdk = await measured(standIn, { scenario: 'bulk-sdk', ...bulk, concurrency: 10 });
		const rate = (output: ChildOutput) => Number(output.files) / (output.timesMs[0] / 1000);
		details.p6 = { count, size, limit, node, sdk };
		const describe = (name: string, run: { output: ChildOutput; stats: RequestStats }) =>
			`${name}: ${round(rate(run.output))} files/s, ${run.output.failed} failed, ` +
			`${run.stats.total} requests, ${percent(share429(run.stats))} answered 429` +
			(run.output.failure ? ` (first failure: ${run.output.failure.slice(0, 120)})` : '');
		const p6Ratio = rate(node.output) / limitRate;
		results.push({
			id: 'P6',
			name: `Ingest ${count} x ${size / 1000} KB under the upload rate limit`,
			value: rate(node.output),
			baseline: limitRate,
			ratio: p6Ratio,
			target: 'ratio >= 0.9, 0 failed, <= 2 % 429',
			pass: p6Ratio >= 0.9 && node.output.failed === 0 && share429(node.stats) <= 0.02,
			unit: 'files/s',
			notes:
				`baseline = the limit (${limit.limit} per ${limit.windowMs / 1000} s per project, enforced by the emulator with 429s); ${via}; ` +
				`${describe('node (default settings)', node)}; ${describe('official SDK at concurrency 10', sdk)}`,
		});

		log(`P8: requests per uploaded file, ${policyCount} new files per conflict policy, ${via}…`);
		const perPolicy: Record<string, { perFile: number; stats: RequestStats }> = {};
		for (const onConflict of POLICIES) {
			// No rate limit here: P8 counts requests, and retried 429s would count too.
			const run = await uploadChild(
				standIn,
				{
					scenario: 'bulk-node',
					count: policyCount,
					size,
					noWarmUp: true,
					onConflict,
					uploadRateLimit: 0,
				},
				{ rateLimit: null },
			);
			const stats = await standIn.emulator.command<RequestStats>('requestStats');
			perPolicy[onConflict] = { perFile: stats.total / Number(run.files), stats };
		}
		details.p8 = perPolicy;
		const worst = Math.max(...Object.values(perPolicy).map((p) => p.perFile));
		results.push({
			id: 'P8',
			name: `Requests per uploaded file (${policyCount} new files)`,
			value: worst,
			baseline: 1,
			ratio: worst,
			target: '<= 1.01 with every policy',
			pass: worst <= 1.01,
			unit: 'requests',
			notes: POLICIES.map(
				(p) => `${p}: ${round(perPolicy[p].perFile, 3)} (${routes(perPolicy[p].stats)})`,
			).join('; '),
		});
		return { results, details };
	} finally {
		await standIn.close();
	}
}
