/**
 * The multipart/form-data body of an upload, built by hand: published code may not import
 * `stream` or `form-data`, and a hand-built body has a length known in advance, so it is sent
 * with Content-Length instead of chunked encoding.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { randomString } from 'n8n-workflow';

/** What getBinaryStream returns (a Node Readable), named without importing `stream`. */
export type BinaryStream = Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;

/** Every Readable subclass inherits the static `Readable.from`; typed here for our one use. */
type ReadableFactory = {
	from(
		source: AsyncIterable<Buffer>,
		options: { objectMode: boolean; highWaterMark?: number },
	): BinaryStream;
};

export interface MultipartFile {
	fileName: string;
	mimeType: string;
	/** Exact size of the content in bytes: it goes into Content-Length. */
	size: number;
}

export interface MultipartLayout {
	boundary: string;
	/** The text fields and the file part's headers. */
	head: Buffer;
	/** Closing delimiter after the content. */
	tail: Buffer;
	contentLength: number;
	headers: Record<string, string>;
}

/**
 * A quoted Content-Disposition parameter. HTML percent-encodes `"` and line breaks; so are the
 * other control characters (a raw NUL in the header left the request hanging) and `\`, which
 * multipart parsers read as an escape or a Windows path separator (the file part was lost).
 * The file's real name travels unchanged in the display_name field.
 */
function quoteParam(value: string): string {
	return `"${value.replace(/[\u0000-\u001f\u007f-\u009f"\\]/g, encodeURIComponent)}"`;
}

/**
 * The bytes before and after the file content. Text fields come first so a server can reject
 * (e.g. a duplicate unique_id) as early as it likes.
 */
export function multipartLayout(
	fields: Record<string, string | undefined>,
	file: MultipartFile,
	fileField: string,
): MultipartLayout {
	// 32 random alphanumerics: a collision with the content is astronomically unlikely, and the
	// text fields are checked below anyway.
	const boundary = `----n8nLlamaCloud${randomString(32)}`;
	const parts: string[] = [];
	for (const [name, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		if (value.includes(boundary)) throw new Error('A form field contains the multipart boundary');
		parts.push(
			`--${boundary}\r\nContent-Disposition: form-data; name=${quoteParam(name)}\r\n\r\n${value}\r\n`,
		);
	}
	parts.push(
		`--${boundary}\r\nContent-Disposition: form-data; name=${quoteParam(fileField)}; filename=${quoteParam(file.fileName)}\r\n` +
			`Content-Type: ${file.mimeType.replace(/[\u0000-\u001f\u007f]/g, '')}\r\n\r\n`,
	);
	const head = Buffer.from(parts.join(''), 'utf8');
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
	const contentLength = head.length + file.size + tail.length;
	return {
		boundary,
		head,
		tail,
		contentLength,
		headers: {
			'Content-Type': `multipart/form-data; boundary=${boundary}`,
			'Content-Length': String(contentLength),
		},
	};
}

/** Raised while streaming the body; its message says which item's binary data failed. */
export class BinaryReadError extends Error {}

/**
 * A streamed body: head, the file's chunks as they are read, tail. Pull-based (Readable.from
 * over an async generator), so at most a few chunks are in memory whatever the file size. A
 * file that turns out shorter or longer than declared aborts the request rather than send a
 * body that disagrees with its Content-Length.
 */
export function streamedBody(
	layout: MultipartLayout,
	file: BinaryStream,
	declaredSize: number,
	label: string,
): BinaryStream {
	async function* parts(): AsyncGenerator<Buffer> {
		yield layout.head;
		let sent = 0;
		let readError: unknown;
		try {
			for await (const chunk of file as AsyncIterable<Buffer | string>) {
				const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
				sent += bytes.length;
				if (sent > declaredSize) break;
				yield bytes;
			}
		} catch (error) {
			readError = error;
		} finally {
			file.destroy();
		}
		if (readError !== undefined) {
			const reason = readError instanceof Error ? readError.message : String(readError);
			throw new BinaryReadError(`Reading the binary data of ${label} failed: ${reason}`);
		}
		if (sent !== declaredSize) {
			throw new BinaryReadError(
				`The binary data of ${label} has ${sent > declaredSize ? 'more' : 'fewer'} bytes than its recorded size (${declaredSize})`,
			);
		}
		yield layout.tail;
	}
	const factory = file.constructor as unknown as ReadableFactory;
	if (typeof factory.from !== 'function') {
		throw new BinaryReadError(`The binary data of ${label} cannot be streamed by this n8n version`);
	}
	// Byte mode (Readable.from defaults to object mode), so buffering is counted in bytes.
	return factory.from(parts(), { objectMode: false, highWaterMark: 64 * 1024 });
}

/** A body held in memory, for binaries n8n keeps in memory anyway (base64 in the item). */
export function bufferedBody(layout: MultipartLayout, content: Buffer): Buffer {
	return Buffer.concat([layout.head, content, layout.tail]);
}
