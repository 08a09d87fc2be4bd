// Child-process plumbing shared by the CLI commands and the server (the port and process-group
// helpers are the ones harness/services starts its servers with).
import type { ChildProcess } from 'node:child_process';

import { killGroup as killPidGroup } from '../services/daemon';

export { freePort } from '../services/daemon';

/** Signals a child's whole process group (n8n's task runner included); quiet when it is gone. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid !== undefined) killPidGroup(child.pid, signal);
}

/** The last lines of a command's output, for error messages. */
export function tail(r: { stdout: string; stderr: string }, lines = 40): string {
	return `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-lines).join('\n');
}
