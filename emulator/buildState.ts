/**
 * The vocabulary of an index build, in one place.
 *
 * An index's `metadata` ("Build state and diagnostic info" in the reference) is a free-form map
 * on the real service. The emulator fills it with the shape below; clients that wait for a
 * build (nodes, tests, the demo) read it through these names instead of repeating literals.
 * This module has no imports on purpose, so it can be read (or copied) on its own.
 */

/** Key of the build status inside `index.metadata`. */
export const BUILD_STATUS_FIELD = 'status';
/**
 * Key of the failure reason (a sentence naming the file that could not be parsed): where
 * LlamaCloud's sample code reads it (`metadata.error_message`).
 */
export const BUILD_ERROR_FIELD = 'error_message';
/** Key of the per-file diagnostics array. */
export const BUILD_DIAGNOSTICS_FIELD = 'diagnostics';
/** Key of the flag telling that another build was requested while this one was in progress. */
export const BUILD_PENDING_SYNC_FIELD = 'pending_sync';

/** Build states, in the order a build moves through them. */
export const BUILD_STATUS = {
	queued: 'queued',
	running: 'running',
	ready: 'ready',
	failed: 'failed',
} as const;

export type BuildStatus = (typeof BUILD_STATUS)[keyof typeof BUILD_STATUS];

/** States in which no build is in progress: poll until one of these. */
export const TERMINAL_BUILD_STATUSES: readonly BuildStatus[] = [
	BUILD_STATUS.ready,
	BUILD_STATUS.failed,
];

/** What happened to one source file during a build. */
export const FILE_DIAGNOSTIC_STATUS = {
	/** Parsed in this build (new or changed since the last successful build). */
	parsed: 'parsed',
	/** Unchanged since the last successful build; its parsed file and chunks were kept. */
	unchanged: 'unchanged',
	/** Could not be parsed; the whole build failed and the output directory was left as it was. */
	failed: 'failed',
	/** Gone from the source directory; its parsed file and chunks were removed. */
	removed: 'removed',
} as const;

export type FileDiagnosticStatus =
	(typeof FILE_DIAGNOSTIC_STATUS)[keyof typeof FILE_DIAGNOSTIC_STATUS];

/** One entry of `metadata.diagnostics`. */
export interface FileDiagnostic {
	/** Directory file id (`dfl-…`) in the source directory. */
	directory_file_id: string;
	unique_id: string;
	display_name: string;
	status: FileDiagnosticStatus;
	/** Chunks this source file has in the index after the build. */
	chunks: number;
	/** Why parsing failed (only when status is `failed`). */
	error?: string;
}

/** Diagnostics are capped so a build over 100,000 files keeps `metadata` small. */
export const MAX_DIAGNOSTICS = 1000;

/** The full shape of `index.metadata` as the emulator writes it. */
export interface IndexBuildMetadata {
	[BUILD_STATUS_FIELD]: BuildStatus;
	[BUILD_ERROR_FIELD]: string | null;
	[BUILD_DIAGNOSTICS_FIELD]: FileDiagnostic[];
	[BUILD_PENDING_SYNC_FIELD]: boolean;
	/** 1 for the build started by index creation, +1 for every later build. */
	build_number: number;
	queued_at: string | null;
	started_at: string | null;
	finished_at: string | null;
	/** Counters of the last build (all zero until it finishes). */
	files_total: number;
	files_parsed: number;
	files_unchanged: number;
	files_failed: number;
	files_removed: number;
	/** Chunks in the index (what retrieval ranks) after the build. */
	chunks_total: number;
	/** True when more files had diagnostics than MAX_DIAGNOSTICS. */
	diagnostics_truncated: boolean;
	[key: string]: unknown;
}

/**
 * Metadata keys of a parsed file: the one directory file per parsed source file in the index's
 * output directory (same display_name and unique_id as the source; its content is the text).
 */
export const PARSED_FILE_METADATA = {
	/** Directory file id (`dfl-…`) of the source file in the source directory. */
	sourceFileId: 'source_file_id',
	/** unique_id of the source file. */
	sourceUniqueId: 'source_unique_id',
	/** How many chunks the source file produced. */
	chunkCount: 'chunk_count',
} as const;

/** Target chunk length in characters; chunks break on paragraph boundaries when they can. */
export const CHUNK_TARGET_CHARS = 1000;

export function isTerminalBuildStatus(status: unknown): status is 'ready' | 'failed' {
	return status === BUILD_STATUS.ready || status === BUILD_STATUS.failed;
}

/** Reads the build status out of an index's metadata (undefined when absent or unknown). */
export function readBuildStatus(
	metadata: Record<string, unknown> | null | undefined,
): BuildStatus | undefined {
	const value = metadata?.[BUILD_STATUS_FIELD];
	return Object.values(BUILD_STATUS).includes(value as BuildStatus)
		? (value as BuildStatus)
		: undefined;
}
