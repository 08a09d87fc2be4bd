/**
 * One programmatic API call (uploads, lookups, list searches, the trigger, sync-and-wait): the
 * credential's base URL and scope, the caller's retry policy, a timeout that allows for the
 * body's transfer, errors mapped and redacted. Routed operations go through routing.ts instead.
 */
import type {
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { connection, CREDENTIAL_TYPE, type RequestContext, scopeQuery } from './connection';
import {
	cancelSignalOf,
	contextWithDeadline,
	Deadline,
	DeadlineExceeded,
	readBody,
} from './deadline';
import { connectionFailure, httpFailure, type RequestSummary } from './errors';
import { assertSafePath } from './path';
import { isUploadRequest, uploadBudget } from './rateBudget';
import { checkedAnswer, type Expected, redirectFailure } from './response';
import { effectiveTimeoutMs, retryAfterMs, type RetryOptions, withRetries } from './retry';

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
	/** Called with the headers of the answer that succeeded (e.g. its `Date`, the server's clock). */
	onHeaders?: (headers: IDataObject) => void;
	/** The shape the answer must have (response.ts); default an object (a delete: nothing or one). */
	expect?: Expected;
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
	const { policy } = request;
	const timeoutMs = effectiveTimeoutMs(policy, contentLength(request.headers));
	const summary: RequestSummary = {
		method: request.method,
		baseUrl,
		path: request.path,
		itemIndex: request.itemIndex,
		timeoutMs,
	};
	const idempotent = request.idempotent ?? request.method !== 'POST';
	// Uploads pace themselves to LlamaCloud's upload rate limit (rateBudget.ts).
	const budget =
		policy.uploadRateLimit > 0 && isUploadRequest(request.method, request.path)
			? uploadBudget(baseUrl, credentials, policy.uploadRateLimit)
			: undefined;

	const expected = request.expect ?? (request.method === 'DELETE' ? 'nothingOrObject' : 'object');

	const send = async (): Promise<T> => {
		// The deadline starts once the rate budget lets the request go.
		const deadline = new Deadline(timeoutMs, cancelSignalOf(this));
		const built = typeof request.body === 'function' ? await request.body() : request.body;
		const { body, headers } = jsonAsText(built, request.headers);
		const options: IHttpRequestOptions = {
			method: request.method,
			baseURL: baseUrl,
			url: request.path,
			qs: { ...scopeQuery(credentials), ...dropEmpty(request.qs) },
			headers: { Accept: 'application/json', ...headers },
			body,
			json: false,
			// No redirect is followed: the key goes to the credential's origin only (response.ts).
			// (follow-redirects would also keep a streamed upload's every byte to replay it.)
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			// The body is read here, within the attempt's deadline (deadline.ts).
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// Repeatable query parameters as the API reads them: types=a&types=b.
			arrayFormat: 'repeat',
			timeout: timeoutMs,
			// Routing applies these to routed requests; these requests get the same.
			skipSslCertificateValidation: policy.skipSslCertificateValidation || undefined,
			proxy: policy.proxy,
		};
		let response: IN8nHttpFullResponse | undefined;
		let bytes: Buffer;
		try {
			// The deadline's signal reaches the HTTP client through the context (deadline.ts).
			response = (await this.helpers.httpRequestWithAuthentication.call(
				contextWithDeadline(this, deadline),
				CREDENTIAL_TYPE,
				options,
			)) as IN8nHttpFullResponse;
			bytes = await readBody(response.body, deadline);
		} catch (error) {
			const cause = deadline.expired ? new DeadlineExceeded(timeoutMs, !!response) : error;
			throw connectionFailure(this, cause, summary, credentials.apiKey);
		}
		const status = response.statusCode;
		if (status === 429) budget?.throttled(retryAfterMs(response.headers));
		else if (status < 400) budget?.succeeded();
		if (status >= 300 && status < 400) {
			throw redirectFailure(this, status, response.headers?.location, baseUrl, summary);
		}
		if (status >= 400) {
			throw httpFailure(this, status, bytes, response.headers, summary, credentials.apiKey);
		}
		// 204 No Content carries no body by definition (a bulk delete answers so).
		const shape = status === 204 && expected === 'object' ? 'nothingOrObject' : expected;
		const answer = checkedAnswer(this, bytes, shape, summary, status, credentials.apiKey);
		request.onHeaders?.(response.headers ?? {});
		return answer as T;
	};

	const attempt = async (): Promise<T> => {
		// The budget counts an upload from when its answer is in (rateBudget.ts).
		const answered = await budget?.take();
		try {
			return await send();
		} finally {
			answered?.();
		}
	};
	return await withRetries(this, attempt, {
		...request,
		idempotent,
		describe: `${request.method} ${request.path}`,
	});
}

export function dropEmpty(qs: IDataObject | undefined): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(qs ?? {})) {
		if (value !== undefined && value !== null && value !== '') out[key] = value;
	}
	return out;
}

/**
 * A JSON object body as JSON text. axios copies a plain-object body key by key and leaves out
 * "__proto__", "constructor" and "prototype" (its prototype-pollution guard): metadata keys
 * the user chose would vanish on the way. Streams, buffers and text go as they are.
 */
export function jsonAsText(
	body: IHttpRequestOptions['body'],
	headers: IDataObject | undefined,
): { body: IHttpRequestOptions['body']; headers: IDataObject } {
	const isPlainObject =
		!!body &&
		typeof body === 'object' &&
		!Buffer.isBuffer(body) &&
		typeof (body as { pipe?: unknown }).pipe !== 'function' &&
		!(body instanceof URLSearchParams);
	if (!isPlainObject || Object.keys(body as object).length === 0) {
		return { body, headers: { ...headers } };
	}
	const rest = Object.fromEntries(
		Object.entries(headers ?? {}).filter(([key]) => key.toLowerCase() !== 'content-type'),
	);
	return {
		body: JSON.stringify(body),
		headers: { ...rest, 'Content-Type': 'application/json' },
	};
}
