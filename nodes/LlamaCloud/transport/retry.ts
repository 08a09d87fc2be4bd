/**
 * Retries shared by programmatic and routed requests: the policy (tries, wait budget, backoff,
 * timeout), what a failure means for the next attempt (tagged on the error where it is made,
 * see errors.ts), and the loop, which never blindly repeats a create whose outcome is unknown.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { RequestContext } from './connection';
import { MAX_TIMER_MS } from './deadline';

export interface RetryPolicy {
	/** Attempts in all, the first included. */
	maxTries: number;
	/** Upper bound on the time spent waiting between attempts, in ms. */
	maxWaitMs: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/**
	 * Per-request timeout in ms: how long the server may take to answer. A body of known length
	 * gets its transfer time on top (see `effectiveTimeoutMs`).
	 */
	timeoutMs: number;
	/**
	 * The rest of n8n's Request Options, which routing applies to routed requests by itself and
	 * the transport to every other one: "Ignore SSL Issues" and "Proxy" (as routing parses it).
	 */
	skipSslCertificateValidation?: boolean;
	proxy?: IHttpRequestOptions['proxy'];
	/**
	 * Uploads per 5 s and project the client lets itself send (rateBudget.ts); 0 = no limit.
	 * Default 50, LlamaCloud's documented upload limit.
	 */
	uploadRateLimit: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxTries: 5,
	maxWaitMs: 60_000,
	baseDelayMs: 500,
	maxDelayMs: 16_000,
	// n8n's RoutingNode uses 300 s when "Timeout" is not set: programmatic requests agree with routed ones.
	timeoutMs: 300_000,
	uploadRateLimit: 50,
};

/**
 * Slowest upload rate allowed for, in bytes per ms (256 KiB/s). n8n's timeout runs from the
 * start of the request to the response headers, so sending the body counts against it. Adding
 * the body's transfer time at this rate keeps "Timeout" meaning "how long LlamaCloud may take
 * to answer" whatever the file size: one knob for every request, and with the default a
 * 512 MB upload gets 300 s + ~35 min, enough on a slow link.
 */
const SLOWEST_BYTES_PER_MS = (256 * 1024) / 1000;

/** The timeout of one attempt: the policy's plus the transfer time of a body of known length. */
export function effectiveTimeoutMs(policy: RetryPolicy, bodyBytes = 0): number {
	const ms = policy.timeoutMs + Math.ceil(Math.max(0, bodyBytes) / SLOWEST_BYTES_PER_MS);
	// Timers hold no more than this (deadline.ts); longer would fire at once.
	return Math.min(ms, MAX_TIMER_MS);
}

/** Delay the server asked for: `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(
	headers: IDataObject | undefined,
	now = Date.now(),
): number | undefined {
	if (!headers) return undefined;
	const get = (name: string) => {
		const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
		const value = key === undefined ? undefined : headers[key];
		return Array.isArray(value)
			? String(value[0])
			: value === undefined
				? undefined
				: String(value);
	};
	const ms = Number(get('retry-after-ms'));
	if (get('retry-after-ms') !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
	const after = get('retry-after');
	if (after === undefined || after.trim() === '') return undefined;
	const seconds = Number(after);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(after);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before try `attempt + 1`. Without a server hint: exponential backoff with
 * jitter (half fixed, half random, so concurrent items spread out). With one: what the server
 * asked for plus up to 10 % (at most 1 s), so items rate-limited together do not all return in
 * the same millisecond.
 */
export function backoffMs(
	attempt: number,
	policy: RetryPolicy,
	serverHintMs?: number,
	random = Math.random,
): number {
	if (serverHintMs !== undefined)
		return Math.round(serverHintMs + random() * Math.min(serverHintMs * 0.1, 1000));
	const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(cap / 2 + (random() * cap) / 2);
}

/** What a failed attempt means for the next one. */
export interface FailureInfo {
	retryable: boolean;
	/** The request may have been applied although no (usable) response came back. */
	outcomeUnknown: boolean;
	/**
	 * The server may have done the work although it answered with an error (a 5xx, a timeout):
	 * wider than `outcomeUnknown`, which only the failures that are never retried blindly set.
	 */
	mayHaveApplied?: boolean;
	/** For an unknown outcome: what happened to `request` ("POST /x"), e.g. "the connection dropped after POST /x was sent". */
	lost?: (request: string) => string;
	waitHintMs?: number;
	/** What the user can do about it, appended to the description. */
	hint: string;
}

const FAILURE_INFO = Symbol('llamaCloudFailure');

export function failureInfo(error: unknown): FailureInfo {
	const info = (error as { [FAILURE_INFO]?: FailureInfo })?.[FAILURE_INFO];
	return info ?? { retryable: false, outcomeUnknown: false, hint: '' };
}

export function tag<E extends Error>(error: E, info: FailureInfo): E {
	(error as unknown as { [FAILURE_INFO]: FailureInfo })[FAILURE_INFO] = info;
	return error;
}

const AFTER_MAYBE_APPLIED = Symbol('llamaCloudAfterMaybeApplied');

/**
 * Whether a failure came from a retry that followed an attempt the server may have carried out
 * (a 503 after storing, a timeout): an upload's 409 then can be its own earlier attempt's file.
 */
export function followsPossiblyAppliedAttempt(error: unknown): boolean {
	return (error as { [AFTER_MAYBE_APPLIED]?: boolean })?.[AFTER_MAYBE_APPLIED] === true;
}

export function isTagged(error: unknown): error is NodeApiError {
	return !!(error as { [FAILURE_INFO]?: FailureInfo })?.[FAILURE_INFO];
}

export function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

export interface RetryOptions {
	/** The caller's, from the node's Request Options (descriptions/requestOptions.description.ts). */
	policy: RetryPolicy;
	/**
	 * Whether sending the request twice is harmless. When false (requests that create
	 * something), a failure with an unknown outcome is not repeated blindly: `reconcile` is
	 * asked whether the first attempt took effect, and without it the item fails clearly.
	 */
	idempotent?: boolean;
	/**
	 * Resolves with what the lost attempt created; `undefined` when it did not take effect (the
	 * request is sent again); `null` when that cannot be told (the item fails clearly).
	 */
	reconcile?: () => Promise<unknown>;
	itemIndex?: number;
	/** For messages: "POST /api/v1/...". */
	describe?: string;
	/**
	 * Statuses the caller handles itself instead of retrying them: Sync meets 409 or 429 while a
	 * build runs, and waits for that build rather than spending its tries.
	 */
	notRetried?: readonly number[];
}

type NodeFailure = NodeApiError | NodeOperationError;

/** Errors leave the retry loop as n8n errors, whatever threw them (their message only). */
function asNodeFailure(
	ctx: RequestContext,
	error: unknown,
	itemIndex: number | undefined,
): NodeFailure {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(
		ctx.getNode(),
		error instanceof Error ? error.message : String(error),
		{ itemIndex },
	);
}

function unknownOutcome(
	ctx: RequestContext,
	options: RetryOptions,
	failure: NodeFailure,
	checkFailed?: NodeFailure,
) {
	const item = options.itemIndex === undefined ? '' : ` [item ${options.itemIndex}]`;
	const what = options.describe ?? 'the request';
	const cause = failure.message;
	const lost = failureInfo(failure).lost?.(what) ?? `The answer to ${what} was lost`;
	return new NodeOperationError(
		ctx.getNode(),
		checkFailed
			? `It is unknown whether ${what} was applied: the answer was lost (${cause}) and checking failed (${checkFailed.message})${item}`
			: `${lost}, so it is unknown whether it was applied${item}`,
		{
			itemIndex: options.itemIndex,
			description: `${checkFailed ? '' : `${cause}. `}It was not sent again, to avoid creating a duplicate. Check in LlamaCloud whether it exists before re-running this item.`,
		},
	);
}

/** Why the loop gave up, appended to the description: "Tried 5 times, waiting 12.3 s in between. ..." */
function addAttempts(
	failure: NodeFailure,
	tries: number,
	waitedMs: number,
	reason: string,
): NodeFailure {
	const summary =
		tries > 1 ? ` Tried ${tries} times, waiting ${seconds(waitedMs)} in between.` : '';
	failure.description = `${failure.description ?? ''}${summary}${reason}`;
	return failure;
}

const RAISE_LIMITS =
	' Raise "Max Tries" or "Max Retry Wait (Seconds)" in the node\'s Request Options (Settings) to keep trying longer.';

export async function withRetries<T>(
	ctx: RequestContext,
	attempt: () => Promise<T>,
	options: RetryOptions,
): Promise<T> {
	const { policy } = options;
	let waited = 0;
	let earlierMayHaveApplied = false;
	for (let tries = 1; ; tries++) {
		let failure: NodeFailure;
		try {
			return await attempt();
		} catch (error) {
			failure = asNodeFailure(ctx, error, options.itemIndex);
		}
		if (earlierMayHaveApplied) {
			(failure as unknown as { [AFTER_MAYBE_APPLIED]: boolean })[AFTER_MAYBE_APPLIED] = true;
		}
		const info = failureInfo(failure);
		earlierMayHaveApplied ||= info.mayHaveApplied === true || info.outcomeUnknown;
		if (info.outcomeUnknown && options.idempotent === false) {
			if (!options.reconcile) throw unknownOutcome(ctx, options, failure);
			let existing: unknown;
			let checkFailed: NodeFailure | undefined;
			try {
				existing = await options.reconcile();
			} catch (error) {
				checkFailed = asNodeFailure(ctx, error, options.itemIndex);
			}
			if (checkFailed || existing === null)
				throw unknownOutcome(ctx, options, failure, checkFailed);
			if (existing !== undefined) return existing as T;
			// Reconciliation showed the first attempt did not take effect: safe to send again.
		}
		if (!info.retryable || options.notRetried?.includes(httpStatus(failure))) throw failure;
		if (tries >= policy.maxTries)
			throw addAttempts(failure, tries, waited, tries > 1 ? RAISE_LIMITS : '');
		const remaining = policy.maxWaitMs - waited;
		if (info.waitHintMs !== undefined && info.waitHintMs > remaining) {
			throw addAttempts(
				failure,
				tries,
				waited,
				` LlamaCloud asked to wait ${seconds(info.waitHintMs)} before trying again, longer than "Max Retry Wait (Seconds)" allows.`,
			);
		}
		if (remaining <= 0) throw addAttempts(failure, tries, waited, RAISE_LIMITS);
		if (cancelled(ctx)) throw failure;
		// A backoff longer than what is left of the budget is cut short: one more try beats none.
		const delay = Math.min(backoffMs(tries, policy, info.waitHintMs), remaining);
		waited += delay;
		await sleep(delay);
	}
}

function httpStatus(failure: NodeFailure): number {
	return failure instanceof NodeApiError ? Number(failure.httpCode) : NaN;
}

function cancelled(ctx: RequestContext): boolean {
	const signal = (ctx as Partial<IExecuteFunctions>).getExecutionCancelSignal?.();
	return signal?.aborted === true;
}
