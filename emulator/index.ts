/**
 * A local, stateful LlamaCloud stand-in for tests, benchmarks, the demo and `npm run dev`.
 *
 *   const emulator = await startEmulator();
 *   // … point a client at emulator.url with emulator.apiKey …
 *   await emulator.close();
 *
 * See emulator/README.md for what is emulated and the documented behaviours.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexBuilder } from './builds';
import { FaultController } from './faults';
import type { EmulatorQuirks, RecordedRequest } from './http';
import { DEFAULTS, type EmulatorOptions } from './options';
import { RateLimiter } from './rateLimit';
import { listQuerySchemas } from './schemas';
import { EmulatorServer } from './server';
import { resolveVariants } from './variants';
import {
	EmulatorStore,
	removeFiles,
	type ActiveUpload,
	type BlobRecord,
	type DirectoryFileRecord,
	type DirectoryRecord,
	type IndexRecord,
	type ProjectRecord,
	type SeedFilesOptions,
} from './store';

export * from './buildState';
export { FaultController, createPrng } from './faults';
export type { FaultCounters, FaultDecision, FaultOptions, FaultStep, ScriptFilter } from './faults';
export type { EmulatorQuirks, RecordedRequest } from './http';
export { DEFAULTS } from './options';
export { DOCUMENTED_UPLOAD_LIMIT, RateLimiter } from './rateLimit';
export type { RateLimitCounters, RateLimitOptions } from './rateLimit';
export type { EmulatorOptions, ProjectSeed } from './options';
export {
	DirectoryFilePageSchema,
	DirectoryFileSchema,
	DirectoryPageSchema,
	DirectorySchema,
	ErrorSchema,
	IndexPageSchema,
	IndexSchema,
	MetadataSchema,
	ProjectListSchema,
	ProjectSchema,
	StoredFileSchema,
	SyncResponseSchema,
} from './schemas';
export type { Directory, DirectoryFile, Index, Metadata, Project, StoredFile } from './schemas';
export { HEALTH_PATH } from './server';
export { RETRIEVAL_FILE_ID_MODES } from './retrieval/documents';
export type { RetrievalFileIdMode } from './retrieval/documents';
export {
	FileFindResultSchema,
	FileGrepResultSchema,
	FileReadResultSchema,
	RetrieveResultSchema,
} from './retrieval/schemas';
export type { FileFindEntry, FileGrepMatch, RetrievalResult } from './retrieval/schemas';
export { observeExchanges } from './exchanges';
export type { ExchangeListener, ObservedExchange } from './exchanges';
export { SpecValidator, specValidator } from './spec/validator';
export type { Exchange } from './spec/validator';
export {
	VARIANT_DEFAULTS,
	VARIANT_VALUES,
	describeVariants,
	resolveVariants,
	variantEnvName,
	variantsFromEnv,
} from './variants';
export type { EmulatorVariants, VariantName } from './variants';
export type {
	ActiveUpload,
	BlobRecord,
	DirectoryFileRecord,
	DirectoryRecord,
	IndexRecord,
	ProjectRecord,
	SeedFilesOptions,
} from './store';

/** Read-only views of the state (copies), plus seeding helpers that skip HTTP. */
export interface EmulatorStoreView {
	projects(): ProjectRecord[];
	addProject(seed?: { id?: string; name?: string; organization_id?: string }): ProjectRecord;
	/** Directories of a project (all projects when omitted), including index output directories. */
	directories(projectId?: string): DirectoryRecord[];
	directory(id: string): DirectoryRecord | undefined;
	/** Files of a directory in list order ((updated_at, id)); soft-deleted ones too unless told otherwise. */
	files(directoryId: string, options?: { includeDeleted?: boolean }): DirectoryFileRecord[];
	file(id: string): DirectoryFileRecord | undefined;
	/** Stored files with their size and sha256 (`file_id` of directory files points here). */
	blobs(): BlobRecord[];
	blob(fileId: string): BlobRecord | undefined;
	/** The content of a stored file. */
	readBlob(fileId: string): Promise<Buffer>;
	indexes(projectId?: string): IndexRecord[];
	index(id: string): IndexRecord | undefined;
	/** Uploads currently being streamed to disk, with the bytes written so far. */
	activeUploads(): ActiveUpload[];
	/** Creates a directory without HTTP (default project unless given). */
	createDirectory(
		name: string,
		options?: { projectId?: string; description?: string },
	): DirectoryRecord;
	/** Inserts `count` files without HTTP: 100,000 take well under a second. */
	seedFiles(directoryId: string, count: number, options?: SeedFilesOptions): DirectoryFileRecord[];
}

/** Injection controls; see emulator/faults.ts. */
export type EmulatorFaults = Pick<
	FaultController,
	| 'configure'
	| 'script'
	| 'disable'
	| 'reset'
	| 'resetCounters'
	| 'counters'
	| 'scriptRemaining'
	| 'config'
>;

/** The upload rate limit (emulator/rateLimit.ts): switch it on or off, read what it refused. */
export type EmulatorRateLimit = Pick<RateLimiter, 'configure' | 'config' | 'counters' | 'reset'>;

export interface Emulator {
	/** Base URL, `http://127.0.0.1:PORT` (`https://` with the `tls` option), no trailing slash. */
	readonly url: string;
	readonly port: number;
	readonly apiKey: string;
	readonly defaultProjectId: string;
	readonly defaultOrganizationId: string;
	readonly store: EmulatorStoreView;
	readonly faults: EmulatorFaults;
	readonly rateLimit: EmulatorRateLimit;
	/** Server behaviours that differ from the reference; change them at any time. */
	readonly quirks: EmulatorQuirks;
	/** The most recent requests (oldest first, capped at requestLogSize), without credentials. */
	readonly requests: readonly RecordedRequest[];
	clearRequests(): void;
	/** Resolves when no index build is queued or running. */
	waitForBuilds(): Promise<void>;
	/** Back to a fresh state: data, builds, request log and faults (to the constructor's options). */
	reset(): void;
	/** Closes the server and its open connections, stops builds, removes the temp folder. */
	close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const clock = options.clock ?? Date.now;
	const apiKey = options.apiKey ?? `llx-emulator-${randomBytes(16).toString('hex')}`;
	const log =
		options.quiet === false ? (options.log ?? ((line: string) => console.log(line))) : null;
	const tmpDir = mkdtempSync(join(options.tmpDir ?? tmpdir(), 'llamacloud-emulator-'));

	const rateLimiter = new RateLimiter(options.rateLimit ?? null);
	const startQuirks = (): EmulatorQuirks => ({
		...resolveVariants(options.variants),
		ignoreUpdatedAtFilters: options.ignoreUpdatedAtFilters ?? false,
		retrievalFileIds: options.retrievalFileIds ?? DEFAULTS.retrievalFileIds,
	});
	const quirks = startQuirks();
	const store = new EmulatorStore(clock, options.projects, quirks);
	const builder = new IndexBuilder(
		store,
		options.buildStepMs ?? DEFAULTS.buildStepMs,
		(error) => log?.(`emulator: build error: ${String(error)}`),
		quirks,
	);
	const faults = new FaultController(options.faults);
	const server = new EmulatorServer(
		{
			store,
			builder,
			queries: listQuerySchemas(
				options.maxPageSize ?? DEFAULTS.maxPageSize,
				options.pageSizeAboveMax,
			),
			defaultPageSize: options.defaultPageSize ?? DEFAULTS.defaultPageSize,
			maxUploadBytes: options.maxUploadBytes ?? DEFAULTS.maxUploadBytes,
			tmpDir,
			quirks,
		},
		faults,
		{
			apiKey,
			maxJsonBytes: options.maxJsonBytes ?? DEFAULTS.maxJsonBytes,
			validateResponses: options.validateResponses ?? process.env.NODE_ENV !== 'production',
			requestLogSize: options.requestLogSize ?? DEFAULTS.requestLogSize,
			log,
			rateLimiter,
		},
	);

	// No request timeout: a large upload slowed by injected latency must not be cut by the server.
	const http = options.tls
		? createHttpsServer({ ...options.tls, requestTimeout: 0 }, server.listener)
		: createServer({ requestTimeout: 0 }, server.listener);
	// Keep-alive sockets would hold close() open; track them to destroy them.
	const sockets = new Set<Socket>();
	http.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	// Connection resets are part of the job (faults, aborted uploads): never let them crash us.
	http.on('clientError', (_error, socket) => socket.destroy());

	const host = options.host ?? DEFAULTS.host;
	try {
		await listen(http, options.port ?? 0, host);
	} catch (error) {
		await rm(tmpDir, { recursive: true, force: true });
		throw error;
	}
	const port = (http.address() as AddressInfo).port;
	const urlHost = host.includes(':') ? `[${host}]` : host;
	const pendingRemovals: Array<Promise<void>> = [];
	let closed: Promise<void> | null = null;

	const copy = <T extends object>(record: T): T => ({ ...record });
	const view: EmulatorStoreView = {
		projects: () => store.listProjects().map(copy),
		addProject: (seed) => copy(store.addProject(seed)),
		directories: (projectId) => store.allDirectories(projectId).map(copy),
		directory: (id) => {
			const d = store.findDirectory(id);
			return d && copy(d);
		},
		files: (directoryId, opts) =>
			store.allFiles(directoryId, opts?.includeDeleted ?? true).map(copy),
		file: (id) => {
			const f = store.findFile(id);
			return f && copy(f);
		},
		blobs: () => store.allBlobs().map(copy),
		blob: (fileId) => {
			const b = store.findBlob(fileId);
			return b && copy(b);
		},
		readBlob: async (fileId) => {
			const blob = store.findBlob(fileId);
			if (!blob) throw new Error(`File ${fileId} not found`);
			const parts: Buffer[] = [];
			for await (const part of store.openBlob(blob) as AsyncIterable<Buffer>) parts.push(part);
			return Buffer.concat(parts);
		},
		indexes: (projectId) => store.allIndexes(projectId).map(copy),
		index: (id) => {
			const i = store.findIndex(id);
			return i && copy(i);
		},
		activeUploads: () => store.activeUploads(),
		createDirectory: (name, opts) =>
			copy(
				store.createDirectory(opts?.projectId ?? store.defaultProject!.id, {
					name,
					description: opts?.description,
				}),
			),
		seedFiles: (directoryId, count, opts) => store.seedFiles(directoryId, count, opts).map(copy),
	};

	return {
		url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
		port,
		apiKey,
		get defaultProjectId() {
			return store.defaultProject!.id;
		},
		get defaultOrganizationId() {
			return store.defaultProject!.organization_id;
		},
		store: view,
		faults,
		rateLimit: rateLimiter,
		quirks,
		get requests() {
			return server.requests;
		},
		clearRequests: () => {
			server.requests.length = 0;
		},
		waitForBuilds: () => builder.whenIdle(),
		reset: () => {
			builder.cancelAll();
			pendingRemovals.push(removeFiles(store.clear()));
			server.requests.length = 0;
			faults.reset();
			Object.assign(quirks, startQuirks());
			rateLimiter.reset();
		},
		close: () => {
			closed ??= (async () => {
				builder.cancelAll();
				const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
				for (const socket of sockets) socket.destroy();
				await stopped;
				await Promise.allSettled(pendingRemovals);
				await rm(tmpDir, { recursive: true, force: true });
			})();
			return closed;
		},
	};
}

function listen(server: Server, port: number, host: string): Promise<void> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
}
