/**
 * A small hostile HTTP server for the answers the emulator should never give: a 200 whose body
 * is an HTML login page, truncated JSON, `null`, a bare array, a list that repeats its
 * next_page_token, a redirect to another origin, a body that stalls or trickles after the
 * headers, bytes that are not HTTP at all, a server that ignores a list filter.
 *
 * It stands where the API's origin would be. Requests no rule claims are forwarded to an
 * upstream (the emulator), so a test can break exactly one answer of a real workflow. Every
 * request is kept in `requests` (headers included: the tests check where the key went).
 *
 *   const hostile = await startHostileServer({ upstream: emulator.url });
 *   hostile.on({ method: 'GET', path: /\/directories$/ }, { status: 200, html: '<html>…' });
 *
 * Bounded by design: a rule answers `times` requests at most, trickles and stalls end when the
 * client goes away or the server closes, and `close()` ends every open connection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { record } from '../../harness/engine/records';

export interface ReceivedRequest {
	method: string;
	/** Path as sent, without the query. */
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	/** The request body as received (bytes). */
	body: Buffer;
	/** The bearer token the request carried, if any (trimmed). */
	bearer?: string;
}

/** What the server answers to one request. */
export type Answer =
	/** Any status with a JSON body (`json` is serialized as is: `null` and arrays included). */
	| { status?: number; json: unknown; headers?: Record<string, string> }
	/** Any status with a raw body and content type (HTML pages, truncated JSON, plain text). */
	| {
			status?: number;
			body: string | Buffer;
			contentType?: string;
			headers?: Record<string, string>;
	  }
	/** A redirect to `location` (absolute URL or path). */
	| { redirect: string; status?: 301 | 302 | 303 | 307 | 308 }
	/** Headers at once, then the body `chunkBytes` at a time every `everyMs`. */
	| {
			trickle: string | Buffer;
			chunkBytes?: number;
			everyMs: number;
			status?: number;
			contentType?: string;
	  }
	/**
	 * Headers and the first bytes of the body, then nothing until the client gives up, or until
	 * `forMs` (default 15 s) have passed: then the server drops the connection.
	 */
	| {
			stall: string | Buffer;
			forMs?: number;
			status?: number;
			contentType?: string;
			declaredLength?: number;
	  }
	/** Raw bytes on the socket instead of an HTTP response, then the connection closes. */
	| { notHttp: string }
	/** A raw response (status line and headers included) written `chunkBytes` every `everyMs`. */
	| { rawTrickle: string; chunkBytes?: number; everyMs: number }
	/** Forward to the upstream; `transform` may rewrite the parsed JSON answer. */
	| {
			forward: true;
			/** Waits this long before forwarding (the client may have given up by then). */
			delayMs?: number;
			/** Waits for this before forwarding (to order requests without timing). */
			after?: Promise<unknown>;
			/** Answers this status instead of the upstream's (e.g. a 503 after the upstream stored it). */
			status?: number;
			/** Called once the upstream has answered. */
			onForwarded?: (status: number) => void;
			/** Rewrites the query before forwarding (e.g. drop a filter the server "ignores"). */
			query?: (query: Record<string, string>) => Record<string, string>;
			transform?: (json: unknown, request: ReceivedRequest) => unknown;
	  };

export type Responder = Answer | ((request: ReceivedRequest) => Answer | Promise<Answer>);

export interface Match {
	method?: string;
	path?: RegExp | string;
	/** How many requests this rule answers; unlimited when omitted. */
	times?: number;
}

interface Rule {
	match: Match;
	responder: Responder;
	used: number;
}

export interface HostileServerOptions {
	/** Where unclaimed requests go; without one they get `fallback`, else a 404. */
	upstream?: string;
	/** The answer to requests no rule claims, when there is no upstream. */
	fallback?: Responder;
	/**
	 * Records every arriving request under this kind in the harness's records, so the
	 * after-file secrets scan (test/support/secrets.ts) looks at it. For origins that must never
	 * see the key (redirect targets).
	 */
	recordAs?: string;
}

export interface HostileServer {
	/** Origin, `http://127.0.0.1:PORT`. */
	readonly url: string;
	readonly requests: ReceivedRequest[];
	/** Adds a rule; rules are tried in the order they were added. */
	on(match: Match, responder: Responder): void;
	/** Removes every rule and forgets the requests. */
	reset(): void;
	close(): Promise<void>;
}

const REMOVED_HOP_HEADERS = new Set([
	'host',
	'connection',
	'content-length',
	'transfer-encoding',
	'keep-alive',
]);

function bearerOf(headers: IncomingMessage['headers']): string | undefined {
	const value = headers.authorization;
	const match = typeof value === 'string' ? /^Bearer\s+(.*)$/i.exec(value) : null;
	return match ? match[1].trim() : undefined;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

export async function startHostileServer(
	options: HostileServerOptions = {},
): Promise<HostileServer> {
	const rules: Rule[] = [];
	const requests: ReceivedRequest[] = [];
	const sockets = new Set<Socket>();
	let closing = false;
	// Pending waits, cut short by close() so no timer outlives the server.
	const waits = new Set<() => void>();
	const wait = (ms: number) =>
		new Promise<void>((resolve) => {
			const done = () => {
				clearTimeout(timer);
				waits.delete(done);
				resolve();
			};
			const timer = setTimeout(done, ms);
			waits.add(done);
		});

	const matches = (match: Match, request: ReceivedRequest) =>
		(!match.method || match.method.toUpperCase() === request.method) &&
		(!match.path ||
			(typeof match.path === 'string'
				? match.path === request.path
				: match.path.test(request.path)));

	async function forward(
		request: ReceivedRequest,
		answer: Extract<Answer, { forward: true }>,
		response: ServerResponse,
	): Promise<void> {
		if (!options.upstream) {
			send(response, { status: 404, json: { detail: 'Not Found (no upstream)' } });
			return;
		}
		if (answer.delayMs) await wait(answer.delayMs);
		if (answer.after) await answer.after;
		const query = answer.query ? answer.query({ ...request.query }) : request.query;
		const url = new URL(request.path, options.upstream);
		for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
		const headers: Record<string, string> = {};
		for (const [key, value] of Object.entries(request.headers)) {
			if (value === undefined || REMOVED_HOP_HEADERS.has(key)) continue;
			headers[key] = Array.isArray(value) ? value.join(', ') : value;
		}
		const upstream = await fetch(url, {
			method: request.method,
			headers,
			body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
			redirect: 'manual',
		});
		const text = await upstream.text();
		answer.onForwarded?.(upstream.status);
		const status = answer.status ?? upstream.status;
		const contentType = upstream.headers.get('content-type') ?? 'application/json';
		if (response.destroyed || response.socket?.destroyed) return; // the client gave up meanwhile
		if (answer.transform && contentType.includes('json') && text !== '') {
			const json = answer.transform(JSON.parse(text), request);
			send(response, { status, json });
			return;
		}
		send(response, { status, body: text, contentType });
	}

	function send(response: ServerResponse, answer: Answer): void {
		if ('json' in answer) {
			const body = JSON.stringify(answer.json) ?? 'null';
			response.writeHead(answer.status ?? 200, {
				'Content-Type': 'application/json',
				...answer.headers,
			});
			response.end(body);
		} else if ('body' in answer) {
			response.writeHead(answer.status ?? 200, {
				'Content-Type': answer.contentType ?? 'text/html; charset=utf-8',
				...answer.headers,
			});
			response.end(answer.body);
		} else if ('redirect' in answer) {
			response.writeHead(answer.status ?? 302, { Location: answer.redirect });
			response.end();
		}
	}

	async function trickle(
		response: ServerResponse,
		answer: Extract<Answer, { trickle: string | Buffer }>,
	): Promise<void> {
		const bytes = Buffer.from(answer.trickle);
		response.writeHead(answer.status ?? 200, {
			'Content-Type': answer.contentType ?? 'application/json',
			'Content-Length': String(bytes.length),
		});
		const step = Math.max(1, answer.chunkBytes ?? 1);
		for (let at = 0; at < bytes.length; at += step) {
			if (closing || response.destroyed || response.socket?.destroyed) return;
			response.write(bytes.subarray(at, at + step));
			await wait(answer.everyMs);
		}
		response.end();
	}

	async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
		const url = new URL(incoming.url ?? '/', 'http://hostile.invalid');
		const request: ReceivedRequest = {
			method: (incoming.method ?? 'GET').toUpperCase(),
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: { ...incoming.headers },
			body: await readBody(incoming),
			bearer: bearerOf(incoming.headers),
		};
		requests.push(request);
		if (options.recordAs) record(options.recordAs, request);

		const rule = rules.find(
			(r) => matches(r.match, request) && (r.match.times === undefined || r.used < r.match.times),
		);
		let responder: Responder = { forward: true };
		if (rule) {
			rule.used++;
			responder = rule.responder;
		} else if (!options.upstream && options.fallback) responder = options.fallback;
		const answer = typeof responder === 'function' ? await responder(request) : responder;

		if ('forward' in answer) return await forward(request, answer, response);
		if ('trickle' in answer) return await trickle(response, answer);
		if ('stall' in answer) {
			const bytes = Buffer.from(answer.stall);
			response.writeHead(answer.status ?? 200, {
				'Content-Type': answer.contentType ?? 'application/json',
				'Content-Length': String(answer.declaredLength ?? bytes.length + 1024),
			});
			response.write(bytes);
			// Ends only when the client gives up, close() is called, or the server gives up.
			await wait(answer.forMs ?? 15_000);
			response.destroy();
			return;
		}
		if ('notHttp' in answer) {
			incoming.socket.end(answer.notHttp);
			return;
		}
		if ('rawTrickle' in answer) {
			const bytes = Buffer.from(answer.rawTrickle);
			const step = Math.max(1, answer.chunkBytes ?? 1);
			for (let at = 0; at < bytes.length; at += step) {
				if (closing || incoming.socket.destroyed) return;
				incoming.socket.write(bytes.subarray(at, at + step));
				await wait(answer.everyMs);
			}
			incoming.socket.end();
			return;
		}
		send(response, answer);
	}

	const server: Server = createServer((incoming, response) => {
		handle(incoming, response).catch((error: unknown) => {
			if (!response.headersSent) {
				response.writeHead(500, { 'Content-Type': 'text/plain' });
				response.end(`hostile server failed: ${String(error)}`);
			} else response.destroy();
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		on(match, responder) {
			rules.push({ match, responder, used: 0 });
		},
		reset() {
			rules.length = 0;
			requests.length = 0;
		},
		async close() {
			closing = true;
			for (const done of [...waits]) done();
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** A page of a list whose next_page_token never changes (`times` answers, then a last page). */
export function repeatingPages(page: { items: unknown[] }, times = 50): Responder {
	let served = 0;
	return () => {
		served++;
		return {
			json: { ...page, next_page_token: served < times ? 'same-token-again' : null },
		};
	};
}

/** An HTML page as a proxy's login screen would send it, with a 200. */
export const LOGIN_PAGE =
	'<!DOCTYPE html>\n<html><head><title>Sign in to Corporate Proxy</title></head><body><form action="/login"><input name="user"></form></body></html>\n';
