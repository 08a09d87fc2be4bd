/** Multipart uploads (directory upload and stored files): streaming, size, sha256, limits. */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { request } from 'undici';
import {
	DirectoryFileSchema,
	StoredFileSchema,
	startEmulator,
	type Emulator,
} from '../../emulator';
import { allowNonConformingRequests } from '../support/spec';
import { api, fileForm, type Call } from './helpers';

allowNonConformingRequests('tests missing parts, bad purposes and malformed bodies');

let emulator: Emulator;
let call: Call;
let dir: string;

beforeAll(async () => {
	emulator = await startEmulator();
	call = api(emulator);
});
afterAll(() => emulator.close());
beforeEach(async () => {
	emulator.reset();
	dir = (await call('POST', '/api/v1/beta/directories', { json: { name: 'uploads' } })).body.id;
});

const uploadPath = () => `/api/v1/beta/directories/${dir}/files/upload`;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('POST …/files/upload', () => {
	test('stores the file, records size and sha256, defaults names from the filename', async () => {
		const content = Buffer.from('# Notes\n\nSome text, with ünïcödé.\n');
		const reply = await call('POST', uploadPath(), {
			form: fileForm('upload_file', 'notes.md', content),
		});
		expect(reply.status).toBe(201);
		const file = DirectoryFileSchema.parse(reply.body);
		expect(file).toMatchObject({
			directory_id: dir,
			display_name: 'notes.md',
			unique_id: 'notes.md',
			metadata: {},
			deleted_at: null,
		});
		const blob = emulator.store.blob(file.file_id!)!;
		expect(blob).toMatchObject({
			size: content.length,
			sha256: sha256(content),
			name: 'notes.md',
			file_type: 'md',
		});
		expect(await emulator.store.readBlob(file.file_id!)).toEqual(content);
	});

	test('takes display_name, unique_id, external_file_id and metadata (a JSON object string)', async () => {
		const form = fileForm('upload_file', 'a.txt', 'x', {
			display_name: 'Shown',
			unique_id: 'u-1',
			external_file_id: 'ext-1',
			metadata: JSON.stringify({ team: 'legal', n: 2, ok: true, tags: ['a'] }),
		});
		const reply = await call('POST', uploadPath(), { form });
		expect(reply.status).toBe(201);
		expect(reply.body).toMatchObject({
			display_name: 'Shown',
			unique_id: 'u-1',
			metadata: { team: 'legal', n: 2, ok: true, tags: ['a'] },
		});
		expect(emulator.store.blob(reply.body.file_id)!.external_file_id).toBe('ext-1');
		expect(emulator.requests.at(-1)).toMatchObject({
			fields: { display_name: 'Shown', unique_id: 'u-1' },
			file: { field: 'upload_file', filename: 'a.txt', size: 1 },
		});
	});

	test('unique_id defaults to external_file_id when given', async () => {
		const reply = await call('POST', uploadPath(), {
			form: fileForm('upload_file', 'a.txt', 'x', { external_file_id: 'ext-9' }),
		});
		expect(reply.body.unique_id).toBe('ext-9');
	});

	test('metadata that is not a JSON object answers 422 naming metadata', async () => {
		for (const metadata of ['not json', '[1,2]', '{"nested": {"x": 1}}']) {
			const reply = await call('POST', uploadPath(), {
				form: fileForm('upload_file', 'a.txt', 'x', { metadata }),
			});
			expect(reply.status).toBe(422);
			expect(reply.body.detail[0].loc.slice(0, 2)).toEqual(['body', 'metadata']);
		}
		expect(emulator.store.files(dir)).toEqual([]);
	});

	test('a missing upload_file answers 422 naming upload_file', async () => {
		const wrongField = await call('POST', uploadPath(), { form: fileForm('file', 'a.txt', 'x') });
		expect(wrongField.status).toBe(422);
		expect(wrongField.body).toEqual({
			detail: [{ type: 'missing', loc: ['body', 'upload_file'], msg: 'Field required' }],
		});

		const { FormData } = await import('undici');
		const textOnly = new FormData();
		textOnly.append('upload_file', 'just text');
		const asText = await call('POST', uploadPath(), { form: textOnly });
		expect(asText.status).toBe(422);
		expect(asText.body.detail[0].loc).toEqual(['body', 'upload_file']);

		const notMultipart = await call('POST', uploadPath(), { json: { upload_file: 'x' } });
		expect(notMultipart.status).toBe(422);
		expect(notMultipart.body.detail[0].loc).toEqual(['body', 'upload_file']);
	});

	test('an unknown directory answers 404 (after the body was read)', async () => {
		const reply = await call('POST', '/api/v1/beta/directories/dir-nope/files/upload', {
			form: fileForm('upload_file', 'a.txt', 'x'.repeat(100_000)),
		});
		expect(reply.status).toBe(404);
		expect(reply.body).toEqual({ detail: 'Directory dir-nope not found' });
	});

	test('a malformed multipart body answers 400', async () => {
		const reply = await call('POST', uploadPath(), {
			raw: 'garbage',
			contentType: 'multipart/form-data',
		});
		expect(reply.status).toBe(400);
	});
});

describe('size limit', () => {
	let small: Emulator;
	let smallCall: Call;
	beforeAll(async () => {
		small = await startEmulator({ maxUploadBytes: 1024 * 1024 });
		smallCall = api(small);
	});
	afterAll(() => small.close());

	test('a file over maxUploadBytes answers 413 with a detail, stores nothing', async () => {
		const target = (await smallCall('POST', '/api/v1/beta/directories', { json: { name: 'x' } }))
			.body.id;
		const exact = await smallCall('POST', `/api/v1/beta/directories/${target}/files/upload`, {
			form: fileForm('upload_file', 'exact.bin', Buffer.alloc(1024 * 1024, 1)),
		});
		expect(exact.status).toBe(201);
		const blobs = small.store.blobs().length;
		// 5 MiB against a 1 MiB limit: the client still gets to read the 413.
		const over = await smallCall('POST', `/api/v1/beta/directories/${target}/files/upload`, {
			form: fileForm('upload_file', 'big.bin', Buffer.alloc(5 * 1024 * 1024, 1)),
		});
		expect(over.status).toBe(413);
		expect(over.body.detail).toContain(String(1024 * 1024));
		expect(small.store.blobs()).toHaveLength(blobs);
		expect(small.store.files(target)).toHaveLength(1);
		const stored = await smallCall('POST', '/api/v1/beta/files', {
			form: fileForm('file', 'big.bin', Buffer.alloc(1024 * 1024 + 1), { purpose: 'user_data' }),
		});
		expect(stored.status).toBe(413);
	});

	test.each([
		['proxy_413', 413, 'text/html'],
		['bad_request', 400, 'application/json'],
	] as const)('variant oversizeUpload=%s answers %i (%s)', async (variant, status, type) => {
		small.quirks.oversizeUpload = variant;
		try {
			const target = (await smallCall('POST', '/api/v1/beta/directories', { json: { name: 'v' } }))
				.body.id;
			const over = await smallCall('POST', `/api/v1/beta/directories/${target}/files/upload`, {
				form: fileForm('upload_file', 'big.bin', Buffer.alloc(2 * 1024 * 1024, 1)),
			});
			expect(over.status).toBe(status);
			expect(String(over.headers['content-type'])).toContain(type);
			expect(small.store.files(target)).toHaveLength(0);
		} finally {
			small.reset();
		}
	});
});

describe('streaming', () => {
	test('a 64 MiB upload is streamed to disk while it arrives, with a matching sha256', async () => {
		const total = 64 * 1024 * 1024;
		const block = Buffer.alloc(1024 * 1024);
		for (let i = 0; i < block.length; i++) block[i] = (i * 31 + 7) & 0xff;
		const boundary = '----emulator-test-boundary';
		const hash = createHash('sha256');
		let observedOnDisk = 0;
		let tempFile = '';

		async function* body(): AsyncGenerator<Buffer> {
			yield Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="upload_file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
			);
			for (let sent = 0; sent < total; sent += block.length) {
				hash.update(block);
				yield block;
				if (sent + block.length === 40 * 1024 * 1024) {
					// Halfway through the body, the server must already hold most of it on disk.
					for (let attempt = 0; attempt < 1000 && observedOnDisk < 32 * 1024 * 1024; attempt++) {
						const [upload] = emulator.store.activeUploads();
						if (upload && existsSync(upload.path)) {
							tempFile = upload.path;
							observedOnDisk = statSync(upload.path).size;
						}
						await new Promise((r) => setTimeout(r, 5));
					}
				}
			}
			yield Buffer.from(`\r\n--${boundary}--\r\n`);
		}

		const rssBefore = process.memoryUsage().rss;
		const res = await request(`${emulator.url}${uploadPath()}`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${emulator.apiKey}`,
				'content-type': `multipart/form-data; boundary=${boundary}`,
			},
			body: Readable.from(body()),
		});
		const reply = (await res.body.json()) as any;
		const rssGrowth = process.memoryUsage().rss - rssBefore;

		expect(res.statusCode).toBe(201);
		expect(observedOnDisk).toBeGreaterThanOrEqual(32 * 1024 * 1024);
		expect(dirname(tempFile)).toContain('llamacloud-emulator-');
		const blob = emulator.store.blob(reply.file_id)!;
		expect(blob.size).toBe(total);
		expect(blob.sha256).toBe(hash.digest('hex'));
		expect(statSync(blob.path!).size).toBe(total);
		expect(emulator.store.activeUploads()).toEqual([]);
		// Loose: client and server share this process; buffering the file would add ≥ 64 MiB.
		expect(rssGrowth).toBeLessThan(total);
	});
});

test('a client that disconnects mid-upload leaves no temp file and no record behind', async () => {
	const { connect } = await import('node:net');
	const boundary = 'b-abort';
	const head = `--${boundary}\r\nContent-Disposition: form-data; name="upload_file"; filename="cut.bin"\r\n\r\n`;
	const socket = connect(emulator.port, '127.0.0.1');
	await new Promise((r) => socket.once('connect', r));
	socket.write(
		`POST ${uploadPath()} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${emulator.apiKey}\r\n` +
			`Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n${head}`,
	);
	socket.write(Buffer.alloc(2 * 1024 * 1024, 1));
	let path = '';
	for (let i = 0; i < 1000 && !path; i++) {
		path = emulator.store.activeUploads()[0]?.path ?? '';
		await new Promise((r) => setTimeout(r, 5));
	}
	expect(path).not.toBe('');
	socket.destroy();
	for (
		let i = 0;
		i < 1000 && (emulator.store.activeUploads().length > 0 || existsSync(path));
		i++
	) {
		await new Promise((r) => setTimeout(r, 5));
	}
	expect(emulator.store.activeUploads()).toEqual([]);
	expect(existsSync(path)).toBe(false);
	expect(emulator.store.files(dir)).toEqual([]);
});

describe('POST /api/v1/beta/files', () => {
	test('stores a file and answers its id, size and type', async () => {
		const content = Buffer.from('%PDF-1.7 fake');
		const reply = await call('POST', '/api/v1/beta/files', {
			form: fileForm('file', 'Report.PDF', content, {
				purpose: 'user_data',
				external_file_id: 'ext-7',
			}),
		});
		expect(reply.status).toBe(201);
		expect(StoredFileSchema.parse(reply.body)).toMatchObject({
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			name: 'Report.PDF',
			project_id: emulator.defaultProjectId,
			external_file_id: 'ext-7',
			file_type: 'pdf',
			purpose: 'user_data',
		});
		expect(emulator.store.blob(reply.body.id)!.sha256).toBe(sha256(content));
		expect(emulator.store.blob(reply.body.id)!.size).toBe(content.length);
		expect((await call('GET', `/api/v1/beta/files/${reply.body.id}`)).body).toEqual(reply.body);
		expect(
			(await call('GET', '/api/v1/beta/files/00000000-0000-4000-8000-000000000000')).status,
		).toBe(404);
		// The spec types file_id as a UUID.
		expect((await call('GET', '/api/v1/beta/files/file-nope')).status).toBe(422);
	});

	test('purpose is required and checked; file is required', async () => {
		const noPurpose = await call('POST', '/api/v1/beta/files', {
			form: fileForm('file', 'a.txt', 'x'),
		});
		expect(noPurpose.body.detail[0]).toMatchObject({ loc: ['body', 'purpose'], type: 'missing' });
		const badPurpose = await call('POST', '/api/v1/beta/files', {
			form: fileForm('file', 'a.txt', 'x', { purpose: 'fun' }),
		});
		expect(badPurpose.body.detail[0]).toMatchObject({ loc: ['body', 'purpose'], type: 'enum' });
		const noFile = await call('POST', '/api/v1/beta/files', {
			form: fileForm('upload_file', 'a.txt', 'x', { purpose: 'parse' }),
		});
		expect(noFile.body.detail[0]).toMatchObject({ loc: ['body', 'file'], type: 'missing' });
	});

	test('stored files belong to a project', async () => {
		const other = emulator.store.addProject({ name: 'Other' });
		const stored = (
			await call('POST', '/api/v1/beta/files', {
				form: fileForm('file', 'a.txt', 'x', { purpose: 'user_data' }),
				query: { project_id: other.id },
			})
		).body;
		expect(stored.project_id).toBe(other.id);
		// Not visible, nor addable, from the default project.
		expect((await call('GET', `/api/v1/beta/files/${stored.id}`)).status).toBe(404);
		expect(
			(
				await call('POST', `/api/v1/beta/directories/${dir}/files`, {
					json: { file_id: stored.id },
				})
			).status,
		).toBe(404);
	});
});

test('close() removes the temp folder', async () => {
	const temp = await startEmulator();
	const c = api(temp);
	const d = (await c('POST', '/api/v1/beta/directories', { json: { name: 'x' } })).body.id;
	const file = (
		await c('POST', `/api/v1/beta/directories/${d}/files/upload`, {
			form: fileForm('upload_file', 'a.txt', 'x'),
		})
	).body;
	const path = temp.store.blob(file.file_id)!.path!;
	expect(existsSync(path)).toBe(true);
	await temp.close();
	expect(existsSync(dirname(path))).toBe(false);
});
