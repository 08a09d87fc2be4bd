/**
 * "Reuse Existing" for Create operations: when a matching object exists, the create becomes a
 * GET of it, so a pipeline that runs on a schedule does not pile up duplicates. The switch
 * itself: `reuseOption` (descriptions/common.descriptions.ts).
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	PreSendAction,
} from 'n8n-workflow';

import { retryPolicyOf } from '../descriptions/requestOptions.description';
import { paginate } from '../transport';

export interface ReuseLookup {
	/** List endpoint to search. */
	path: string;
	/** Filters the API applies. */
	qs: IDataObject;
	/** Client-side match for what the API cannot filter. */
	matches?: (item: IDataObject) => boolean;
	/** Where to GET the match. */
	url: (item: IDataObject) => string;
}

/** preSend: when `options.reuseExisting` is on and `lookup` finds a match, fetch it instead. */
export function reuseExisting(
	lookup: (ctx: IExecuteSingleFunctions) => ReuseLookup,
): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		if (!this.getNodeParameter('options.reuseExisting', false)) return requestOptions;
		const { path, qs, matches = () => true, url } = lookup(this);
		for await (const page of paginate.call<
			IExecuteSingleFunctions,
			Parameters<typeof paginate>,
			AsyncGenerator<IDataObject[]>
		>(this, path, qs, {
			itemIndex: this.getItemIndex(),
			policy: retryPolicyOf(this, this.getItemIndex()),
		})) {
			const existing = page.find(matches);
			if (existing)
				return { ...requestOptions, method: 'GET', url: url(existing), body: undefined };
		}
		return requestOptions;
	};
}
