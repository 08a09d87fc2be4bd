/**
 * Hooks of routed (declarative) operations, which the routed-operation builder puts on every
 * one: the base URL, scope and Request Options checked before sending, errors mapped after,
 * and retries around the engine's request (its `routing.operations.pagination` hook).
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { retryPolicyOf } from '../descriptions/requestOptions.description';
import { connection, CREDENTIAL_TYPE, scopeQuery } from './connection';
import { connectionFailure, describeRequest, httpFailure, type RequestSummary } from './errors';
import { assertSafePath } from './path';
import { dropEmpty } from './request';
import { DEFAULT_RETRY_POLICY, isTagged, withRetries } from './retry';

/**
 * preSend of every routed operation: checks the base URL and the Request Options (bad ones
 * fail before any request, naming the item), adds the credential's scope, and asks for the
 * response whatever its status so that `checkRoutedResponse` can map errors.
 */
export async function prepareRoutedRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { credentials, baseUrl } = await connection(this, this.getItemIndex());
	retryPolicyOf(this, this.getItemIndex());
	requestOptions.baseURL = baseUrl;
	requestOptions.qs = { ...dropEmpty(requestOptions.qs), ...scopeQuery(credentials) };
	requestOptions.ignoreHttpStatusErrors = true;
	requestOptions.json = true;
	return requestOptions;
}

/**
 * postReceive of every routed operation (first in its list): turns an error status into a
 * tailored NodeApiError; `routedAttempt` adds which request it was.
 */
export async function checkRoutedResponse(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	if (response.statusCode < 400) {
		// DELETE answers with an empty body; keep items well-formed for the next action.
		return items.map((item) =>
			item.json && typeof item.json === 'object' ? item : { ...item, json: {} },
		);
	}
	const credentials = await this.getCredentials(CREDENTIAL_TYPE, this.getItemIndex());
	const request = { method: '', path: '', itemIndex: this.getItemIndex() };
	throw httpFailure(
		this,
		response.statusCode,
		response.body,
		response.headers,
		request,
		credentials.apiKey,
	);
}

/**
 * For creates: finds what a POST whose answer was lost created, from the request routing
 * built. Resolves with it, `undefined` when it does not exist (sending again is safe) or `null`
 * when that cannot be told (the item fails clearly). Its result skips later postReceive actions.
 */
export type RoutedReconcile = (
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
) => Promise<IDataObject | null | undefined>;

export async function routedAttempt(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	idempotent: boolean,
	reconcile?: RoutedReconcile,
): Promise<INodeExecutionData[]> {
	const { options } = requestData;
	const itemIndex = ctx.getItemIndex();
	const path = String(options.url ?? '');
	// The engine already applied "Timeout" (its default when unset) to options.timeout.
	const timeoutMs = Number(options.timeout) || DEFAULT_RETRY_POLICY.timeoutMs;
	const summary: RequestSummary = {
		method: String(options.method ?? 'GET'),
		path,
		itemIndex,
		timeoutMs,
	};
	assertSafePath(ctx, path, itemIndex);
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	return await withRetries(
		ctx,
		async () => {
			let failure: unknown;
			try {
				return await ctx.makeRoutingRequest(requestData);
			} catch (error) {
				failure = error;
			}
			if (isTagged(failure)) {
				describeRequest(failure, summary);
				throw failure;
			}
			if (failure instanceof NodeOperationError) throw failure;
			throw connectionFailure(
				ctx,
				failure,
				summary,
				String(options.baseURL ?? ''),
				credentials.apiKey,
			);
		},
		{
			policy: retryPolicyOf(ctx, itemIndex),
			idempotent,
			itemIndex,
			describe: `${summary.method} ${summary.path}`,
			reconcile:
				reconcile &&
				(async () => {
					const found = await reconcile.call(ctx, requestData);
					return found ? [{ json: found }] : found;
				}),
		},
	);
}

/**
 * `routing.operations.pagination` of routed single-object operations. The engine hands the
 * whole request to this function, which is the one place routing lets us add retries.
 */
export async function sendWithRetries(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const method = String(requestData.options.method ?? 'GET').toUpperCase();
	return pairWith(this, await routedAttempt(this, requestData, method !== 'POST'));
}

/** `sendWithRetries` for a create whose lost answer `reconcile` can recover (see RoutedReconcile). */
export function sendWithRetriesReconciled(reconcile: RoutedReconcile) {
	return async function (
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		return pairWith(this, await routedAttempt(this, requestData, false, reconcile));
	};
}

/** RoutingNode sets no pairedItem; without it, one input item giving many outputs loses its link. */
export function pairWith(
	ctx: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): INodeExecutionData[] {
	const pairedItem = { item: ctx.getItemIndex() };
	return items.map((item) => ({ ...item, pairedItem }));
}
