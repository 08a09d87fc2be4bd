/**
 * Fault injection: what a client meets between it and the real service (rate limits, proxy
 * errors, dropped connections, slow responses), on demand and reproducibly.
 *
 * Two sources, checked in this order for every API request:
 * 1. a script — steps consumed one matching request at a time (`null` = let it through);
 * 2. probabilities — one draw of a seeded PRNG per matching request, so a run with the same
 *    seed and the same request sequence injects the same faults.
 */

/** Probabilities (0..1) per fault kind, plus their parameters. */
export interface FaultOptions {
	/** PRNG seed; the same seed and request sequence give the same faults. Default 1. */
	seed?: number;
	status429?: number;
	status500?: number;
	/** 502 answers with an HTML proxy page, not JSON. */
	status502?: number;
	status503?: number;
	/** Destroy the socket before the request is processed (the change is NOT applied). */
	resetBefore?: number;
	/** Process the request, then destroy the socket instead of answering (the change IS applied). */
	resetAfter?: number;
	/** Added latency in ms: fixed, or a [min, max] range drawn uniformly. */
	latencyMs?: number | [number, number];
	/** Probability of adding latency to a request (default 1 when latencyMs is set). */
	latency?: number;
	/** `Retry-After` seconds sent with 429 and 503. Default 1. */
	retryAfterSeconds?: number;
	/** For resetBefore: body bytes to read before the reset (default: the whole body). */
	resetReadBytes?: number;
	/** Only requests whose method is listed are eligible (default: all). */
	methods?: string[];
	/** Only requests whose path matches are eligible (default: all). */
	path?: RegExp | string;
}

/** One scripted step. */
export type FaultStep =
	| {
			kind: 'status';
			status: number;
			/** Sent as `Retry-After` (seconds); defaults to retryAfterSeconds for 429 and 503. */
			retryAfterSeconds?: number;
			/** Raw body; defaults to `{"detail": ...}` (or an HTML page for 502). */
			body?: string;
			contentType?: string;
	  }
	| {
			kind: 'reset';
			/** 'before': nothing is applied; 'after': the request is applied, the answer is lost. */
			when: 'before' | 'after';
			/** For 'before': body bytes to read before the reset (default: the whole body). */
			readBytes?: number;
	  }
	| { kind: 'latency'; ms: number };

/** Which requests a script applies to; others pass through without consuming a step. */
export interface ScriptFilter {
	method?: string | RegExp;
	path?: string | RegExp;
}

/** What the server must do with one request. */
export interface FaultDecision {
	latencyMs: number;
	action:
		| null
		| {
				kind: 'status';
				status: number;
				retryAfterSeconds?: number;
				body?: string;
				contentType?: string;
		  }
		| { kind: 'reset'; when: 'before' | 'after'; readBytes?: number };
}

export const FAULT_COUNTER_KINDS = [
	'status429',
	'status500',
	'status502',
	'status503',
	'resetBefore',
	'resetAfter',
	'latency',
] as const;

/** Injected faults by kind; scripted statuses outside the four above count as `status<code>`. */
export type FaultCounters = Record<(typeof FAULT_COUNTER_KINDS)[number] | 'total', number> &
	Record<string, number>;

/** mulberry32: tiny, fast, good enough to spread faults; the point is reproducibility. */
export function createPrng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function toRegExp(pattern: string | RegExp): RegExp {
	return typeof pattern === 'string' ? new RegExp(pattern) : pattern;
}

function zeroCounters(): FaultCounters {
	const counters = { total: 0 } as FaultCounters;
	for (const kind of FAULT_COUNTER_KINDS) counters[kind] = 0;
	return counters;
}

export class FaultController {
	private options: FaultOptions;
	private random: () => number;
	private steps: Array<FaultStep | null> = [];
	private scriptFilter: { method?: RegExp; path?: RegExp } = {};
	private enabled = true;
	private counts: FaultCounters = zeroCounters();

	constructor(private readonly initial: FaultOptions = {}) {
		this.options = { ...initial };
		this.random = createPrng(initial.seed ?? 1);
	}

	/** Replaces the probabilities (and reseeds the PRNG); re-enables injection. */
	configure(options: FaultOptions): void {
		this.options = { ...options };
		this.random = createPrng(options.seed ?? 1);
		this.enabled = true;
	}

	/** The probabilities in force. */
	get config(): Readonly<FaultOptions> {
		return this.options;
	}

	/**
	 * Replaces the script: each step applies to the next request matching `filter` (all requests
	 * when omitted); `null` lets that request through. Probabilities resume when it runs out.
	 */
	script(steps: Array<FaultStep | null>, filter: ScriptFilter = {}): void {
		this.steps = [...steps];
		this.scriptFilter = {
			method:
				filter.method === undefined
					? undefined
					: typeof filter.method === 'string'
						? new RegExp(`^${filter.method}$`, 'i')
						: filter.method,
			path: filter.path === undefined ? undefined : toRegExp(filter.path),
		};
		this.enabled = true;
	}

	/** Steps of the script not consumed yet. */
	get scriptRemaining(): number {
		return this.steps.length;
	}

	/** Stops all injection (script and probabilities) until configure() or script() is called. */
	disable(): void {
		this.enabled = false;
		this.steps = [];
	}

	/** Back to the constructor's options: script cleared, PRNG reseeded, counters zeroed. */
	reset(): void {
		this.configure(this.initial);
		this.steps = [];
		this.scriptFilter = {};
		this.resetCounters();
	}

	resetCounters(): void {
		this.counts = zeroCounters();
	}

	/** A snapshot of what was injected so far. */
	get counters(): FaultCounters {
		return { ...this.counts };
	}

	/** Decides the fault for one request and counts it. */
	decide(method: string, path: string): FaultDecision {
		const none: FaultDecision = { latencyMs: 0, action: null };
		if (!this.enabled) return none;

		if (this.steps.length > 0 && this.matchesScript(method, path)) {
			const step = this.steps.shift() ?? null;
			if (step === null) return none;
			if (step.kind === 'latency') {
				this.count('latency');
				return { latencyMs: step.ms, action: null };
			}
			this.count(
				step.kind === 'status'
					? `status${step.status}`
					: step.when === 'before'
						? 'resetBefore'
						: 'resetAfter',
			);
			return { latencyMs: 0, action: step };
		}

		const o = this.options;
		if (o.methods && !o.methods.some((m) => m.toUpperCase() === method)) return none;
		if (o.path !== undefined && !toRegExp(o.path).test(path)) return none;

		const decision: FaultDecision = { latencyMs: 0, action: null };
		// One draw for the action, one for latency: the sequence stays the same whatever is enabled.
		const roll = this.random();
		const latencyRoll = this.random();
		const retryAfterSeconds = o.retryAfterSeconds ?? 1;
		const table: Array<[keyof FaultOptions, () => FaultDecision['action']]> = [
			['status429', () => ({ kind: 'status', status: 429, retryAfterSeconds })],
			['status500', () => ({ kind: 'status', status: 500 })],
			['status502', () => ({ kind: 'status', status: 502 })],
			['status503', () => ({ kind: 'status', status: 503, retryAfterSeconds })],
			['resetBefore', () => ({ kind: 'reset', when: 'before', readBytes: o.resetReadBytes })],
			['resetAfter', () => ({ kind: 'reset', when: 'after' })],
		];
		let threshold = 0;
		for (const [kind, make] of table) {
			threshold += Number(o[kind] ?? 0);
			if (roll < threshold) {
				decision.action = make();
				this.count(kind);
				break;
			}
		}
		if (o.latencyMs !== undefined && latencyRoll < (o.latency ?? 1)) {
			const [min, max] = Array.isArray(o.latencyMs) ? o.latencyMs : [o.latencyMs, o.latencyMs];
			decision.latencyMs = Math.round(min + (max - min) * this.random());
			this.count('latency');
		}
		return decision;
	}

	private matchesScript(method: string, path: string): boolean {
		const { method: m, path: p } = this.scriptFilter;
		return (!m || m.test(method)) && (!p || p.test(path));
	}

	private count(kind: string): void {
		this.counts[kind] = (this.counts[kind] ?? 0) + 1;
		this.counts.total++;
	}
}
