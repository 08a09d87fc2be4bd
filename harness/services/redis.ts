/**
 * A throw-away Redis server for one test run (n8n's queue in queue mode): a free port of
 * 127.0.0.1, nothing persisted (no RDB snapshots, no append-only file), its folder under the
 * test's temp folder. Debian's redis-server (scripts/services/install.sh).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { type Daemon, freePort, startDaemon, tcpExchange, waitUntilReady } from './daemon';

export interface Redis {
	host: string;
	port: number;
	/** n8n's settings for this queue (QUEUE_BULL_REDIS_*). */
	n8nEnv(): Record<string, string>;
	daemon: Daemon;
	stop(): Promise<void>;
}

export function redisServerPath(): string {
	try {
		return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
	} catch {
		throw new Error('redis-server is not installed: run scripts/services/install.sh');
	}
}

export async function startRedis(opts: { parentDir: string }): Promise<Redis> {
	const dir = path.join(opts.parentDir, 'redis');
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const daemon = startDaemon(
		redisServerPath(),
		[
			'--bind',
			'127.0.0.1',
			'--port',
			String(port),
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
		],
		{ cwd: dir },
	);
	await waitUntilReady(daemon, `Redis on port ${port}`, async () =>
		(await tcpExchange(port, 'PING\r\n')).startsWith('+PONG'),
	);
	return {
		host: '127.0.0.1',
		port,
		daemon,
		n8nEnv: () => ({ QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) }),
		stop: async () => {
			await daemon.stop('SIGTERM');
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}
