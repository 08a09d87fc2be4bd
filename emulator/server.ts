/**
 * The HTTP pipeline, in the order a request meets it:
 * record → fault (latency, status, reset) → route (404/405) → auth (401) → scope (404/403)
 * → handler → response validation → send (or reset, for faults "after processing").
 *
 * `/__emulator/health` sits outside this pipeline: no auth, no faults, not recorded.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, jsonDecodeError } from './errors';
import { isObserved, publishExchange, type ObservedExchange } from './exchanges';
import type { FaultController, FaultDecision } from './faults';
import type { RateLimiter } from './rateLimit';
import {
	parseInput,
	type ApiResponse,
	type AppContext,
	type Handler,
	type RecordedRequest,
	type RequestContext,
} from './http';
import { Router } from './router';
import { addBulkDeleteRoute } from './routes/bulkDelete';
import { addDirectoryRoutes } from './routes/directories';
import { addFileRoutes } from './routes/files';
import { addIndexRoutes } from './routes/indexes';
import { addProjectRoutes } from './routes/projects';
import { addRetrievalRoutes } from './routes/retrieval';
import { addStoredFileRoutes } from './routes/storedFiles';
import { REPEATABLE_QUERY_KEYS, ScopeQuery } from './schemas';
import { specValidator } from './spec/validator';
import { receiveMultipart, type MultipartForm } from './uploads';

export const HEALTH_PATH = '/__emulator/health';

const PROXY_502_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** What nginx answers for a body over `client_max_body_size` (the `proxy_413` variant). */
const PROXY_413_PAGE =
	'<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const FAULT_DETAIL: Record<number, string> = {
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

/** What a request sent beyond its record, kept for exchange listeners. */
interface Trace {
	body?: unknown;
	form?: MultipartForm['parts'];
	bodyRead: boolean;
}

export interface ServerSettings {
	apiKey: string;
	maxJsonBytes: number;
	validateResponses: boolean;
	requestLogSize: number;
	log: ((line: string) => void) | null;
	rateLimiter: RateLimiter;
}

export class EmulatorServer {
	readonly requests: RecordedRequest[] = [];
	private readonly router = new Router<Handler>();
	private readonly expectedAuth: Buffer;

	constructor(
		private readonly app: AppContext,
		private readonly faults: FaultController,
		private readonly settings: ServerSettings,
	) {
		this.expectedAuth = Buffer.from(`Bearer ${settings.apiKey}`);
		addProjectRoutes(this.router);
		addDirectoryRoutes(this.router);
		addFileRoutes(this.router);
		addBulkDeleteRoute(this.router);
		addIndexRoutes(this.router);
		addStoredFileRoutes(this.router);
		addRetrievalRoutes(this.router);
	}

	/** The node:http request listener. */
	readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
		this.handle(req, res).catch((error) => {
			this.settings.log?.(`emulator: unhandled error: ${String(error)}`);
			if (!res.headersSent)
				this.send(res, { status: 500, body: { detail: 'Internal Server Error' } });
			else res.destroy();
		});
	};

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const started = Date.now();
		const socket = req.socket; // kept: a finished request may no longer point to it
		const url = new URL(req.url ?? '/', 'http://emulator');
		const method = (req.method ?? 'GET').toUpperCase();
		// Date is the server's clock (RFC 9110 §6.6.1), the one that stamps updated_at: with an
		// injected clock node:http's own Date (the machine's) would contradict the timestamps.
		res.setHeader('date', new Date(this.app.store.now().ms).toUTCString());

		if (url.pathname === HEALTH_PATH) {
			await drain(req);
			this.send(res, { status: 200, body: { ok: true } });
			return;
		}

		const query = queryObject(url.searchParams);
		const record: RecordedRequest = {
			method,
			path: url.pathname,
			query,
			status: 0,
			at: this.app.store.now().iso,
		};
		this.remember(record);

		const decision = this.faults.decide(method, url.pathname);
		if (decision.latencyMs > 0) {
			record.fault = 'latency';
			await sleep(decision.latencyMs);
		}
		const action = decision.action;
		if (action?.kind === 'status') {
			record.fault = `status${action.status}`;
			await drain(req);
			record.status = action.status;
			this.sendFault(res, action);
			this.logLine(method, url.pathname, `${action.status} (injected)`, started);
			return;
		}
		if (action?.kind === 'reset' && action.when === 'before') {
			record.fault = 'resetBefore';
			await drain(req, action.readBytes);
			socket.destroy();
			this.logLine(method, url.pathname, 'reset before processing (injected)', started);
			return;
		}

		let response: ApiResponse;
		const trace: Trace = { bodyRead: false };
		try {
			response = await this.dispatch(req, method, url.pathname, query, record, trace);
		} catch (error) {
			if (socket.destroyed) {
				this.logLine(method, url.pathname, 'client went away', started);
				return; // nobody left to answer (e.g. an upload aborted mid-body)
			}
			response = this.errorResponse(error);
		}
		// A response sent before the body was read would meet a client still writing it.
		if (!req.complete) await drain(req);

		if (action?.kind === 'reset' && action.when === 'after') {
			record.fault = 'resetAfter';
			this.publish(req, url, record, trace, { status: 0 });
			socket.destroy();
			this.logLine(
				method,
				url.pathname,
				`reset after processing (would have been ${response.status}) (injected)`,
				started,
			);
			return;
		}
		response = this.validated(response, method, url.pathname);
		record.status = response.status;
		this.publish(req, url, record, trace, response);
		this.send(res, response);
		this.logLine(method, url.pathname, String(response.status), started);
	}

	private async dispatch(
		req: IncomingMessage,
		method: string,
		path: string,
		query: Record<string, string | string[]>,
		record: RecordedRequest,
		trace: Trace,
	): Promise<ApiResponse> {
		const route = this.router.match(method, path);
		this.authenticate(req);
		const scope = parseInput(ScopeQuery, query, 'query');
		// The projects endpoints take no project_id query parameter (unknown parameters are ignored).
		const projectScoped = !route.pattern.startsWith('/api/v1/projects');
		const project = this.app.store.resolveScope(
			projectScoped ? scope.project_id : undefined,
			scope.organization_id,
		);
		const verdict = this.settings.rateLimiter.check(method, path, project.id);
		if (!verdict.ok) {
			record.fault = 'rateLimit';
			// The `retryAfter: none` variant: a rate limit that does not say when to come back.
			const headers = { ...verdict.headers };
			if (this.app.quirks.retryAfter === 'none')
				for (const name of Object.keys(headers))
					if (name.toLowerCase().startsWith('retry-after')) delete headers[name];
			throw new HttpError(429, 'Too Many Requests', headers);
		}
		const ctx: RequestContext = {
			app: this.app,
			req,
			params: route.params,
			query,
			project,
			json: async () => {
				const body = await readJson(req, this.settings.maxJsonBytes);
				trace.bodyRead = true; // read and parsed (a body that fails to parse stays unchecked)
				record.body = body;
				trace.body = body;
				return body;
			},
			form: async (fileField) => {
				const form = await receiveMultipart(req, {
					fileField,
					tmpDir: this.app.tmpDir,
					maxBytes: this.app.maxUploadBytes,
					track: (upload) => this.app.store.trackUpload(upload),
				});
				record.fields = form.fields;
				trace.form = form.parts;
				trace.bodyRead = true;
				if (form.fileInfo) record.file = form.fileInfo;
				return form;
			},
		};
		return route.handler(ctx);
	}

	private authenticate(req: IncomingMessage): void {
		const given = Buffer.from(req.headers.authorization ?? '');
		// Constant-time compare; the 401 never repeats what was sent.
		if (given.length !== this.expectedAuth.length || !timingSafeEqual(given, this.expectedAuth)) {
			throw new HttpError(401, 'Invalid API key', { 'www-authenticate': 'Bearer' });
		}
	}

	private errorResponse(error: unknown): ApiResponse {
		if (error instanceof HttpError && error.reason === 'upload_too_large') {
			const variant = this.app.quirks.oversizeUpload;
			if (variant === 'proxy_413')
				return { status: 413, raw: { contentType: 'text/html', text: PROXY_413_PAGE } };
			if (variant === 'bad_request') return { status: 400, body: { detail: error.detail } };
		}
		if (error instanceof HttpError)
			return { status: error.status, body: { detail: error.detail }, headers: error.headers };
		this.settings.log?.(
			`emulator: handler error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
		);
		return { status: 500, body: { detail: 'Internal Server Error' } };
	}

	/** Hands the exchange to listeners (the test suites' spec check), if there are any. */
	private publish(
		req: IncomingMessage,
		url: URL,
		record: RecordedRequest,
		trace: Trace,
		response: Pick<ApiResponse, 'status' | 'body' | 'raw'>,
	): void {
		if (!isObserved()) return;
		const sentBody = trace.body !== undefined || trace.form !== undefined;
		const exchange: ObservedExchange = {
			emulator: `http://${req.headers.host ?? 'emulator'}`,
			method: record.method,
			path: url.pathname,
			query: [...url.searchParams],
			contentType: sentBody ? mediaType(req.headers['content-type']) : undefined,
			body: trace.body,
			form: trace.form,
			bodyRead: trace.bodyRead,
			status: response.status,
			responseBody: response.raw ? response.raw.text : response.body,
			responseContentType: response.raw
				? response.raw.contentType
				: response.body === undefined
					? undefined
					: 'application/json',
			fault: record.fault,
		};
		publishExchange(exchange);
	}

	/**
	 * In development every response is checked against the OpenAPI spec and its zod schema: an
	 * emulator bug becomes a loud 500.
	 */
	private validated(response: ApiResponse, method: string, path: string): ApiResponse {
		if (!this.settings.validateResponses || response.raw) return response;
		const body = sampleItems(response.body);
		const problems = specValidator().validateResponse({
			method,
			path,
			query: [],
			status: response.status,
			responseBody: body,
			responseContentType: body === undefined ? undefined : 'application/json',
		});
		const result = response.schema?.safeParse(body);
		if (result && !result.success)
			problems.push(...result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
		if (problems.length === 0) return response;
		const problem = problems.join('; ');
		this.settings.log?.(
			`emulator: response of ${method} ${path} does not match its schema: ${problem}`,
		);
		return {
			status: 500,
			body: { detail: `Emulator response failed schema validation: ${problem}` },
		};
	}

	private send(res: ServerResponse, response: ApiResponse): void {
		if (response.raw) {
			res.writeHead(response.status, {
				...response.headers,
				'content-type': response.raw.contentType,
				'content-length': Buffer.byteLength(response.raw.text),
			});
			res.end(response.raw.text);
			return;
		}
		if (response.status === 204 || response.body === undefined) {
			res.writeHead(response.status, response.headers);
			res.end();
			return;
		}
		const payload = JSON.stringify(response.body);
		res.writeHead(response.status, {
			...response.headers,
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(payload),
		});
		res.end(payload);
	}

	private sendFault(
		res: ServerResponse,
		action: Extract<FaultDecision['action'], { kind: 'status' }>,
	): void {
		const headers: Record<string, string | number> = {};
		const retryAfter = action.retryAfterSeconds;
		// The `retryAfter: none` variant: rate limits that do not say when to come back.
		const omit = action.status === 429 && this.app.quirks.retryAfter === 'none';
		if (retryAfter !== undefined && !omit) headers['retry-after'] = String(retryAfter);
		let body = action.body;
		let contentType = action.contentType;
		if (body === undefined && action.status === 502) {
			body = PROXY_502_PAGE;
			contentType ??= 'text/html';
		}
		body ??= JSON.stringify({ detail: FAULT_DETAIL[action.status] ?? 'Injected fault' });
		headers['content-type'] = contentType ?? 'application/json';
		headers['content-length'] = Buffer.byteLength(body);
		res.writeHead(action.status, headers);
		res.end(body);
	}

	private remember(record: RecordedRequest): void {
		this.requests.push(record);
		if (this.requests.length > this.settings.requestLogSize)
			this.requests.splice(0, this.requests.length - this.settings.requestLogSize);
	}

	private logLine(method: string, path: string, outcome: string, started: number): void {
		this.settings.log?.(`${method} ${path} → ${outcome} (${Date.now() - started} ms)`);
	}
}

/**
 * A list page with its items cut to the first and last few: every item comes from the same
 * serializer, so a sample catches schema drift, and a 1000-item page is not checked 1000 times.
 */
function sampleItems(body: unknown): unknown {
	const items = (body as { items?: unknown } | null)?.items;
	if (!Array.isArray(items) || items.length <= 20) return body;
	return { ...(body as object), items: [...items.slice(0, 10), ...items.slice(-10)] };
}

/**
 * Query parameters. Empty values are kept: `?name=` filters on the empty name, as on the real
 * service (and `project_id=` is a 422), it does not mean "no filter".
 */
function queryObject(params: URLSearchParams): Record<string, string | string[]> {
	const query: Record<string, string | string[]> = {};
	for (const key of new Set(params.keys())) {
		const values = params.getAll(key);
		query[key] = REPEATABLE_QUERY_KEYS.has(key) ? values : values[values.length - 1];
	}
	return query;
}

async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	let tooLarge = false;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > maxBytes)
			tooLarge = true; // keep reading (and dropping) so the client gets the 413
		else chunks.push(chunk);
	}
	if (tooLarge) throw new HttpError(413, `Request body too large: the limit is ${maxBytes} bytes`);
	const text = Buffer.concat(chunks).toString('utf8');
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text);
	} catch (error) {
		throw jsonDecodeError(error);
	}
}

/** Reads and discards the body (up to `limit` bytes when given, then pauses it). */
function drain(req: IncomingMessage, limit = Infinity): Promise<void> {
	if (req.complete || req.destroyed) return Promise.resolve();
	return new Promise((resolve) => {
		let seen = 0;
		const finish = () => {
			req.off('data', onData);
			req.off('end', finish);
			req.off('close', finish);
			resolve();
		};
		const onData = (chunk: Buffer) => {
			seen += chunk.length;
			if (seen >= limit) {
				req.pause();
				finish();
			}
		};
		req.on('data', onData);
		req.on('end', finish);
		req.on('close', finish); // the client went away: nothing left to drain
	});
}

/** `multipart/form-data; boundary=…` → `multipart/form-data`. */
function mediaType(header: string | undefined): string | undefined {
	return header?.split(';')[0].trim().toLowerCase() || undefined;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
