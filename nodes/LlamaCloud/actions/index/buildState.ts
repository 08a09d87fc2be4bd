/**
 * Where an index keeps its build state, in ONE place.
 *
 * UNVERIFIED: the reference documents `index.metadata` only as "Build state and diagnostic
 * info" (a free-form map). The names below follow LlamaCloud's sample code (it polls
 * `metadata.status` until `ready` or `failed`) and the emulator's `emulator/buildState.ts`;
 * a test asserts that both modules agree. If the real service names them differently, this is
 * the only file to change.
 */
import type { IDataObject } from 'n8n-workflow';

/** Key of the build status inside `index.metadata`. */
export const BUILD_STATUS_FIELD = 'status';
/** Key of the failure reason. */
export const BUILD_ERROR_FIELD = 'error';
/** Key of the per-file diagnostics (entries with `status`, `display_name`, `error`, ...). */
export const BUILD_DIAGNOSTICS_FIELD = 'diagnostics';
/** Key of the flag saying another build was requested while this one runs (it starts next). */
export const BUILD_PENDING_SYNC_FIELD = 'pending_sync';
/** Keys that change whenever a new build starts or ends: they tell one build from the next. */
export const BUILD_MARKER_FIELDS = [
	'build_number',
	'queued_at',
	'started_at',
	'finished_at',
] as const;

export const BUILD_STATUS = {
	queued: 'queued',
	running: 'running',
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
	/** Identifies the current build, to tell it from the one before a sync. */
	marker: string;
}

const asObject = (value: unknown): IDataObject =>
	value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};

/** The build state of an index object as the API returns it. */
export function readBuildState(index: IDataObject): BuildState {
	const metadata = asObject(index.metadata);
	const raw = metadata[BUILD_STATUS_FIELD];
	const status = typeof raw === 'string' ? raw : undefined;
	const reason = metadata[BUILD_ERROR_FIELD];
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
		reason: typeof reason === 'string' && reason.trim() ? reason : undefined,
		failedFiles,
		marker: JSON.stringify([
			...BUILD_MARKER_FIELDS.map((key) => metadata[key] ?? null),
			index.last_synced_at ?? null,
		]),
	};
}

/** "running (build 3)": the state for messages. */
export function describeBuildState(index: IDataObject): string {
	const metadata = asObject(index.metadata);
	const state = readBuildState(index);
	const build =
		metadata.build_number !== undefined ? ` (build ${String(metadata.build_number)})` : '';
	const pending = state.pendingSync ? ', another sync queued' : '';
	return `${state.status ?? 'unknown (the index reports no build status)'}${build}${pending}`;
}
