/**
 * Options of the standalone emulator from environment variables (see README.md).
 * Bad values fail loudly, naming the variable: a typo must not silently disable a fault.
 */
import { readFileSync } from 'node:fs';

import type { FaultOptions } from './faults';
import { DEFAULTS, type EmulatorOptions, PAGE_SIZE_ABOVE_MAX } from './options';
import { RETRIEVAL_FILE_ID_MODES } from './retrieval/documents';
import { DOCUMENTED_UPLOAD_LIMIT, type RateLimitOptions } from './rateLimit';

export const ENV = {
	port: 'LLAMACLOUD_EMULATOR_PORT',
	host: 'LLAMACLOUD_EMULATOR_HOST',
	apiKey: 'LLAMACLOUD_EMULATOR_API_KEY',
	buildStepMs: 'LLAMACLOUD_EMULATOR_BUILD_STEP_MS',
	maxUploadBytes: 'LLAMACLOUD_EMULATOR_MAX_UPLOAD_BYTES',
	defaultPageSize: 'LLAMACLOUD_EMULATOR_DEFAULT_PAGE_SIZE',
	maxPageSize: 'LLAMACLOUD_EMULATOR_MAX_PAGE_SIZE',
	pageSizeAboveMax: 'LLAMACLOUD_EMULATOR_PAGE_SIZE_ABOVE_MAX',
	quiet: 'LLAMACLOUD_EMULATOR_QUIET',
	retrievalFileIds: 'LLAMACLOUD_EMULATOR_RETRIEVAL_FILE_IDS',
	faults: 'LLAMACLOUD_EMULATOR_FAULTS',
	faultSeed: 'LLAMACLOUD_EMULATOR_FAULT_SEED',
	fault429: 'LLAMACLOUD_EMULATOR_FAULT_429',
	fault500: 'LLAMACLOUD_EMULATOR_FAULT_500',
	fault502: 'LLAMACLOUD_EMULATOR_FAULT_502',
	fault503: 'LLAMACLOUD_EMULATOR_FAULT_503',
	faultResetBefore: 'LLAMACLOUD_EMULATOR_FAULT_RESET_BEFORE',
	faultResetAfter: 'LLAMACLOUD_EMULATOR_FAULT_RESET_AFTER',
	faultLatencyMs: 'LLAMACLOUD_EMULATOR_FAULT_LATENCY_MS',
	faultRetryAfter: 'LLAMACLOUD_EMULATOR_FAULT_RETRY_AFTER',
	rateLimit: 'LLAMACLOUD_EMULATOR_RATE_LIMIT',
	rateLimitRoutes: 'LLAMACLOUD_EMULATOR_RATE_LIMIT_ROUTES',
	rateLimitWindow: 'LLAMACLOUD_EMULATOR_RATE_LIMIT_WINDOW',
	rateLimitRetryAfter: 'LLAMACLOUD_EMULATOR_RATE_LIMIT_RETRY_AFTER',
	tlsCert: 'LLAMACLOUD_EMULATOR_TLS_CERT',
	tlsKey: 'LLAMACLOUD_EMULATOR_TLS_KEY',
} as const;

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
	const value = env[name]?.trim();
	return value ? value : undefined;
}

function integer(env: Env, name: string, min = 0): number | undefined {
	const text = read(env, name);
	if (text === undefined) return undefined;
	const value = Number(text);
	if (!Number.isInteger(value) || value < min)
		throw new Error(`${name} must be an integer >= ${min}, got '${text}'`);
	return value;
}

function probability(env: Env, name: string): number | undefined {
	const text = read(env, name);
	if (text === undefined) return undefined;
	const value = Number(text);
	if (!(value >= 0 && value <= 1))
		throw new Error(`${name} must be a probability between 0 and 1, got '${text}'`);
	return value;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[]): T | undefined {
	const text = read(env, name);
	if (text === undefined) return undefined;
	if (!values.includes(text as T))
		throw new Error(`${name} must be one of ${values.join(', ')}, got '${text}'`);
	return text as T;
}

/** "50" → 50, "20-200" → [20, 200]. */
function latency(env: Env, name: string): number | [number, number] | undefined {
	const text = read(env, name);
	if (text === undefined) return undefined;
	const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(text);
	if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1])))
		throw new Error(`${name} must be "<ms>" or "<min>-<max>", got '${text}'`);
	return m[2] === undefined ? Number(m[1]) : [Number(m[1]), Number(m[2])];
}

/** Fault options: the JSON variable first, then the discrete variables on top. */
export function faultsFromEnv(env: Env): FaultOptions | undefined {
	let faults: FaultOptions = {};
	const json = read(env, ENV.faults);
	if (json !== undefined) {
		try {
			faults = JSON.parse(json) as FaultOptions;
		} catch (error) {
			throw new Error(
				`${ENV.faults} must be a JSON object of fault options: ${(error as Error).message}`,
			);
		}
		if (!faults || typeof faults !== 'object' || Array.isArray(faults))
			throw new Error(`${ENV.faults} must be a JSON object`);
	}
	const discrete: FaultOptions = {
		seed: integer(env, ENV.faultSeed),
		status429: probability(env, ENV.fault429),
		status500: probability(env, ENV.fault500),
		status502: probability(env, ENV.fault502),
		status503: probability(env, ENV.fault503),
		resetBefore: probability(env, ENV.faultResetBefore),
		resetAfter: probability(env, ENV.faultResetAfter),
		latencyMs: latency(env, ENV.faultLatencyMs),
		retryAfterSeconds: integer(env, ENV.faultRetryAfter),
	};
	for (const [key, value] of Object.entries(discrete))
		if (value !== undefined) (faults as Record<string, unknown>)[key] = value;
	return Object.keys(faults).length > 0 ? faults : undefined;
}

function choice<T extends string>(env: Env, name: string, choices: readonly T[]): T | undefined {
	const text = read(env, name);
	if (text === undefined) return undefined;
	if (!choices.includes(text as T))
		throw new Error(`${name} must be one of ${choices.join(', ')}, got '${text}'`);
	return text as T;
}

/**
 * The rate limit: `documented` (50 per 5000 ms), `<limit>/<windowMs>` (e.g. `20/60000`) or
 * `off`; the other three variables only refine a limit that is on.
 */
export function rateLimitFromEnv(env: Env): RateLimitOptions | undefined {
	const text = read(env, ENV.rateLimit);
	if (text === undefined || text === 'off') return undefined;
	const m = /^(\d+)\s*\/\s*(\d+)$/.exec(text);
	if (text !== 'documented' && (!m || Number(m[1]) < 1 || Number(m[2]) < 1))
		throw new Error(
			`${ENV.rateLimit} must be "documented", "<limit>/<windowMs>" or "off", got '${text}'`,
		);
	return {
		...(m ? { limit: Number(m[1]), windowMs: Number(m[2]) } : DOCUMENTED_UPLOAD_LIMIT),
		routes: choice(env, ENV.rateLimitRoutes, ['uploads', 'all'] as const),
		window: choice(env, ENV.rateLimitWindow, ['fixed', 'sliding'] as const),
		retryAfter: choice(env, ENV.rateLimitRetryAfter, ['seconds', 'ms', 'none'] as const),
	};
}

/** HTTPS from a PEM certificate and key file; both or neither. */
function tlsFromEnv(env: Env): EmulatorOptions['tls'] {
	const cert = read(env, ENV.tlsCert);
	const key = read(env, ENV.tlsKey);
	if (!cert && !key) return undefined;
	if (!cert || !key) throw new Error(`${ENV.tlsCert} and ${ENV.tlsKey} go together`);
	const file = (name: string, path: string) => {
		try {
			return readFileSync(path);
		} catch (error) {
			throw new Error(`${name}: cannot read ${path}: ${(error as Error).message}`);
		}
	};
	return { cert: file(ENV.tlsCert, cert), key: file(ENV.tlsKey, key) };
}

/** Options for the CLI: `port` defaults to 8787 (LLAMACLOUD_EMULATOR_PORT, else PORT). */
export function optionsFromEnv(env: Env = process.env): EmulatorOptions & { port: number } {
	const quiet = read(env, ENV.quiet);
	return {
		port: integer(env, ENV.port) ?? integer(env, 'PORT') ?? DEFAULTS.cliPort,
		host: read(env, ENV.host),
		apiKey: read(env, ENV.apiKey) ?? read(env, 'LLAMACLOUD_API_KEY'),
		buildStepMs: integer(env, ENV.buildStepMs),
		maxUploadBytes: integer(env, ENV.maxUploadBytes, 1),
		defaultPageSize: integer(env, ENV.defaultPageSize, 1),
		maxPageSize: integer(env, ENV.maxPageSize, 1),
		pageSizeAboveMax: choice(env, ENV.pageSizeAboveMax, PAGE_SIZE_ABOVE_MAX),
		quiet: quiet === undefined ? false : !['0', 'false', 'no'].includes(quiet.toLowerCase()),
		retrievalFileIds: oneOf(env, ENV.retrievalFileIds, RETRIEVAL_FILE_ID_MODES),
		faults: faultsFromEnv(env),
		rateLimit: rateLimitFromEnv(env),
		tls: tlsFromEnv(env),
	};
}
