/** Cursor-paginated lists: next_page_token followed with every filter kept on every page. */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ListPage } from '../helpers/interfaces';
import { connection, type RequestContext } from './connection';
import type { RequestSummary } from './errors';
import { type ApiRequest, apiRequest } from './request';
import { answerFailure, checkPage } from './response';
import type { RetryPolicy } from './retry';
import { guardPagination, pairWith, routedAttempt } from './routing';

/**
 * Follows next_page_token, refusing a token the listing already handed out: a server that
 * repeats one (or comes back to an earlier one) would otherwise be listed until it gave up.
 */
class PageTokens {
	private readonly seen = new Set<string>();

	constructor(
		private readonly ctx: RequestContext,
		private readonly request: RequestSummary,
	) {}

	/** The token of the next page, or undefined at the end. */
	next(page: { next_page_token?: unknown }): string | undefined {
		const token = typeof page.next_page_token === 'string' ? page.next_page_token : '';
		if (!token) return undefined;
		if (this.seen.has(token)) {
			throw answerFailure(
				this.ctx,
				`LlamaCloud sent the same next_page_token twice while listing ${this.request.method} ${this.request.path}: the list does not advance, so listing stopped after ${this.seen.size + 1} pages`,
				'a next_page_token it had sent before',
				this.request,
				200,
				' Nothing from this listing was output. This is a fault of the server (or a proxy before it); try again later.',
			);
		}
		this.seen.add(token);
		return token;
	}
}

/**
 * The page size of a whole listing ("Return All", the trigger, upload look-ups, reuse look-ups).
 * The spec states no maximum for the directory, file and index lists; 10,000 items (about 4 MB
 * of JSON, some 15 MB held while one page is parsed) list 100,000 files in 11 requests instead
 * of 101 at 1000 (measured in docs/performance.md; larger pages gain little more).
 */
export const LISTING_PAGE_SIZE = 10_000;

/**
 * Sizes to fall back to, in order, when a server refuses a page size and does not say its
 * maximum: 1000 (the largest the spec states anywhere, on /api/v1/beta/files), then smaller.
 */
const FALLBACK_PAGE_SIZES = [1000, 100, 50];

/**
 * A server that refuses a page size answers 422 naming `page_size` (FastAPI: "Input should be
 * less than or equal to 1000"); a server that serves less than asked is fine as it is (the
 * next_page_token carries on). The smaller size to ask for instead: the maximum the answer
 * states, else the next fallback; undefined when there is none (the error then stands).
 */
export function nextPageSize(error: unknown, pageSize: number): number | undefined {
	const refused =
		error instanceof NodeApiError && error.httpCode === '422' && /page_size/.test(error.message);
	if (!refused) return undefined;
	const stated = Number(/less than or equal to (\d+)/i.exec(error.message)?.[1]);
	if (Number.isInteger(stated) && stated >= 1 && stated < pageSize) return stated;
	return FALLBACK_PAGE_SIZES.find((size) => size < pageSize);
}

/**
 * The page size each list of each origin accepted after refusing a larger one, for this n8n
 * process: later listings start there instead of paying the refused request again. Keys are
 * origin and list route (no secret); a few hundred at most.
 */
const acceptedPageSizes = new Map<string, number>();
const MAX_REMEMBERED = 256;

/** Origin and list route: the directory ID in a directory's file list does not matter. */
function listKey(baseUrl: string, path: string): string {
	const route = path
		.split('?')[0]
		.replace(/\/directories\/[^/]+\/files$/, '/directories/{id}/files');
	return `${baseUrl} ${route}`;
}

/** `wanted`, or less when this list of this origin refused more before. */
function startingPageSize(key: string, wanted: number): number {
	return Math.min(wanted, acceptedPageSizes.get(key) ?? wanted);
}

function rememberAccepted(key: string, pageSize: number): void {
	acceptedPageSizes.delete(key);
	if (acceptedPageSizes.size >= MAX_REMEMBERED)
		acceptedPageSizes.delete(acceptedPageSizes.keys().next().value as string);
	acceptedPageSizes.set(key, pageSize);
}

/** One page, asked for at `pageSize` and then, while the server refuses it, at smaller sizes. */
async function clampedPage<T>(
	key: string,
	pageSize: number,
	fetch: (pageSize: number) => Promise<T>,
): Promise<{ page: T; pageSize: number }> {
	for (let size = pageSize; ;) {
		let refusal: unknown;
		try {
			const page = await fetch(size);
			if (size < pageSize) rememberAccepted(key, size);
			return { page, pageSize: size };
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
		/** Items a page at most. Default LISTING_PAGE_SIZE. */
		pageSize?: number;
		itemIndex?: number;
		policy: RetryPolicy;
		/** The headers of each page's answer, with the page's number (0 first). */
		onPageHeaders?: (headers: IDataObject, page: number) => void;
	},
): AsyncGenerator<T[]> {
	const { baseUrl } = await connection(this, options.itemIndex);
	const key = listKey(baseUrl, path);
	const tokens = new PageTokens(this, {
		method: 'GET',
		path,
		baseUrl,
		itemIndex: options.itemIndex,
	});
	let pageToken: string | undefined;
	let pageNumber = 0;
	let pageSize = startingPageSize(key, options.pageSize ?? LISTING_PAGE_SIZE);
	do {
		const number = pageNumber++;
		const fetched = await clampedPage(key, pageSize, async (size) =>
			apiRequest.call<RequestContext, [ApiRequest], Promise<ListPage<T>>>(this, {
				method: 'GET',
				path,
				qs: { ...qs, page_size: size, page_token: pageToken },
				itemIndex: options.itemIndex,
				policy: options.policy,
				onHeaders: options.onPageHeaders && ((headers) => options.onPageHeaders?.(headers, number)),
				expect: 'page',
			}),
		);
		const { page } = fetched;
		pageSize = fetched.pageSize;
		pageToken = tokens.next(page);
		yield page.items;
	} while (pageToken);
}

/**
 * `routing.operations.pagination` of Get Many: follows next_page_token with every filter kept
 * on every page, and stops fetching once "Limit" items are in (asking for no more than that).
 */
export const sendListWithRetries = guardPagination(async function (
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const limit = Number(requestData.maxResults ?? 0) || Infinity;
	const results: INodeExecutionData[] = [];
	const baseQs = { ...(requestData.options.qs ?? {}) };
	const key = listKey(String(requestData.options.baseURL ?? ''), String(requestData.options.url));
	const request = {
		method: 'GET',
		baseUrl: String(requestData.options.baseURL ?? ''),
		path: String(requestData.options.url ?? ''),
		itemIndex: this.getItemIndex(),
	};
	const tokens = new PageTokens(this, request);
	let pageToken: string | undefined;
	let maxPageSize = startingPageSize(key, LISTING_PAGE_SIZE);
	do {
		const fetched = await clampedPage(
			key,
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
		const body = checkPage(this, page?.json, request) as unknown as ListPage<IDataObject>;
		for (const json of body.items) {
			results.push({ json });
			if (results.length >= limit) break;
		}
		pageToken = results.length < limit ? tokens.next(body) : undefined;
	} while (pageToken && results.length < limit);
	return pairWith(this, results);
});
