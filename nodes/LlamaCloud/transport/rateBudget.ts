/**
 * A client-side budget for LlamaCloud's upload rate limit (documented: 50 requests per 5 s per
 * project; "Upload Rate Limit" in Request Options): uploads wait for room instead of meeting a
 * storm of 429s. One budget per API origin, project scope and limit, shared by every execution
 * in this n8n process (concurrent ingestions into one project share one limit on the server).
 *
 * It lets at most the limit through in any 5 s, counting each upload from when its answer came
 * back (the server counted it before then), and an upload still waiting for its answer as if
 * now: however long requests take to reach the server, no server window of any alignment
 * (fixed or sliding) sees more than the limit. (Counting from the send would not hold: an
 * upload that reached the server late and the next one that reached it early can land in one
 * window.) A small batch goes at full speed; a large ingestion runs at the limit, less the time
 * an upload takes (5 s of every 5.2 s at 200 ms an upload). On a 429 it sends a fifth less and
 * pauses everyone for what the server asked (Retry-After) or a second; each upload let through
 * afterwards wins a little back.
 */
import { sleep } from 'n8n-workflow';

export const UPLOAD_WINDOW_MS = 5000;

/** Requests that count against the upload limit: the two upload routes. */
const UPLOAD_PATHS = [
	/^\/api\/v1\/beta\/directories\/[^/]+\/files\/upload$/,
	/^\/api\/v1\/beta\/files$/,
];

export function isUploadRequest(method: string, path: string): boolean {
	return method.toUpperCase() === 'POST' && UPLOAD_PATHS.some((re) => re.test(path.split('?')[0]));
}

const SLOWDOWN = 0.8;
/** Never below a fifth of the limit: the server's Retry-After still governs beyond that. */
const MIN_SHARE = 0.2;
/** Each upload let through after a 429 wins back this share of the limit. */
const RECOVERY_SHARE = 0.02;
const DEFAULT_PAUSE_MS = 1000;

export class RateBudget {
	private readonly target: number;
	private allowed: number;
	/** Uploads let through whose answer has not come yet. */
	private inFlight = 0;
	/** When the answers of the others came (ms), oldest first, within the last window. */
	private readonly answered: number[] = [];
	private pausedUntil = 0;

	constructor(
		limit: number,
		private readonly windowMs = UPLOAD_WINDOW_MS,
		private readonly now: () => number = Date.now,
		private readonly wait: (ms: number) => Promise<void> = sleep,
	) {
		this.target = Math.max(1, Math.floor(limit));
		this.allowed = this.target;
	}

	/** Uploads it lets through per window now (for tests and diagnostics). */
	get perWindow(): number {
		return Math.max(1, Math.floor(this.allowed));
	}

	/**
	 * Waits until one more upload fits in the window and counts it; returns what to call once
	 * its answer (or failure) is in, from when on it counts.
	 */
	async take(): Promise<() => void> {
		for (;;) {
			const now = this.now();
			while (this.answered.length > 0 && this.answered[0] <= now - this.windowMs)
				this.answered.shift();
			const used = this.inFlight + this.answered.length;
			if (now >= this.pausedUntil && used < this.perWindow) {
				this.inFlight++;
				let open = true;
				return () => {
					if (!open) return;
					open = false;
					this.inFlight--;
					this.answered.push(this.now());
				};
			}
			// Room comes when the oldest answer leaves the window; an upload in flight now
			// answers no earlier than now, so a whole window is never too long to wait.
			let untilRoom = 0;
			if (used >= this.perWindow)
				untilRoom =
					this.answered.length > 0 ? this.answered[0] + this.windowMs - now : this.windowMs;
			await this.wait(Math.max(1, untilRoom, this.pausedUntil - now));
		}
	}

	/** An upload let through: win back a little. */
	succeeded(): void {
		this.allowed = Math.min(this.target, this.allowed + this.target * RECOVERY_SHARE);
	}

	/** A 429: send less, and pause everyone for what the server asked (or a second). */
	throttled(retryAfterMs?: number): void {
		this.allowed = Math.max(this.target * MIN_SHARE, this.allowed * SLOWDOWN);
		const pause = retryAfterMs !== undefined && retryAfterMs >= 0 ? retryAfterMs : DEFAULT_PAUSE_MS;
		this.pausedUntil = Math.max(this.pausedUntil, this.now() + pause);
	}
}

/** Budgets by origin, project scope and limit; the map's keys hold no secret. */
const budgets = new Map<string, RateBudget>();

/** FNV-1a: tells API keys (so their default projects) apart without keeping them. */
function fingerprint(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
	return (hash >>> 0).toString(16);
}

/**
 * The shared budget of one API origin and project (the credential's project id, else its
 * organization's default project, else the key's default project) for `limit` uploads per 5 s.
 */
export function uploadBudget(
	baseUrl: string,
	credentials: { apiKey?: unknown; projectId?: unknown; organizationId?: unknown },
	limit: number,
): RateBudget {
	const project = String(credentials.projectId ?? '').trim();
	const organization = String(credentials.organizationId ?? '').trim();
	const scope = project
		? `project:${project}`
		: organization
			? `organization:${organization}`
			: `key:${fingerprint(String(credentials.apiKey ?? ''))}`;
	const key = `${baseUrl}|${scope}|${limit}`;
	let budget = budgets.get(key);
	if (!budget) {
		budget = new RateBudget(limit);
		budgets.set(key, budget);
	}
	return budget;
}
