/**
 * What several Index operations share: the URL of one index, its check, and which of an
 * index's two ids the service takes. No public source settles whether
 * `/api/v1/indexes/{index_id}` takes the index's `id` or its `export_config_id` (official
 * examples and tools disagree), so every Index operation accepts either: on a 404 it looks the
 * index up in the list by both ids and tries the other one (one list scan, on a 404 only).
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { retryPolicyOf } from '../../descriptions/requestOptions.description';
import type { Index } from '../../helpers/interfaces';
import { pathParam } from '../../helpers/routedOperation';
import { requireId } from '../../helpers/validation';
import {
	apiPath,
	apiRequest,
	paginate,
	type RequestContext,
	type RetryPolicy,
	sendWithRetries,
} from '../../transport';

export const INDEX_URL = `=/api/v1/indexes/${pathParam('indexId')}`;

export const requireIndex = requireId('indexId', 'Index');

const isNotFound = (error: unknown) => error instanceof NodeApiError && error.httpCode === '404';

/** The other id of the index that has `id` as its id or export_config_id, from the list. */
export async function otherIndexId(
	ctx: RequestContext,
	id: string,
	itemIndex: number,
	policy: RetryPolicy,
): Promise<string | undefined> {
	for await (const page of paginate.call<
		RequestContext,
		Parameters<typeof paginate>,
		AsyncGenerator<IDataObject[]>
	>(ctx, '/api/v1/indexes', {}, { itemIndex, policy })) {
		for (const index of page) {
			if (index.id === id && index.export_config_id) return String(index.export_config_id);
			if (index.export_config_id === id && index.id) return String(index.id);
		}
	}
	return undefined;
}

/** The index and the path this service answers it under, by either of its ids (else the 404). */
export async function resolveIndex(
	ctx: RequestContext,
	id: string,
	itemIndex: number,
	policy: RetryPolicy,
): Promise<{ index: Index; path: string }> {
	const get = async (path: string) =>
		(await apiRequest.call(ctx, { method: 'GET', path, itemIndex, policy })) as Index;
	const path = apiPath`/api/v1/indexes/${id}`;
	let failure: unknown;
	try {
		return { index: await get(path), path };
	} catch (error) {
		failure = error;
	}
	const other = isNotFound(failure) ? await otherIndexId(ctx, id, itemIndex, policy) : undefined;
	if (other === undefined) throw failure;
	const otherPath = apiPath`/api/v1/indexes/${other}`;
	return { index: await get(otherPath), path: otherPath };
}

/**
 * `routing.operations.pagination` of Get and Delete: the routed request, sent again with the
 * index's other id when the service answers 404 to the one given.
 */
export async function sendToIndex(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	let failure: unknown;
	try {
		return await sendWithRetries.call(this, requestData);
	} catch (error) {
		failure = error;
	}
	if (!isNotFound(failure)) throw failure;
	const itemIndex = this.getItemIndex();
	const given = String(this.getNodeParameter('indexId', '', { extractValue: true }) ?? '').trim();
	const other = await otherIndexId(this, given, itemIndex, retryPolicyOf(this, itemIndex));
	if (other === undefined) throw failure;
	const url = String(requestData.options.url ?? '');
	requestData.options.url = url.replace(
		apiPath`/api/v1/indexes/${given}`,
		apiPath`/api/v1/indexes/${other}`,
	);
	return await sendWithRetries.call(this, requestData);
}
