// Child-process plumbing shared by the CLI commands and the server.
import type { ChildProcess } from 'node:child_process';
import * as net from 'node:net';

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

/** Signals a child's whole process group (n8n's task runner included); quiet when it is gone. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

/** The last lines of a command's output, for error messages. */
export function tail(r: { stdout: string; stderr: string }, lines = 40): string {
	return `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-lines).join('\n');
}
