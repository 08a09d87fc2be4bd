/**
 * Multipart uploads, streamed: the file part goes through a sha256 hash into a temp file with
 * backpressure (busboy pauses the socket while the disk catches up), so memory stays flat
 * whatever the file size. Over the size limit the rest of the file is discarded (still read,
 * so the client can read the 413 that follows instead of meeting a broken pipe).
 */
import busboy from 'busboy';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpError } from './errors';
import type { ActiveUpload } from './store';

export interface ReceivedFile {
	filename: string;
	mimeType: string;
	/** Temp file holding the content; the caller owns it from now on. */
	path: string;
	size: number;
	sha256: string;
}

export interface MultipartForm {
	/** Text fields (last value wins); empty values are dropped like absent ones. */
	fields: Record<string, string>;
	file: ReceivedFile | null;
	/** Sizes of the file parts, for the request log. */
	fileInfo: { field: string; filename: string; size: number } | null;
	/** Every part as sent (empty and repeated fields kept), for the spec check of the request. */
	parts: { fields: Array<[string, string]>; files: Array<{ field: string; filename: string }> };
}

export interface ReceiveOptions {
	/** Name of the form field carrying the file (`upload_file`, `file`). */
	fileField: string;
	tmpDir: string;
	maxBytes: number;
	track: (upload: ActiveUpload) => () => void;
}

/** Reads a multipart body; answers 422 when the file part is missing, 413 when it is too big. */
export async function receiveMultipart(
	req: IncomingMessage,
	options: ReceiveOptions,
): Promise<MultipartForm> {
	const { fileField } = options;
	const missingFile = (msg = 'Field required', type = 'missing') =>
		HttpError.invalid('body', [fileField], msg, type);
	if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) throw missingFile();

	let parser: busboy.Busboy;
	try {
		parser = busboy({
			headers: req.headers,
			// UTF-8 file names, as FastAPI (Starlette) reads them; busboy's default is latin1.
			defParamCharset: 'utf8',
			// busboy flags a file that reaches the limit exactly; +1 lets a file of exactly maxBytes through.
			limits: { fileSize: options.maxBytes + 1, files: 10, fields: 100, fieldSize: 1024 * 1024 },
		});
	} catch {
		throw new HttpError(400, 'There was an error parsing the body');
	}

	const fields: Record<string, string> = {};
	const parts: MultipartForm['parts'] = { fields: [], files: [] };
	let fileFieldWasText = false;
	let tooLarge = false;
	let received: ReceivedFile | null = null;
	let writing: Promise<void> | null = null;
	let tempPath: string | null = null;

	const done = new Promise<void>((resolve, reject) => {
		parser.on('field', (name, value) => {
			parts.fields.push([name, value]);
			if (name === fileField) fileFieldWasText = true;
			else if (value !== '') fields[name] = value;
		});
		parser.on('file', (name, stream, info) => {
			parts.files.push({ field: name, filename: info.filename ?? 'file' });
			if (name !== fileField || writing) {
				stream.resume(); // not the file we want: discard
				return;
			}
			const path = join(options.tmpDir, `upload-${randomUUID()}`);
			tempPath = path;
			const upload: ActiveUpload = {
				field: name,
				filename: info.filename ?? 'file',
				path,
				bytes: 0,
			};
			const untrack = options.track(upload);
			const hash = createHash('sha256');
			stream.on('limit', () => {
				tooLarge = true;
			});
			const meter = new Transform({
				transform(chunk: Buffer, _encoding, callback) {
					hash.update(chunk);
					upload.bytes += chunk.length;
					callback(null, chunk);
				},
			});
			writing = pipeline(stream, meter, createWriteStream(path))
				.then(() => {
					received = {
						filename: upload.filename,
						mimeType: info.mimeType,
						path,
						size: upload.bytes,
						sha256: hash.digest('hex'),
					};
				})
				.finally(untrack);
			writing.catch(reject);
		});
		parser.on('close', resolve);
		parser.on('error', reject);
		req.on('close', () => {
			if (req.complete) return;
			// The client went away mid-body: stop the parser, which ends the temp file's stream.
			parser.destroy();
			reject(new Error('request aborted'));
		});
	});
	req.pipe(parser);

	try {
		await done;
		await writing;
	} catch (error) {
		await (writing as Promise<void> | null)?.catch(() => undefined); // let the write stream close first
		if (tempPath) await rm(tempPath, { force: true });
		// A dropped connection leaves nobody to answer; anything else is a malformed body.
		if (req.destroyed || (error as Error).message === 'request aborted') throw error;
		throw new HttpError(400, 'There was an error parsing the body');
	}

	const file = received as ReceivedFile | null;
	if (tooLarge) {
		if (tempPath) await rm(tempPath, { force: true });
		throw new HttpError(
			413,
			`File too large: the maximum upload size is ${options.maxBytes} bytes`,
		).because('upload_too_large');
	}
	if (!file) {
		throw fileFieldWasText
			? missingFile("Value error, Expected UploadFile, received: <class 'str'>", 'value_error')
			: missingFile();
	}
	return {
		fields,
		file,
		fileInfo: { field: fileField, filename: file.filename, size: file.size },
		parts,
	};
}
