/**
 * Throw-away (or persistent) n8n instance folders: the environment every n8n command runs with,
 * a pre-migrated database, and this package linked the way users install it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { runN8n } from './cli';
import { installedVersion, n8nPaths } from './install';
import { freePort, tail } from './processes';

/** Login of the owner account that makeUserFolder provisions (local, throw-away instances only). */
export const DEV_OWNER = {
	email: 'dev@example.com',
	password: 'Dev-Password-1',
	// bcrypt of `password`; n8n takes only a hash from the environment.
	passwordHash: '$2a$10$L3d7elQ06PqXJjgUGJMVjOa2Uy/4Ptk5/LQnNXatIHQrGptw4bcvy',
	firstName: 'Dev',
	lastName: 'Owner',
} as const;

// Fixed so credentials imported by one command decrypt in the next (and in a restarted server).
const ENCRYPTION_KEY = 'n8n-nodes-llamacloud-ingest-e2e-key';

export interface UserFolderOptions {
	/**
	 * How this package reaches n8n:
	 * - 'package' (default): linked as an installed community package (types `n8n-nodes-llamacloud-ingest.*`,
	 *   what users see); `packageDir` must hold package.json and the built dist/.
	 * - 'custom': N8N_CUSTOM_EXTENSIONS=`customDir` (types `CUSTOM.*`).
	 * - 'none': n8n's own nodes only.
	 */
	extensions?: 'package' | 'custom' | 'none';
	/** Default: the repo root. */
	packageDir?: string;
	/** Default: <repo>/dist. */
	customDir?: string;
	/** Provision DEV_OWNER at server start (default true). */
	owner?: boolean;
	/** Keep using this folder instead of a fresh temp one (e.g. a persistent dev instance). */
	dir?: string;
	/**
	 * Start from a copy of an already migrated database (default true): n8n's ~200 migrations
	 * otherwise cost every fresh folder several seconds on its first command.
	 */
	premigrated?: boolean;
	/** Port for `startServer` (default: a free one). */
	port?: number;
	/** Extra variables; `undefined` removes one. */
	env?: Record<string, string | undefined>;
}

export interface UserFolder {
	dir: string;
	port: number;
	/** The environment every n8n command for this folder runs with. */
	env: NodeJS.ProcessEnv;
	/** Deletes the folder (call after stopping any server on it). */
	remove(): void;
}

/**
 * The environment of the test runner, minus what would change n8n's behaviour: jest sets
 * NODE_ENV=test, which makes n8n refuse to load nodes ("Not available in tests"); NODE_OPTIONS
 * may carry tsx/ts-jest loaders; npm_* and inherited N8N_* / DB_* settings would leak in.
 */
function baseEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|npm_|JEST_)/i.test(k)) continue;
		if (['NODE_ENV', 'NODE_OPTIONS', 'NODE_PATH', 'WEBHOOK_URL', 'GENERIC_TIMEZONE'].includes(k))
			continue;
		env[k] = v;
	}
	return env;
}

export async function makeUserFolder(opts: UserFolderOptions = {}): Promise<UserFolder> {
	const p = n8nPaths();
	const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
	fs.mkdirSync(dir, { recursive: true });
	const port = opts.port ?? (await freePort());
	const extensions = opts.extensions ?? 'package';

	const env: NodeJS.ProcessEnv = {
		...baseEnv(),
		// Node 24 first: n8n spawns its JS task runner with process.execPath, but anything it
		// runs through PATH must not pick the machine's Node 20.
		PATH: `${path.dirname(p.node)}${path.delimiter}${process.env.PATH ?? ''}`,
		TZ: 'UTC',
		GENERIC_TIMEZONE: 'UTC',
		N8N_USER_FOLDER: dir,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		// Nothing phones home, nothing waits on the network at start-up.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		// Fetches a catalogue from api.n8n.io at start and logs stack traces when offline.
		N8N_DISABLED_MODULES: 'mcp-registry',
		// The editor is served over plain http on localhost.
		N8N_SECURE_COOKIE: 'false',
		N8N_HOST: 'localhost',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_EDITOR_BASE_URL: `http://localhost:${port}`,
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		DB_TYPE: 'sqlite',
	};
	if (opts.owner ?? true) {
		// Applied by `n8n start` (overwriting any existing owner), so the editor opens at the
		// login page and REST calls can log in. No effect on import/execute commands.
		Object.assign(env, {
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: DEV_OWNER.email,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: DEV_OWNER.passwordHash,
			N8N_INSTANCE_OWNER_FIRST_NAME: DEV_OWNER.firstName,
			N8N_INSTANCE_OWNER_LAST_NAME: DEV_OWNER.lastName,
		});
	}
	if ((opts.premigrated ?? true) && !fs.existsSync(path.join(dir, '.n8n', 'database.sqlite'))) {
		const template = await migratedTemplate();
		fs.mkdirSync(path.join(dir, '.n8n'), { recursive: true });
		copyDatabase(template, dir);
		fs.chmodSync(path.join(dir, '.n8n', 'config'), 0o600);
	}
	if (extensions === 'package') linkPackage(dir, opts.packageDir ?? p.repoRoot);
	if (extensions === 'custom')
		env.N8N_CUSTOM_EXTENSIONS = opts.customDir ?? path.join(p.repoRoot, 'dist');
	for (const [k, v] of Object.entries(opts.env ?? {})) {
		if (v === undefined) delete env[k];
		else env[k] = v;
	}
	return {
		dir,
		port,
		env,
		remove: () => fs.rmSync(dir, { recursive: true, force: true }),
	};
}

/**
 * n8n's SQLite database runs in WAL mode and n8n exits without checkpointing it: the last few
 * MB of changes (e.g. the last ~60 migrations) live only in `database.sqlite-wal`, so a copy
 * without that file silently loses them. SQLite replays the WAL on open; `-shm` is rebuilt.
 */
const DATABASE_FILES = ['config', 'database.sqlite', 'database.sqlite-wal'];

function copyDatabase(fromUserFolder: string, toUserFolder: string): void {
	for (const f of DATABASE_FILES) {
		const from = path.join(fromUserFolder, '.n8n', f);
		if (fs.existsSync(from)) fs.copyFileSync(from, path.join(toUserFolder, '.n8n', f));
	}
}

/**
 * A user folder whose database n8n has migrated, made once per n8n version (in the cache, so it
 * is shared by jest workers and later runs). Built aside and renamed into place, so concurrent
 * callers never see half a template. (The `-wal` suffix of its name retires templates made
 * before copyDatabase took the WAL along: those lacked n8n's last migrations.)
 */
async function migratedTemplate(): Promise<string> {
	const p = n8nPaths();
	const template = path.join(p.cacheDir, `user-folder-template-${installedVersion()}-wal`);
	if (fs.existsSync(path.join(template, '.n8n', 'database.sqlite'))) return template;
	const uf = await makeUserFolder({ extensions: 'none', owner: false, premigrated: false });
	try {
		const r = await runN8n(uf, ['list:workflow']);
		if (r.code !== 0)
			throw new Error(`migrating a template database failed (exit ${r.code})\n${tail(r)}`);
		const staged = `${template}.${process.pid}`;
		fs.rmSync(staged, { recursive: true, force: true });
		fs.mkdirSync(path.join(staged, '.n8n'), { recursive: true });
		copyDatabase(uf.dir, staged);
		try {
			fs.renameSync(staged, template);
		} catch {
			fs.rmSync(staged, { recursive: true, force: true }); // another process won the race
		}
	} finally {
		uf.remove();
	}
	return template;
}

/**
 * Installs the package where n8n keeps community packages, shaped as n8n installs one from npm:
 * package.json without dev and peer dependencies, and a copy of dist/. A link to the repository
 * would let the package resolve its own dev copy of n8n-workflow instead of n8n's, and n8n's
 * `instanceof NodeApiError` checks would then fail on every error the package throws (the
 * editor showed "Error code none" for them). n8n reads package.json's `n8n` section and requires
 * every listed file; one missing file and the whole package fails to load.
 */
export function linkPackage(userFolder: string, packageDir: string): string {
	const { devDependencies, peerDependencies, ...pkg } = JSON.parse(
		fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'),
	) as { name: string; devDependencies?: unknown; peerDependencies?: unknown };
	void devDependencies;
	void peerDependencies;
	const modules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	const target = path.join(modules, pkg.name);
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target);
	fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify(pkg, null, 2));
	fs.cpSync(path.join(packageDir, 'dist'), path.join(target, 'dist'), { recursive: true });
	return target;
}

/** The files package.json's `n8n` section lists that are not built (yet). */
export function missingBuildFiles(packageDir = n8nPaths().repoRoot): string[] {
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	const listed = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	return listed.filter((f) => !fs.existsSync(path.join(packageDir, f)));
}
