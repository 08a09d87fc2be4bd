/**
 * One n8n CLI command per call (`import:credentials`, `import:workflow`, `publish:workflow`,
 * `execute`), each in its own process with its own task broker port, and reading their results.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { n8nMajor, n8nPaths } from './install';
import { freePort, killGroup, tail } from './processes';
import type { UserFolder } from './userFolder';

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

/** One run of a node, or an error naming the nodes that did run. */
function runOf(result: ExecutionResult, nodeName: string, runIndex: number) {
	const task = result.runData[nodeName]?.[runIndex];
	if (!task)
		throw new Error(
			`node "${nodeName}" did not run (ran: ${Object.keys(result.runData).join(', ')})`,
		);
	return task;
}

/** The items a node emitted on its first output in one of its runs. */
export function nodeItems(
	result: ExecutionResult,
	nodeName: string,
	runIndex = 0,
	output = 0,
): any[] {
	const task = runOf(result, nodeName, runIndex);
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
	const task = runOf(result, nodeName, runIndex);
	return task.data?.main?.[output] ?? [];
}

/** Where a run stopped: every node's error message, by node name (empty when none failed). */
export function nodeErrors(result: ExecutionResult): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, tasks] of Object.entries(result.runData)) {
		for (const task of tasks) if (task.error) out[name] = String(task.error.message);
	}
	return out;
}
