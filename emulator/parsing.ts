/**
 * What an index build does with one file: decide whether it can be parsed, and read its text
 * (retrieval/chunking.ts then cuts it into chunks). The real service runs LlamaParse; the
 * emulator applies a small, documented rule so tests can make a build fail on purpose.
 *
 * Rule (by the stored file's extension):
 * - text (.txt .md .markdown .csv .json .html .htm): must be valid UTF-8; its text is parsed.
 * - .pdf: must start with `%PDF-`; no text is extracted (empty text, 0 chunks).
 * - known binary formats (office documents, images, archives, audio/video): accepted, empty text.
 * - anything else: fails if the first 8 KiB contain a NUL byte; otherwise read as text.
 * Files are streamed and decoded piece by piece; only the decoded text is kept.
 */
import type { Readable } from 'node:stream';

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

/** The parsed text of a file (what Read File returns and chunk offsets point into). */
export type ParseResult = { ok: true; text: string } | { ok: false; reason: string };

function extensionOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export async function parseDocument(name: string, open: () => Readable): Promise<ParseResult> {
	const ext = extensionOf(name);
	if (KNOWN_BINARY_EXTENSIONS.has(ext)) return { ok: true, text: '' };
	if (ext === 'pdf')
		return (await startsWith(open(), '%PDF-'))
			? { ok: true, text: '' }
			: { ok: false, reason: 'not a valid PDF (it does not start with %PDF-)' };

	const strict = TEXT_EXTENSIONS.has(ext);
	// fatal: a .md with invalid UTF-8 fails; unknown types are decoded leniently once they pass the NUL sniff.
	const decoder = new TextDecoder('utf-8', { fatal: strict });
	const parts: string[] = [];
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
			parts.push(decoder.decode(piece, { stream: true }));
		}
		parts.push(decoder.decode());
	} catch (error) {
		// Checked by code, not `instanceof TypeError`: the error may come from another realm (jest's vm).
		if ((error as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
			return { ok: false, reason: `not valid UTF-8 text (.${ext} files must be UTF-8)` };
		}
		throw error;
	} finally {
		stream.destroy();
	}
	return { ok: true, text: parts.join('') };
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
