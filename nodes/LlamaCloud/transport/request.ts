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
import { connectionFailure, httpFailure, type RequestSummary } from './errors';
import { assertSafePath } from './path';
import { isUploadRequest, uploadBudget } from './rateBudget';
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

	const send = async (): Promise<T> => {
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
			// Repeatable query parameters as the API reads them: types=a&types=b.
			arrayFormat: 'repeat',
			timeout: timeoutMs,
			// Routing applies these to routed requests; these requests get the same.
			skipSslCertificateValidation: policy.skipSslCertificateValidation || undefined,
			proxy: policy.proxy,
		};
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				options,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			throw connectionFailure(this, error, summary, credentials.apiKey);
		}
		if (response.statusCode === 429) budget?.throttled(retryAfterMs(response.headers));
		else if (response.statusCode < 400) budget?.succeeded();
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
		request.onHeaders?.(response.headers ?? {});
		return parseBody(response.body) as T;
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
