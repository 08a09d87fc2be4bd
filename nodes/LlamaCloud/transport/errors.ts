/**
 * Errors that reach the user: the API's own explanation, the HTTP status, which request of
 * which item failed, what to do about it, and never the API key. Each is tagged with what it
 * means for a retry (retry.ts).
 */
import type { IDataObject, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { RequestContext } from './connection';
import { failureInfo, retryAfterMs, seconds, tag } from './retry';

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

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	// LlamaCloud answers 402 when the plan has run out of credits (its docs): never retried.
	402: 'Payment Required (out of credits)',
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

export interface RequestSummary {
	method: string;
	/** The origin the request went to, for messages. */
	baseUrl?: string;
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

export function httpFailure(
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
	} else if (statusCode === 402) {
		hint =
			' The LlamaCloud plan of this project has run out of credits: add credits or upgrade the plan, then run again. Retrying does not help.';
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

/**
 * TLS failures: the handshake failed, so nothing was sent. Node names them by OpenSSL's codes
 * (no "E" prefix) or as ERR_TLS_*; each maps to what is wrong with the certificate.
 */
const TLS_FAILURES: Record<string, string> = {
	DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
	SELF_SIGNED_CERT_IN_CHAIN: 'it is signed by a self-signed CA',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not a trusted CA',
	UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not a trusted CA',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not a trusted CA',
	CERT_UNTRUSTED: 'it is not trusted',
	CERT_HAS_EXPIRED: 'it has expired',
	CERT_NOT_YET_VALID: 'it is not valid yet',
	ERR_TLS_CERT_ALTNAME_INVALID: 'it was issued for another host name',
};

/** Finds the network or TLS error code (ECONNRESET, DEPTH_ZERO_SELF_SIGNED_CERT, ...) on an error or its causes. */
function networkCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.message === 'string' && /^timeout of \d+ms exceeded/i.test(current.message))
			return 'ETIMEDOUT';
		if (typeof current.code === 'string' && current.code in TLS_FAILURES) return current.code;
		if (typeof current.code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(current.code)) {
			return current.code === 'ECONNABORTED' ? 'ETIMEDOUT' : current.code;
		}
		if (typeof current.message === 'string' && /socket hang up/i.test(current.message))
			return 'ECONNRESET';
		current = current.cause as typeof current;
	}
	return undefined;
}

const IGNORE_SSL_HINT =
	' If you trust this server, turn on "Ignore SSL Issues (Insecure)" in the node\'s Settings (Request Options), or make n8n trust its CA (NODE_EXTRA_CA_CERTS).';

export function connectionFailure(
	ctx: RequestContext,
	error: unknown,
	request: RequestSummary,
	apiKey: unknown,
): NodeApiError | NodeOperationError {
	const baseUrl = request.baseUrl ?? '';
	const code = networkCode(error);
	if (!code) {
		// Not a network failure (for example an error thrown by n8n itself): keep its message
		// only. The error itself stays behind: n8n's wraps the axios error, whose request
		// headers carry the API key.
		const message = redact(error instanceof Error ? error.message : String(error), apiKey);
		return new NodeOperationError(ctx.getNode(), message, {
			itemIndex: request.itemIndex,
			description: `${requestLine(request)}.`,
		});
	}
	const timedOut = code === 'ETIMEDOUT';
	const tls = TLS_FAILURES[code];
	// No error code in the message nor in the response: NodeApiError swaps a message that
	// mentions one for n8n's generic text ("consider setting Retry on Fail", ...).
	let message = `Could not reach LlamaCloud at ${baseUrl} (network error)`;
	let hint = ' No response arrived; the node retried where that was safe.';
	if (tls) {
		message = `Could not connect to LlamaCloud at ${baseUrl}: its TLS certificate is refused (${tls})`;
		hint = IGNORE_SSL_HINT;
	} else if (timedOut) {
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
	if (request.itemIndex !== undefined) message += ` [item ${request.itemIndex}]`;
	const failure = new NodeApiError(ctx.getNode(), { detail: message } as JsonObject, {
		message,
		itemIndex: request.itemIndex,
	});
	tag(failure, {
		// A host name that does not resolve, or a certificate refused, stays so on the next try.
		retryable: code !== 'ENOTFOUND' && !tls,
		outcomeUnknown: !tls && !NOT_SENT_CODES.has(code),
		lost: timedOut
			? (what) => `LlamaCloud did not answer ${what} within ${seconds(request.timeoutMs ?? 0)}`
			: (what) => `The connection to LlamaCloud dropped after ${what} was sent`,
		hint: ` ${tls ? 'TLS' : 'Network'} error ${code}.${hint}`,
	});
	describeRequest(failure, request);
	return failure;
}

/** "GET https://api.cloud.llamaindex.ai/api/v1/...": the request, with where it went. */
function requestLine(request: RequestSummary): string {
	return `${request.method} ${request.baseUrl ?? ''}${request.path}`;
}

/**
 * "GET https://…/api/v1/... . <hint>": which request failed, for the error's description. The
 * item is not repeated here: the message names it, and n8n's error panel shows it too.
 */
export function describeRequest(error: NodeApiError, request: RequestSummary): void {
	error.description = `${requestLine(request)}.${failureInfo(error).hint}`;
}

/**
 * The item continue-on-fail puts out for a failed input item: the message and, as `details`,
 * the description (which request, what to do). No `error` property: n8n would then replace the
 * JSON by the message alone. `error` and `details` are keys n8n routes to an error output.
 */
export function errorItem(error: unknown, itemIndex: number): INodeExecutionData {
	const { message, description } = error as { message?: unknown; description?: unknown };
	const details = typeof description === 'string' && description.trim() ? description : undefined;
	return {
		json: { error: String(message ?? error), ...(details ? { details } : {}) },
		pairedItem: { item: itemIndex },
	};
}
