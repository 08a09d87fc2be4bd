/**
 * The package as npm publishes it: `npm pack`'s file list and tarball, used by the pack test
 * (test/package/) and the offline verification scan (scan.ts). Runs the machine's npm with
 * scripts off, so packing never builds or runs anything.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** What package.json says n8n loads: the files its `n8n` section lists. */
export function n8nEntryFiles(root = REPO_ROOT): string[] {
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	return [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
}

/** Throws unless every file n8n loads is built (packing an unbuilt tree ships nothing useful). */
export function assertBuilt(root = REPO_ROOT): void {
	const missing = n8nEntryFiles(root).filter((f) => !fs.existsSync(path.join(root, f)));
	if (missing.length > 0)
		throw new Error(`not built (missing ${missing.join(', ')}): run \`npm run build\` first`);
}

interface PackResult {
	filename: string;
	files: Array<{ path: string; size: number }>;
}

function npmPack(root: string, args: string[]): PackResult {
	const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', ...args], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [result] = JSON.parse(out) as PackResult[];
	return result;
}

/** The paths `npm pack --dry-run` would put in the tarball (relative, sorted). */
export function packedFiles(root = REPO_ROOT): string[] {
	return npmPack(root, ['--dry-run'])
		.files.map((f) => f.path)
		.sort();
}

/** `npm pack` into `destDir`; returns the tarball's path. */
export function packTarball(destDir: string, root = REPO_ROOT): string {
	fs.mkdirSync(destDir, { recursive: true });
	return path.join(destDir, npmPack(root, ['--pack-destination', destDir]).filename);
}

/** Unpacks a tarball's `package/` folder into `dir` (as n8n's scanner does, with tar). */
export function extractTarball(tarball: string, dir: string): string {
	fs.mkdirSync(dir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], { stdio: 'pipe' });
	return dir;
}
