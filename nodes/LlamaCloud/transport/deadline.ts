/**
 * One overall deadline per attempt. n8n's request timeout bounds the wait for the response
 * headers only: a body that stalls or trickles afterwards would hold the request (and the
 * item) far past its Timeout. So every attempt gets a deadline covering all of it — sending,
 * the headers, the body — and bodies are read by the transport itself, with what is left.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

/** Longest delay JavaScript timers hold (about 24.8 days); a longer one would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** What n8n's request helper returns as the body with `encoding: 'stream'` (a Node Readable). */
export interface BodyStream extends AsyncIterable<Buffer | string> {
	destroy(error?: Error): unknown;
}

export function isBodyStream(value: unknown): value is BodyStream {
	return (
		!!value &&
		typeof value === 'object' &&
		typeof (value as { destroy?: unknown }).destroy === 'function' &&
		typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
	);
}

/** Raised when an attempt's deadline passes; errors.ts turns it into "did not finish answering". */
export class DeadlineExceeded extends Error {
	constructor(
		readonly timeoutMs: number,
		/** Whether the response had begun (its headers had arrived) when time ran out. */
		readonly answering = false,
	) {
		super(`The answer did not ${answering ? 'finish' : 'come'} within ${timeoutMs} ms`);
	}
}

export class Deadline {
	/** Fires at the deadline, or when the execution is cancelled. */
	readonly signal: AbortSignal;

	private readonly timer: AbortSignal;

	private readonly endsAt: number;

	constructor(
		readonly timeoutMs: number,
		cancel?: AbortSignal,
	) {
		const ms = Math.min(Math.max(1, Math.round(timeoutMs)), MAX_TIMER_MS);
		this.endsAt = Date.now() + ms;
		// AbortSignal.timeout: a timer the runtime owns (published code may not call setTimeout).
		this.timer = AbortSignal.timeout(ms);
		this.signal = cancel ? AbortSignal.any([cancel, this.timer]) : this.timer;
	}

	get expired(): boolean {
		return this.timer.aborted || Date.now() >= this.endsAt;
	}

	remainingMs(): number {
		return Math.max(0, this.endsAt - Date.now());
	}

	/** Rejects with DeadlineExceeded when the deadline passes first; the loser is left to settle. */
	async race<T>(work: Promise<T>, answering = false): Promise<T> {
		let stop = () => {};
		const expired = new Promise<never>((_, reject) => {
			const onAbort = () => reject(new DeadlineExceeded(this.timeoutMs, answering));
			if (this.timer.aborted) return onAbort();
			this.timer.addEventListener('abort', onAbort, { once: true });
			stop = () => this.timer.removeEventListener('abort', onAbort);
		});
		// The request goes on settling after a lost race; its outcome no longer matters.
		work.catch(() => undefined);
		try {
			return await Promise.race([work, expired]);
		} finally {
			stop();
		}
	}
}

/**
 * The context, with `getExecutionCancelSignal` answering the deadline's signal. n8n's request
 * helper hands that signal to the HTTP client, which then aborts the request in whatever phase
 * it is (derived the way n8n derives its own pagination context, with Object.create).
 */
export function contextWithDeadline<C extends object>(ctx: C, deadline: Deadline): C {
	return Object.create(ctx, {
		getExecutionCancelSignal: { value: () => deadline.signal },
	}) as C;
}

/** The execution's cancel signal, for the contexts that have one. */
export function cancelSignalOf(ctx: object): AbortSignal | undefined {
	return (ctx as Partial<IExecuteFunctions>).getExecutionCancelSignal?.();
}

/**
 * Reads a response body to its end within the deadline; past it, the stream is destroyed (so
 * the connection closes) and DeadlineExceeded is thrown.
 */
export async function readBody(body: unknown, deadline: Deadline): Promise<Buffer> {
	if (deadline.expired) throw new DeadlineExceeded(deadline.timeoutMs, true);
	if (!isBodyStream(body)) {
		if (Buffer.isBuffer(body)) return body;
		if (typeof body === 'string') return Buffer.from(body, 'utf8');
		return Buffer.from(body === undefined ? '' : (JSON.stringify(body) ?? ''), 'utf8');
	}
	const chunks: Buffer[] = [];
	const read = (async () => {
		for await (const chunk of body)
			chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
		return Buffer.concat(chunks);
	})();
	let complete = false;
	try {
		const bytes = await deadline.race(read, true);
		complete = true;
		return bytes;
	} finally {
		if (!complete) body.destroy();
	}
}
