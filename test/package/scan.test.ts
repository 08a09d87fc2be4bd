/**
 * n8n's verification scan (@n8n/scan-community-package's own rules and config) on the tarball
 * `npm pack` makes, offline: `scripts/package/scan.ts` runs the scanner's source and tarball
 * legs. A child process, since the scanner is an ES module and jest runs CommonJS.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

import type { ScanResult } from '../../scripts/package/scan';

const root = path.resolve(__dirname, '..', '..');

test('the packed tarball and its source pass the scanner with no violation', async () => {
	const { stdout } = await promisify(execFile)(
		process.execPath,
		[
			path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
			'scripts/package/scan.ts',
			'--json',
		],
		{ cwd: root, maxBuffer: 16 * 1024 * 1024 },
	).catch((error: { stdout?: string; stderr?: string }) => {
		// exit 1 = violations: the JSON on stdout says which
		if (error.stdout?.trim()) return { stdout: error.stdout };
		throw new Error(`scan did not run: ${error.stderr ?? String(error)}`);
	});
	const result = JSON.parse(stdout.trim().split('\n').pop()!) as ScanResult;
	expect(result.tarball).toMatch(/^n8n-nodes-llamacloud-ingest-.+\.tgz$/);
	// On failure the scanner's own report (file, line, rule) is what the diff shows.
	expect(result.source).toEqual({ passed: true });
	expect(result.tarballLeg).toEqual({ passed: true });
});
