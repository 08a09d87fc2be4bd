/**
 * Errors that reach the user: the API's own explanation, the HTTP status, which request of
 * which item failed, what to do about it, and never the API key. Each is tagged with what it
 * means for a retry (retry.ts).
 */
import type { IDataObject, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { RequestContext } from './connection';
import { DeadlineExceeded } from './deadline';
import { failureInfo, retryAfterMs, seconds, tag } from './retry';

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Statuses after which the server may have done the work all the same (it failed, or a proxy
 * answered, after the request arrived). A later 409 of the same upload can be its own file.
 */
const MAYBE_DONE_STATUS = new Set([408, 500, 502, 503, 504]);

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

/** The forms of a stored key to take out: as stored, and trimmed (which is what is sent). */
function secretForms(secret: unknown): string[] {
	const value = typeof secret === 'string' ? secret : '';
	return [...new Set([value, value.trim()])]
		.filter((form) => form.length >= 4)
		.sort((a, b) => b.length - a.length);
}

/** Removes a secret from text that will reach the user (error messages, descriptions). */
export function redact(text: string, secret: unknown): string {
	let out = text;
	for (const form of secretForms(secret)) out = out.split(form).join('[redacted]');
	return out;
}

/** `redact` over every string (keys included) of a parsed answer, whatever the server echoes. */
export function redactValue(value: unknown, secret: unknown): unknown {
	if (secretForms(secret).length === 0) return value;
	if (typeof value === 'string') return redact(value, secret);
	if (Array.isArray(value)) return value.map((entry) => redactValue(entry, secret));
	if (value === null || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value)) {
		// defineProperty: a key such as "__proto__" stays an ordinary key.
		Object.defineProperty(out, redact(key, secret), {
			value: redactValue(entry, secret),
			enumerable: true,
			writable: true,
			configurable: true,
		});
	}
	return out;
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
		mayHaveApplied: MAYBE_DONE_STATUS.has(statusCode),
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
		if (current instanceof DeadlineExceeded) return 'ETIMEDOUT';
		if (typeof current.message === 'string' && /^timeout of \d+ms exceeded/i.test(current.message))
			return 'ETIMEDOUT';
		if (typeof current.code === 'string' && current.code in TLS_FAILURES) return current.code;
		// Node's HTTP parser: the bytes that came back are not an HTTP response.
		if (typeof current.code === 'string' && /^HPE_/.test(current.code)) return current.code;
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
		const text = redact(error instanceof Error ? error.message : String(error), apiKey);
		const message = `${text}${itemSuffix(text, request.itemIndex)}`;
		return new NodeOperationError(ctx.getNode(), message, {
			itemIndex: request.itemIndex,
			description: `${requestLine(request)}.`,
		});
	}
	if (code === 'ERR_CANCELED') {
		const message = `The request was cancelled: the execution was stopped${itemSuffix('', request.itemIndex)}`;
		return new NodeOperationError(ctx.getNode(), message, { itemIndex: request.itemIndex });
	}
	const timedOut = code === 'ETIMEDOUT';
	const tls = TLS_FAILURES[code];
	const notHttp = code.startsWith('HPE_');
	// No error code in the message nor in the response: NodeApiError swaps a message that
	// mentions one for n8n's generic text ("consider setting Retry on Fail", ...).
	let message = `Could not reach LlamaCloud at ${baseUrl} (network error)`;
	let hint = ' No response arrived; the node retried where that was safe.';
	if (tls) {
		message = `Could not connect to LlamaCloud at ${baseUrl}: its TLS certificate is refused (${tls})`;
		hint = IGNORE_SSL_HINT;
	} else if (timedOut) {
		// Our own deadline (the body stalled or trickled) or n8n's (no headers in time).
		message = `LlamaCloud did not ${answering(error) ? 'finish answering' : 'answer'} within ${seconds(request.timeoutMs ?? 0)}`;
		hint =
			' Raise "Timeout" in the node\'s Request Options (Settings) if LlamaCloud is slow to answer.';
	} else if (notHttp) {
		const reason = redact(parserReason(error), apiKey);
		message = `The server at ${baseUrl} did not answer in HTTP (${reason})`;
		hint =
			" Whatever listens there is not the LlamaCloud API (or speaks HTTPS where http:// was given). Check the credential's Base URL.";
	} else if (code === 'ECONNREFUSED') {
		message = `Could not connect to LlamaCloud at ${baseUrl}: the connection was refused`;
		hint = ' Nothing accepts connections there: check the base URL and its port.';
	} else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		message = `Could not connect to LlamaCloud at ${baseUrl}: the host name could not be resolved`;
		hint = " Check the credential's region or base URL for typos.";
	} else if (code === 'ECONNRESET' || code === 'EPIPE') {
		message = `The connection to LlamaCloud at ${baseUrl} dropped before an answer arrived`;
	}
	message += itemSuffix(message, request.itemIndex);
	const failure = new NodeApiError(ctx.getNode(), { detail: message } as JsonObject, {
		message,
		itemIndex: request.itemIndex,
	});
	tag(failure, {
		// A host name that does not resolve, a certificate refused, a server that does not speak
		// HTTP: each stays so on the next try.
		retryable: code !== 'ENOTFOUND' && !tls && !notHttp,
		outcomeUnknown: !tls && !notHttp && !NOT_SENT_CODES.has(code),
		mayHaveApplied: !tls && !notHttp && !NOT_SENT_CODES.has(code),
		lost: timedOut
			? (what) => `LlamaCloud did not answer ${what} within ${seconds(request.timeoutMs ?? 0)}`
			: (what) => `The connection to LlamaCloud dropped after ${what} was sent`,
		hint: ` ${tls ? 'TLS' : 'Network'} error ${code}.${hint}`,
	});
	describeRequest(failure, request);
	return failure;
}

/** Time ran out while the answer was arriving (a stalled or trickling body). */
function answering(error: unknown): boolean {
	let current = error as { cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (current instanceof DeadlineExceeded) return current.answering;
		current = current.cause as typeof current;
	}
	return false;
}

/** The HTTP parser's own words ("Expected HTTP/"), without its "Parse Error: " prefix. */
function parserReason(error: unknown): string {
	let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && current.code.startsWith('HPE_')) {
			const text = typeof current.message === 'string' ? current.message : current.code;
			return text.replace(/^Parse Error:\s*/i, '').slice(0, 120);
		}
		current = current.cause as typeof current;
	}
	return 'unreadable answer';
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
