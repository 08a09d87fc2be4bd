/**
 * The one HTTP module of the package: base URL and scope from the credential, retries,
 * timeouts and error mapping. Routed (declarative) operations reach it through the hooks at
 * the bottom of this file; programmatic code (uploads, list searches, the trigger,
 * sync-and-wait, lookups by unique ID) calls `apiRequest` / `paginate`.
 */
import type {
	DeclarativeRestApiSettings,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { MAX_RETRY_WAIT_RANGE, MAX_TRIES_RANGE, REQUEST_OPTIONS } from './requestOptions';

export const CREDENTIAL_TYPE = 'llamaCloudIngestApi';

export const REGION_BASE_URLS: Record<string, string> = {
	us: 'https://api.cloud.llamaindex.ai',
	eu: 'https://api.cloud.eu.llamaindex.ai',
};

/** requestDefaults.baseURL for routed operations; `prepareRoutedRequest` validates the result. */
export const BASE_URL_EXPRESSION =
	'={{$credentials.region === "custom" ? String($credentials.baseUrl || "").trim().replace(/\\/+$/, "") : ($credentials.region === "eu" ? "https://api.cloud.eu.llamaindex.ai" : "https://api.cloud.llamaindex.ai")}}';

/** Largest page the API serves; also the page size used when "Return All" is on. */
export const MAX_PAGE_SIZE = 100;

export type RequestContext =
	| IExecuteFunctions
	| IExecuteSingleFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IHookFunctions;

// ---------------------------------------------------------------------------------------------
// Credential: base URL and scope
// ---------------------------------------------------------------------------------------------

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The API origin for a credential. Throws an Error whose message says what is wrong with a
 * custom base URL (callers turn it into a NodeOperationError with the item index).
 */
export function resolveBaseUrl(
	credentials: ICredentialDataDecryptedObject,
): { url: string } | { problem: string } {
	const region = String(credentials.region ?? 'us');
	if (region === 'custom') return checkBaseUrl(String(credentials.baseUrl ?? ''));
	const url = REGION_BASE_URLS[region];
	return url ? { url } : { problem: `Unknown region "${region}" in the LlamaCloud API credential` };
}

/** Checks a custom base URL: an http(s) origin, no path (in particular no /api/v1), http only locally. */
export function checkBaseUrl(raw: string): { url: string } | { problem: string } {
	const value = raw.trim().replace(/\/+$/, '');
	const hint = 'Expected an origin such as https://api.cloud.llamaindex.ai';
	const problem = (text: string) => ({ problem: `The credential's Base URL ${text}` });
	if (!value) return problem(`is empty. ${hint}`);
	if (!URL.canParse(value)) return problem(`"${value}" is not a valid URL. ${hint}`);
	const url = new URL(value);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return problem(`"${value}" must start with https:// (or http:// for localhost)`);
	}
	if (/\/api\/v1$/i.test(url.pathname)) {
		return problem(`"${value}" must not end with /api/v1: the node adds the API path itself`);
	}
	if (url.pathname !== '/' && url.pathname !== '')
		return problem(`"${value}" must not contain a path. ${hint}`);
	if (url.search || url.hash || url.username || url.password) {
		return problem(`"${value}" must not contain a query, fragment or user info. ${hint}`);
	}
	if (url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname)) {
		return problem(`"${value}" uses plain http, which is only allowed for localhost; use https://`);
	}
	return { url: `${url.protocol}//${url.host}` };
}

/** project_id / organization_id query parameters, only those that are set. */
export function scopeQuery(credentials: ICredentialDataDecryptedObject): IDataObject {
	const qs: IDataObject = {};
	const projectId = String(credentials.projectId ?? '').trim();
	const organizationId = String(credentials.organizationId ?? '').trim();
	if (projectId) qs.project_id = projectId;
	if (organizationId) qs.organization_id = organizationId;
	return qs;
}

/**
 * `/a/${id}/b` with every interpolated value percent-encoded, so an ID can never add a segment
 * or a query. "." and ".." cannot be encoded away (URL parsing resolves %2E too): requests
 * refuse such paths (`unsafePathSegment`).
 */
export function apiPath(strings: TemplateStringsArray, ...values: unknown[]): string {
	return strings.reduce((path, part, i) => {
		const value = i < values.length ? encodeURIComponent(String(values[i])) : '';
		return path + part + value;
	}, '');
}

/**
 * A path segment that URL parsing removes or resolves ("", ".", "..", also percent-encoded):
 * an ID like that would send the request to another route, so such paths are never sent.
 */
const UNSAFE_SEGMENT = /^(?:|\.|%2e|\.\.|\.%2e|%2e\.|%2e%2e)$/i;

/** The first segment of an API path that would change the route, if any (see UNSAFE_SEGMENT). */
export function unsafePathSegment(path: string): string | undefined {
	const pathname = path.split(/[?#]/)[0];
	return pathname
		.replace(/^\/+/, '')
		.split('/')
		.find((segment) => UNSAFE_SEGMENT.test(segment));
}

// ---------------------------------------------------------------------------------------------
// Retry policy and the node's Request Options
// ---------------------------------------------------------------------------------------------

export interface RetryPolicy {
	/** Attempts in all, the first included. */
	maxTries: number;
	/** Upper bound on the time spent waiting between attempts, in ms. */
	maxWaitMs: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/**
	 * Per-request timeout in ms: how long the server may take to answer. A body of known length
	 * gets its transfer time on top (see `effectiveTimeoutMs`).
	 */
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxTries: 5,
	maxWaitMs: 60_000,
	baseDelayMs: 500,
	maxDelayMs: 16_000,
	// n8n's RoutingNode uses 300 s when "Timeout" is not set: programmatic requests agree with routed ones.
	timeoutMs: 300_000,
};

/**
 * Slowest upload rate allowed for, in bytes per ms (256 KiB/s). n8n's timeout runs from the
 * start of the request to the response headers, so sending the body counts against it. Adding
 * the body's transfer time at this rate keeps "Timeout" meaning "how long LlamaCloud may take
 * to answer" whatever the file size: one knob for every request, and with the default a
 * 512 MB upload gets 300 s + ~35 min, enough on a slow link.
 */
const SLOWEST_BYTES_PER_MS = (256 * 1024) / 1000;

/** The timeout of one attempt: the policy's plus the transfer time of a body of known length. */
export function effectiveTimeoutMs(policy: RetryPolicy, bodyBytes = 0): number {
	return policy.timeoutMs + Math.ceil(Math.max(0, bodyBytes) / SLOWEST_BYTES_PER_MS);
}

/**
 * The node's Request Options for one item, checked: Max Tries, Max Retry Wait (Seconds) and
 * Timeout (ms; n8n's own option on the LlamaCloud node, the trigger's own on the trigger).
 * Only what the user set; an expression that bypasses the UI's limits fails naming the field.
 */
export function requestSettings(ctx: RequestContext, itemIndex?: number): Partial<RetryPolicy> {
	const get = ctx as unknown as {
		getItemIndex?: unknown;
		getInputData?: unknown;
		getNodeParameter(name: string, ...rest: unknown[]): unknown;
	};
	// IExecuteFunctions takes the item index; the single-item, load-options, poll and hook contexts do not.
	const perItem = typeof get.getInputData === 'function' && typeof get.getItemIndex !== 'function';
	const raw = perItem
		? get.getNodeParameter(REQUEST_OPTIONS, itemIndex ?? 0, {})
		: get.getNodeParameter(REQUEST_OPTIONS, {});
	const options = (raw && typeof raw === 'object' ? raw : {}) as IDataObject;
	const settings: Partial<RetryPolicy> = {};
	const number = (
		name: string,
		field: string,
		min: number,
		max: number,
		whole: boolean,
	): number | undefined => {
		const value = options[name];
		if (value === undefined || value === null || value === '') return undefined;
		const n = Number(value);
		if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n))) {
			const range =
				max === Infinity
					? `at least ${min}`
					: `${whole ? 'a whole number ' : ''}from ${min} to ${max}`;
			throw new NodeOperationError(
				ctx.getNode(),
				`"${field}" in the node's Request Options must be ${range} (got ${String(value)})${itemIndex === undefined ? '' : ` [item ${itemIndex}]`}`,
				{ itemIndex },
			);
		}
		return n;
	};
	const maxTries = number('maxTries', 'Max Tries', MAX_TRIES_RANGE.min, MAX_TRIES_RANGE.max, true);
	const maxWait = number(
		'maxRetryWait',
		'Max Retry Wait (Seconds)',
		MAX_RETRY_WAIT_RANGE.min,
		MAX_RETRY_WAIT_RANGE.max,
		false,
	);
	const timeout = number('timeout', 'Timeout', 1, Infinity, false);
	if (maxTries !== undefined) settings.maxTries = maxTries;
	if (maxWait !== undefined) settings.maxWaitMs = Math.round(maxWait * 1000);
	if (timeout !== undefined) settings.timeoutMs = timeout;
	return settings;
}

/** The policy for one request: defaults, then the node's Request Options, then the caller's overrides. */
export function retryPolicyFor(
	ctx: RequestContext,
	itemIndex?: number,
	override?: Partial<RetryPolicy>,
): RetryPolicy {
	return { ...DEFAULT_RETRY_POLICY, ...requestSettings(ctx, itemIndex), ...override };
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Gateway errors: a proxy answered because the service behind it failed or was too slow, so
 * the request may have been applied there. For creates they count as "outcome unknown".
 */
const MAYBE_APPLIED_STATUS = new Set([502, 504]);

/** Network errors where the request never left this machine; any other may have reached the server. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

/** Delay the server asked for: `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(
	headers: IDataObject | undefined,
	now = Date.now(),
): number | undefined {
	if (!headers) return undefined;
	const get = (name: string) => {
		const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
		const value = key === undefined ? undefined : headers[key];
		return Array.isArray(value)
			? String(value[0])
			: value === undefined
				? undefined
				: String(value);
	};
	const ms = Number(get('retry-after-ms'));
	if (get('retry-after-ms') !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
	const after = get('retry-after');
	if (after === undefined || after.trim() === '') return undefined;
	const seconds = Number(after);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(after);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before try `attempt + 1`. Without a server hint: exponential backoff with
 * jitter (half fixed, half random, so concurrent items spread out). With one: what the server
 * asked for plus up to 10 % (at most 1 s), so items rate-limited together do not all return in
 * the same millisecond.
 */
export function backoffMs(
	attempt: number,
	policy: RetryPolicy,
	serverHintMs?: number,
	random = Math.random,
): number {
	if (serverHintMs !== undefined)
		return Math.round(serverHintMs + random() * Math.min(serverHintMs * 0.1, 1000));
	const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(cap / 2 + (random() * cap) / 2);
}

/** What a failed attempt means for the next one. */
interface FailureInfo {
	retryable: boolean;
	/** The request may have been applied although no (usable) response came back. */
	outcomeUnknown: boolean;
	/** For an unknown outcome: what happened to `request` ("POST /x"), e.g. "the connection dropped after POST /x was sent". */
	lost?: (request: string) => string;
	waitHintMs?: number;
	/** What the user can do about it, appended to the description. */
	hint: string;
}

const FAILURE_INFO = Symbol('llamaCloudFailure');

function failureInfo(error: unknown): FailureInfo {
	const info = (error as { [FAILURE_INFO]?: FailureInfo })?.[FAILURE_INFO];
	return info ?? { retryable: false, outcomeUnknown: false, hint: '' };
}

function tag<E extends Error>(error: E, info: FailureInfo): E {
	(error as unknown as { [FAILURE_INFO]: FailureInfo })[FAILURE_INFO] = info;
	return error;
}

function isTagged(error: unknown): error is NodeApiError {
	return !!(error as { [FAILURE_INFO]?: FailureInfo })?.[FAILURE_INFO];
}

/** "GET /api/v1/... (item 2). <hint>": which request failed, for the error's description. */
function describeRequest(error: NodeApiError, request: RequestSummary): void {
	const where = `${request.method} ${request.path}${request.itemIndex !== undefined ? ` (item ${request.itemIndex})` : ''}`;
	error.description = `${where}.${failureInfo(error).hint}`;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	408: 'Request Timeout',
	409: 'Conflict',
	413: 'Payload Too Large',
	422: 'Unprocessable Entity',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

/** Removes a secret from text that will reach the user (error messages, descriptions). */
export function redact(text: string, secret: unknown): string {
	const value = typeof secret === 'string' ? secret : '';
	return value.length >= 4 ? text.split(value).join('[redacted]') : text;
}

/** The API's own explanation: FastAPI `detail` (string or list of field errors) or a short body. */
export function describeErrorBody(body: unknown): string {
	if (body === undefined || body === null || body === '') return '';
	if (Buffer.isBuffer(body)) return describeErrorBody(body.toString('utf8'));
	if (typeof body === 'string') {
		const trimmed = body.trim();
		try {
			return describeErrorBody(JSON.parse(trimmed));
		} catch {
			// Not JSON: most likely a proxy's HTML page.
		}
		if (/^<(!doctype|html)/i.test(trimmed)) {
			const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
			return `the server answered with an HTML page${title ? ` ("${title}")` : ''} instead of JSON`;
		}
		return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
	}
	if (typeof body === 'object') {
		const detail =
			(body as IDataObject).detail ?? (body as IDataObject).message ?? (body as IDataObject).error;
		if (typeof detail === 'string') return detail;
		if (Array.isArray(detail)) {
			return detail
				.map((entry) => {
					const e = entry as IDataObject;
					const loc = Array.isArray(e.loc) ? e.loc.join('.') : '';
					return loc ? `${loc}: ${String(e.msg ?? '')}` : String(e.msg ?? JSON.stringify(e));
				})
				.join('; ');
		}
		if (detail !== undefined) return JSON.stringify(detail);
	}
	return '';
}

interface RequestSummary {
	method: string;
	path: string;
	itemIndex?: number;
	/** The attempt's timeout, for the message when it runs out. */
	timeoutMs?: number;
}

/** " [item N]" so every error names its item, unless the detail already does. */
function itemSuffix(text: string, itemIndex: number | undefined): string {
	return itemIndex === undefined || text.endsWith(`[item ${itemIndex}]`)
		? ''
		: ` [item ${itemIndex}]`;
}

function httpFailure(
	ctx: RequestContext,
	statusCode: number,
	body: unknown,
	headers: IDataObject | undefined,
	request: RequestSummary,
	apiKey: unknown,
): NodeApiError {
	const detail = redact(describeErrorBody(body), apiKey);
	const statusText = STATUS_TEXT[statusCode] ?? 'Error';
	let hint = '';
	if (statusCode === 401) {
		hint =
			" Check the API key and that the credential's region (US/EU) is the one where the key was created.";
	} else if (statusCode === 429) {
		hint = ' LlamaCloud rate-limits requests per project (for example 50 uploads per 5 seconds).';
	} else if (statusCode === 413) {
		hint = ' The file is larger than LlamaCloud accepts.';
	}
	// Only this NodeApiError's own, already redacted text: never the raw response (or request).
	const error = new NodeApiError(
		ctx.getNode(),
		{ status: statusCode, detail: detail || statusText } as JsonObject,
		{
			message: `LlamaCloud API error ${statusCode} ${statusText}${detail ? `: ${detail}` : ''}${itemSuffix(detail, request.itemIndex)}`,
			httpCode: String(statusCode),
			itemIndex: request.itemIndex,
		},
	);
	tag(error, {
		retryable: RETRYABLE_STATUS.has(statusCode),
		outcomeUnknown: MAYBE_APPLIED_STATUS.has(statusCode),
		lost: (what) => `A gateway answered ${statusCode} ${statusText} to ${what}`,
		waitHintMs: retryAfterMs(headers),
		hint,
	});
	describeRequest(error, request);
	return error;
}

/**
 * A 404 for lookups the API answers with an empty list (a file by unique ID): shaped like the
 * API's own 404 and tagged, so it is not retried and routed operations pass it through as is.
 */
export function notFoundError(
	ctx: RequestContext,
	detail: string,
	request: { method: string; path: string; itemIndex?: number },
): NodeApiError {
	return httpFailure(ctx, 404, { detail }, undefined, request, undefined);
}

/** Finds the network error code (ECONNRESET, ...) on an error or its causes. */
function networkCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.message === 'string' && /^timeout of \d+ms exceeded/i.test(current.message))
			return 'ETIMEDOUT';
		if (typeof current.code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(current.code)) {
			return current.code === 'ECONNABORTED' ? 'ETIMEDOUT' : current.code;
		}
		if (typeof current.message === 'string' && /socket hang up/i.test(current.message))
			return 'ECONNRESET';
		current = current.cause as typeof current;
	}
	return undefined;
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

function connectionFailure(
	ctx: RequestContext,
	error: unknown,
	request: RequestSummary,
	baseUrl: string,
	apiKey: unknown,
): NodeApiError | NodeOperationError {
	const code = networkCode(error);
	if (!code) {
		// Not a network failure (for example an error thrown by n8n itself): keep its message
		// only. The error itself stays behind: n8n's wraps the axios error, whose request
		// headers carry the API key.
		const message = redact(error instanceof Error ? error.message : String(error), apiKey);
		return new NodeOperationError(ctx.getNode(), message, { itemIndex: request.itemIndex });
	}
	const timedOut = code === 'ETIMEDOUT';
	// No error code in the message nor in the response: NodeApiError swaps a message that
	// mentions one for n8n's generic text ("consider setting Retry on Fail", ...).
	let message = `Could not reach LlamaCloud at ${baseUrl} (network error)`;
	let hint = ' No response arrived; the node retried where that was safe.';
	if (timedOut) {
		message = `LlamaCloud did not answer within ${seconds(request.timeoutMs ?? 0)}`;
		hint =
			' Raise "Timeout" in the node\'s Request Options (Settings) if LlamaCloud is slow to answer.';
	} else if (code === 'ECONNREFUSED') {
		message = `Could not connect to LlamaCloud at ${baseUrl}: the connection was refused`;
		hint = ' Nothing accepts connections there: check the base URL and its port.';
	} else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		message = `Could not connect to LlamaCloud at ${baseUrl}: the host name could not be resolved`;
		hint = " Check the credential's region or base URL for typos.";
	} else if (code === 'ECONNRESET' || code === 'EPIPE') {
		message = `The connection to LlamaCloud at ${baseUrl} dropped before an answer arrived`;
	}
	const failure = new NodeApiError(ctx.getNode(), { detail: message } as JsonObject, {
		message,
		itemIndex: request.itemIndex,
	});
	tag(failure, {
		// A host name that does not resolve will not resolve on the next try either.
		retryable: code !== 'ENOTFOUND',
		outcomeUnknown: !NOT_SENT_CODES.has(code),
		lost: timedOut
			? (what) => `LlamaCloud did not answer ${what} within ${seconds(request.timeoutMs ?? 0)}`
			: (what) => `The connection to LlamaCloud dropped after ${what} was sent`,
		hint: ` Network error ${code}.${hint}`,
	});
	describeRequest(failure, request);
	return failure;
}

// ---------------------------------------------------------------------------------------------
// Retry loop shared by programmatic and routed requests
// ---------------------------------------------------------------------------------------------

export interface RetryOptions {
	policy?: Partial<RetryPolicy>;
	/**
	 * Whether sending the request twice is harmless. When false (requests that create
	 * something), a failure with an unknown outcome is not repeated blindly: `reconcile` is
	 * asked whether the first attempt took effect, and without it the item fails clearly.
	 */
	idempotent?: boolean;
	/**
	 * Resolves with what the lost attempt created; `undefined` when it did not take effect (the
	 * request is sent again); `null` when that cannot be told (the item fails clearly).
	 */
	reconcile?: () => Promise<unknown>;
	itemIndex?: number;
	/** For messages: "POST /api/v1/...". */
	describe?: string;
}

type NodeFailure = NodeApiError | NodeOperationError;

/** Errors leave the retry loop as n8n errors, whatever threw them (their message only). */
function asNodeFailure(
	ctx: RequestContext,
	error: unknown,
	itemIndex: number | undefined,
): NodeFailure {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(
		ctx.getNode(),
		error instanceof Error ? error.message : String(error),
		{ itemIndex },
	);
}

function unknownOutcome(
	ctx: RequestContext,
	options: RetryOptions,
	failure: NodeFailure,
	checkFailed?: NodeFailure,
) {
	const item = options.itemIndex === undefined ? '' : ` [item ${options.itemIndex}]`;
	const what = options.describe ?? 'the request';
	const cause = failure.message;
	const lost = failureInfo(failure).lost?.(what) ?? `The answer to ${what} was lost`;
	return new NodeOperationError(
		ctx.getNode(),
		checkFailed
			? `It is unknown whether ${what} was applied: the answer was lost (${cause}) and checking failed (${checkFailed.message})${item}`
			: `${lost}, so it is unknown whether it was applied${item}`,
		{
			itemIndex: options.itemIndex,
			description: `${checkFailed ? '' : `${cause}. `}It was not sent again, to avoid creating a duplicate. Check in LlamaCloud whether it exists before re-running this item.`,
		},
	);
}

/** Why the loop gave up, appended to the description: "Tried 5 times, waiting 12.3 s in between. ..." */
function addAttempts(
	failure: NodeFailure,
	tries: number,
	waitedMs: number,
	reason: string,
): NodeFailure {
	const summary =
		tries > 1 ? ` Tried ${tries} times, waiting ${seconds(waitedMs)} in between.` : '';
	failure.description = `${failure.description ?? ''}${summary}${reason}`;
	return failure;
}

const RAISE_LIMITS =
	' Raise "Max Tries" or "Max Retry Wait (Seconds)" in the node\'s Request Options (Settings) to keep trying longer.';

async function withRetries<T>(
	ctx: RequestContext,
	attempt: () => Promise<T>,
	options: RetryOptions & { policy: RetryPolicy },
): Promise<T> {
	const { policy } = options;
	let waited = 0;
	for (let tries = 1; ; tries++) {
		let failure: NodeFailure;
		try {
			return await attempt();
		} catch (error) {
			failure = asNodeFailure(ctx, error, options.itemIndex);
		}
		const info = failureInfo(failure);
		if (info.outcomeUnknown && options.idempotent === false) {
			if (!options.reconcile) throw unknownOutcome(ctx, options, failure);
			let existing: unknown;
			let checkFailed: NodeFailure | undefined;
			try {
				existing = await options.reconcile();
			} catch (error) {
				checkFailed = asNodeFailure(ctx, error, options.itemIndex);
			}
			if (checkFailed || existing === null)
				throw unknownOutcome(ctx, options, failure, checkFailed);
			if (existing !== undefined) return existing as T;
			// Reconciliation showed the first attempt did not take effect: safe to send again.
		}
		if (!info.retryable) throw failure;
		if (tries >= policy.maxTries)
			throw addAttempts(failure, tries, waited, tries > 1 ? RAISE_LIMITS : '');
		const remaining = policy.maxWaitMs - waited;
		if (info.waitHintMs !== undefined && info.waitHintMs > remaining) {
			throw addAttempts(
				failure,
				tries,
				waited,
				` LlamaCloud asked to wait ${seconds(info.waitHintMs)} before trying again, longer than "Max Retry Wait (Seconds)" allows.`,
			);
		}
		if (remaining <= 0) throw addAttempts(failure, tries, waited, RAISE_LIMITS);
		if (cancelled(ctx)) throw failure;
		// A backoff longer than what is left of the budget is cut short: one more try beats none.
		const delay = Math.min(backoffMs(tries, policy, info.waitHintMs), remaining);
		waited += delay;
		await sleep(delay);
	}
}

function cancelled(ctx: RequestContext): boolean {
	const signal = (ctx as Partial<IExecuteFunctions>).getExecutionCancelSignal?.();
	return signal?.aborted === true;
}

// ---------------------------------------------------------------------------------------------
// Programmatic requests
// ---------------------------------------------------------------------------------------------

export interface ApiRequest extends RetryOptions {
	method: IHttpRequestMethods;
	/** Path from the origin, e.g. apiPath`/api/v1/beta/directories/${id}`. */
	path: string;
	qs?: IDataObject;
	/**
	 * A JSON body, or a function that builds a fresh body (a stream) for every attempt. A
	 * `Content-Length` header (uploads) extends the timeout by the body's transfer time.
	 */
	body?:
		| IHttpRequestOptions['body']
		| (() => IHttpRequestOptions['body'] | Promise<IHttpRequestOptions['body']>);
	headers?: IDataObject;
}

/** Credentials and resolved base URL for a context; a bad base URL becomes a NodeOperationError. */
export async function connection(
	ctx: RequestContext,
	itemIndex?: number,
): Promise<{ credentials: ICredentialDataDecryptedObject; baseUrl: string }> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const resolved = resolveBaseUrl(credentials);
	if ('problem' in resolved) {
		const item = itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
		throw new NodeOperationError(ctx.getNode(), `${resolved.problem}${item}`, { itemIndex });
	}
	return { credentials, baseUrl: resolved.url };
}

/** Refuses a path that URL parsing would send elsewhere (an ID that is empty, "." or ".."). */
function assertSafePath(ctx: RequestContext, path: string, itemIndex: number | undefined): void {
	const segment = unsafePathSegment(path);
	if (segment === undefined) return;
	const item = itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
	throw new NodeOperationError(
		ctx.getNode(),
		`An ID is ${segment === '' ? 'empty' : `"${segment}"`}, which would change the request path ${path}${item}`,
		{ itemIndex, description: 'IDs cannot be empty, "." or "..". Check the IDs this item uses.' },
	);
}

function contentLength(headers: IDataObject | undefined): number {
	const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === 'content-length');
	const n = key === undefined ? NaN : Number(headers?.[key]);
	return Number.isFinite(n) && n > 0 ? n : 0;
}

/** One API call with the package's retry policy; returns the parsed JSON body. */
export async function apiRequest<T = IDataObject>(
	this: RequestContext,
	request: ApiRequest,
): Promise<T> {
	assertSafePath(this, request.path, request.itemIndex);
	const { credentials, baseUrl } = await connection(this, request.itemIndex);
	const policy = retryPolicyFor(this, request.itemIndex, request.policy);
	const timeoutMs = effectiveTimeoutMs(policy, contentLength(request.headers));
	const summary: RequestSummary = {
		method: request.method,
		path: request.path,
		itemIndex: request.itemIndex,
		timeoutMs,
	};
	const idempotent = request.idempotent ?? request.method !== 'POST';

	const attempt = async (): Promise<T> => {
		const body = typeof request.body === 'function' ? await request.body() : request.body;
		const streamed =
			!!body && typeof body === 'object' && typeof (body as { pipe?: unknown }).pipe === 'function';
		const options: IHttpRequestOptions = {
			method: request.method,
			baseURL: baseUrl,
			url: request.path,
			qs: { ...scopeQuery(credentials), ...dropEmpty(request.qs) },
			headers: { Accept: 'application/json', ...request.headers },
			body,
			json: !streamed,
			// axios follows redirects through follow-redirects, which keeps every byte written so
			// it can replay the body: a streamed upload would end up in memory whole.
			disableFollowRedirect: streamed || undefined,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: timeoutMs,
		};
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				options,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			throw connectionFailure(this, error, summary, baseUrl, credentials.apiKey);
		}
		if (response.statusCode >= 400) {
			throw httpFailure(
				this,
				response.statusCode,
				response.body,
				response.headers,
				summary,
				credentials.apiKey,
			);
		}
		return parseBody(response.body) as T;
	};

	return await withRetries(this, attempt, {
		...request,
		idempotent,
		policy,
		describe: `${request.method} ${request.path}`,
	});
}

/** Pages of a cursor-paginated list, following next_page_token with every filter kept. */
export async function* paginate<T = IDataObject>(
	this: RequestContext,
	path: string,
	qs: IDataObject = {},
	options: { pageSize?: number; itemIndex?: number; policy?: Partial<RetryPolicy> } = {},
): AsyncGenerator<T[]> {
	let pageToken: string | undefined;
	do {
		const page = await apiRequest.call<RequestContext, [ApiRequest], Promise<ListPage<T>>>(this, {
			method: 'GET',
			path,
			qs: { ...qs, page_size: options.pageSize ?? MAX_PAGE_SIZE, page_token: pageToken },
			itemIndex: options.itemIndex,
			policy: options.policy,
		});
		yield page.items ?? [];
		pageToken = page.next_page_token || undefined;
	} while (pageToken);
}

export interface ListPage<T> {
	items: T[];
	next_page_token?: string | null;
	total_size?: number | null;
}

function dropEmpty(qs: IDataObject | undefined): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(qs ?? {})) {
		if (value !== undefined && value !== null && value !== '') out[key] = value;
	}
	return out;
}

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string') {
		if (body.trim() === '') return {};
		try {
			return JSON.parse(body);
		} catch {
			return body;
		}
	}
	return body ?? {};
}

// ---------------------------------------------------------------------------------------------
// Hooks for routed (declarative) operations
// ---------------------------------------------------------------------------------------------

/**
 * preSend of every routed operation: checks the base URL and the Request Options (bad ones
 * fail before any request, naming the item), adds the credential's scope, and asks for the
 * response whatever its status so that `checkRoutedResponse` can map errors.
 */
export async function prepareRoutedRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { credentials, baseUrl } = await connection(this, this.getItemIndex());
	requestSettings(this, this.getItemIndex());
	requestOptions.baseURL = baseUrl;
	requestOptions.qs = { ...dropEmpty(requestOptions.qs), ...scopeQuery(credentials) };
	requestOptions.ignoreHttpStatusErrors = true;
	requestOptions.json = true;
	return requestOptions;
}

/**
 * postReceive of every routed operation (first in its list): turns an error status into a
 * tailored NodeApiError; `routedAttempt` adds which request it was.
 */
export async function checkRoutedResponse(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	if (response.statusCode < 400) {
		// DELETE answers with an empty body; keep items well-formed for the next action.
		return items.map((item) =>
			item.json && typeof item.json === 'object' ? item : { ...item, json: {} },
		);
	}
	const credentials = await this.getCredentials(CREDENTIAL_TYPE, this.getItemIndex());
	const request = { method: '', path: '', itemIndex: this.getItemIndex() };
	throw httpFailure(
		this,
		response.statusCode,
		response.body,
		response.headers,
		request,
		credentials.apiKey,
	);
}

/**
 * For creates: finds what a POST whose answer was lost created, from the request routing
 * built. Resolves with it, `undefined` when it does not exist (sending again is safe) or `null`
 * when that cannot be told (the item fails clearly). Its result skips later postReceive actions.
 */
export type RoutedReconcile = (
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
) => Promise<IDataObject | null | undefined>;

async function routedAttempt(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	idempotent: boolean,
	reconcile?: RoutedReconcile,
): Promise<INodeExecutionData[]> {
	const { options } = requestData;
	const itemIndex = ctx.getItemIndex();
	const path = String(options.url ?? '');
	// The engine already applied "Timeout" (its default when unset) to options.timeout.
	const timeoutMs = Number(options.timeout) || DEFAULT_RETRY_POLICY.timeoutMs;
	const summary: RequestSummary = {
		method: String(options.method ?? 'GET'),
		path,
		itemIndex,
		timeoutMs,
	};
	assertSafePath(ctx, path, itemIndex);
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	return await withRetries(
		ctx,
		async () => {
			let failure: unknown;
			try {
				return await ctx.makeRoutingRequest(requestData);
			} catch (error) {
				failure = error;
			}
			if (isTagged(failure)) {
				describeRequest(failure, summary);
				throw failure;
			}
			if (failure instanceof NodeOperationError) throw failure;
			throw connectionFailure(
				ctx,
				failure,
				summary,
				String(options.baseURL ?? ''),
				credentials.apiKey,
			);
		},
		{
			policy: retryPolicyFor(ctx, itemIndex),
			idempotent,
			itemIndex,
			describe: `${summary.method} ${summary.path}`,
			reconcile:
				reconcile &&
				(async () => {
					const found = await reconcile.call(ctx, requestData);
					return found ? [{ json: found }] : found;
				}),
		},
	);
}

/**
 * `routing.operations.pagination` of routed single-object operations. The engine hands the
 * whole request to this function, which is the one place routing lets us add retries.
 */
export async function sendWithRetries(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const method = String(requestData.options.method ?? 'GET').toUpperCase();
	return pairWith(this, await routedAttempt(this, requestData, method !== 'POST'));
}

/** `sendWithRetries` for a create whose lost answer `reconcile` can recover (see RoutedReconcile). */
export function sendWithRetriesReconciled(reconcile: RoutedReconcile) {
	return async function (
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		return pairWith(this, await routedAttempt(this, requestData, false, reconcile));
	};
}

/** RoutingNode sets no pairedItem; without it, one input item giving many outputs loses its link. */
function pairWith(ctx: IExecuteSingleFunctions, items: INodeExecutionData[]): INodeExecutionData[] {
	const pairedItem = { item: ctx.getItemIndex() };
	return items.map((item) => ({ ...item, pairedItem }));
}

/**
 * `routing.operations.pagination` of Get Many: follows next_page_token with every filter kept
 * on every page, and stops fetching once "Limit" items are in.
 */
export async function sendListWithRetries(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const limit = Number(requestData.maxResults ?? 0) || Infinity;
	const results: INodeExecutionData[] = [];
	const baseQs = { ...(requestData.options.qs ?? {}) };
	let pageToken: string | undefined;
	do {
		const pageSize = Math.min(MAX_PAGE_SIZE, limit - results.length);
		requestData.options.qs = {
			...baseQs,
			page_size: pageSize,
			...(pageToken ? { page_token: pageToken } : {}),
		};
		const [page] = await routedAttempt(this, requestData, true);
		const body = (page?.json ?? {}) as unknown as ListPage<IDataObject>;
		for (const json of body.items ?? []) {
			results.push({ json });
			if (results.length >= limit) break;
		}
		pageToken = body.next_page_token || undefined;
	} while (pageToken && results.length < limit);
	return pairWith(this, results);
}
