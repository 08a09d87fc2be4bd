/**
 * Cursor pagination shared by every list endpoint.
 *
 * `page_token` is a keyset cursor: base64url of `<list kind>:<ms>:<id>`, the sort key of the
 * last item returned. The next page starts strictly after that key, so inserts and deletes
 * between pages never make an existing item be skipped or repeated (an item whose key grows —
 * a file updated meanwhile — moves behind the cursor and shows up again, as on any keyset API).
 */
import { HttpError } from './errors';
import type { Page } from './schemas';
import type { SortedList, SortKey } from './sortedList';

export type ListKind = 'directories' | 'files' | 'indexes';

export function encodePageToken(kind: ListKind, key: SortKey): string {
	return Buffer.from(`${kind}:${key.ms}:${key.id}`, 'utf8').toString('base64url');
}

/** Decodes a token or answers 422 naming `page_token`. */
export function decodePageToken(kind: ListKind, token: string): SortKey {
	const invalid = () => HttpError.invalid('query', ['page_token'], 'Invalid page token');
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
	/** total_size when the caller knows it without a scan (e.g. a maintained counter). */
	knownTotal?: number;
}

/**
 * One page of a sorted list. Costs a binary search, the scan of the page (plus the items the
 * filter rejects), and — only when a filter is set and no total is known — one counting pass.
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

	let total = options.knownTotal;
	if (total === undefined) {
		if (!filter) total = Math.max(0, end - start);
		else {
			total = 0;
			for (let i = start; i < end; i++) if (filter(list.at(i))) total++;
		}
	}

	const last = items[items.length - 1];
	return {
		items,
		next_page_token:
			hasMore && last !== undefined ? encodePageToken(options.kind, list.keyOf(last)) : null,
		total_size: total,
	};
}
