/**
 * Creates of directories and indexes. Items of one run that ask for the same object share one
 * (see oncePerRun.ts): with "Reuse Existing" the same name (and source directory), without it
 * the same request. With "Reuse Existing" a matching object found by a lookup is fetched instead
 * of created, so a pipeline that runs on a schedule does not pile up duplicates; the lookup runs
 * inside the item's turn, after earlier items of the run have created theirs. The switch
 * itself: `reuseOption` (descriptions/common.descriptions.ts).
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import {
	guardPagination,
	paginate,
	pairWith,
	routedAttempt,
	type RoutedReconcile,
} from '../transport';
import { oncePerRun } from './oncePerRun';
import { retryPolicyOf } from '../descriptions/requestOptions.description';

export interface ReuseLookup {
	/** List endpoint to search. */
	path: string;
	/** Filters the API applies (to list less; the answer is not trusted to honour them). */
	qs: IDataObject;
	/** What makes two items ask for the same object (beyond `qs`), e.g. the name. */
	identity: string;
	/**
	 * Whether a listed object is the one to reuse, checked on every candidate: a server (or a
	 * proxy) that ignores a filter must not make Create return an unrelated object.
	 */
	matches: (item: IDataObject) => boolean;
	/** Where to GET the match (a lookup, when the service's path for it is not known up front). */
	url: (item: IDataObject) => string | Promise<string>;
}

async function findExisting(
	ctx: IExecuteSingleFunctions,
	lookup: ReuseLookup,
): Promise<IDataObject | undefined> {
	const { path, qs, matches } = lookup;
	for await (const page of paginate.call<
		IExecuteSingleFunctions,
		Parameters<typeof paginate>,
		AsyncGenerator<IDataObject[]>
	>(ctx, path, qs, {
		itemIndex: ctx.getItemIndex(),
		policy: retryPolicyOf(ctx, ctx.getItemIndex()),
	})) {
		const existing = page.find((item) => !item.deleted_at && matches(item));
		if (existing) return existing;
	}
	return undefined;
}

/**
 * `routing.operations.pagination` of a create: one object per distinct request (or, with
 * Reuse Existing on, per `reuse` identity) and run; every item outputs it, paired to itself.
 */
export function sendCreate(
	reuse?: (ctx: IExecuteSingleFunctions) => ReuseLookup,
	reconcile?: RoutedReconcile,
) {
	return guardPagination(async function (
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		const { options } = requestData;
		const lookup =
			reuse && this.getNodeParameter('options.reuseExisting', false) === true
				? reuse(this)
				: undefined;
		const key = lookup
			? `reuse ${lookup.path} ${JSON.stringify(lookup.qs)} ${lookup.identity}`
			: `create ${String(options.method)} ${String(options.url)} ${JSON.stringify(options.body ?? null)}`;
		const items = await oncePerRun(this, key, async () => {
			const existing = lookup && (await findExisting(this, lookup));
			if (existing) {
				const get = { ...options, method: 'GET' as const, url: await lookup.url(existing) };
				delete get.body;
				return await routedAttempt(this, { ...requestData, options: get }, true);
			}
			return await routedAttempt(this, requestData, false, reconcile);
		});
		return pairWith(
			this,
			items.map((item) => ({ ...item, json: deepCopy(item.json) })),
		);
	});
}
