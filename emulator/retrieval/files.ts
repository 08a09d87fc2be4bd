/**
 * The file tools agents browse an index with: Find Files, Grep File, Read File. They read the
 * parsed text of the last successful build. Offsets count code points (codePoints.ts).
 *
 * Assumed where the spec is silent:
 * - Find lists files ordered by (file_name, file_id); `file_name` is an exact match,
 *   `file_name_contains` a case-insensitive substring; both may be given.
 * - Grep runs a JavaScript regular expression (the real service runs Python's `re`; common
 *   patterns mean the same in both, and leading inline flags such as `(?i)` are honoured),
 *   case-sensitive unless told, over the whole text, in order. Empty matches are skipped. `content` is the match with `context_chars` (default 0) on each side.
 * - Read returns `max_length` characters from `offset` (all that is left when omitted); an
 *   offset past the end gives an empty string.
 * - Page tokens are keyset cursors (after the last item returned), opaque base64url.
 */
import { HttpError } from '../errors';
import {
	offsetsOf,
	retrievalFileId,
	type BuiltFile,
	type IndexedDocument,
	type RetrievalFileIdMode,
} from './documents';
import type {
	FileFindEntry,
	FileGrepMatch,
	FindInput,
	GrepInput,
	ReadInput,
	RetrievalPage,
} from './schemas';

export interface PageLimits {
	defaultPageSize: number;
	maxPageSize: number;
}

/** Grep stops after this many matches per request: a pattern matching everywhere cannot hang us. */
const MAX_GREP_SCAN = 100_000;

export function findFiles(
	built: ReadonlyMap<string, BuiltFile>,
	input: FindInput,
	mode: RetrievalFileIdMode,
	limits: PageLimits,
): RetrievalPage<FileFindEntry> {
	const contains = input.file_name_contains?.toLowerCase();
	const entries = [...built.values()]
		.map(({ document }) => ({
			file_id: retrievalFileId(document, mode),
			file_name: document.displayName,
		}))
		.filter(
			(e) =>
				(input.file_name == null || e.file_name === input.file_name) &&
				(contains === undefined || e.file_name.toLowerCase().includes(contains)),
		)
		.sort((a, b) => compareKeys([a.file_name, a.file_id], [b.file_name, b.file_id]));
	const after = input.page_token == null ? null : decodeToken(input.page_token, 'find');
	const start = after
		? entries.findIndex((e) => compareKeys([e.file_name, e.file_id], after) > 0)
		: 0;
	return page(start < 0 ? [] : entries.slice(start), pageSize(input.page_size, limits), (last) =>
		encodeToken('find', [last.file_name, last.file_id]),
	);
}

export function grepFile(
	document: IndexedDocument,
	input: GrepInput,
	limits: PageLimits,
): RetrievalPage<FileGrepMatch> {
	const pattern = compilePattern(input.pattern);
	const after = input.page_token == null ? null : decodeToken(input.page_token, 'grep');
	const resumeAt = after ? Number(after[1]) : -1;
	if (after && (after[0] !== input.file_id || !Number.isSafeInteger(resumeAt))) throw badToken();
	const { text } = document;
	const codePoints = offsetsOf(document);
	const context = input.context_chars ?? 0;
	const size = pageSize(input.page_size, limits);
	const matches: FileGrepMatch[] = [];
	let scanned = 0;
	for (let m = pattern.exec(text); m && scanned < MAX_GREP_SCAN; m = pattern.exec(text)) {
		scanned++;
		if (m[0] === '') {
			pattern.lastIndex++; // an empty match would loop forever
			continue;
		}
		const start = codePoints.toCodePoint(m.index);
		if (start <= resumeAt) continue;
		const end = codePoints.toCodePoint(m.index + m[0].length);
		const from = codePoints.toUnit(Math.max(0, start - context));
		const to = codePoints.toUnit(end + context);
		matches.push({ start_char: start, end_char: end, content: text.slice(from, to) });
		if (matches.length > size) break;
	}
	return page(matches, size, (last) =>
		encodeToken('grep', [input.file_id, String(last.start_char)]),
	);
}

export function readFile(document: IndexedDocument, input: ReadInput): { content: string } {
	const codePoints = offsetsOf(document);
	const from = codePoints.toUnit(input.offset);
	const to =
		input.max_length == null
			? document.text.length
			: codePoints.toUnit(input.offset + input.max_length);
	return { content: document.text.slice(from, to) };
}

/** The indexed document behind a retrieval file id, or the 404 the client should see. */
export function documentFor(
	built: ReadonlyMap<string, BuiltFile>,
	fileId: string,
	indexId: string,
	mode: RetrievalFileIdMode,
): IndexedDocument {
	for (const { document } of built.values())
		if (retrievalFileId(document, mode) === fileId) return document;
	throw HttpError.notFound(`File ${fileId} not found in index ${indexId}`);
}

/**
 * A JavaScript RegExp for a pattern written for Python's `re`: leading inline flags (`(?i)`,
 * `(?ims)`) become RegExp flags, as they are the common way to ask for a case-insensitive grep.
 */
function compilePattern(pattern: string): RegExp {
	const inline = /^\(\?([ims]+)\)/.exec(pattern);
	const source = inline ? pattern.slice(inline[0].length) : pattern;
	const flags = `g${[...new Set(inline?.[1] ?? '')].join('')}`;
	try {
		return new RegExp(source, `${flags}u`);
	} catch {
		// Some patterns are valid only without the `u` flag (e.g. `\-`), as in Python.
		try {
			return new RegExp(source, flags);
		} catch (error) {
			throw HttpError.invalid(
				'body',
				['pattern'],
				`Invalid regular expression: ${(error as Error).message}`,
			);
		}
	}
}

function pageSize(requested: number | null | undefined, limits: PageLimits): number {
	return Math.min(requested ?? limits.defaultPageSize, limits.maxPageSize);
}

/** One page out of items that start right after the cursor (at most size + 1 are needed). */
function page<T>(items: T[], size: number, tokenOf: (last: T) => string): RetrievalPage<T> {
	const shown = items.slice(0, size);
	const more = items.length > size;
	return {
		items: shown,
		next_page_token: more ? tokenOf(shown[shown.length - 1]) : null,
		total_size: null,
	};
}

function compareKeys(a: string[], b: string[]): number {
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
	return 0;
}

function encodeToken(kind: string, key: string[]): string {
	return Buffer.from(JSON.stringify([kind, ...key]), 'utf8').toString('base64url');
}

function decodeToken(token: string, kind: string): string[] {
	let parsed: unknown;
	try {
		parsed = /^[A-Za-z0-9_-]+$/.test(token)
			? JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
			: null;
	} catch {
		parsed = null;
	}
	if (
		!Array.isArray(parsed) ||
		parsed.length !== 3 ||
		parsed[0] !== kind ||
		!parsed.every((part) => typeof part === 'string')
	)
		throw badToken();
	return parsed.slice(1) as string[];
}

function badToken(): HttpError {
	return HttpError.invalid('body', ['page_token'], 'Invalid page token');
}
