/**
 * The trigger's cursor: what a poll saved, and how the next poll turns a listing into events
 * and a new cursor. Pure functions; the node does the HTTP. The reasoning is in README.md.
 *
 * Cursor = watermark `w` (the largest `updated_at` the listing returned, a server timestamp)
 * + a digest of the versions listed with `updated_at` in the overlap window [w - windowMs, w].
 * The next poll lists `updated_at >= w - windowMs` and emits:
 * - every file with `updated_at > w` (changed after everything the previous poll saw), and
 * - every file in the window whose version the digest does not hold (it arrived late, or in
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
	/** Overlap window the digest covers, in ms before the watermark. */
	windowMs: number;
	window: StoredDigest;
}

/** A directory file from the API, with its timestamps parsed. */
export interface ListedFile {
	json: Record<string, unknown>;
	id: string;
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

/** The saved cursor, if it is one this code wrote for this directory. */
export function readState(
	raw: Record<string, unknown>,
	directoryId: string,
): CursorState | undefined {
	const state = raw.cursor as Partial<CursorState> | undefined;
	if (!state || typeof state !== 'object' || state.version !== 1) return undefined;
	if (state.directory !== directoryHash(directoryId)) return undefined;
	if (typeof state.watermark !== 'string' || Number.isNaN(Date.parse(state.watermark)))
		return undefined;
	if (typeof state.windowMs !== 'number' || !Number.isFinite(state.windowMs) || state.windowMs < 0)
		return undefined;
	if (!isStoredDigest(state.window)) return undefined;
	return state as CursorState;
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
	return {
		json,
		id: String(json.id),
		updatedMs,
		createdMs: parseTimestamp(json.created_at) ?? updatedMs,
		deletedMs:
			json.deleted_at === null || json.deleted_at === undefined
				? null
				: (parseTimestamp(json.deleted_at) ?? updatedMs),
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

/**
 * The cursor after a listing that covers the new window: the newest change and every file
 * within `windowMs` before it. `fallbackMs` is the watermark when nothing newer was listed.
 */
export function stateAfter(
	files: ListedFile[],
	directoryId: string,
	windowMs: number,
	fallbackMs: number,
): CursorState {
	const watermark = files.reduce((max, f) => Math.max(max, f.updatedMs), fallbackMs);
	const inWindow = files.filter(
		(f) => f.updatedMs >= watermark - windowMs && f.updatedMs <= watermark,
	);
	return {
		version: 1,
		directory: directoryHash(directoryId),
		watermark: toIso(watermark),
		windowMs,
		window: encodeDigest(inWindow.map((f) => f.version)),
	};
}

/** First query bound of the next poll: the start of the previous window and of the new one. */
export function listFromMs(state: CursorState, windowMs: number): number {
	return Date.parse(state.watermark) - Math.max(state.windowMs, windowMs);
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
): PollPlan {
	const w = Date.parse(state.watermark);
	const windowStart = w - state.windowMs;
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
	return { events, state: stateAfter(files, directoryId, windowMs, w), undecided };
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
