/**
 * A server process started for one test run: its own process group (so it dies with its
 * children), its output kept for error messages, ready when a check passes, stopped with a
 * signal and SIGKILL after a grace period.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import * as net from 'node:net';

export interface Daemon {
	pid: number;
	/** What the process printed so far. */
	output(): string;
	/** Set once the process has exited: `exit <code>` or `signal <name>`. */
	exited(): string | undefined;
	/** Sends `signal` (default SIGTERM) to the group, SIGKILL after `graceMs`; resolves on exit. */
	stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const live = new Set<number>();
process.once('exit', () => {
	for (const pid of live) killGroup(pid, 'SIGKILL');
});

export function killGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

export function startDaemon(
	command: string,
	args: string[],
	opts: Pick<SpawnOptions, 'cwd' | 'env' | 'uid' | 'gid'> = {},
): Daemon {
	const child = spawn(command, args, {
		...opts,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	if (child.pid === undefined) throw new Error(`could not start ${command}`);
	const pid = child.pid;
	live.add(pid);
	let out = '';
	const keep = (b: Buffer) => {
		out = (out + b.toString('utf8')).slice(-8_000_000);
	};
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	let exited: string | undefined;
	const done = new Promise<void>((resolve) => {
		child.on('error', (error) => {
			exited = `error ${error.message}`;
			resolve();
		});
		child.on('close', (code, signal) => {
			exited = code === null ? `signal ${signal}` : `exit ${code}`;
			live.delete(pid);
			resolve();
		});
	});
	return {
		pid,
		output: () => out,
		exited: () => exited,
		stop: async (signal = 'SIGTERM', graceMs = 10_000) => {
			if (!exited) {
				killGroup(pid, signal);
				const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
				await done;
				clearTimeout(timer);
			}
			killGroup(pid, 'SIGKILL'); // stragglers in the group
		},
	};
}

/** Polls `check` until it returns true; fails early, with the output, if the daemon exits. */
export async function waitUntilReady(
	daemon: Daemon,
	what: string,
	check: () => Promise<boolean>,
	timeoutMs = 60_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (daemon.exited())
			throw new Error(
				`${what} ended before it was ready (${daemon.exited()}):\n${daemon.output()}`,
			);
		if (await check().catch(() => false)) return;
		if (Date.now() > deadline) {
			await daemon.stop('SIGKILL');
			throw new Error(`${what} not ready after ${timeoutMs} ms:\n${daemon.output()}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** A free TCP port on 127.0.0.1 (free when asked; the caller binds it soon after). */
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

/** Sends `request` over TCP and resolves with the first chunk of the answer. */
export function tcpExchange(port: number, request: string, timeoutMs = 2_000): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		const timer = setTimeout(() => socket.destroy(new Error('timed out')), timeoutMs);
		socket.once('connect', () => socket.write(request));
		socket.once('data', (b) => {
			clearTimeout(timer);
			socket.end();
			resolve(b.toString('utf8'));
		});
		socket.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
	});
}
