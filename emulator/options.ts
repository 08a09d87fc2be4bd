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

/** See EmulatorOptions.pageSizeAboveMax. */
export const PAGE_SIZE_ABOVE_MAX = ['serve', 'clamp', 'reject'] as const;
export type PageSizeAboveMax = (typeof PAGE_SIZE_ABOVE_MAX)[number];

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
	/** The assumed maximum page_size of the lists that `pageSizeAboveMax` applies. Default 1000. */
	maxPageSize?: number;
	/**
	 * What the directory, directory-file and index lists do with a page_size above maxPageSize
	 * (assumed: the spec states no maximum for them). Default `clamp`: at most maxPageSize items
	 * served, as the spec says of the API's other lists ("typically 1000; values above this will
	 * be coerced to the maximum") and as `npm run verify:live` checks; `serve`: every item asked
	 * for (these lists' own schema); `reject`: 422 on page_size, as FastAPI answers the maximum
	 * `/api/v1/beta/files` states.
	 */
	pageSizeAboveMax?: PageSizeAboveMax;
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
