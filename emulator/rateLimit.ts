/**
 * LlamaCloud's documented upload rate limit, enforced with 429s: "File Upload: 50 requests per
 * 5 seconds, applied per project; limits reset at the end of each time window; when you exceed
 * the rate limit, the API returns 429 Too Many Requests" (developers.llamaindex.ai, General →
 * Rate Limits). What the page leaves open is a switch here (README.md, "Rate limit"): which
 * routes count, how the window moves, and what the 429 says about when to come back.
 */
import { performance } from 'node:perf_hooks';

export interface RateLimitOptions {
	/** Requests allowed per window and project. Default 50 (documented). */
	limit?: number;
	/** Window length in ms. Default 5000 (documented). */
	windowMs?: number;
	/**
	 * Which requests count: `uploads` (default: `POST /api/v1/beta/directories/{id}/files/upload`
	 * and `POST /api/v1/beta/files`, today's forms of the documented `POST /api/v1/files`) or
	 * `all` (every API request, e.g. for the free tier's "20 requests per minute").
	 */
	routes?: 'uploads' | 'all';
	/**
	 * `fixed` (default): a window starts with the first counted request after the previous one
	 * ended, and resets when it ends (a counter with a time to live). `sliding`: at most `limit`
	 * in any `windowMs`.
	 */
	window?: 'fixed' | 'sliding';
	/**
	 * What a 429 carries: `seconds` (default: `Retry-After`, whole seconds until a request would
	 * be let through), `ms` (`retry-after-ms` as well), `none` (no hint).
	 */
	retryAfter?: 'seconds' | 'ms' | 'none';
}

/** The documented limit for file uploads. */
export const DOCUMENTED_UPLOAD_LIMIT = { limit: 50, windowMs: 5000 } as const;

const UPLOAD_ROUTES = [
	/^\/api\/v1\/beta\/directories\/[^/]+\/files\/upload$/,
	/^\/api\/v1\/beta\/files$/,
];

export interface RateLimitCounters {
	/** Counted requests let through. */
	allowed: number;
	/** Counted requests answered 429. */
	limited: number;
}

export type RateLimitVerdict =
	{ ok: true } | { ok: false; waitMs: number; headers: Record<string, string> };

export class RateLimiter {
	private options: Required<RateLimitOptions> | null = null;
	/** Per project: the arrival times counted in the current window (fixed: its start and count). */
	private readonly hits = new Map<string, number[]>();
	private readonly windows = new Map<string, { start: number; count: number }>();
	private counts: RateLimitCounters = { allowed: 0, limited: 0 };

	constructor(
		private readonly initial: RateLimitOptions | null = null,
		private readonly now: () => number = () => performance.now(),
	) {
		this.configure(initial);
	}

	/** Switches the limit on with these options (missing ones take the documented defaults), or off with null. */
	configure(options: RateLimitOptions | null): void {
		this.options = options && {
			limit: options.limit ?? DOCUMENTED_UPLOAD_LIMIT.limit,
			windowMs: options.windowMs ?? DOCUMENTED_UPLOAD_LIMIT.windowMs,
			routes: options.routes ?? 'uploads',
			window: options.window ?? 'fixed',
			retryAfter: options.retryAfter ?? 'seconds',
		};
		if (this.options && !(this.options.limit >= 1 && this.options.windowMs >= 1))
			throw new Error('rateLimit: limit and windowMs must be at least 1');
		this.hits.clear();
		this.windows.clear();
	}

	/** The options in force (null: no limit). */
	get config(): Readonly<Required<RateLimitOptions>> | null {
		return this.options;
	}

	get counters(): RateLimitCounters {
		return { ...this.counts };
	}

	/** Back to the start options, with empty windows and zero counters. */
	reset(): void {
		this.configure(this.initial);
		this.counts = { allowed: 0, limited: 0 };
	}

	/** Counts one request of `projectId`, or refuses it with the wait until one would pass. */
	check(method: string, path: string, projectId: string): RateLimitVerdict {
		const o = this.options;
		if (!o || !this.applies(o, method, path)) return { ok: true };
		const now = this.now();
		const waitMs =
			o.window === 'fixed' ? this.fixed(o, projectId, now) : this.sliding(o, projectId, now);
		if (waitMs === 0) {
			this.counts.allowed++;
			return { ok: true };
		}
		this.counts.limited++;
		const headers: Record<string, string> = {};
		if (o.retryAfter !== 'none')
			headers['retry-after'] = String(Math.max(1, Math.ceil(waitMs / 1000)));
		if (o.retryAfter === 'ms') headers['retry-after-ms'] = String(Math.ceil(waitMs));
		return { ok: false, waitMs, headers };
	}

	private applies(o: Required<RateLimitOptions>, method: string, path: string): boolean {
		return o.routes === 'all' || (method === 'POST' && UPLOAD_ROUTES.some((r) => r.test(path)));
	}

	/** 0 when counted, else ms until the window resets. */
	private fixed(o: Required<RateLimitOptions>, projectId: string, now: number): number {
		let window = this.windows.get(projectId);
		if (!window || now >= window.start + o.windowMs) {
			window = { start: now, count: 0 };
			this.windows.set(projectId, window);
		}
		if (window.count < o.limit) {
			window.count++;
			return 0;
		}
		return window.start + o.windowMs - now;
	}

	/** 0 when counted, else ms until the oldest request in the window leaves it. */
	private sliding(o: Required<RateLimitOptions>, projectId: string, now: number): number {
		const hits = (this.hits.get(projectId) ?? []).filter((t) => t > now - o.windowMs);
		this.hits.set(projectId, hits);
		if (hits.length < o.limit) {
			hits.push(now);
			return 0;
		}
		return hits[0] + o.windowMs - now;
	}
}
