/** Cursor-paginated lists: next_page_token followed with every filter kept on every page. */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import type { ListPage } from '../helpers/interfaces';
import type { RequestContext } from './connection';
import { type ApiRequest, apiRequest } from './request';
import type { RetryPolicy } from './retry';
import { guardPagination, pairWith, routedAttempt } from './routing';

/** Largest page the API serves; also the page size used when "Return All" is on. */
export const MAX_PAGE_SIZE = 100;

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
	do {
		const number = pageNumber++;
		const page = await apiRequest.call<RequestContext, [ApiRequest], Promise<ListPage<T>>>(this, {
			method: 'GET',
			path,
			qs: { ...qs, page_size: options.pageSize ?? MAX_PAGE_SIZE, page_token: pageToken },
			itemIndex: options.itemIndex,
			policy: options.policy,
			onHeaders: options.onPageHeaders && ((headers) => options.onPageHeaders?.(headers, number)),
		});
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
	do {
		const pageSize = Math.min(MAX_PAGE_SIZE, limit - results.length);
		requestData.options.qs = {
			...baseQs,
			page_size: pageSize,
			...(pageToken ? { page_token: pageToken } : {}),
		};
		const [page] = await routedAttempt(this, requestData, true);
		const body = (page?.json ?? {}) as unknown as ListPage<IDataObject>;
		for (const json of body.items ?? []) {
			results.push({ json });
			if (results.length >= limit) break;
		}
		pageToken = body.next_page_token || undefined;
	} while (pageToken && results.length < limit);
	return pairWith(this, results);
});
