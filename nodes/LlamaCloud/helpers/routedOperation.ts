/**
 * The routed-operation builder: every operation run by the engine's routing gets the
 * transport's hooks (checks before sending, error mapping, retries) from here.
 */
import type {
	IExecuteSingleFunctions,
	IHttpRequestMethods,
	INodePropertyOptions,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import {
	checkRoutedResponse,
	guardHook,
	prepareRoutedRequest,
	type RoutedReconcile,
	sendListWithRetries,
	sendWithRetries,
	sendWithRetriesReconciled,
} from '../transport';
import { type ReuseLookup, sendCreate } from './reuse';

export interface RoutedOperation<V extends string> {
	name: string;
	value: V;
	action: string;
	description: string;
	method: IHttpRequestMethods;
	/** Expression; IDs must go through encodeURIComponent (`pathParam`). */
	url: string;
	/** Get Many: follow next_page_token and honour Limit. */
	list?: boolean;
	preSend?: PreSendAction[];
	postReceive?: PostReceiveAction[];
	/**
	 * Creates (POST) only: finds what the request created when its answer was lost, so it is
	 * neither sent twice nor failed needlessly. Without it such an item fails clearly.
	 */
	reconcile?: RoutedReconcile;
	/**
	 * Creates of directories and indexes: one object per distinct request and run, shared by the
	 * items asking for it; with `reuse`, the Reuse Existing lookup (see reuse.ts).
	 */
	create?: { reuse?: (ctx: IExecuteSingleFunctions) => ReuseLookup };
	/** Sends the request instead of the default (retries around the engine's request). */
	send?: typeof sendWithRetries;
}

/**
 * An operation run by the engine's routing. `paginate: true` hands the request to our
 * `routing.operations.pagination` function even for single objects: it is the one hook where
 * routing lets us retry (429/5xx/connection errors) and follow cursors.
 */
export function routedOperation<V extends string>(
	op: RoutedOperation<V>,
): INodePropertyOptions & { value: V } {
	return {
		name: op.name,
		value: op.value,
		action: op.action,
		description: op.description,
		routing: {
			request: { method: op.method, url: op.url },
			send: {
				paginate: true,
				preSend: [prepareRoutedRequest, ...(op.preSend ?? [])].map(guardHook),
			},
			operations: {
				pagination: op.list
					? sendListWithRetries
					: op.create
						? sendCreate(op.create.reuse, op.reconcile)
						: op.reconcile
							? sendWithRetriesReconciled(op.reconcile)
							: (op.send ?? sendWithRetries),
			},
			output: { postReceive: [checkRoutedResponse, ...(op.postReceive ?? [])] },
		},
	};
}

/** postReceive output of a delete: the API answers with an empty body. */
export function deletedOutput(idExpression: string): PostReceiveAction {
	return {
		type: 'set',
		properties: { value: `={{ { "deleted": true, "id": ${idExpression} } }}` },
	};
}

/** Expression of a resource locator's value, percent-encoded for a URL path. */
export function pathParam(name: string): string {
	return `{{ encodeURIComponent($parameter["${name}"]) }}`;
}
