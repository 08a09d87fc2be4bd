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
export function resolveBaseUrl(credentials: ICredentialDataDecryptedObject): { url: string } | { problem: string } {
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
	if (url.pathname !== '/' && url.pathname !== '') return problem(`"${value}" must not contain a path. ${hint}`);
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

/** `/a/${id}/b` with every interpolated value percent-encoded, so an ID can never change the route. */
export function apiPath(strings: TemplateStringsArray, ...values: unknown[]): string {
	return strings.reduce((path, part, i) => {
		const value = i < values.length ? encodeURIComponent(String(values[i])) : '';
		return path + part + value;
	}, '');
}

// ---------------------------------------------------------------------------------------------
// Retry policy
// ---------------------------------------------------------------------------------------------

export interface RetryPolicy {
	/** Attempts in all, the first included. */
	maxTries: number;
	/** Upper bound on the time spent waiting between attempts, in ms. */
	maxWaitMs: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Per-request timeout, in ms. */
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxTries: 5,
	maxWaitMs: 60_000,
	baseDelayMs: 500,
	maxDelayMs: 16_000,
	timeoutMs: 60_000,
};

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Network errors where the request never left this machine; any other may have reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Delay the server asked for: `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(headers: IDataObject | undefined, now = Date.now()): number | undefined {
	if (!headers) return undefined;
	const get = (name: string) => {
		const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
		const value = key === undefined ? undefined : headers[key];
		return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
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

/** Exponential backoff with full jitter, unless the server said how long to wait. */
export function backoffMs(attempt: number, policy: RetryPolicy, serverHintMs?: number): number {
	if (serverHintMs !== undefined) return Math.min(serverHintMs, policy.maxWaitMs);
	const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(cap / 2 + (Math.random() * cap) / 2);
}

/** What a failed attempt means for the next one. */
interface FailureInfo {
	retryable: boolean;
	/** The request may have been applied although no response came back. */
	outcomeUnknown: boolean;
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
		const detail = (body as IDataObject).detail ?? (body as IDataObject).message ?? (body as IDataObject).error;
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
		hint = " Check the API key and that the credential's region (US/EU) is the one where the key was created.";
	} else if (statusCode === 429) {
		hint = ' LlamaCloud rate limits requests per project; the node already retried with backoff.';
	} else if (statusCode === 413) {
		hint = ' The file is larger than LlamaCloud accepts.';
	}
	const error = new NodeApiError(
		ctx.getNode(),
		{ status: statusCode, detail: detail || statusText } as JsonObject,
		{
			message: `LlamaCloud API error ${statusCode} ${statusText}${detail ? `: ${detail}` : ''}`,
			httpCode: String(statusCode),
			itemIndex: request.itemIndex,
		},
	);
	tag(error, {
		retryable: RETRYABLE_STATUS.has(statusCode),
		outcomeUnknown: false,
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
		if (typeof current.code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(current.code)) return current.code;
		if (typeof current.message === 'string' && /socket hang up/i.test(current.message)) return 'ECONNRESET';
		current = current.cause as typeof current;
	}
	return undefined;
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
		// Not a network failure (for example an error thrown by n8n itself): keep its message.
		const message = redact(error instanceof Error ? error.message : String(error), apiKey);
		return new NodeOperationError(ctx.getNode(), message, { itemIndex: request.itemIndex });
	}
	const message = `Could not reach LlamaCloud at ${baseUrl} (${code})`;
	const failure = new NodeApiError(ctx.getNode(), { code, detail: message } as JsonObject, {
		message,
		itemIndex: request.itemIndex,
	});
	tag(failure, {
		// A host name that does not resolve will not resolve on the next try either.
		retryable: code !== 'ENOTFOUND',
		outcomeUnknown: !NOT_SENT_CODES.has(code),
		hint:
			code === 'ENOTFOUND'
				? ' Check the base URL for typos.'
				: ' No response arrived; the node retried where that was safe.',
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
	reconcile?: () => Promise<unknown | undefined>;
	itemIndex?: number;
	/** For messages: "POST /api/v1/...". */
	describe?: string;
}

type NodeFailure = NodeApiError | NodeOperationError;

/** Errors leave the retry loop as n8n errors, whatever threw them. */
function asNodeFailure(ctx: RequestContext, error: unknown): NodeFailure {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error));
}

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
			failure = asNodeFailure(ctx, error);
		}
		const info = failureInfo(failure);
		if (info.outcomeUnknown && options.idempotent === false) {
			if (!options.reconcile) {
				throw new NodeOperationError(
					ctx.getNode(),
					`The connection to LlamaCloud dropped after ${options.describe ?? 'the request'} was sent, so it is unknown whether it was applied`,
					{
						itemIndex: options.itemIndex,
						description:
							'It was not sent again, to avoid creating a duplicate. Check in LlamaCloud whether it exists before re-running this item.',
					},
				);
			}
			const existing = await options.reconcile();
			if (existing !== undefined) return existing as T;
			// Reconciliation showed the first attempt did not take effect: safe to send again.
		}
		if (!info.retryable || tries >= policy.maxTries) throw failure;
		const delay = backoffMs(tries, policy, info.waitHintMs);
		if (waited + delay > policy.maxWaitMs) throw failure;
		waited += delay;
		await sleep(delay);
	}
}

// ---------------------------------------------------------------------------------------------
// Programmatic requests
// ---------------------------------------------------------------------------------------------

export interface ApiRequest extends RetryOptions {
	method: IHttpRequestMethods;
	/** Path from the origin, e.g. apiPath`/api/v1/beta/directories/${id}`. */
	path: string;
	qs?: IDataObject;
	/** A JSON body, or a function that builds a fresh body (a stream) for every attempt. */
	body?: IHttpRequestOptions['body'] | (() => IHttpRequestOptions['body'] | Promise<IHttpRequestOptions['body']>);
	headers?: IDataObject;
}

/** Credentials and resolved base URL for a context; a bad base URL becomes a NodeOperationError. */
export async function connection(
	ctx: RequestContext,
	itemIndex?: number,
): Promise<{ credentials: ICredentialDataDecryptedObject; baseUrl: string }> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const resolved = resolveBaseUrl(credentials);
	if ('problem' in resolved) throw new NodeOperationError(ctx.getNode(), resolved.problem, { itemIndex });
	return { credentials, baseUrl: resolved.url };
}

/** One API call with the package's retry policy; returns the parsed JSON body. */
export async function apiRequest<T = IDataObject>(this: RequestContext, request: ApiRequest): Promise<T> {
	const { credentials, baseUrl } = await connection(this, request.itemIndex);
	const policy = { ...DEFAULT_RETRY_POLICY, ...request.policy };
	const summary: RequestSummary = { method: request.method, path: request.path, itemIndex: request.itemIndex };
	const idempotent = request.idempotent ?? request.method !== 'POST';

	const attempt = async (): Promise<T> => {
		const body = typeof request.body === 'function' ? await request.body() : request.body;
		const streamed = !!body && typeof body === 'object' && typeof (body as { pipe?: unknown }).pipe === 'function';
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
			timeout: policy.timeoutMs,
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
			throw httpFailure(this, response.statusCode, response.body, response.headers, summary, credentials.apiKey);
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
 * preSend of every routed operation: checks the base URL (a bad one fails before any request,
 * naming the item), adds the credential's scope, and asks for the response whatever its status
 * so that `checkRoutedResponse` can map errors.
 */
export async function prepareRoutedRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { credentials, baseUrl } = await connection(this, this.getItemIndex());
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
		return items.map((item) => (item.json && typeof item.json === 'object' ? item : { ...item, json: {} }));
	}
	const credentials = await this.getCredentials(CREDENTIAL_TYPE, this.getItemIndex());
	const request = { method: '', path: '', itemIndex: this.getItemIndex() };
	throw httpFailure(this, response.statusCode, response.body, response.headers, request, credentials.apiKey);
}

async function routedAttempt(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	idempotent: boolean,
): Promise<INodeExecutionData[]> {
	const { options } = requestData;
	const itemIndex = ctx.getItemIndex();
	const summary: RequestSummary = { method: String(options.method ?? 'GET'), path: String(options.url ?? ''), itemIndex };
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
			throw connectionFailure(ctx, failure, summary, String(options.baseURL ?? ''), credentials.apiKey);
		},
		{ policy: DEFAULT_RETRY_POLICY, idempotent, itemIndex, describe: `${summary.method} ${summary.path}` },
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
		requestData.options.qs = { ...baseQs, page_size: pageSize, ...(pageToken ? { page_token: pageToken } : {}) };
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
