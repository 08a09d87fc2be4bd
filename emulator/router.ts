/**
 * A tiny route table. Paths are split on '/' BEFORE percent-decoding, and each segment is
 * decoded once: an id like `a%2Fb` stays one segment ("a/b") and can only ever be looked up
 * as an id (and 404), never route somewhere else.
 */
import { HttpError } from './errors';

export interface RouteMatch<H> {
	handler: H;
	params: Record<string, string>;
	/** The route's pattern, e.g. `/api/v1/beta/directories/:directory_id` (for logs). */
	pattern: string;
}

interface Route<H> {
	method: string;
	pattern: string;
	segments: string[];
	handler: H;
}

export class Router<H> {
	private readonly routes: Array<Route<H>> = [];

	add(method: string, pattern: string, handler: H): this {
		this.routes.push({ method, pattern, segments: pattern.split('/').filter(Boolean), handler });
		return this;
	}

	/** The handler for a request, or a 404 (no such path) / 405 (path exists, method does not). */
	match(method: string, rawPath: string): RouteMatch<H> {
		const segments = splitPath(rawPath);
		if (segments === null) throw HttpError.notFound('Not Found');
		const allowed = new Set<string>();
		for (const route of this.routes) {
			const params = matchSegments(route.segments, segments);
			if (!params) continue;
			if (route.method === method)
				return { handler: route.handler, params, pattern: route.pattern };
			allowed.add(route.method);
		}
		if (allowed.size > 0)
			throw new HttpError(405, 'Method Not Allowed', { allow: [...allowed].join(', ') });
		throw HttpError.notFound('Not Found');
	}
}

/** Decoded path segments; a trailing slash is ignored; null when a segment is malformed. */
function splitPath(rawPath: string): string[] | null {
	const parts = rawPath.split('/').slice(1);
	if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
	try {
		return parts.map((part) => decodeURIComponent(part));
	} catch {
		return null;
	}
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | null {
	if (pattern.length !== segments.length) return null;
	const params: Record<string, string> = {};
	for (let i = 0; i < pattern.length; i++) {
		const expected = pattern[i];
		const actual = segments[i];
		if (expected.startsWith(':')) {
			if (actual === '') return null;
			params[expected.slice(1)] = actual;
		} else if (expected !== actual) {
			return null;
		}
	}
	return params;
}
