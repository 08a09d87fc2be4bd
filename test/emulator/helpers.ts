/** A raw HTTP client for the emulator tests (undici, no SDK), plus small polling helpers. */
import { FormData, request } from 'undici';
import { isTerminalBuildStatus, readBuildStatus, type Emulator } from '../../emulator';

export interface Reply {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the body is JSON, else the raw text ('' when empty). */
	body: any;
	text: string;
}

export interface CallOptions {
	query?: Record<string, string | number | boolean | string[] | undefined>;
	json?: unknown;
	/** A raw body (sent as is, with `contentType`). */
	raw?: string | Buffer;
	contentType?: string;
	form?: FormData;
	/** Override the bearer key; null sends no Authorization header. */
	key?: string | null;
}

export function queryString(query: CallOptions['query'] = {}): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined) continue;
		for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
	}
	const text = params.toString();
	return text ? `?${text}` : '';
}

export function api(emulator: Emulator) {
	return async function call(
		method: string,
		path: string,
		options: CallOptions = {},
	): Promise<Reply> {
		const headers: Record<string, string> = {};
		const key = options.key === undefined ? emulator.apiKey : options.key;
		if (key !== null) headers.authorization = `Bearer ${key}`;
		let body: string | Buffer | FormData | undefined;
		if (options.json !== undefined) {
			headers['content-type'] = 'application/json';
			body = JSON.stringify(options.json);
		} else if (options.raw !== undefined) {
			headers['content-type'] = options.contentType ?? 'application/json';
			body = options.raw;
		} else if (options.form) {
			body = options.form;
		}
		const res = await request(`${emulator.url}${path}${queryString(options.query)}`, {
			method: method as 'GET',
			headers,
			body,
		});
		const text = await res.body.text();
		let parsed: unknown = text;
		if (String(res.headers['content-type'] ?? '').includes('application/json') && text)
			parsed = JSON.parse(text);
		return { status: res.statusCode, headers: res.headers, body: parsed, text };
	};
}

export type Call = ReturnType<typeof api>;

/** A multipart form with one file part (undici's FormData, Blob from node:buffer). */
export function fileForm(
	field: string,
	name: string,
	content: string | Buffer,
	fields: Record<string, string> = {},
): FormData {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	form.append(field, new Blob([content]), name);
	return form;
}

/** Polls an index until its build is ready or failed (no wall-clock assertion: a bounded loop). */
export async function waitForIndex(
	call: Call,
	indexId: string,
	query: CallOptions['query'] = {},
): Promise<any> {
	for (let i = 0; i < 500; i++) {
		const reply = await call('GET', `/api/v1/indexes/${indexId}`, { query });
		if (reply.status !== 200) throw new Error(`GET index answered ${reply.status}: ${reply.text}`);
		if (
			isTerminalBuildStatus(readBuildStatus(reply.body.metadata)) &&
			!reply.body.metadata.pending_sync
		)
			return reply.body;
		await new Promise((r) => setTimeout(r, 10));
	}
	throw new Error(`index ${indexId} never finished building`);
}

/** All items of a list, following next_page_token. */
export async function listAll(
	call: Call,
	path: string,
	query: CallOptions['query'] = {},
): Promise<any[]> {
	const items: any[] = [];
	let token: string | undefined;
	for (let page = 0; page < 10_000; page++) {
		const reply = await call('GET', path, { query: { ...query, page_token: token } });
		if (reply.status !== 200)
			throw new Error(`GET ${path} answered ${reply.status}: ${reply.text}`);
		items.push(...reply.body.items);
		token = reply.body.next_page_token ?? undefined;
		if (!token) return items;
	}
	throw new Error('too many pages');
}
