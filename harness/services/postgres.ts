/**
 * A throw-away PostgreSQL server for one test run: initdb into `<parentDir>/postgres`, listening
 * on a free port of 127.0.0.1 only, trust authentication, durability switched off (a test's
 * data need not survive a power cut). Debian's server binaries (scripts/services/install.sh).
 * PostgreSQL refuses to run as root: as root, the data folder belongs to the `postgres` user
 * the Debian package creates and the server runs as that user.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { type Daemon, freePort, startDaemon, waitUntilReady } from './daemon';

export interface Postgres {
	host: string;
	port: number;
	user: string;
	database: string;
	/** n8n's settings for this database (DB_TYPE=postgresdb, DB_POSTGRESDB_*). */
	n8nEnv(): Record<string, string>;
	/** Runs SQL with psql; returns the rows, tab-separated, one line each. */
	query(sql: string): string[];
	daemon: Daemon;
	/** Fast shutdown; removes the data folder. */
	stop(): Promise<void>;
}

/** Debian installs the server binaries per major version under /usr/lib/postgresql/<v>/bin. */
export function postgresBinDir(): string {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root)
		? fs
				.readdirSync(root)
				.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')))
				.sort((a, b) => Number(a) - Number(b))
		: [];
	if (versions.length === 0)
		throw new Error(
			'PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/postgres): run scripts/services/install.sh',
		);
	return path.join(root, versions[versions.length - 1], 'bin');
}

/** uid and gid of a local user, from /etc/passwd. */
function account(name: string): { uid: number; gid: number } {
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`${name}:`));
	if (!line) throw new Error(`no "${name}" user (the postgresql package creates it)`);
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(opts: { parentDir: string }): Promise<Postgres> {
	const bin = postgresBinDir();
	const dataDir = path.join(opts.parentDir, 'postgres');
	fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const asRoot = process.getuid?.() === 0;
	const owner = asRoot ? account('postgres') : undefined;
	if (owner) {
		fs.chownSync(dataDir, owner.uid, owner.gid);
		// The server user must be able to reach its folder through the test's temp folders.
		for (let dir = opts.parentDir; dir !== path.dirname(dir); dir = path.dirname(dir)) {
			const mode = fs.statSync(dir).mode;
			if ((mode & 0o001) === 0) fs.chmodSync(dir, mode | 0o011);
		}
	}
	const user = 'n8n';
	const database = 'n8n';
	const spawnAs = owner ? { uid: owner.uid, gid: owner.gid } : {};
	const env = { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
	execFileSync(
		path.join(bin, 'initdb'),
		['-D', dataDir, '-U', user, '--auth=trust', '--encoding=UTF8', '--no-sync'],
		{ ...spawnAs, env, stdio: 'pipe' },
	);

	const port = await freePort();
	const daemon = startDaemon(
		path.join(bin, 'postgres'),
		[
			'-D',
			dataDir,
			'-h',
			'127.0.0.1',
			'-p',
			String(port),
			'-k',
			dataDir, // the Unix socket stays inside the data folder
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
		],
		{ ...spawnAs, env },
	);
	const psql = (args: string[]) =>
		execFileSync(
			path.join(bin, 'psql'),
			['-h', '127.0.0.1', '-p', String(port), '-U', user, '-v', 'ON_ERROR_STOP=1', ...args],
			{ env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
		);
	await waitUntilReady(daemon, `PostgreSQL on port ${port}`, async () => {
		psql(['-d', 'postgres', '-Atc', 'select 1']);
		return true;
	});
	psql(['-d', 'postgres', '-c', `create database ${database}`]);

	return {
		host: '127.0.0.1',
		port,
		user,
		database,
		daemon,
		n8nEnv: () => ({
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			// Trust authentication accepts any password; n8n wants one set.
			DB_POSTGRESDB_PASSWORD: 'n8n',
		}),
		query: (sql) =>
			psql(['-d', database, '-AtF', '\t', '-c', sql])
				.split('\n')
				.filter((l) => l !== ''),
		stop: async () => {
			// SIGINT = PostgreSQL's fast shutdown (rolls back sessions, no waiting for clients).
			await daemon.stop('SIGINT');
			fs.rmSync(dataDir, { recursive: true, force: true });
		},
	};
}
