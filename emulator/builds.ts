/**
 * Index builds: asynchronous, like the real service. A build moves queued → running after
 * `stepMs`, runs after another `stepMs`, then ends ready or failed (see buildState.ts).
 *
 * - A sync requested (POST …/sync) while a build is queued or running answers 409 by default,
 *   429 or is accepted under the `syncWhileBuilding` variant. Accepted, it does not start a
 *   second build: it sets `pending_sync` and ONE more build starts when the current one ends
 *   (requests coalesce), as the rebuilds of `on_source_change` indexes always do.
 * - A build parses new and changed source files only, then applies all changes at once: each
 *   parsed source file has one parsed file in the output directory (replaced when the source
 *   changes; old ones are soft-deleted, so a trigger on the output directory sees it) and its
 *   chunks in the index, which retrieval ranks (retrieval/).
 * - If any file cannot be parsed the build fails, naming that file, and the output directory
 *   is left as it was. A later sync retries.
 */
import {
	BUILD_STATUS,
	PARSED_FILE_METADATA,
	FILE_DIAGNOSTIC_STATUS,
	MAX_DIAGNOSTICS,
	type FileDiagnostic,
	type IndexBuildMetadata,
} from './buildState';
import { HttpError } from './errors';
import type { EmulatorQuirks } from './http';
import { parseDocument } from './parsing';
import { chunkText, type Chunk } from './retrieval/chunking';
import type { BuiltFile } from './retrieval/documents';
import type { DirectoryFileRecord, EmulatorStore, IndexRecord } from './store';

interface ActiveBuild {
	pending: boolean;
	timer: NodeJS.Timeout | null;
}

type Outcome =
	| { ok: true; counts: Partial<IndexBuildMetadata>; diagnostics: FileDiagnostic[] }
	| {
			ok: false;
			error: string;
			counts: Partial<IndexBuildMetadata>;
			diagnostics: FileDiagnostic[];
	  };

export class IndexBuilder {
	private readonly active = new Map<string, ActiveBuild>();
	private idleWaiters: Array<() => void> = [];

	constructor(
		private readonly store: EmulatorStore,
		private readonly stepMs: number,
		private readonly onError: (error: unknown) => void,
		private readonly quirks: EmulatorQuirks,
	) {
		// `on_source_change` indexes rebuild when their source directory changes.
		store.onFilesChanged = (directoryId) => {
			for (const index of store.indexesWithSource(directoryId)) {
				if (index.sync_frequency === 'on_source_change') this.requestSync(index);
			}
		};
	}

	/**
	 * Starts a build, or marks one as pending if a build of this index is in progress. A sync a
	 * client asked for (`fromClient`) meets the `syncWhileBuilding` variant instead.
	 */
	requestSync(index: IndexRecord, fromClient = false): void {
		const current = this.active.get(index.id);
		if (current && fromClient && this.quirks.syncWhileBuilding !== 'coalesce') {
			const detail = `Index ${index.id} is already syncing; try again when the current sync has finished`;
			if (this.quirks.syncWhileBuilding === 'conflict') throw HttpError.conflict(detail);
			const headers: Record<string, string> =
				this.quirks.retryAfter === 'seconds' ? { 'retry-after': '1' } : {};
			throw new HttpError(429, detail, headers);
		}
		if (current) {
			current.pending = true;
			this.store.updateIndexMetadata(index, { pending_sync: true });
			return;
		}
		this.start(index);
	}

	isBuilding(indexId: string): boolean {
		return this.active.has(indexId);
	}

	/** Stops a build (its index was deleted); its results are never applied. */
	cancel(indexId: string): void {
		const build = this.active.get(indexId);
		if (build?.timer) clearTimeout(build.timer);
		this.active.delete(indexId);
		this.notifyIfIdle();
	}

	cancelAll(): void {
		for (const id of [...this.active.keys()]) this.cancel(id);
	}

	/** Resolves when no build is queued or running. */
	whenIdle(): Promise<void> {
		if (this.active.size === 0) return Promise.resolve();
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	private notifyIfIdle(): void {
		if (this.active.size > 0) return;
		const waiters = this.idleWaiters;
		this.idleWaiters = [];
		for (const resolve of waiters) resolve();
	}

	private start(index: IndexRecord): void {
		const build: ActiveBuild = { pending: false, timer: null };
		this.active.set(index.id, build);
		this.store.updateIndexMetadata(index, {
			status: BUILD_STATUS.queued,
			error_message: null,
			pending_sync: false,
			build_number: index.metadata.build_number + 1,
			queued_at: this.store.now().iso,
			started_at: null,
			finished_at: null,
		});
		build.timer = this.after(() => {
			this.store.updateIndexMetadata(index, {
				status: BUILD_STATUS.running,
				started_at: this.store.now().iso,
			});
			build.timer = this.after(() => {
				build.timer = null;
				void this.finish(index, build);
			});
		});
	}

	private after(fn: () => void): NodeJS.Timeout {
		const timer = setTimeout(fn, this.stepMs);
		timer.unref(); // a forgotten emulator must not keep a process alive
		return timer;
	}

	private stale(index: IndexRecord, build: ActiveBuild): boolean {
		return this.active.get(index.id) !== build;
	}

	private async finish(index: IndexRecord, build: ActiveBuild): Promise<void> {
		let outcome: Outcome | null;
		try {
			outcome = await this.run(index, () => this.stale(index, build));
		} catch (error) {
			this.onError(error);
			outcome = {
				ok: false,
				error: `Internal error while building the index: ${String(error)}`,
				counts: {},
				diagnostics: [],
			};
		}
		if (outcome === null || this.stale(index, build)) return;

		const now = this.store.now().iso;
		const diagnostics = outcome.diagnostics.slice(0, MAX_DIAGNOSTICS);
		const common = {
			...outcome.counts,
			diagnostics,
			diagnostics_truncated: outcome.diagnostics.length > MAX_DIAGNOSTICS,
			finished_at: now,
		};
		if (outcome.ok) {
			this.store.updateIndexMetadata(
				index,
				{ ...common, status: BUILD_STATUS.ready, error_message: null },
				{ last_synced_at: now, last_exported_at: now },
			);
		} else {
			this.store.updateIndexMetadata(
				index,
				{ ...common, status: BUILD_STATUS.failed, error_message: outcome.error },
				this.quirks.failedBuildSyncTime === 'move' ? { last_synced_at: now } : {},
			);
		}
		this.active.delete(index.id);
		if (build.pending) this.start(index);
		else this.notifyIfIdle();
	}

	/** Parses what changed, then applies every change at once (or nothing, on failure). */
	private async run(index: IndexRecord, isStale: () => boolean): Promise<Outcome | null> {
		const fail = (error: string): Outcome => ({ ok: false, error, counts: {}, diagnostics: [] });
		const source = this.store.findDirectory(index.source_directory_id);
		if (!source) return fail(`Source directory ${index.source_directory_id} not found`);
		const output = this.store.findDirectory(index.output_directory_id);
		if (!output) return fail(`Output directory ${index.output_directory_id} not found`);

		const files = this.store.liveFiles(source.id);
		const versionOf = (f: DirectoryFileRecord) => `${f.file_id}|${f.updatedMs}`;
		const parsed = new Map<DirectoryFileRecord, { text: string; chunks: Chunk[] }>();
		const failed: FileDiagnostic[] = [];
		const others: FileDiagnostic[] = [];
		const diagnostic = (
			f: DirectoryFileRecord,
			status: FileDiagnostic['status'],
			chunks: number,
			error?: string,
		): FileDiagnostic => ({
			directory_file_id: f.id,
			unique_id: f.unique_id,
			display_name: f.display_name,
			status,
			chunks,
			...(error ? { error } : {}),
		});

		for (const file of files) {
			const previous = index.built.get(file.id);
			if (previous && previous.version === versionOf(file)) {
				others.push(
					diagnostic(file, FILE_DIAGNOSTIC_STATUS.unchanged, previous.document.chunks.length),
				);
				continue;
			}
			const blob = file.file_id ? this.store.findBlob(file.file_id) : undefined;
			const result = blob
				? await parseDocument(blob.name, () => this.store.openBlob(blob))
				: { ok: false as const, reason: 'its content is missing' };
			if (isStale()) return null;
			if (result.ok) {
				const chunks = chunkText(result.text);
				parsed.set(file, { text: result.text, chunks });
				others.push(diagnostic(file, FILE_DIAGNOSTIC_STATUS.parsed, chunks.length));
			} else {
				failed.push(diagnostic(file, FILE_DIAGNOSTIC_STATUS.failed, 0, result.reason));
			}
		}

		const liveIds = new Set(files.map((f) => f.id));
		const removedIds = [...index.built.keys()].filter((id) => !liveIds.has(id));
		const counts = {
			files_total: files.length,
			files_parsed: parsed.size,
			files_unchanged: others.length - parsed.size,
			files_failed: failed.length,
			files_removed: failed.length > 0 ? 0 : removedIds.length,
		};
		if (failed.length > 0) {
			const first = failed[0];
			return {
				ok: false,
				error: `Cannot parse file '${first.display_name}' (${first.directory_file_id}): ${first.error}`,
				counts: { ...counts, chunks_total: this.chunkCount(index) },
				// Failures first, so truncation never hides them.
				diagnostics: [...failed, ...others],
			};
		}

		// Apply: synchronous from here, so no request sees a half-applied build.
		const built = new Map(index.built);
		const removed: FileDiagnostic[] = [];
		for (const id of removedIds) {
			const gone = this.store.findFile(id);
			this.dropParsedFile(built, id);
			removed.push({
				directory_file_id: id,
				unique_id: gone?.unique_id ?? '',
				display_name: gone?.display_name ?? '',
				status: FILE_DIAGNOSTIC_STATUS.removed,
				chunks: 0,
			});
		}
		// All old parsed files go before any new one: renames may swap unique_ids between files.
		for (const file of parsed.keys()) this.dropParsedFile(built, file.id);
		for (const [file, { text, chunks }] of parsed) {
			const blob = this.store.createBlobFromContent(
				index.project_id,
				`${file.display_name}.parsed.txt`,
				Buffer.from(text, 'utf8'),
			);
			const parsedFile = this.store.insertFile(output, {
				file_id: blob.id,
				display_name: file.display_name,
				unique_id: file.unique_id,
				metadata: {
					[PARSED_FILE_METADATA.sourceFileId]: file.id,
					[PARSED_FILE_METADATA.sourceUniqueId]: file.unique_id,
					[PARSED_FILE_METADATA.chunkCount]: chunks.length,
				},
			});
			built.set(file.id, {
				version: versionOf(file),
				document: {
					sourceFileId: file.id,
					parsedFileId: parsedFile.id,
					displayName: file.display_name,
					uniqueId: file.unique_id,
					metadata: { ...file.metadata },
					text,
					chunks,
				},
			});
		}
		index.built = built;
		return {
			ok: true,
			counts: { ...counts, chunks_total: this.chunkCount(index) },
			diagnostics: [...others, ...removed],
		};
	}

	private dropParsedFile(built: Map<string, BuiltFile>, sourceFileId: string): void {
		const previous = built.get(sourceFileId);
		if (!previous) return;
		const file = this.store.findFile(previous.document.parsedFileId);
		if (file && file.deleted_at === null) this.store.softDelete(file);
		built.delete(sourceFileId);
	}

	private chunkCount(index: IndexRecord): number {
		let total = 0;
		for (const entry of index.built.values()) total += entry.document.chunks.length;
		return total;
	}
}
