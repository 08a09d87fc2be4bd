/** Cursor-paginated lists: next_page_token followed with every filter kept on every page. */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ListPage } from '../helpers/interfaces';
import type { RequestContext } from './connection';
import { type ApiRequest, apiRequest } from './request';
import type { RetryPolicy } from './retry';
import { guardPagination, pairWith, routedAttempt } from './routing';

/**
 * The page size of "Return All", the trigger and every full listing: the largest the API states
 * (openapi.json: "maximum is 1000" on the file list; the directory-file list states none).
 * Fewer pages, fewer round trips: 100,000 files take 100 requests, not 1,000 (bench P7).
 */
export const MAX_PAGE_SIZE = 1000;

/** Sizes to fall back to, in order, when a server refuses a page size (`nextPageSize`). */
const FALLBACK_PAGE_SIZES = [100, 50];

/**
 * A server that refuses a page size answers 422 naming `page_size`; a server that serves less
 * than asked is fine as it is (the next_page_token carries on). The smaller size to ask for
 * instead, or undefined when there is none (the error then stands).
 */
export function nextPageSize(error: unknown, pageSize: number): number | undefined {
	const refused =
		error instanceof NodeApiError && error.httpCode === '422' && /page_size/.test(error.message);
	return refused ? FALLBACK_PAGE_SIZES.find((size) => size < pageSize) : undefined;
}

/** One page, asked for at `pageSize` and then, while the server refuses it, at smaller sizes. */
async function clampedPage<T>(
	pageSize: number,
	fetch: (pageSize: number) => Promise<T>,
): Promise<{ page: T; pageSize: number }> {
	for (let size = pageSize; ;) {
		let refusal: unknown;
		try {
			return { page: await fetch(size), pageSize: size };
		} catch (error) {
			refusal = error; // already a NodeApiError / NodeOperationError from the transport
		}
		const smaller = nextPageSize(refusal, size);
		if (smaller === undefined) throw refusal;
		size = smaller;
	}
}

/** Pages of a cursor-paginated list, following next_page_token with every filter kept. */
export async function* paginate<T = IDataObject>(
	this: RequestContext,
	path: string,
	qs: IDataObject,
	options: {
		pageSize?: number;
		itemIndex?: number;
		policy: RetryPolicy;
		/** The headers of each page's answer, with the page's number (0 first). */
		onPageHeaders?: (headers: IDataObject, page: number) => void;
	},
): AsyncGenerator<T[]> {
	let pageToken: string | undefined;
	let pageNumber = 0;
	let pageSize = options.pageSize ?? MAX_PAGE_SIZE;
	do {
		const number = pageNumber++;
		const fetched = await clampedPage(pageSize, async (size) =>
			apiRequest.call<RequestContext, [ApiRequest], Promise<ListPage<T>>>(this, {
				method: 'GET',
				path,
				qs: { ...qs, page_size: size, page_token: pageToken },
				itemIndex: options.itemIndex,
				policy: options.policy,
				onHeaders: options.onPageHeaders && ((headers) => options.onPageHeaders?.(headers, number)),
			}),
		);
		const { page } = fetched;
		pageSize = fetched.pageSize;
		yield page.items ?? [];
		pageToken = page.next_page_token || undefined;
	} while (pageToken);
}

/**
 * `routing.operations.pagination` of Get Many: follows next_page_token with every filter kept
 * on every page, and stops fetching once "Limit" items are in.
 */
export const sendListWithRetries = guardPagination(async function (
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const limit = Number(requestData.maxResults ?? 0) || Infinity;
	const results: INodeExecutionData[] = [];
	const baseQs = { ...(requestData.options.qs ?? {}) };
	let pageToken: string | undefined;
	let maxPageSize = MAX_PAGE_SIZE;
	do {
		const fetched = await clampedPage(
			Math.min(maxPageSize, limit - results.length),
			async (size) => {
				requestData.options.qs = {
					...baseQs,
					page_size: size,
					...(pageToken ? { page_token: pageToken } : {}),
				};
				return await routedAttempt(this, requestData, true);
			},
		);
		maxPageSize = Math.min(maxPageSize, fetched.pageSize);
		const [page] = fetched.page;
		const body = (page?.json ?? {}) as unknown as ListPage<IDataObject>;
		for (const json of body.items ?? []) {
			results.push({ json });
			if (results.length >= limit) break;
		}
		pageToken = body.next_page_token || undefined;
	} while (pageToken && results.length < limit);
	return pairWith(this, results);
});
