/**
 * Cursor pagination shared by every list endpoint.
 *
 * By default `page_token` is a keyset cursor: base64url of `<list kind>:<ms>:<id>`, the sort
 * key of the last item returned. The next page starts strictly after that key, so inserts and
 * deletes between pages never make an existing item be skipped or repeated (an item whose key
 * grows — a file updated meanwhile — moves behind the cursor and shows up again, as on any
 * keyset API). The `listOrder` / `pageTokens` variants (pageInOrder) order by created_at and
 * hand out offsets instead.
 *
 * `total_size` is null: the spec fills it "only when specifically requested", and these
 * endpoints have no way to ask.
 */
import { HttpError } from './errors';
import type { Page } from './schemas';
import type { SortedList, SortKey } from './sortedList';

export type ListKind = 'directories' | 'files' | 'indexes';

export function encodePageToken(kind: ListKind, key: SortKey): string {
	return Buffer.from(`${kind}:${key.ms}:${key.id}`, 'utf8').toString('base64url');
}

/** Decodes a token or answers 422 naming `page_token`. */
const invalidToken = () => HttpError.invalid('query', ['page_token'], 'Invalid page token');

export function decodePageToken(kind: ListKind, token: string): SortKey {
	const invalid = invalidToken;
	if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
	const text = Buffer.from(token, 'base64url').toString('utf8');
	const first = text.indexOf(':');
	const second = text.indexOf(':', first + 1);
	if (first < 0 || second < 0 || text.slice(0, first) !== kind) throw invalid();
	const msText = text.slice(first + 1, second);
	const id = text.slice(second + 1);
	const ms = Number(msText);
	if (!/^-?\d+$/.test(msText) || !Number.isSafeInteger(ms) || id.length === 0) throw invalid();
	return { ms, id };
}

export interface PageOptions<T> {
	kind: ListKind;
	list: SortedList<T>;
	pageSize: number;
	pageToken?: string;
	/** Keeps only matching items; omit when every item in the range matches. */
	filter?: (item: T) => boolean;
	/** Index range to consider (from binary searches on the sort key); defaults to the whole list. */
	start?: number;
	end?: number;
}

/**
 * One page of a sorted list. Costs a binary search and the scan of the page (plus the items the
 * filter rejects).
 */
export function paginate<T>(options: PageOptions<T>): Page<T> {
	const { list, filter, pageSize } = options;
	const start = options.start ?? 0;
	const end = options.end ?? list.length;
	let index = start;
	if (options.pageToken !== undefined) {
		index = Math.max(start, list.upperBound(decodePageToken(options.kind, options.pageToken)));
	}

	const items: T[] = [];
	let hasMore = false;
	for (; index < end; index++) {
		const item = list.at(index);
		if (filter && !filter(item)) continue;
		if (items.length === pageSize) {
			hasMore = true;
			break;
		}
		items.push(item);
	}

	const last = items[items.length - 1];
	return {
		items,
		next_page_token:
			hasMore && last !== undefined ? encodePageToken(options.kind, list.keyOf(last)) : null,
		total_size: null,
	};
}

/** How the variants order a list: by a sort key, oldest or newest first. */
export interface Ordered<T> {
	keyOf: (item: T) => SortKey;
	reverse: boolean;
}

const compareKeys = (a: SortKey, b: SortKey) =>
	a.ms !== b.ms ? a.ms - b.ms : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * A page of `items` (every match, in any order) under the `listOrder` / `pageTokens` variants:
 * sorted by `order`, then cut after a keyset token or at an offset token. An offset shifts when
 * items before it come or go between two pages (the point of that variant). Costs a sort of
 * all matches per page: the variants are for tests, not benchmarks.
 */
export function pageInOrder<T>(
	items: T[],
	order: Ordered<T>,
	page: { kind: ListKind; pageSize: number; pageToken?: string; tokens: 'keyset' | 'offset' },
): Page<T> {
	const direction = order.reverse ? -1 : 1;
	const sorted = items
		.map((item) => ({ item, key: order.keyOf(item) }))
		.sort((a, b) => direction * compareKeys(a.key, b.key));
	let start = 0;
	if (page.pageToken !== undefined) {
		if (page.tokens === 'offset') start = decodeOffsetToken(page.kind, page.pageToken);
		else {
			const after = decodePageToken(page.kind, page.pageToken);
			start = sorted.findIndex((entry) => direction * compareKeys(entry.key, after) > 0);
			if (start < 0) start = sorted.length;
		}
	}
	const slice = sorted.slice(start, start + page.pageSize);
	const more = start + page.pageSize < sorted.length;
	const last = slice[slice.length - 1];
	let next: string | null = null;
	if (more && last) {
		next =
			page.tokens === 'offset'
				? encodeOffsetToken(page.kind, start + slice.length)
				: encodePageToken(page.kind, last.key);
	}
	return { items: slice.map((entry) => entry.item), next_page_token: next, total_size: null };
}

function encodeOffsetToken(kind: ListKind, offset: number): string {
	return Buffer.from(`${kind}:offset:${offset}`, 'utf8').toString('base64url');
}

function decodeOffsetToken(kind: ListKind, token: string): number {
	if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalidToken();
	const m = /^([a-z]+):offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
	if (!m || m[1] !== kind) throw invalidToken();
	return Number(m[2]);
}
