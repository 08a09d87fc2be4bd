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
	JsonObject,
	PreSendAction,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { retryPolicyOf } from '../descriptions/requestOptions.description';
import { connection, CREDENTIAL_TYPE, scopeQuery } from './connection';
import {
	connectionFailure,
	describeRequest,
	errorItem,
	httpFailure,
	type RequestSummary,
} from './errors';
import { Deadline, DeadlineExceeded, readBody } from './deadline';
import { assertSafePath } from './path';
import { dropEmpty, jsonAsText } from './request';
import { checkedAnswer, redirectFailure } from './response';
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
	// Repeatable query parameters (`types`) as the API reads them: types=a&types=b, not types[0]=a.
	requestOptions.arrayFormat = 'repeat';
	requestOptions.json = true;
	// No redirect is followed: the key goes to the credential's origin only (response.ts).
	requestOptions.disableFollowRedirect = true;
	requestOptions.sendCredentialsOnCrossOriginRedirect = false;
	// checkRoutedResponse reads the body itself, within a deadline (deadline.ts).
	requestOptions.encoding = 'stream';
	return requestOptions;
}

/**
 * postReceive of every routed operation (first in its list): reads the body (n8n's timeout
 * stops at the headers; the body gets at most the Timeout again, and `routedAttempt` holds the
 * whole attempt to one Timeout), then turns a redirect or an error status into a tailored
 * NodeApiError and checks that a success is the JSON object the API promises (a delete may
 * answer nothing), with the API key taken out; `routedAttempt` adds which request it was.
 */
export async function checkRoutedResponse(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const { timeoutMs } = retryPolicyOf(this, itemIndex);
	const deadline = new Deadline(timeoutMs);
	let bytes: Buffer;
	try {
		bytes = await readBody(response.body, deadline);
	} catch (error) {
		throw deadline.expired ? new DeadlineExceeded(timeoutMs, true) : error;
	}
	const { credentials, baseUrl } = await connection(this, itemIndex);
	const request = { method: '', path: '', baseUrl, itemIndex };
	const status = response.statusCode;
	if (status >= 300 && status < 400) {
		throw redirectFailure(this, status, response.headers?.location, baseUrl, request);
	}
	if (status >= 400) {
		throw httpFailure(this, status, bytes, response.headers, request, credentials.apiKey);
	}
	const deleting = this.getNodeParameter('operation', '') === 'delete' || status === 204;
	const json = checkedAnswer(
		this,
		bytes,
		deleting ? 'nothingOrObject' : 'object',
		request,
		status,
		credentials.apiKey,
	);
	return items.map((item) => ({ ...item, json: json as IDataObject }));
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
	// A JSON body goes as text (see jsonAsText); the caller's requestData keeps the object.
	const { body, headers } = jsonAsText(options.body, options.headers);
	const sent = { ...requestData, options: { ...options, body, headers } };
	const summary: RequestSummary = {
		method: String(options.method ?? 'GET'),
		baseUrl: String(options.baseURL ?? ''),
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
			// One Timeout for the whole attempt, headers and body; the engine's request cannot be
			// handed a signal, so the attempt is raced (checkRoutedResponse closes a late body).
			const deadline = new Deadline(timeoutMs);
			try {
				return await deadline.race(ctx.makeRoutingRequest(sent));
			} catch (error) {
				failure = error;
			}
			if (isTagged(failure)) {
				describeRequest(failure, summary);
				throw failure;
			}
			if (failure instanceof NodeOperationError) throw failure;
			throw connectionFailure(ctx, failure, summary, credentials.apiKey);
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

// ---------------------------------------------------------------------------------------------
// Failures of routed operations. RoutingNode re-wraps any error that is not a NodeApiError into
// one with "Error code none" (the panel then says "From LlamaCloud · Error code none" for a local
// check), and with continue-on-fail it outputs the message alone, dropping the description.
// So hooks and pagination functions hand it only NodeApiErrors, and output error items
// themselves.
// ---------------------------------------------------------------------------------------------

type RoutedPagination = (
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
) => Promise<INodeExecutionData[]>;

/** Set on the request options when a hook failed under continue-on-fail (not enumerable: never sent). */
const HOOK_FAILURE = Symbol('llamaCloudHookFailure');

function hookFailure(options: object): unknown {
	return (options as unknown as { [HOOK_FAILURE]?: unknown })[HOOK_FAILURE];
}

/** The error as routing passes it on unchanged: a NodeApiError without an HTTP code of its own. */
function routedError(ctx: IExecuteSingleFunctions, error: unknown): unknown {
	if (error instanceof NodeApiError) return error;
	const { message, description } = error as { message?: unknown; description?: unknown };
	return new NodeApiError(ctx.getNode(), {} as JsonObject, {
		message: String(message ?? error),
		description: typeof description === 'string' ? description : undefined,
		itemIndex: ctx.getItemIndex(),
	});
}

/**
 * A preSend hook whose failure reaches the user as written: thrown as routing keeps it, or
 * (continue-on-fail) kept for the item's pagination function, which outputs the error item.
 * Hooks after a failed one do not run.
 */
export function guardHook(hook: PreSendAction): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		if (hookFailure(requestOptions) !== undefined) return requestOptions;
		try {
			return await hook.call(this, requestOptions);
		} catch (error) {
			if (!this.continueOnFail()) throw routedError(this, error);
			Object.defineProperty(requestOptions, HOOK_FAILURE, { value: error, enumerable: false });
			return requestOptions;
		}
	};
}

/** A pagination function whose item fails as `guardHook` says, its hooks' failures included. */
export function guardPagination(send: RoutedPagination): RoutedPagination {
	return async function (this: IExecutePaginationFunctions, requestData) {
		let failure = hookFailure(requestData.options);
		if (failure === undefined) {
			try {
				return await send.call(this, requestData);
			} catch (error) {
				failure = error;
			}
		}
		if (!this.continueOnFail()) throw routedError(this, failure);
		return [errorItem(failure, this.getItemIndex())];
	};
}

/**
 * `routing.operations.pagination` of routed single-object operations. The engine hands the
 * whole request to this function, which is the one place routing lets us add retries.
 */
export const sendWithRetries = guardPagination(async function (requestData) {
	const method = String(requestData.options.method ?? 'GET').toUpperCase();
	return pairWith(this, await routedAttempt(this, requestData, method !== 'POST'));
});

/** `sendWithRetries` for a create whose lost answer `reconcile` can recover (see RoutedReconcile). */
export function sendWithRetriesReconciled(reconcile: RoutedReconcile) {
	return guardPagination(async function (requestData) {
		return pairWith(this, await routedAttempt(this, requestData, false, reconcile));
	});
}

/** RoutingNode sets no pairedItem; without it, one input item giving many outputs loses its link. */
export function pairWith(
	ctx: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): INodeExecutionData[] {
	const pairedItem = { item: ctx.getItemIndex() };
	return items.map((item) => ({ ...item, pairedItem }));
}
