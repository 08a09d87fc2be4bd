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
import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeProperties,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeValue, numberInRange, rangeText } from '../helpers/values';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../transport/retry';

/** Name of the collection; the engine reads `requestOptions.timeout` from it for routed requests. */
export const REQUEST_OPTIONS = 'requestOptions';

export const MAX_TRIES_RANGE = { min: 1, max: 10 };
/** Seconds. */
export const MAX_RETRY_WAIT_RANGE = { min: 0, max: 3600 };
export const UPLOAD_RATE_LIMIT_RANGE = { min: 0, max: 100_000 };
/**
 * Milliseconds: up to a day. JavaScript timers hold about 24.8 days; beyond that n8n's
 * timeout would fire at once and fail every request.
 */
export const TIMEOUT_RANGE = { min: 1, max: 86_400_000 };

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

/** The same names and wording as n8n's own options, so both nodes read alike. */
const connectionOptions: INodeProperties[] = [
	{
		displayName: 'Ignore SSL Issues (Insecure)',
		name: 'allowUnauthorizedCerts',
		type: 'boolean',
		noDataExpression: true,
		default: false,
		description: 'Whether to connect even if SSL certificate validation is not possible',
	},
	{
		displayName: 'Proxy',
		name: 'proxy',
		type: 'string',
		default: '',
		placeholder: 'e.g. http://myproxy:3128',
		description:
			'HTTP proxy to use. If authentication is required it can be defined as follow: http://username:password@myproxy:3128.',
	},
];

/** Uploads only, so the LlamaCloud node's alone (the trigger never uploads). */
const uploadRateLimitOption: INodeProperties = {
	displayName: 'Upload Rate Limit (per 5 Seconds)',
	name: 'uploadRateLimit',
	type: 'number',
	typeOptions: {
		minValue: UPLOAD_RATE_LIMIT_RANGE.min,
		maxValue: UPLOAD_RATE_LIMIT_RANGE.max,
	},
	default: 50,
	description:
		"Uploads per 5 seconds this n8n sends to one LlamaCloud project, so a large ingestion runs at LlamaCloud's rate limit (50 per 5 s; higher on some plans) instead of meeting 429s. 0 sends without a limit.",
};

/** The same wording as n8n's own Timeout option, so both nodes read alike. */
const timeoutOption: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 10000,
	description:
		'Time in ms the server may take to answer a request, its whole answer included, before the request is aborted',
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
export const nodeRequestOptions = requestOptionsCollection([
	...retryOptions,
	uploadRateLimitOption,
]);

/** For the trigger, which the loader gives no Request Options. */
export const triggerRequestOptions = requestOptionsCollection([
	...retryOptions,
	...connectionOptions,
	timeoutOption,
]);

/**
 * The Request Options of one item, checked: Max Tries, Max Retry Wait (Seconds) and Timeout
 * (ms; n8n's own option on the LlamaCloud node, the trigger's own on the trigger). Only what
 * the user set; an expression that bypasses the UI's limits fails naming the field.
 */
export function parseRequestOptions(
	raw: unknown,
	node: INode,
	itemIndex: number | undefined,
): Partial<RetryPolicy> {
	const options = (raw && typeof raw === 'object' ? raw : {}) as IDataObject;
	const number = (
		name: string,
		field: string,
		min: number,
		max: number,
		whole: boolean,
	): number | undefined => {
		const value = options[name];
		if (value === undefined || value === null || value === '') return undefined;
		const n = numberInRange(value, { min, max, whole });
		if (n === undefined) {
			throw new NodeOperationError(
				node,
				`"${field}" in the node's Request Options must be ${rangeText({ min, max, whole })} (got ${describeValue(value)})${itemIndex === undefined ? '' : ` [item ${itemIndex}]`}`,
				{ itemIndex },
			);
		}
		return n;
	};
	const settings: Partial<RetryPolicy> = {};
	const maxTries = number('maxTries', 'Max Tries', MAX_TRIES_RANGE.min, MAX_TRIES_RANGE.max, true);
	const maxWait = number(
		'maxRetryWait',
		'Max Retry Wait (Seconds)',
		MAX_RETRY_WAIT_RANGE.min,
		MAX_RETRY_WAIT_RANGE.max,
		false,
	);
	const timeout = number('timeout', 'Timeout', TIMEOUT_RANGE.min, TIMEOUT_RANGE.max, false);
	const uploadRateLimit = number(
		'uploadRateLimit',
		'Upload Rate Limit (per 5 Seconds)',
		UPLOAD_RATE_LIMIT_RANGE.min,
		UPLOAD_RATE_LIMIT_RANGE.max,
		true,
	);
	if (uploadRateLimit !== undefined) settings.uploadRateLimit = uploadRateLimit;
	if (maxTries !== undefined) settings.maxTries = maxTries;
	if (maxWait !== undefined) settings.maxWaitMs = Math.round(maxWait * 1000);
	if (timeout !== undefined) settings.timeoutMs = timeout;
	if (options.allowUnauthorizedCerts === true) settings.skipSslCertificateValidation = true;
	const proxy = parseProxy(options.proxy, node, itemIndex);
	if (proxy) settings.proxy = proxy;
	return settings;
}

/**
 * "Proxy" (http://user:pass@host:port), read as n8n's routing reads it for routed requests, so
 * uploads, lookups and waits go through the same proxy and refuse the same values.
 */
function parseProxy(
	value: unknown,
	node: INode,
	itemIndex: number | undefined,
): IHttpRequestOptions['proxy'] | undefined {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) return undefined;
	const url = URL.canParse(text) ? new URL(text) : undefined;
	if (!url?.hostname || !url.port) {
		throw new NodeOperationError(
			node,
			`"Proxy" in the node's Request Options is not a valid proxy URL (got ${text})${itemIndex === undefined ? '' : ` [item ${itemIndex}]`}`,
			{
				itemIndex,
				description: 'Use the form http://host:port or http://user:password@host:port.',
			},
		);
	}
	return {
		host: url.hostname,
		port: Number(url.port),
		protocol: url.protocol.replace(/:$/, ''),
		...(url.username
			? {
					auth: {
						username: decodeURIComponent(url.username),
						password: decodeURIComponent(url.password),
					},
				}
			: {}),
	};
}

/** The retry policy for item `itemIndex` of a programmatic operation (Upload, Sync). */
export function itemRetryPolicy(ctx: IExecuteFunctions, itemIndex: number): RetryPolicy {
	const raw = ctx.getNodeParameter(REQUEST_OPTIONS, itemIndex, {});
	return { ...DEFAULT_RETRY_POLICY, ...parseRequestOptions(raw, ctx.getNode(), itemIndex) };
}

/**
 * The retry policy in a context bound to one item (routing's hooks: pass its index) or to
 * none (list searches, the trigger's poll).
 */
export function retryPolicyOf(
	ctx: IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions | IHookFunctions,
	itemIndex?: number,
): RetryPolicy {
	const raw = ctx.getNodeParameter(REQUEST_OPTIONS, {});
	return { ...DEFAULT_RETRY_POLICY, ...parseRequestOptions(raw, ctx.getNode(), itemIndex) };
}
