/**
 * The trigger's cursor: what a poll saved, and how the next poll turns a listing into events
 * and a new cursor. Pure functions; the node does the HTTP. The reasoning is in README.md.
 *
 * Cursor = watermark `w` (the largest `updated_at` the listing returned, a server timestamp),
 * anchor `a <= w` (no later than the server's clock when the listing began) and a digest of
 * the versions listed with `updated_at` in the range [a - windowMs, w].
 * The next poll lists `updated_at >= a - windowMs` and emits:
 * - every file with `updated_at > w` (changed after everything the previous poll saw), and
 * - every file in the range whose version the digest does not hold (it arrived late, or in
 *   the same millisecond as files already seen, or changed within that millisecond).
 */
import {
	diffDigest,
	encodeDigest,
	hashString,
	idHash,
	isDeletedVersion,
	isStoredDigest,
	type StoredDigest,
	type Version,
	versionKey,
	versionOf,
} from './digest';

export type FileEvent = 'created' | 'updated' | 'deleted';
export const FILE_EVENTS: FileEvent[] = ['created', 'updated', 'deleted'];

export interface CursorState {
	/** Format of this object; another value means "start over". */
	version: 1;
	/** Hash of the directory id: another directory means "start over". */
	directory: string;
	/** ISO timestamp: the largest updated_at seen. */
	watermark: string;
	/**
	 * ISO timestamp, at most `watermark`: the server's clock, a little before the listing began
	 * (absent: equal to the watermark). Changes that became visible while the listing paged
	 * are stamped after `anchor - windowMs`, so the next poll lists from there.
	 */
	anchor?: string;
	/** Overlap window the digest covers, in ms before the anchor. */
	windowMs: number;
	window: StoredDigest;
}

/** A directory file from the API, with its timestamps parsed. */
export interface ListedFile {
	json: Record<string, unknown>;
	id: string;
	/**
	 * The file's last change: updated_at, or deleted_at when that is later (on a service whose
	 * soft delete leaves updated_at alone, the deletion is the change). Every watermark and
	 * window below is in these stamps.
	 */
	updatedMs: number;
	createdMs: number;
	deletedMs: number | null;
	readonly version: Version;
}

export interface PollPlan {
	events: Array<{ file: ListedFile; event: FileEvent }>;
	state: CursorState;
	/** Listed versions the digest could not place; emitted (at least once) rather than lost. */
	undecided: number;
}

export const directoryHash = (directoryId: string): string =>
	hashString(directoryId, 0xd1).toString(16).padStart(8, '0');

/** The widest overlap window a cursor can have: the option's maximum (3600 s). */
export const MAX_WINDOW_MS = 3_600_000;

/**
 * How far ahead of this machine's clock a watermark (a server timestamp) may be. Beyond it the
 * cursor is not the server's: every later poll would list nothing and the trigger go silent.
 */
const MAX_CLOCK_AHEAD_MS = 24 * 3_600_000;

/**
 * The saved cursor, if it is one this code wrote for this directory and can trust. No cursor,
 * or one of another directory (the user chose a new one), is a plain first activation; a
 * cursor that cannot be trusted comes back with the reason (the caller warns and starts over).
 */
export function readState(
	raw: Record<string, unknown>,
	directoryId: string,
	now = Date.now(),
): { state?: CursorState; problem?: string } {
	const state = raw.cursor as Partial<CursorState> | undefined;
	if (state === undefined || state === null) return {};
	if (typeof state !== 'object' || Array.isArray(state)) return { problem: 'not an object' };
	if (state.version !== 1) return { problem: `format version ${String(state.version)}` };
	if (state.directory !== directoryHash(directoryId)) return {};
	const watermark = typeof state.watermark === 'string' ? Date.parse(state.watermark) : NaN;
	if (Number.isNaN(watermark)) return { problem: 'a watermark that is not a timestamp' };
	if (watermark > now + MAX_CLOCK_AHEAD_MS) {
		return { problem: `a watermark in the future, ${String(state.watermark)}` };
	}
	const { windowMs } = state;
	if (typeof windowMs !== 'number' || !(windowMs >= 0 && windowMs <= MAX_WINDOW_MS)) {
		return { problem: `a late-arrival window of ${String(windowMs)} ms` };
	}
	if (
		state.anchor !== undefined &&
		(typeof state.anchor !== 'string' || !(Date.parse(state.anchor) <= watermark))
	)
		return { problem: 'an anchor that is not a timestamp before the watermark' };
	if (!isStoredDigest(state.window)) return { problem: 'a digest of seen files that is not one' };
	return { state: state as CursorState };
}

/**
 * Parses an API timestamp to ms. The API sends UTC; a value without a zone designator is
 * read as UTC too (Date.parse would take the local zone). Sub-millisecond digits are dropped.
 */
export function parseTimestamp(value: unknown): number | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	// The usual form, 2026-03-01T09:00:00.000Z, parses as is (full scans parse one per file).
	if (value.length === 24 && value.charCodeAt(23) === 90 /* Z */) {
		const ms = Date.parse(value);
		if (!Number.isNaN(ms)) return ms;
	}
	let text = value.trim();
	if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text += 'Z';
	text = text.replace(/(\.\d{3})\d+/, '$1');
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? undefined : ms;
}

export const toIso = (ms: number): string => new Date(ms).toISOString();

/** updated_at in ms. A file without timestamps sorts as oldest: no watermark can place it. */
export const updatedMsOf = (json: Record<string, unknown>): number =>
	parseTimestamp(json.updated_at) ?? parseTimestamp(json.created_at) ?? 0;

/** Parses a listed file; its version (a hash of the whole object) is computed when first asked for. */
export function toListedFile(
	json: Record<string, unknown>,
	updatedMs = updatedMsOf(json),
): ListedFile {
	let version: Version | undefined;
	const deletedMs =
		json.deleted_at === null || json.deleted_at === undefined
			? null
			: (parseTimestamp(json.deleted_at) ?? updatedMs);
	return {
		json,
		id: String(json.id),
		updatedMs: deletedMs === null ? updatedMs : Math.max(updatedMs, deletedMs),
		createdMs: parseTimestamp(json.created_at) ?? updatedMs,
		deletedMs,
		get version() {
			return (version ??= versionOf(json as { id: string; deleted_at?: unknown }));
		},
	};
}

/**
 * One entry per file id, in (updated_at, id) order. A file changed while the listing was
 * paging can be listed twice: its newest version wins.
 */
export function latestVersions(files: ListedFile[]): ListedFile[] {
	const byId = new Map<string, ListedFile>();
	for (const file of files) {
		const known = byId.get(file.id);
		if (!known || file.updatedMs >= known.updatedMs) byId.set(file.id, file);
	}
	return [...byId.values()].sort(
		(x, y) => x.updatedMs - y.updatedMs || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
	);
}

/** Where the anchor of the next cursor may lie, from the listing that produced it. */
export interface AnchorBounds {
	/** The server's clock a little before the listing began (absent: unknown). */
	serverStartMs?: number;
	/** The smallest anchor the listing covers: its lower bound plus the window. */
	minMs?: number;
}

/**
 * The cursor after a listing that covers the new range: the newest change `w`, an anchor no
 * later than the server's clock when the listing began (so a change that became visible while
 * it paged, stamped up to `windowMs` earlier, is in the next listing), and every listed file
 * from `anchor - windowMs` to `w`. `fallbackMs` is the watermark when nothing newer was listed.
 */
export function stateAfter(
	files: ListedFile[],
	directoryId: string,
	windowMs: number,
	fallbackMs: number,
	bounds: AnchorBounds = {},
): CursorState {
	const watermark = files.reduce((max, f) => Math.max(max, f.updatedMs), fallbackMs);
	const anchor = Math.max(
		Math.min(watermark, bounds.serverStartMs ?? watermark),
		Math.min(watermark, bounds.minMs ?? -Infinity),
	);
	const inRange = files.filter((f) => f.updatedMs >= anchor - windowMs && f.updatedMs <= watermark);
	return {
		version: 1,
		directory: directoryHash(directoryId),
		watermark: toIso(watermark),
		...(anchor < watermark ? { anchor: toIso(anchor) } : {}),
		windowMs,
		window: encodeDigest(inRange.map((f) => f.version)),
	};
}

/** The anchor of a saved cursor (the watermark when it has none). */
export const anchorMsOf = (state: CursorState): number =>
	Date.parse(state.anchor ?? state.watermark);

/** First query bound of the next poll: the start of the previous range and of the new one. */
export function listFromMs(state: CursorState, windowMs: number): number {
	return anchorMsOf(state) - Math.max(state.windowMs, windowMs);
}

/**
 * Events and new cursor from a listing of every file with `updated_at >= listFromMs(state)`
 * (deduplicated by `latestVersions`). Files older than that (a server that ignored the filter)
 * must have been dropped by the caller.
 */
export function planPoll(
	state: CursorState,
	files: ListedFile[],
	directoryId: string,
	windowMs: number,
	serverStartMs?: number,
): PollPlan {
	const w = Date.parse(state.watermark);
	const anchor = anchorMsOf(state);
	const windowStart = anchor - state.windowMs;
	const inOldWindow = files.filter((f) => f.updatedMs >= windowStart && f.updatedMs <= w);
	const diff = diffDigest(
		state.window,
		inOldWindow.map((f) => f.version),
	);

	const events: PollPlan['events'] = [];
	let undecided = 0;
	for (const file of files) {
		if (file.updatedMs < windowStart) continue;
		if (file.updatedMs <= w) {
			const key = versionKey(file.version);
			if (diff.undecided.has(key)) undecided++;
			else if (!diff.added.has(key)) continue; // the previous poll saw this very version
		}
		const event = classify(file, windowStart, diff.removed.get(idHash(file.id)));
		if (event) events.push({ file, event });
	}
	// Nothing new listed: keep the cursor as it is, so an idle poll makes n8n save nothing. Its
	// anchor may lag behind the server's clock, which only widens the next listing a little.
	const idle =
		windowMs === state.windowMs &&
		diff.added.size === 0 &&
		diff.undecided.size === 0 &&
		files.every((f) => f.updatedMs <= w);
	if (idle) return { events, state, undecided };
	// The new range must lie within what this poll listed: from its anchor on.
	const next = stateAfter(files, directoryId, windowMs, w, { serverStartMs, minMs: anchor });
	return { events, state: next, undecided };
}

/**
 * Net change of a file since the previous poll, from whether it was alive then and now.
 * `replaced` is the `b` of the version the previous poll saw in its window, when it saw one.
 * Otherwise timestamps decide, under the assumption that a change is listed within `windowMs`
 * of its `updated_at`: created before the window → seen; created in it or later → unseen (had
 * the previous poll seen it, the digest would hold a version of it).
 */
function classify(
	file: ListedFile,
	windowStart: number,
	replaced: number | undefined,
): FileEvent | undefined {
	let seenBefore: boolean;
	let deletedBefore: boolean;
	if (replaced !== undefined) {
		seenBefore = true;
		deletedBefore = isDeletedVersion(replaced);
	} else {
		// Created inside the window with no version in the digest: the previous poll missed it.
		seenBefore = file.createdMs < windowStart;
		deletedBefore = file.deletedMs !== null && file.deletedMs < windowStart;
	}
	const aliveBefore = seenBefore && !deletedBefore;
	const aliveNow = file.deletedMs === null;
	if (aliveNow) return aliveBefore ? 'updated' : 'created';
	return aliveBefore ? 'deleted' : undefined;
}
