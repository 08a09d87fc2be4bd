/**
 * What a successful answer must be before anything trusts it: JSON of the shape the API
 * promises (an object; a page whose `items` is a list of objects; for a delete, nothing or an
 * object). A proxy's HTML login page, truncated JSON, `null`, an array, a redirect: each fails
 * clearly, naming the request and the item, instead of passing as `{}`, zero items or a string.
 * Whatever the server echoes, the API key is taken out of what comes back.
 */
import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { RequestContext } from './connection';
import { describeRequest, redactValue, type RequestSummary } from './errors';
import { tag } from './retry';

/** The shape an answer must have: an object, a list page, or (delete) nothing or an object. */
export type Expected = 'object' | 'page' | 'nothingOrObject';

const JSON_KINDS: Record<string, string> = {
	string: 'a JSON string',
	number: 'a JSON number',
	boolean: 'a JSON boolean',
};

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a JSON array';
	return JSON_KINDS[typeof value] ?? 'an object';
}

/** A 2xx answer that is not what the API promises. POSTs may have been applied all the same. */
export function unexpectedAnswer(
	ctx: RequestContext,
	what: string,
	request: RequestSummary,
	status: number,
	hint = '',
): NodeApiError {
	return answerFailure(
		ctx,
		`Unexpected answer from LlamaCloud: ${what}`,
		what,
		request,
		status,
		hint,
	);
}

/** `unexpectedAnswer` with a message of its own (e.g. a list that does not advance). */
export function answerFailure(
	ctx: RequestContext,
	text: string,
	what: string,
	request: RequestSummary,
	status: number,
	hint = '',
): NodeApiError {
	const item = request.itemIndex === undefined ? '' : ` [item ${request.itemIndex}]`;
	const message = `${text}${item}`;
	const error = new NodeApiError(ctx.getNode(), { detail: message } as JsonObject, {
		message,
		itemIndex: request.itemIndex,
	});
	tag(error, {
		retryable: false,
		outcomeUnknown: true,
		mayHaveApplied: true,
		lost: (described) => `The answer to ${described} was not what the API promises (${what})`,
		hint: ` Status ${status}.${hint}`,
	});
	describeRequest(error, request);
	return error;
}

const HTML_HINT =
	" Something between n8n and LlamaCloud (a proxy's login page, a captive portal) answered instead of the API. Check the credential's Base URL and the network between n8n and LlamaCloud.";

/** Parses a body as JSON; says what it is when it is not. */
function parseJson(text: string): { value: unknown } | { problem: string; hint?: string } {
	const trimmed = text.trim();
	if (trimmed === '') return { problem: 'an empty body' };
	try {
		return { value: JSON.parse(trimmed) };
	} catch {
		// described below
	}
	if (/^<(!doctype|html|\?xml|head|body)/i.test(trimmed)) {
		const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
		return {
			problem: `an HTML page${title ? ` ("${title.slice(0, 80)}")` : ''} instead of JSON`,
			hint: HTML_HINT,
		};
	}
	if (/^[[{"]/.test(trimmed)) return { problem: 'malformed JSON (it breaks off or is not JSON)' };
	const start = trimmed.slice(0, 60).replace(/\s+/g, ' ');
	return { problem: `text that is not JSON ("${start}${trimmed.length > 60 ? '…' : ''}")` };
}

function pageProblem(page: IDataObject): string | undefined {
	if (!('items' in page)) return 'a page without "items"';
	const { items, next_page_token: token } = page;
	if (!Array.isArray(items))
		return `a page whose "items" is ${kindOf(items).replace('a JSON ', 'a ')}, not a list`;
	const bad = items.find(
		(entry) => entry === null || typeof entry !== 'object' || Array.isArray(entry),
	);
	if (bad !== undefined)
		return `a page whose "items" holds ${kindOf(bad).replace('a JSON ', 'a ')}, not objects`;
	if (token !== undefined && token !== null && typeof token !== 'string')
		return `a page whose "next_page_token" is ${kindOf(token).replace('a JSON ', 'a ')}`;
	return undefined;
}

/**
 * The checked JSON of a 2xx answer, with the API key taken out of every string in it.
 * `secret` is the stored key (redactValue also removes its trimmed form).
 */
export function checkedAnswer(
	ctx: RequestContext,
	body: Buffer | string,
	expected: Expected,
	request: RequestSummary,
	status: number,
	secret: unknown,
): unknown {
	const text = typeof body === 'string' ? body : body.toString('utf8');
	if (expected === 'nothingOrObject' && text.trim() === '') return {};
	const parsed = parseJson(text);
	if ('problem' in parsed) {
		const what =
			parsed.problem === 'an empty body'
				? 'an empty body instead of a JSON object'
				: parsed.problem;
		throw unexpectedAnswer(ctx, redactValue(what, secret) as string, request, status, parsed.hint);
	}
	// Taken out after parsing, so an escaped form in the JSON text is found too.
	const value = redactValue(parsed.value, secret);
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw unexpectedAnswer(ctx, `${kindOf(value)} instead of a JSON object`, request, status);
	}
	if (expected === 'page') {
		const problem = pageProblem(value as IDataObject);
		if (problem) throw unexpectedAnswer(ctx, problem, request, status);
	}
	return value;
}

/** Checks a list page that reached the caller some other way (a routed list's parsed body). */
export function checkPage(
	ctx: RequestContext,
	page: unknown,
	request: RequestSummary,
): IDataObject {
	if (page === null || typeof page !== 'object' || Array.isArray(page)) {
		throw unexpectedAnswer(ctx, `${kindOf(page)} instead of a JSON object`, request, 200);
	}
	const problem = pageProblem(page as IDataObject);
	if (problem) throw unexpectedAnswer(ctx, problem, request, 200);
	return page as IDataObject;
}

/**
 * A redirect (3xx). The node follows none: the API key is sent only to the credential's Base
 * URL, and an answer from elsewhere would not be the API's. The Location is named by its origin
 * only (it could carry anything); a path of the same origin is "another path".
 */
export function redirectFailure(
	ctx: RequestContext,
	status: number,
	location: unknown,
	baseUrl: string,
	request: RequestSummary,
): NodeApiError {
	const raw = Array.isArray(location) ? String(location[0]) : String(location ?? '');
	let target = 'another path';
	if (raw && URL.canParse(raw, baseUrl)) {
		const origin = new URL(raw, baseUrl).origin;
		if (origin !== new URL(baseUrl).origin) target = origin;
	} else if (!raw) target = 'an address it did not give';
	const item = request.itemIndex === undefined ? '' : ` [item ${request.itemIndex}]`;
	const message = `LlamaCloud answered with a redirect to ${target}, which the node does not follow${item}`;
	const error = new NodeApiError(ctx.getNode(), { detail: message } as JsonObject, {
		message,
		itemIndex: request.itemIndex,
		httpCode: String(status),
	});
	tag(error, {
		retryable: false,
		outcomeUnknown: false,
		hint: ` Status ${status}. The API key is sent only to the credential's Base URL (${baseUrl}), so redirects are not followed. Check that the Base URL is the API's own address.`,
	});
	describeRequest(error, request);
	return error;
}
