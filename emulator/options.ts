/** Options of startEmulator() and their defaults. */
import type { FaultOptions } from './faults';
import type { RetrievalFileIdMode } from './retrieval/documents';
import type { RateLimitOptions } from './rateLimit';
import type { EmulatorVariants } from './variants';

/** A project the API key can see. The first one (or the one marked is_default) is the default. */
export interface ProjectSeed {
	id?: string;
	name?: string;
	organization_id?: string;
	is_default?: boolean;
}

export interface EmulatorOptions {
	/** 0 picks a free port. Default 0. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** The one valid bearer key. Default: a generated `llx-emulator-…`. */
	apiKey?: string;
	/** Projects of the key. Default: one project "Default" in one organization. */
	projects?: ProjectSeed[];
	faults?: FaultOptions;
	/**
	 * LlamaCloud's upload rate limit, answered with 429s (emulator/rateLimit.ts): `{}` for the
	 * documented 50 uploads per 5 s per project. Default off (null); switchable through
	 * `emulator.rateLimit` at run time.
	 */
	rateLimit?: RateLimitOptions | null;
	/** Serve HTTPS with this PEM key and certificate (e.g. a self-signed one made at run time). Default plain HTTP. */
	tls?: { key: string | Buffer; cert: string | Buffer };
	/** Time each build step (queued → running → done) takes, in ms. Default 100. */
	buildStepMs?: number;
	/** Largest accepted upload in bytes; larger → 413. Default 512 MiB (LlamaCloud's limit). */
	maxUploadBytes?: number;
	/** Largest accepted JSON body in bytes. Default 1 MiB. */
	maxJsonBytes?: number;
	/** page_size when none is given. Default 50. */
	defaultPageSize?: number;
	/** Largest page served. Default 1000. */
	maxPageSize?: number;
	/**
	 * A larger page_size: `reject` (default, 422 on page_size, as FastAPI answers the one list
	 * whose maximum the spec states) or `clamp` (served at most maxPageSize items; the spec
	 * states no maximum for the other lists, so either is plausible).
	 */
	pageSizeAboveMax?: 'reject' | 'clamp';
	/**
	 * List Directory Files ignores `updated_at_on_or_after` / `updated_at_on_or_before`, as a
	 * server without those filters would (the trigger must then stay correct by a full scan).
	 * Also switchable at run time through `emulator.quirks`. Default false.
	 */
	ignoreUpdatedAtFilters?: boolean;
	/**
	 * Which id the retrieval endpoints use for a file (`parsed_directory_file_id`, Find's and
	 * Grep/Read's `file_id`): `parsed`, the parsed file in the index's output directory, or
	 * `source`, the directory file in the source directory. Unsettled by the public material.
	 * Also switchable at run time through `emulator.quirks`. Default `parsed`.
	 */
	retrievalFileIds?: RetrievalFileIdMode;
	/**
	 * Answers to what no public source settles (emulator/variants.ts); each also has an
	 * environment variable. Default: VARIANT_DEFAULTS, overridden by the environment.
	 */
	variants?: Partial<EmulatorVariants>;
	/** Source of "now" in ms for every timestamp; freeze or advance it in tests. Default Date.now. */
	clock?: () => number;
	/** No request log lines. Default true (the CLI turns logging on). */
	quiet?: boolean;
	/** Where log lines go when not quiet. Default console.log. */
	log?: (line: string) => void;
	/** Check every response against its zod schema (500 on mismatch). Default: on unless NODE_ENV=production. */
	validateResponses?: boolean;
	/** How many recent requests `emulator.requests` keeps. Default 1000. */
	requestLogSize?: number;
	/** Parent folder of the per-instance temp folder. Default os.tmpdir(). */
	tmpDir?: string;
}

export const DEFAULTS = {
	host: '127.0.0.1',
	buildStepMs: 100,
	maxUploadBytes: 512 * 1024 * 1024,
	maxJsonBytes: 1024 * 1024,
	defaultPageSize: 50,
	maxPageSize: 1000,
	requestLogSize: 1000,
	retrievalFileIds: 'parsed' as RetrievalFileIdMode,
	/** Port of the standalone CLI when neither PORT nor LLAMACLOUD_EMULATOR_PORT is set. */
	cliPort: 8787,
} as const;
