/**
 * `npm run bench`: runs every benchmark, prints a table and writes the figures as JSON to
 * bench/results/ (git-ignored). Not a test: read the table.
 *
 *   npx tsx bench/run.ts                   everything (1 GiB file, 1,000 small files)
 *   BENCH_QUICK=1 npx tsx bench/run.ts     smaller sizes (CI runs this, so benchmarks cannot rot)
 *   BENCH_ONLY=large|bulk|trigger|ingest|mirror   some parts only (comma-separated list)
 *
 * Exits non-zero when a benchmark cannot run (an error, a wrong count), never because a figure
 * misses its target: ratios on a shared machine are noisy, so the table is for people to read.
 */
import { join } from 'node:path';

import { benchIngest } from './ingest';
import { formatTable, MiB, writeResults, type BenchResult } from './lib';
import { benchMirror } from './mirror';
import { benchTrigger } from './trigger';
import { benchUpload } from './upload';

async function main() {
	const quick = process.env.BENCH_QUICK === '1';
	const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
	const wanted = (part: string) => only.length === 0 || only.includes(part);
	const results: BenchResult[] = [];
	const details: Record<string, unknown> = {};

	const parts = (['large', 'bulk'] as const).filter(wanted);
	if (parts.length > 0) {
		const upload = await benchUpload({
			parts: [...parts],
			...(quick ? { largeBytes: 256 * MiB, rounds: 3, bulkCount: 200 } : {}),
		});
		results.push(...upload.results);
		details.upload = upload.details;
	}

	if (wanted('trigger')) results.push(...(await benchTrigger()));
	if (wanted('ingest')) {
		const ingest = await benchIngest();
		results.push(...ingest.results);
		details.ingest = ingest.details;
	}
	if (wanted('mirror')) {
		const mirror = await benchMirror();
		results.push(...mirror.results);
		details.mirror = mirror.details;
	}
	const order = (r: BenchResult) => r.id.replace(/^P(\d+)/, (_, n: string) => n.padStart(3, '0'));
	results.sort((a, b) => order(a).localeCompare(order(b)));

	process.stdout.write(`\n${formatTable(results)}\n`);
	const path = await writeResults(join(__dirname, 'results'), results, details);
	const minutes = performance.now() / 60_000;
	process.stdout.write(`\nWritten to ${path} (${minutes.toFixed(1)} min)\n`);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
