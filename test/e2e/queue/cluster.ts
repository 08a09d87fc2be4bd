/**
 * n8n in queue mode, as teams run it once one process is not enough: PostgreSQL (n8n's
 * database), Redis (the job queue), one main (`n8n start`: editor, REST API, triggers and pollers)
 * and workers (`n8n worker`: the executions), all on loopback, sharing one user folder (same
 * encryption key, same installed community package). Binary data lives in the database, the mode
 * workers can share (filesystem mode is per process).
 *
 * Settings read from n8n 2.41's source:
 * - EXECUTIONS_MODE=queue + QUEUE_BULL_REDIS_*; OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true, or
 *   manual runs stay on main (workflow-runner.js).
 * - N8N_DEFAULT_BINARY_DATA_MODE=database (the queue-mode default in 2.41, set explicitly).
 * - Durable poll cursors (poll-cursor.service.js): N8N_POLLER_DURABLE_CURSORS_ENABLED needs
 *   N8N_SCHEDULER_ENABLED, N8N_SCHEDULER_POLL_TRIGGERS_ENABLED and
 *   N8N_USE_WORKFLOW_PUBLICATION_SERVICE (default on), or n8n logs a warning and keeps them off.
 *   Then polls run on main through the durable scheduler, and a poll's cursor is committed in the
 *   same database transaction as the execution it starts (table `poller_state`).
 * - Bull runs with maxStalledCount 0 (scaling.service.js): a job whose worker died is failed,
 *   never re-run; main's queue recovery marks its execution as crashed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type Daemon, startDaemon, waitUntilReady } from '../../../harness/services/daemon';
import { type Postgres, startPostgres } from '../../../harness/services/postgres';
import { type Redis, startRedis } from '../../../harness/services/redis';
import {
	freePort,
	makeUserFolder,
	type N8nServer,
	n8nPaths,
	startServer,
	type UserFolder,
} from '../../../harness/n8n';

export const QUEUE_MODE_ENV = {
	EXECUTIONS_MODE: 'queue',
	OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	N8N_DEFAULT_BINARY_DATA_MODE: 'database',
	QUEUE_HEALTH_CHECK_ACTIVE: 'false',
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
} as const;

export interface N8nWorker {
	daemon: Daemon;
	logs(): string;
	/** Whether this worker logged that it started the execution. */
	ran(executionId: string): boolean;
	/** SIGKILL, as when the machine or container dies: no graceful shutdown. */
	kill(): Promise<void>;
	/** SIGTERM (n8n waits for running executions), SIGKILL after 30 s. */
	stop(): Promise<void>;
}

export interface QueueMode {
	dir: string;
	postgres: Postgres;
	redis: Redis;
	uf: UserFolder;
	/** The main process now running (undefined between stopMain and startMain). */
	main: N8nServer | undefined;
	workers: N8nWorker[];
	startMain(): Promise<N8nServer>;
	stopMain(): Promise<void>;
	startWorker(): Promise<N8nWorker>;
	/** Every worker's log so far, killed and stopped ones included. */
	workerLogs(): string;
	/** Every main process's log so far, stopped ones included. */
	mainLogs(): string;
	/** Stops workers, main, Redis and PostgreSQL; removes every folder. */
	stop(): Promise<void>;
}

export interface QueueModeOptions {
	/** More settings for every process (`undefined` removes one). */
	env?: Record<string, string | undefined>;
	/** Jobs one worker runs at once (`n8n worker --concurrency`, default 10). */
	workerConcurrency?: number;
}

/**
 * PostgreSQL and Redis started, one user folder configured for them. Import credentials and
 * workflows with the CLI helpers on `uf` (they run on the same database), then startMain()
 * and startWorker().
 */
export async function setUpQueueMode(opts: QueueModeOptions = {}): Promise<QueueMode> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-'));
	const postgres = await startPostgres({ parentDir: dir });
	const redis = await startRedis({ parentDir: dir }).catch(async (error) => {
		await postgres.stop();
		throw error;
	});
	const uf = await makeUserFolder({
		dir: path.join(dir, 'n8n'),
		premigrated: false, // the SQLite template is of no use on PostgreSQL
		env: {
			...QUEUE_MODE_ENV,
			...postgres.n8nEnv(),
			...redis.n8nEnv(),
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			...opts.env,
		},
	});
	const workerLogs: string[] = [];
	const mainLogs: string[] = [];
	const qm: QueueMode = {
		dir,
		postgres,
		redis,
		uf,
		main: undefined,
		workers: [],
		startMain: async () => {
			if (qm.main) throw new Error('main is already running');
			qm.main = await startServer(uf);
			return qm.main;
		},
		stopMain: async () => {
			if (!qm.main) return;
			await qm.main.stop();
			mainLogs.push(qm.main.logs());
			qm.main = undefined;
		},
		startWorker: async () => {
			const worker = await startWorker(uf, opts.workerConcurrency ?? 10);
			workerLogs.push('');
			const slot = workerLogs.length - 1;
			const keep = () => (workerLogs[slot] = worker.logs());
			qm.workers.push({
				...worker,
				kill: async () => {
					await worker.kill();
					keep();
					qm.workers = qm.workers.filter((w) => w.daemon !== worker.daemon);
				},
				stop: async () => {
					await worker.stop();
					keep();
					qm.workers = qm.workers.filter((w) => w.daemon !== worker.daemon);
				},
				logs: () => {
					keep();
					return workerLogs[slot];
				},
			});
			return qm.workers[qm.workers.length - 1];
		},
		mainLogs: () => [...mainLogs, qm.main?.logs() ?? ''].join('\n'),
		workerLogs: () => {
			for (const w of qm.workers) w.logs();
			return workerLogs.join('\n');
		},
		stop: async () => {
			for (const w of [...qm.workers]) await w.stop().catch(() => undefined);
			await qm.stopMain().catch(() => undefined);
			await redis.stop().catch(() => undefined);
			await postgres.stop().catch(() => undefined);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
	return qm;
}

/** `n8n worker` on this user folder; resolves once it logs that it is ready for jobs. */
export async function startWorker(uf: UserFolder, concurrency = 10): Promise<N8nWorker> {
	const p = n8nPaths();
	const daemon = startDaemon(p.node, [p.n8nBin, 'worker', `--concurrency=${concurrency}`], {
		cwd: uf.dir,
		env: { ...uf.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
	});
	await waitUntilReady(
		daemon,
		'n8n worker',
		async () => /n8n worker is now ready/.test(daemon.output()),
		120_000,
	);
	return {
		daemon,
		logs: () => daemon.output(),
		ran: (id) => new RegExp(`Worker started execution ${id}\\b`).test(daemon.output()),
		kill: () => daemon.stop('SIGKILL'),
		stop: () => daemon.stop('SIGTERM', 30_000),
	};
}
