/**
 * What an index build does with one file: decide whether it can be parsed, and cut text into
 * chunks. The real service runs LlamaParse; the emulator applies a small, documented rule so
 * tests can make a build fail on purpose.
 *
 * Rule (by the stored file's extension):
 * - text (.txt .md .markdown .csv .json .html .htm): must be valid UTF-8; chunked.
 * - .pdf: must start with `%PDF-`; no text is extracted (0 chunks).
 * - known binary formats (office documents, images, archives, audio/video): accepted, 0 chunks.
 * - anything else: fails if the first 8 KiB contain a NUL byte; otherwise read as text, chunked.
 * Files are streamed, never loaded whole.
 */
import type { Readable } from 'node:stream';
import { CHUNK_TARGET_CHARS } from './buildState';

export const TEXT_EXTENSIONS = new Set(['txt', 'md', 'markdown', 'csv', 'json', 'html', 'htm']);
export const KNOWN_BINARY_EXTENSIONS = new Set([
	'doc',
	'docx',
	'odt',
	'rtf',
	'epub',
	'ppt',
	'pptx',
	'odp',
	'key',
	'xls',
	'xlsx',
	'ods',
	'numbers',
	'png',
	'jpg',
	'jpeg',
	'gif',
	'bmp',
	'tif',
	'tiff',
	'webp',
	'svg',
	'zip',
	'mp3',
	'wav',
	'm4a',
	'mp4',
	'mov',
	'webm',
]);
const SNIFF_BYTES = 8 * 1024;

export type ParseResult = { ok: true; chunks: string[] } | { ok: false; reason: string };

function extensionOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export async function parseDocument(name: string, open: () => Readable): Promise<ParseResult> {
	const ext = extensionOf(name);
	if (KNOWN_BINARY_EXTENSIONS.has(ext)) return { ok: true, chunks: [] };
	if (ext === 'pdf')
		return (await startsWith(open(), '%PDF-'))
			? { ok: true, chunks: [] }
			: { ok: false, reason: 'not a valid PDF (it does not start with %PDF-)' };

	const strict = TEXT_EXTENSIONS.has(ext);
	// fatal: a .md with invalid UTF-8 fails; unknown types are decoded leniently once they pass the NUL sniff.
	const decoder = new TextDecoder('utf-8', { fatal: strict });
	const chunker = new Chunker(CHUNK_TARGET_CHARS);
	let offset = 0;
	const stream = open();
	try {
		for await (const piece of stream as AsyncIterable<Buffer>) {
			if (!strict && offset < SNIFF_BYTES) {
				const nul = piece.subarray(0, SNIFF_BYTES - offset).indexOf(0);
				if (nul >= 0)
					return {
						ok: false,
						reason: `binary content of unknown type (NUL byte at offset ${offset + nul})`,
					};
			}
			offset += piece.length;
			chunker.push(decoder.decode(piece, { stream: true }));
		}
		chunker.push(decoder.decode());
	} catch (error) {
		// Checked by code, not `instanceof TypeError`: the error may come from another realm (jest's vm).
		if ((error as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
			return { ok: false, reason: `not valid UTF-8 text (.${ext} files must be UTF-8)` };
		}
		throw error;
	} finally {
		stream.destroy();
	}
	return { ok: true, chunks: chunker.end() };
}

async function startsWith(stream: Readable, prefix: string): Promise<boolean> {
	const wanted = Buffer.from(prefix, 'latin1');
	let head = Buffer.alloc(0);
	try {
		for await (const piece of stream as AsyncIterable<Buffer>) {
			head = Buffer.concat([head, piece]);
			if (head.length >= wanted.length) break;
		}
	} finally {
		stream.destroy();
	}
	return head.subarray(0, wanted.length).equals(wanted);
}

/**
 * Groups paragraphs (text between blank lines) into chunks of at most `target` characters;
 * a paragraph longer than that is cut at whitespace near the limit (or hard, if it has none).
 */
export class Chunker {
	private readonly chunks: string[] = [];
	private current = '';
	private pending = '';

	constructor(private readonly target: number) {}

	push(text: string): void {
		this.pending += text;
		const breaks = /\n[ \t\r]*\n/g;
		let consumed = 0;
		for (let m = breaks.exec(this.pending); m; m = breaks.exec(this.pending)) {
			this.addParagraph(this.pending.slice(consumed, m.index));
			consumed = m.index + m[0].length;
		}
		this.pending = this.pending.slice(consumed);
		// A file without blank lines must not grow `pending` without bound.
		while (this.pending.length > this.target * 4) {
			this.addParagraph(this.pending.slice(0, this.target * 2));
			this.pending = this.pending.slice(this.target * 2);
		}
	}

	end(): string[] {
		this.addParagraph(this.pending);
		this.pending = '';
		this.flush();
		return this.chunks;
	}

	private addParagraph(raw: string): void {
		const paragraph = raw.trim();
		if (!paragraph) return;
		if (this.current && this.current.length + 2 + paragraph.length > this.target) this.flush();
		if (paragraph.length <= this.target) {
			this.current = this.current ? `${this.current}\n\n${paragraph}` : paragraph;
			return;
		}
		this.flush();
		let rest = paragraph;
		while (rest.length > this.target) {
			const space = rest.lastIndexOf(' ', this.target);
			const cut = space > this.target / 2 ? space : this.target;
			this.chunks.push(rest.slice(0, cut).trim());
			rest = rest.slice(cut).trim();
		}
		this.current = rest;
	}

	private flush(): void {
		if (this.current) this.chunks.push(this.current);
		this.current = '';
	}
}
