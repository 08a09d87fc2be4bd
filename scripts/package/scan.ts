/**
 * n8n's verification scan (`npx @n8n/scan-community-package <name>`), offline, on the tarball
 * `npm pack` makes here. The scanner has no switch for a local tarball: its CLI downloads the
 * published package, checks its npm provenance, fetches the attested source from GitHub and then
 * lints two things with one ESLint config (`buildScanConfig`: n8n's community-node rules plus
 * eslint-plugin-n8n-nodes-base, inline eslint-disable comments ignored):
 *   source leg   the source tree, files `package.json` + `{nodes,credentials}/**`  (SOURCE_FILE_PATTERNS)
 *   tarball leg  the unpacked tarball, files `**\/*.js` + `package.json`
 * This script calls the scanner's own exported `analyzePackage` for both legs, with the same
 * patterns, on this checkout and on the packed tarball. The provenance check cannot run before
 * a release exists; .github/workflows/release.yml publishes with provenance (test/package/).
 *
 *   npm run scan                       pack, unpack, scan both legs; exit 1 on any violation
 *   npm run scan -- --tarball x.tgz    scan that tarball instead of packing one
 *   ... --json                         print the result as JSON (for the test)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { assertBuilt, extractTarball, packTarball, REPO_ROOT } from './pack';

interface LegResult {
	passed: boolean;
	message?: string;
	details?: string;
}

interface Scanner {
	SOURCE_FILE_PATTERNS: string[];
	analyzePackage(dir: string, patterns: string[]): Promise<LegResult>;
}

const SCANNER_MODULE = '@n8n/scan-community-package/scanner/scanner.mjs';

/** The patterns analyzePackageByName gives the tarball leg (not exported by the scanner). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

export interface ScanResult {
	passed: boolean;
	tarball: string;
	source: LegResult;
	tarballLeg: LegResult;
}

export async function scan(opts: { tarball?: string } = {}): Promise<ScanResult> {
	// eslint-plugin-n8n-nodes-base pretends every file is `Test.node.ts` when NODE_ENV=test (as
	// jest sets it): its filename rules would then judge a file that is not there.
	if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
	// An ES module without type declarations (the interface above is what this script uses);
	// importing it also makes the scanner's own, unused, temp folder.
	const scanner = (await import(SCANNER_MODULE)) as Scanner;
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
	try {
		let tarball = opts.tarball;
		if (!tarball) {
			assertBuilt();
			tarball = packTarball(work);
		}
		const unpacked = extractTarball(tarball, path.join(work, 'package'));
		const source = await scanner.analyzePackage(REPO_ROOT, scanner.SOURCE_FILE_PATTERNS);
		const tarballLeg = await scanner.analyzePackage(unpacked, TARBALL_FILE_PATTERNS);
		return {
			passed: source.passed && tarballLeg.passed,
			tarball: path.basename(tarball),
			source: plain(source),
			tarballLeg: plain(tarballLeg),
		};
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

/** analyzePackage may attach the thrown error object; keep what prints. */
function plain({ passed, message, details }: LegResult): LegResult {
	return { passed, message, details };
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const at = args.indexOf('--tarball');
	const tarball = at >= 0 ? path.resolve(args[at + 1]) : undefined;
	const result = await scan({ tarball });
	if (args.includes('--json')) {
		process.stdout.write(`${JSON.stringify(result)}\n`);
	} else {
		for (const [leg, r] of [
			['source (package.json, nodes/, credentials/)', result.source],
			[`tarball ${result.tarball} (**/*.js, package.json)`, result.tarballLeg],
		] as const) {
			process.stdout.write(
				`${r.passed ? 'PASS' : 'FAIL'} ${leg}${r.message ? `: ${r.message}` : ''}\n`,
			);
			if (r.details) process.stdout.write(`${r.details}\n`);
		}
		process.stdout.write(
			result.passed
				? 'n8n community-package scan: clean\n'
				: 'n8n community-package scan: violations found\n',
		);
	}
	process.exitCode = result.passed ? 0 : 1;
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`scan failed: ${error instanceof Error ? error.stack : String(error)}\n`);
		process.exitCode = 1;
	});
}
