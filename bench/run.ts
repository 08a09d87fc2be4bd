/**
 * `npm run bench`: runs every benchmark, prints a table and writes the figures as JSON to
 * bench/results/ (git-ignored). Not a test: read the table.
 *
 *   npx tsx bench/run.ts                   everything (1 GiB file, 1,000 small files)
 *   BENCH_QUICK=1 npx tsx bench/run.ts     smaller sizes, for a quick look
 *   BENCH_ONLY=large|bulk|trigger          one part only (comma-separated list)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { formatTable, MiB, writeResults, type BenchResult } from './lib';
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
			...(quick ? { largeBytes: 256 * MiB, rounds: 2, bulkCount: 200 } : {}),
		});
		results.push(...upload.results);
		details.upload = upload.details;
	}

	// The trigger benchmarks live in their own module (bench/trigger.ts).
	const triggerModule = join(__dirname, 'trigger.ts');
	if (wanted('trigger') && existsSync(triggerModule)) {
		const { benchTrigger } = (await import(triggerModule)) as {
			benchTrigger: () => Promise<BenchResult[]>;
		};
		results.push(...(await benchTrigger()));
	}

	process.stdout.write(`\n${formatTable(results)}\n`);
	const path = await writeResults(join(__dirname, 'results'), results, details);
	process.stdout.write(`\nWritten to ${path}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
