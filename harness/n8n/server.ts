/**
 * `n8n start` as a child process: readiness, logs, REST calls as the owner, activation and
 * executions, and the types the server loaded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

import { n8nMajor, n8nPaths } from './install';
import { freePort, killGroup } from './processes';
import { DEV_OWNER, type UserFolder } from './userFolder';

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
