/**
 * "Request Options" (the node's Settings tab): how long one request may take and how hard the
 * package retries 408/429/5xx answers and dropped connections.
 *
 * n8n's loader adds a collection named `requestOptions` to every declarative node (Batching,
 * Ignore SSL Issues, Proxy, Timeout) and merges in the options a node declares under that
 * name. So the retry settings sit next to the engine's own Timeout, and the transport reads
 * that same Timeout for the requests it makes itself (uploads, lookups, sync-and-wait): one
 * place and one knob per setting, for routed and programmatic requests alike. The trigger is a
 * polling node, which the loader leaves alone, so it declares the Timeout itself.
 */
import type { INodeProperties } from 'n8n-workflow';

/** Name of the collection; the engine reads `requestOptions.timeout` from it for routed requests. */
export const REQUEST_OPTIONS = 'requestOptions';

export const MAX_TRIES_RANGE = { min: 1, max: 10 };
/** Seconds. */
export const MAX_RETRY_WAIT_RANGE = { min: 0, max: 3600 };

const retryOptions: INodeProperties[] = [
	{
		displayName: 'Max Tries',
		name: 'maxTries',
		type: 'number',
		typeOptions: { minValue: MAX_TRIES_RANGE.min, maxValue: MAX_TRIES_RANGE.max },
		default: 5,
		description:
			'How many times a request is sent at most (the first time included) when LlamaCloud answers 408, 429, 500, 502, 503 or 504 or the connection fails. Only the failed request is repeated, not the whole node.',
	},
	{
		displayName: 'Max Retry Wait (Seconds)',
		name: 'maxRetryWait',
		type: 'number',
		typeOptions: { minValue: MAX_RETRY_WAIT_RANGE.min, maxValue: MAX_RETRY_WAIT_RANGE.max },
		default: 60,
		description:
			'Upper bound on the time one request spends waiting between tries (exponential backoff, or what LlamaCloud asks for in Retry-After)',
	},
];

/** The same wording as n8n's own Timeout option, so both nodes read alike. */
const timeoutOption: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 10000,
	description:
		'Time in ms to wait for the server to send response headers (and start the response body) before aborting the request',
};

function requestOptionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Request Options',
		name: REQUEST_OPTIONS,
		type: 'collection',
		isNodeSetting: true,
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** For the LlamaCloud node: n8n's loader merges these into its Request Options (with Timeout). */
export const nodeRequestOptions = requestOptionsCollection(retryOptions);

/** For the trigger, which the loader gives no Request Options. */
export const triggerRequestOptions = requestOptionsCollection([...retryOptions, timeoutOption]);
