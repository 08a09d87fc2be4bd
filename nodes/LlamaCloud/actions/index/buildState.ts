/**
 * Where an index keeps its build state, in ONE place.
 *
 * LlamaCloud's spec leaves `index.metadata` open: "only `status` of `ready` or `failed` is
 * stable". So a build counts as ended only on those two statuses; any other status, or none,
 * is a build in progress (whatever it is called). The failure reason is read where
 * LlamaCloud's sample code reads it (`error_message`). Per-file diagnostics and the
 * pending-sync flag are used when an index carries them (the emulator's `detailed` variant),
 * never required. If the real service names things differently, this is the only file to change.
 */
import type { IDataObject } from 'n8n-workflow';

/** Key of the build status inside `index.metadata`. */
export const BUILD_STATUS_FIELD = 'status';
/** Key of the failure reason (LlamaCloud's sample code reads `metadata.error_message`). */
export const BUILD_ERROR_FIELD = 'error_message';
/** Other keys a failure reason has been seen under, read when `error_message` is absent. */
const OTHER_ERROR_FIELDS = ['error', 'message'] as const;
/** Key of the per-file diagnostics (entries with `status`, `display_name`, `error`, ...), if any. */
export const BUILD_DIAGNOSTICS_FIELD = 'diagnostics';
/** Key of the flag saying another build was requested while this one runs, if the service sends it. */
export const BUILD_PENDING_SYNC_FIELD = 'pending_sync';

/** The two stable statuses; every other value means a build is in progress. */
export const BUILD_STATUS = {
	ready: 'ready',
	failed: 'failed',
} as const;

/** Status of a diagnostics entry for a file that could not be parsed. */
export const FAILED_FILE_STATUS = 'failed';

export interface FailedFile {
	id: string | undefined;
	name: string;
	error: string | undefined;
}

export interface BuildState {
	/** The raw status string (undefined when the index carries none). */
	status: string | undefined;
	ready: boolean;
	failed: boolean;
	/** Another build is queued after the current one. */
	pendingSync: boolean;
	reason: string | undefined;
	/** The files the build could not parse. */
	failedFiles: FailedFile[];
	/**
	 * Changes whenever the index's build state does (status, metadata, last_synced_at,
	 * updated_at), so the state seen after a sync can be told from the one before it.
	 */
	marker: string;
}

const asObject = (value: unknown): IDataObject =>
	value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};

/** The build state of an index object as the API returns it. */
export function readBuildState(index: IDataObject): BuildState {
	const metadata = asObject(index.metadata);
	const raw = metadata[BUILD_STATUS_FIELD];
	const status = typeof raw === 'string' ? raw : undefined;
	const reason = [BUILD_ERROR_FIELD, ...OTHER_ERROR_FIELDS]
		.map((key) => metadata[key])
		.find((value) => typeof value === 'string' && value.trim());
	const diagnostics = Array.isArray(metadata[BUILD_DIAGNOSTICS_FIELD])
		? (metadata[BUILD_DIAGNOSTICS_FIELD] as unknown[])
		: [];
	const failedFiles = diagnostics
		.map(asObject)
		.filter((entry) => entry.status === FAILED_FILE_STATUS)
		.map((entry) => ({
			id: entry.directory_file_id === undefined ? undefined : String(entry.directory_file_id),
			name: String(
				entry.display_name ?? entry.unique_id ?? entry.directory_file_id ?? 'unnamed file',
			),
			error: entry.error === undefined ? undefined : String(entry.error),
		}));
	return {
		status,
		ready: status === BUILD_STATUS.ready,
		failed: status === BUILD_STATUS.failed,
		pendingSync: metadata[BUILD_PENDING_SYNC_FIELD] === true,
		reason: typeof reason === 'string' ? reason : undefined,
		failedFiles,
		marker: JSON.stringify([metadata, index.last_synced_at ?? null, index.updated_at ?? null]),
	};
}

/** "running (build 3)": the state for messages. */
export function describeBuildState(index: IDataObject): string {
	const metadata = asObject(index.metadata);
	const state = readBuildState(index);
	const build =
		metadata.build_number !== undefined ? ` (build ${String(metadata.build_number)})` : '';
	const pending = state.pendingSync ? ', another sync queued' : '';
	return `${state.status ?? 'in progress (the index reports no build status yet)'}${build}${pending}`;
}
