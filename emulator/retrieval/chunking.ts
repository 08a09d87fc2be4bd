/**
 * Cuts a parsed text into the chunks an index build stores and retrieval ranks.
 *
 * A chunk is a span `[start, end)` of the parsed text, so its content, its offsets and what
 * Read File / Grep return for the same file always agree. Chunks group whole paragraphs (text
 * between blank lines) up to `target` characters; a longer paragraph is cut at whitespace near
 * the limit (or hard, if it has none). Pages: a form feed (`\f`, what PDF-to-text tools emit)
 * starts a new page and also ends a paragraph; text without one is page 1. (Assumed: the real
 * service chunks LlamaParse's output its own way; these rules only need to be stable.)
 */
import { CHUNK_TARGET_CHARS } from '../buildState';
import { countBelow } from './codePoints';

export interface Chunk {
	/** 0-based position in the file. */
	index: number;
	/** UTF-16 offsets into the parsed text: `text.slice(start, end)` is the content. */
	start: number;
	end: number;
	/** 1-based pages covered. */
	pageStart: number;
	pageEnd: number;
	/** Words and punctuation marks. */
	tokenCount: number;
}

interface Span {
	start: number;
	end: number;
}

const PARAGRAPH_BREAK = /\n[ \t\r]*\n|\f/g;
const TOKEN = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

export function chunkText(text: string, target: number = CHUNK_TARGET_CHARS): Chunk[] {
	const pageBreaks = formFeedOffsets(text);
	const pageAt = (offset: number) => 1 + countBelow(pageBreaks, offset);
	return groupParagraphs(text, paragraphs(text), target).map((span, index) => ({
		index,
		start: span.start,
		end: span.end,
		pageStart: pageAt(span.start),
		pageEnd: pageAt(span.end - 1),
		tokenCount: countTokens(text.slice(span.start, span.end)),
	}));
}

export function countTokens(content: string): number {
	return content.match(TOKEN)?.length ?? 0;
}

/** Paragraph spans with surrounding whitespace trimmed off; empty paragraphs dropped. */
function paragraphs(text: string): Span[] {
	const spans: Span[] = [];
	let from = 0;
	const add = (start: number, end: number) => {
		const span = trimmed(text, start, end);
		if (span) spans.push(span);
	};
	for (let m = PARAGRAPH_BREAK.exec(text); m; m = PARAGRAPH_BREAK.exec(text)) {
		add(from, m.index);
		from = m.index + m[0].length;
	}
	PARAGRAPH_BREAK.lastIndex = 0;
	add(from, text.length);
	return spans;
}

function groupParagraphs(text: string, spans: Span[], target: number): Span[] {
	const chunks: Span[] = [];
	let current: Span | null = null;
	for (const paragraph of spans) {
		if (paragraph.end - paragraph.start > target) {
			if (current) chunks.push(current);
			const pieces = cutLong(text, paragraph, target);
			chunks.push(...pieces.slice(0, -1));
			current = pieces[pieces.length - 1] ?? null;
		} else if (current && paragraph.end - current.start <= target) {
			current = { start: current.start, end: paragraph.end };
		} else {
			if (current) chunks.push(current);
			current = paragraph;
		}
	}
	if (current) chunks.push(current);
	return chunks;
}

/** Cuts one paragraph longer than `target` at whitespace; every piece is at most `target` long. */
function cutLong(text: string, paragraph: Span, target: number): Span[] {
	const pieces: Span[] = [];
	let start = paragraph.start;
	while (paragraph.end - start > target) {
		const window = text.slice(start, start + target + 1);
		const space = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\n'));
		const cut = space > target / 2 ? start + space : start + target;
		const piece = trimmed(text, start, cut);
		if (piece) pieces.push(piece);
		start = trimmed(text, cut, paragraph.end)?.start ?? paragraph.end;
	}
	const rest = trimmed(text, start, paragraph.end);
	if (rest) pieces.push(rest);
	return pieces;
}

function trimmed(text: string, start: number, end: number): Span | null {
	while (start < end && /\s/.test(text[start])) start++;
	while (end > start && /\s/.test(text[end - 1])) end--;
	return start < end ? { start, end } : null;
}

function formFeedOffsets(text: string): number[] {
	const offsets: number[] = [];
	for (let i = text.indexOf('\f'); i >= 0; i = text.indexOf('\f', i + 1)) offsets.push(i);
	return offsets;
}
