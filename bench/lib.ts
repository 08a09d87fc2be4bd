/**
 * Shared pieces of `npm run bench`: the result type, the table, child processes (each
 * measurement runs in a fresh process) and the emulator running in a process of its own, so
 * that its memory and CPU never count towards the node's figures.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface BenchResult {
	/** Requirement ID, e.g. 'P1'. */
	id: string;
	name: string;
	/** The measured figure, in `unit`. */
	value: number;
	/** The same figure for the baseline measured in the same run. */
	baseline: number;
	/** value / baseline. */
	ratio: number;
	/** Human-readable requirement, e.g. '<= 64 MiB' or 'ratio >= 0.8'. */
	target: string;
	pass: boolean;
	unit: string;
	notes: string;
}

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A fixed-width table of results. */
export function formatTable(results: BenchResult[]): string {
	const rows = [
		['ID', 'Benchmark', 'Value', 'Baseline', 'Ratio', 'Target', 'Result'],
		...results.map((r) => [
			r.id,
			r.name,
			`${round(r.value)} ${r.unit}`,
			`${round(r.baseline)} ${r.unit}`,
			String(round(r.ratio, 3)),
			r.target,
			r.pass ? 'PASS' : 'FAIL',
		]),
	];
	const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
	const line = (row: string[]) => row.map((cell, col) => cell.padEnd(widths[col])).join('  ');
	const out = [
		line(rows[0]),
		widths.map((w) => '-'.repeat(w)).join('  '),
		...rows.slice(1).map(line),
	];
	const notes = results.filter((r) => r.notes).map((r) => `  ${r.id}: ${r.notes}`);
	return [...out, '', 'Notes:', ...notes].join('\n');
}

export async function writeResults(
	dir: string,
	results: BenchResult[],
	details: unknown,
): Promise<string> {
	await mkdir(dir, { recursive: true });
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	const path = join(dir, `bench-${stamp}.json`);
	const body = {
		at: new Date().toISOString(),
		node: process.version,
		platform: `${process.platform}-${process.arch}`,
		results,
		details,
	};
	await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
	return path;
}

/** Writes `size` random bytes to `path`, 8 MiB at a time. */
export async function writeRandomFile(path: string, size: number): Promise<void> {
	const out = createWriteStream(path);
	const chunk = Buffer.allocUnsafe(8 * MiB);
	for (let written = 0; written < size;) {
		const n = Math.min(chunk.length, size - written);
		randomFillSync(chunk, 0, n);
		if (!out.write(n === chunk.length ? Buffer.from(chunk) : chunk.subarray(0, n))) {
			await new Promise<void>((resolve) => out.once('drain', () => resolve()));
		}
		written += n;
	}
	await new Promise<void>((resolve, reject) =>
		out.end((error?: Error | null) => (error ? reject(error) : resolve())),
	);
}

/** Node arguments that run a TypeScript file with tsx (Node >= 20.6: `--import tsx`). */
export function tsxArgs(script: string, ...args: string[]): string[] {
	return ['--import', 'tsx', script, ...args];
}

const RESULT_PREFIX = 'BENCH_RESULT ';

/** In a child: hands the result to the parent (the last RESULT line of stdout wins). */
export function reportToParent(result: unknown): void {
	process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/**
 * Runs a bench child script in a fresh Node process and returns what it reported; `env` adds
 * variables (the stand-in's NODE_EXTRA_CA_CERTS).
 */
export async function runChild<T>(
	script: string,
	input: unknown,
	env: Record<string, string> = {},
): Promise<T> {
	const base = process.env.BENCH_DEV_ENV ? process.env : { ...process.env, NODE_ENV: 'production' };
	const child = spawn(process.execPath, tsxArgs(script, JSON.stringify(input)), {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...base, ...env },
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
	child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
	const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
	const line = stdout
		.split('\n')
		.reverse()
		.find((l) => l.startsWith(RESULT_PREFIX));
	if (code !== 0 || !line) {
		throw new Error(
			`bench child ${script} failed (exit ${code}):\n${stderr.slice(-4000)}\n${stdout.slice(-2000)}`,
		);
	}
	return JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
}

/** The emulator in its own process, driven by JSON lines on stdin (see emulator-process.ts). */
export class EmulatorProcess {
	private pending: Array<(reply: any) => void> = [];

	private constructor(
		private readonly child: ChildProcessWithoutNullStreams,
		readonly url: string,
		readonly apiKey: string,
		readonly pid: number,
	) {
		createInterface({ input: child.stdout }).on('line', (line) => {
			if (!line.startsWith('{')) return;
			this.pending.shift()?.(JSON.parse(line));
		});
	}

	static async start(options: Record<string, unknown> = {}): Promise<EmulatorProcess> {
		const script = join(__dirname, 'emulator-process.ts');
		const child = spawn(process.execPath, tsxArgs(script, JSON.stringify(options)), {
			stdio: ['pipe', 'pipe', 'pipe'],
			env: { ...process.env, NODE_ENV: 'production' },
		});
		let stderr = '';
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		const ready = await new Promise<{ url: string; apiKey: string }>((resolve, reject) => {
			const lines = createInterface({ input: child.stdout });
			lines.once('line', (line) => {
				lines.close();
				resolve(JSON.parse(line));
			});
			child.once('exit', (code) =>
				reject(new Error(`emulator process exited (${code}): ${stderr}`)),
			);
		});
		return new EmulatorProcess(child, ready.url, ready.apiKey, child.pid ?? 0);
	}

	/** Sends one command and waits for its JSON reply. */
	async command<T = any>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
		const reply = new Promise<T>((resolve) => this.pending.push(resolve));
		this.child.stdin.write(`${JSON.stringify({ cmd, ...args })}\n`);
		const answer = (await reply) as T & { error?: string };
		if (answer && typeof answer === 'object' && 'error' in answer && answer.error)
			throw new Error(answer.error);
		return answer;
	}

	async close(): Promise<void> {
		const exited = new Promise((resolve) => this.child.once('exit', resolve));
		this.child.stdin.end();
		await exited;
	}
}
