/** API paths: IDs are percent-encoded into them, and a path an ID would reroute is never sent. */
import { NodeOperationError } from 'n8n-workflow';

import type { RequestContext } from './connection';

/**
 * `/a/${id}/b` with every interpolated value percent-encoded, so an ID can never add a segment
 * or a query. "." and ".." cannot be encoded away (URL parsing resolves %2E too): requests
 * refuse such paths (`unsafePathSegment`).
 */
export function apiPath(strings: TemplateStringsArray, ...values: unknown[]): string {
	return strings.reduce((path, part, i) => {
		const value = i < values.length ? encodeURIComponent(String(values[i])) : '';
		return path + part + value;
	}, '');
}

/**
 * A path segment that URL parsing removes or resolves ("", ".", "..", also percent-encoded):
 * an ID like that would send the request to another route, so such paths are never sent.
 */
const UNSAFE_SEGMENT = /^(?:|\.|%2e|\.\.|\.%2e|%2e\.|%2e%2e)$/i;

/** The first segment of an API path that would change the route, if any (see UNSAFE_SEGMENT). */
export function unsafePathSegment(path: string): string | undefined {
	const pathname = path.split(/[?#]/)[0];
	return pathname
		.replace(/^\/+/, '')
		.split('/')
		.find((segment) => UNSAFE_SEGMENT.test(segment));
}

/** Refuses a path that URL parsing would send elsewhere (an ID that is empty, "." or ".."). */
export function assertSafePath(
	ctx: RequestContext,
	path: string,
	itemIndex: number | undefined,
): void {
	const segment = unsafePathSegment(path);
	if (segment === undefined) return;
	const item = itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
	throw new NodeOperationError(
		ctx.getNode(),
		`An ID is ${segment === '' ? 'empty' : `"${segment}"`}, which would change the request path ${path}${item}`,
		{ itemIndex, description: 'IDs cannot be empty, "." or "..". Check the IDs this item uses.' },
	);
}
