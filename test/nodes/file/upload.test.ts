/**
 * File → Upload through n8n's real engine (harness) against the emulator over real HTTP:
 * streaming from the filesystem binary data service, memory mode, concurrency with order and
 * pairing, the three "If a File with This Unique ID Exists" modes, refusals before any request,
 * per-item retries and reconciliation under injected faults; fewer and paced requests (one listing
 * answers the look-ups of many uploads, "Upload Rate Limit" keeps a server enforcing LlamaCloud's
 * limit from answering 429); the node's Request Options (Ignore SSL Issues, Proxy) and failures
 * reported as for routed requests. Self-signed: the emulator over HTTPS with a certificate made at
 * run time.
 */
import { createHash } from 'node:crypto';
import {
	createServer,
	request as httpRequest,
	type IncomingHttpHeaders,
	type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { DirectoryFileRecord, Emulator } from '../../../emulator';
import { numberedUniqueId } from '../../../nodes/LlamaCloud/actions/file/upload/send';
import { RateBudget } from '../../../nodes/LlamaCloud/transport/rateBudget';
import {
	generateBytes,
	makeBinaryItem,
	makeStoredBinaryItem,
	removeBinaryData,
	type RunNodeOptions,
} from '../../../harness/engine';
import { byId, credential, llamaCloudRunner, useEmulator } from '../../support/emulator';
import { startForwardProxy } from '../../support/network';

const emulator = useEmulator();
/** The same API over HTTPS with a self-signed certificate. */
const selfSigned = useEmulator({ selfSigned: true });
afterAll(() => removeBinaryData());
let directoryId: string;
beforeEach(() => {
	directoryId = emulator.current.store.createDirectory('uploads').id;
});

const MiB = 1024 * 1024;
const run = llamaCloudRunner(emulator, { resource: 'file', operation: 'upload' });
/** Runs File → Upload into the test's directory. */
const upload = (
	parameters: INodeParameters,
	inputItems: INodeExecutionData[],
	options: Partial<RunNodeOptions> = {},
) => run({ directoryId: byId(directoryId), ...parameters }, { inputItems, ...options });

const ignoreSsl = { requestOptions: { allowUnauthorizedCerts: true } };
const file = (name = 'a.txt') => makeBinaryItem('hello', { fileName: name });
/** One upload to the given emulator (its own directory in the parameters). */
const uploadTo = (
	target: { current: Emulator },
	parameters: INodeParameters,
	continueOnFail = false,
) => run(parameters, { target: target.current, inputItems: [file()], continueOnFail });

const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');
const uploadRequests = () =>
	emulator.current.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/files/upload'));
const liveFiles = (): DirectoryFileRecord[] =>
	emulator.current.store.files(directoryId, { includeDeleted: false });
const liveByUniqueId = (uniqueId: string) => liveFiles().filter((f) => f.unique_id === uniqueId);
const contentOf = async (file: { file_id: string | null }) =>
	(await emulator.current.store.readBlob(String(file.file_id))).toString();
const textItem = (content: string, fileName: string, json = {}) =>
	makeBinaryItem(content, { fileName, json });
const files = (names: string[]) =>
	names.map((name) => makeBinaryItem(`content of ${name}`, { fileName: name }));
const requests = () =>
	emulator.current.requests.map((r) => `${r.method} ${r.path.replace(/dir-[^/]+/, '{dir}')}`);

describe('streaming and memory mode', () => {
	test('streams a 64 MiB filesystem-mode binary; size and sha256 arrive intact, with Content-Length', async () => {
		const size = 64 * MiB + 12345;
		const seed = 7;
		const item = await makeStoredBinaryItem(generateBytes(size, MiB, seed), {
			fileName: 'big.bin',
			mimeType: 'application/octet-stream',
		});
		expect(item.binary?.data.id).toMatch(/^filesystem/); // really stored outside the item
		const expected = createHash('sha256');
		for (const chunk of generateBytes(size, MiB, seed)) expected.update(chunk);

		const { items, error } = await upload({}, [item]);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const [file] = liveFiles();
		expect(items[0].json).toMatchObject({
			id: file.id,
			unique_id: 'big.bin',
			display_name: 'big.bin',
		});
		const blob = emulator.current.store.blob(String(file.file_id));
		expect(blob?.size).toBe(size);
		expect(blob?.sha256).toBe(expected.digest('hex'));
		expect(uploadRequests()[0].file).toEqual({ field: 'upload_file', filename: 'big.bin', size });
	});

	test('memory-mode binaries upload with metadata, display name, external ID and overrides', async () => {
		const items = [
			textItem('first file', 'a.txt', {
				key: 'docs/a',
				meta: { year: 2026, public: true, team: 'legal' },
			}),
			textItem('second file', 'b.txt', {
				key: 'docs/b',
				meta: { year: 2025, public: false, team: 'ops' },
			}),
		];
		expect(items[0].binary?.data.id).toBeUndefined();
		const run = await upload(
			{
				uniqueId: '={{ $json.key }}',
				metadataInput: 'json',
				metadataJson: '={{ $json.meta }}',
				additionalFields: {
					displayName: '={{ "Doc " + $json.key }}',
					externalFileId: '={{ "ext-" + $itemIndex }}',
				},
				options: { fileName: 'renamed.md', mimeType: 'text/markdown' },
			},
			items,
			{ binaryDataMode: 'default' },
		);
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.json.unique_id)).toEqual(['docs/a', 'docs/b']);
		const a = liveByUniqueId('docs/a')[0];
		expect(a).toMatchObject({
			display_name: 'Doc docs/a',
			metadata: { year: 2026, public: true, team: 'legal' },
		});
		expect(await contentOf(a)).toBe('first file');
		expect(emulator.current.store.blob(String(a.file_id))?.external_file_id).toBe('ext-0');
		const sent = uploadRequests().find((r) => r.fields?.unique_id === 'docs/b');
		expect(sent?.file).toMatchObject({ filename: 'renamed.md', size: 'second file'.length });
		expect(sent?.fields).toMatchObject({ display_name: 'Doc docs/b', external_file_id: 'ext-1' });
		expect(JSON.parse(String(sent?.fields?.metadata))).toEqual({
			year: 2025,
			public: false,
			team: 'ops',
		});
	});

	test('typed metadata pairs keep their types; the unique ID defaults to the external file ID', async () => {
		const run = await upload(
			{
				metadataInput: 'pairs',
				metadataPairs: {
					pair: [
						{ key: 'pages', type: 'number', numberValue: 12 },
						{ key: 'draft', type: 'boolean', booleanValue: true },
						{ key: 'owner', type: 'string', stringValue: 'ana' },
					],
				},
				additionalFields: { externalFileId: 'crm-42' },
			},
			[await makeStoredBinaryItem('x', { fileName: 'x.txt' })],
		);
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({
			unique_id: 'crm-42',
			display_name: 'x.txt',
			metadata: { pages: 12, draft: true, owner: 'ana' },
		});
	});

	test('non-ASCII and quoted file names arrive intact as display name and unique ID', async () => {
		const names = ['résumé €.pdf', 'a "quoted"\nname.txt'];
		const run = await upload(
			{},
			names.map((n) => textItem('x', n)),
			{ binaryDataMode: 'default' },
		);
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => [i.json.display_name, i.json.unique_id])).toEqual(
			names.map((n) => [n, n]),
		);
	});

	test('sends Content-Length and no chunked encoding, streamed and buffered alike', async () => {
		const seen: IncomingHttpHeaders[] = [];
		const proxy = await forwardingProxy(emulator.current.url, (headers) => seen.push(headers));
		try {
			const stored = await makeStoredBinaryItem(Buffer.alloc(300_000, 1), {
				fileName: 'stored.bin',
			});
			const memory = makeBinaryItem(Buffer.alloc(1000, 2), { fileName: 'memory.bin' });
			const run = await upload({ options: { concurrency: 1 } }, [stored, memory], {
				credentials: credential(emulator.current, { baseUrl: proxy.url }),
			});
			expect(run.error).toBeUndefined();
			const uploads = seen.filter((h) =>
				String(h['content-type']).startsWith('multipart/form-data; boundary='),
			);
			expect(uploads).toHaveLength(2);
			for (const headers of uploads) {
				expect(headers['transfer-encoding']).toBeUndefined();
				expect(Number(headers['content-length'])).toBeGreaterThan(0);
			}
			// The body is exactly as long as announced: the emulator parsed both files whole.
			expect(
				uploadRequests()
					.map((r) => r.file?.size)
					.sort(),
			).toEqual([1000, 300_000]);
		} finally {
			await proxy.close();
		}
	});
});

describe('concurrency', () => {
	test('uploads many items concurrently (bounded), keeping output order and pairedItem', async () => {
		const count = 16;
		const items = await Promise.all(
			Array.from({ length: count }, (_, i) =>
				makeStoredBinaryItem(`content ${i}`, { fileName: `f${i}.txt`, json: { n: i } }),
			),
		);
		// Random latency per upload, so they finish out of order.
		emulator.current.faults.configure({ latencyMs: [5, 60], path: /\/files\/upload$/, seed: 3 });
		let maxInFlight = 0;
		const sampler = setInterval(() => {
			const inFlight = uploadRequests().filter((r) => r.status === 0).length;
			maxInFlight = Math.max(maxInFlight, inFlight);
		}, 1);
		let run;
		try {
			run = await upload({ options: { concurrency: 4 } }, items);
		} finally {
			clearInterval(sampler);
		}
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.json.unique_id)).toEqual(items.map((_, i) => `f${i}.txt`));
		expect(run.pairedItems).toEqual(items.map((_, i) => [{ item: i }]));
		expect(maxInFlight).toBeGreaterThan(1);
		expect(maxInFlight).toBeLessThanOrEqual(4);
		expect(emulator.current.faults.counters.latency).toBe(count);
		expect(liveFiles()).toHaveLength(count);
	});

	test('Concurrency 1 uploads one at a time, in input order', async () => {
		const items = ['a', 'b', 'c'].map((n) => textItem(n, `${n}.txt`));
		emulator.current.faults.configure({ latencyMs: 10, path: /\/files\/upload$/ });
		const run = await upload({ options: { concurrency: 1 } }, items, { binaryDataMode: 'default' });
		expect(run.error).toBeUndefined();
		expect(uploadRequests().map((r) => r.fields?.unique_id)).toEqual(['a.txt', 'b.txt', 'c.txt']);
	});

	test('a Concurrency out of range is refused before any request', async () => {
		const run = await upload({ options: { concurrency: 0 } }, [textItem('a', 'a.txt')], {
			binaryDataMode: 'default',
		});
		expect(run.error?.message).toMatch(/"Concurrency" must be a whole number from 1 to 32/);
		expect(emulator.current.requests).toHaveLength(0);
	});
});

describe('If a File with This Unique ID Exists', () => {
	const batch = (version: string) =>
		['a', 'b', 'c'].map((n) => textItem(`${n} ${version}`, `${n}.txt`));

	test('Skip: re-running the pipeline keeps one file per unique ID and outputs the existing file', async () => {
		const first = await upload({ onConflict: 'skip' }, batch('v1'), { binaryDataMode: 'default' });
		expect(first.error).toBeUndefined();
		expect(first.items.every((i) => i.json.skipped === undefined)).toBe(true);

		const second = await upload({ onConflict: 'skip' }, batch('v2'), { binaryDataMode: 'default' });
		expect(second.error).toBeUndefined();
		expect(second.items.map((i) => i.json.id)).toEqual(first.items.map((i) => i.json.id));
		expect(second.items.every((i) => i.json.skipped === true)).toBe(true);
		expect(second.pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }], [{ item: 2 }]]);
		expect(liveFiles()).toHaveLength(3);
		for (const n of ['a', 'b', 'c'])
			expect(await contentOf(liveByUniqueId(`${n}.txt`)[0])).toBe(`${n} v1`);
	});

	test('Skip looks large files up first instead of sending them to be refused', async () => {
		const big = () => makeStoredBinaryItem(Buffer.alloc(2 * MiB, 3), { fileName: 'big.bin' });
		await upload({}, [await big()]);
		emulator.current.clearRequests();
		const again = await upload({}, [await big()]);
		expect(again.items[0].json).toMatchObject({ unique_id: 'big.bin', skipped: true });
		expect(uploadRequests()).toHaveLength(0);
		expect(liveFiles()).toHaveLength(1);
	});

	test('Replace: re-running leaves exactly one file per unique ID, with the new content', async () => {
		await upload({ onConflict: 'replace' }, batch('v1'), { binaryDataMode: 'default' });
		const oldIds = liveFiles().map((f) => f.id);
		for (const version of ['v2', 'v3']) {
			const run = await upload({ onConflict: 'replace' }, batch(version), {
				binaryDataMode: 'default',
			});
			expect(run.error).toBeUndefined();
			expect(run.items.map((i) => i.json.unique_id)).toEqual(['a.txt', 'b.txt', 'c.txt']);
			expect(run.items.every((i) => i.json.skipped === undefined)).toBe(true);
		}
		expect(liveFiles()).toHaveLength(3);
		for (const n of ['a', 'b', 'c'])
			expect(await contentOf(liveByUniqueId(`${n}.txt`)[0])).toBe(`${n} v3`);
		// The old files were removed, not overwritten in place.
		for (const id of oldIds) expect(emulator.current.store.file(id)?.deleted_at).not.toBeNull();
	});

	test('Replace keeps the old file when the new upload fails', async () => {
		await upload({}, [textItem('old', 'doc.txt')], { binaryDataMode: 'default' });
		emulator.current.faults.script(
			[{ kind: 'status', status: 400, body: '{"detail":"bad upload"}' }],
			{
				method: 'POST',
				path: /\/files\/upload$/,
			},
		);
		const run = await upload({ onConflict: 'replace' }, [textItem('new', 'doc.txt')], {
			binaryDataMode: 'default',
		});
		expect(run.error?.message).toMatch(/400/);
		expect(liveFiles()).toHaveLength(1);
		expect(await contentOf(liveByUniqueId('doc.txt')[0])).toBe('old');
	});

	test('Replace removes its new upload again when the old file cannot be deleted', async () => {
		await upload({}, [textItem('old', 'doc.txt')], { binaryDataMode: 'default' });
		emulator.current.faults.script(
			[{ kind: 'status', status: 403, body: '{"detail":"no delete"}' }],
			{
				method: 'DELETE',
			},
		);
		const run = await upload({ onConflict: 'replace' }, [textItem('new', 'doc.txt')], {
			binaryDataMode: 'default',
		});
		expect(run.error?.message).toMatch(/403/);
		expect(liveFiles().map((f) => f.unique_id)).toEqual(['doc.txt']);
		expect(await contentOf(liveFiles()[0])).toBe('old');
	});

	test('Keep Both: keeps the old file and numbers the new unique ID', async () => {
		for (const version of ['v1', 'v2', 'v3']) {
			const run = await upload({ onConflict: 'keepBoth' }, [textItem(version, 'report.pdf')], {
				binaryDataMode: 'default',
			});
			expect(run.error).toBeUndefined();
		}
		const byId = Object.fromEntries(
			await Promise.all(liveFiles().map(async (f) => [f.unique_id, await contentOf(f)])),
		);
		expect(byId).toEqual({ 'report.pdf': 'v1', 'report (2).pdf': 'v2', 'report (3).pdf': 'v3' });
		expect(numberedUniqueId('a/b.c/readme', 2)).toBe('a/b.c/readme (2)');
		expect(numberedUniqueId('.env', 2)).toBe('.env (2)');
	});

	test('the same unique ID twice in one batch is handled in order, not raced', async () => {
		const items = ['one', 'two', 'three'].map((c) => textItem(c, 'same.txt'));
		const replace = await upload({ onConflict: 'replace', options: { concurrency: 3 } }, items, {
			binaryDataMode: 'default',
		});
		expect(replace.error).toBeUndefined();
		expect(liveFiles()).toHaveLength(1);
		expect(await contentOf(liveFiles()[0])).toBe('three');

		const skip = await upload({ onConflict: 'skip', options: { concurrency: 3 } }, items, {
			binaryDataMode: 'default',
		});
		expect(skip.items.map((i) => i.json.skipped)).toEqual([true, true, true]);
		expect(liveFiles()).toHaveLength(1);
	});
});

describe('refused before any request', () => {
	test('a file over "Max File Size" names the item, its size and the limit', async () => {
		const items = [
			textItem('small', 'small.txt'),
			await makeStoredBinaryItem(Buffer.alloc(Math.round(1.5 * MiB)), { fileName: 'large.bin' }),
		];
		const run = await upload({ options: { maxFileSizeMb: 1 } }, items);
		expect(run.error?.message).toBe(
			"File 'large.bin' is 1.5 MB (1572864 bytes), over the upload limit of 1 MB [item 1]",
		);
		expect(emulator.current.requests).toHaveLength(0);

		const lenient = await upload({ options: { maxFileSizeMb: 1 } }, items, {
			continueOnFail: true,
		});
		expect(lenient.items[0].json.unique_id).toBe('small.txt');
		expect(lenient.items[1].json.error).toMatch(/over the upload limit of 1 MB \[item 1\]/);
		expect(lenient.pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }]]);
		expect(uploadRequests()).toHaveLength(1);
	});

	test('a missing binary property names the property, the item and what the item has', async () => {
		const items = [textItem('ok', 'ok.txt'), makeBinaryItem('x', { property: 'attachment' })];
		const run = await upload({}, items, { binaryDataMode: 'default' });
		expect(run.error?.message).toBe(`"Input Binary Field" 'data' not found in the item [item 1]`);
		expect(run.error?.description).toMatch(/attachment/);
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('an item without binary data, and a JSON field given as the binary property', async () => {
		const noBinary = await upload({}, [{ json: { a: 1 } }]);
		expect(noBinary.error?.message).toBe(
			`"Input Binary Field" 'data' not found: the item has no binary data [item 0]`,
		);

		const jsonField = await upload(
			{ binaryPropertyName: 'text' },
			[textItem('x', 'x.txt', { text: 'hello' })],
			{
				binaryDataMode: 'default',
			},
		);
		expect(jsonField.error?.message).toMatch(/'text' not found in the item \[item 0\]/);
		expect(jsonField.error?.description).toMatch(/JSON field of the item, not a file/);
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('a binary property that is not a file', async () => {
		const item = {
			json: {},
			binary: { data: { mimeType: 'text/plain' } },
		} as unknown as INodeExecutionData;
		const run = await upload({}, [item], { binaryDataMode: 'default' });
		expect(run.error?.message).toBe(`"Input Binary Field" 'data' is not a file [item 0]`);
		expect(emulator.current.requests).toHaveLength(0);
	});
});

describe('faults: retries and reconciliation per item', () => {
	test('503 then 429 on one item: only that item is re-sent, honouring Retry-After; each file exists once', async () => {
		const items = ['a', 'b', 'c'].map((n) => textItem(`content ${n}`, `${n}.txt`));
		emulator.current.faults.script(
			[
				{ kind: 'status', status: 503, retryAfterSeconds: 0 },
				{ kind: 'status', status: 429, retryAfterSeconds: 1 },
			],
			{ method: 'POST', path: /\/files\/upload$/ },
		);
		const run = await upload({ options: { concurrency: 1 } }, items, { binaryDataMode: 'default' });
		expect(run.error).toBeUndefined();
		expect(emulator.current.faults.counters).toMatchObject({ status503: 1, status429: 1 });
		const sends = uploadRequests().map((r) => `${r.fields?.unique_id ?? '?'}:${r.status}`);
		// Injected faults answer before reading the form, so their fields are not recorded.
		expect(sends).toEqual(['?:503', '?:429', 'a.txt:201', 'b.txt:201', 'c.txt:201']);
		for (const n of ['a', 'b', 'c']) {
			expect(liveByUniqueId(`${n}.txt`)).toHaveLength(1);
			expect(await contentOf(liveByUniqueId(`${n}.txt`)[0])).toBe(`content ${n}`);
		}
	});

	test('a connection dropped mid-stream: the binary is streamed again from the start', async () => {
		const content = Buffer.alloc(3 * MiB, 9);
		content.write('head', 0);
		content.write('tail', content.length - 4);
		// The server reads 1 MiB of the body, then drops the connection: nothing was applied.
		emulator.current.faults.script([{ kind: 'reset', when: 'before', readBytes: MiB }], {
			method: 'POST',
			path: /\/files\/upload$/,
		});
		const run = await upload({ onConflict: 'replace' }, [
			await makeStoredBinaryItem(content, { fileName: 'r.bin' }),
		]);
		expect(run.error).toBeUndefined();
		expect(emulator.current.faults.counters.resetBefore).toBe(1);
		expect(uploadRequests()).toHaveLength(2);
		expect(liveFiles()).toHaveLength(1);
		expect(emulator.current.store.blob(String(liveFiles()[0].file_id))?.sha256).toBe(
			sha256(content),
		);
	});

	test('connection reset after the server processed the upload: reconciled, not sent again', async () => {
		emulator.current.faults.script([{ kind: 'reset', when: 'after' }], {
			method: 'POST',
			path: /\/files\/upload$/,
		});
		const run = await upload({}, [textItem('once', 'once.txt'), textItem('twice?', 'other.txt')], {
			binaryDataMode: 'default',
		});
		expect(run.error).toBeUndefined();
		expect(emulator.current.faults.counters.resetAfter).toBe(1);
		expect(uploadRequests()).toHaveLength(2);
		expect(liveFiles()).toHaveLength(2);
		for (const out of run.items) expect(liveFiles().map((f) => f.id)).toContain(out.json.id);
	});

	test('connection reset before processing: the lookup finds nothing, the upload is sent again', async () => {
		emulator.current.faults.script([{ kind: 'reset', when: 'before' }], {
			method: 'POST',
			path: /\/files\/upload$/,
		});
		const run = await upload({ onConflict: 'keepBoth' }, [textItem('content', 'doc.txt')], {
			binaryDataMode: 'default',
		});
		expect(run.error).toBeUndefined();
		expect(emulator.current.faults.counters.resetBefore).toBe(1);
		expect(uploadRequests()).toHaveLength(2);
		expect(liveFiles().map((f) => f.unique_id)).toEqual(['doc.txt']);
	});
});

describe('failures', () => {
	test('continue-on-fail: a failed item becomes an error item, the others go on', async () => {
		const items = ['a', 'b', 'c'].map((n) => textItem(n, `${n}.txt`));
		emulator.current.faults.script(
			[null, { kind: 'status', status: 422, body: '{"detail":"unsupported file"}' }],
			{
				method: 'POST',
				path: /\/files\/upload$/,
			},
		);
		const run = await upload({ options: { concurrency: 1 } }, items, {
			binaryDataMode: 'default',
			continueOnFail: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.json.unique_id ?? i.json.error)).toEqual([
			'a.txt',
			'LlamaCloud API error 422 Unprocessable Entity: unsupported file [item 1]',
			'c.txt',
		]);
		expect(run.pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }], [{ item: 2 }]]);
		expect(JSON.stringify(run.items)).not.toContain(emulator.current.apiKey);
	});

	test('without continue-on-fail the first failure stops new uploads and fails the node, naming the item', async () => {
		const items = ['a', 'b', 'c', 'd', 'e'].map((n) => textItem(n, `${n}.txt`));
		emulator.current.faults.script([null, null, { kind: 'status', status: 400 }], {
			method: 'POST',
			path: /\/files\/upload$/,
		});
		const run = await upload({ options: { concurrency: 1 } }, items, { binaryDataMode: 'default' });
		expect(run.error?.message).toMatch(/^LlamaCloud API error 400.*\[item 2\]$/);
		expect(uploadRequests()).toHaveLength(3);
		expect(
			liveFiles()
				.map((f) => f.unique_id)
				.sort(),
		).toEqual(['a.txt', 'b.txt']);
	});

	test('in-flight uploads finish before the node fails', async () => {
		const items = Array.from({ length: 8 }, (_, i) => textItem(`c${i}`, `f${i}.txt`));
		emulator.current.faults.configure({ latencyMs: 40, path: /\/files\/upload$/ });
		emulator.current.faults.script([{ kind: 'status', status: 400 }], {
			method: 'POST',
			path: /\/files\/upload$/,
		});
		const run = await upload({ options: { concurrency: 4 } }, items, { binaryDataMode: 'default' });
		expect(run.error).toBeDefined();
		// Every upload the server saw had finished when the node reported its failure.
		expect(uploadRequests().every((r) => r.status !== 0)).toBe(true);
		expect(emulator.current.store.activeUploads()).toHaveLength(0);
		expect(uploadRequests().length).toBeLessThan(8);
	});

	test('a wrong API key fails with 401 and the key appears nowhere', async () => {
		const run = await upload({}, [textItem('a', 'a.txt')], {
			binaryDataMode: 'default',
			continueOnFail: true,
			credentials: {
				llamaCloudIngestApi: {
					apiKey: 'llx-wrong-key-123456',
					region: 'custom',
					baseUrl: emulator.current.url,
				},
			},
		});
		expect(run.items[0].json.error).toMatch(/401/);
		expect(JSON.stringify(run.items)).not.toContain('llx-wrong-key-123456');
	});
});

describe('RateBudget (on a clock the test moves)', () => {
	let now = 0;
	const waits: number[] = [];
	const budget = (limit: number) =>
		new RateBudget(
			limit,
			5000,
			() => now,
			async (ms) => {
				waits.push(ms);
				now += ms;
			},
		);
	beforeEach(() => {
		now = 0;
		waits.length = 0;
	});

	test('a burst of the limit, then room as the oldest answers leave the window', async () => {
		const b = budget(50);
		for (let i = 0; i < 50; i++) (await b.take())();
		expect(waits).toEqual([]);
		const next = b.take(); // the 51st waits for the first answer to be 5 s old
		await next;
		expect(now).toBe(5000);
	});

	test('an upload counts from its answer: late answers keep their place in the window', async () => {
		const b = budget(3);
		const answered = [await b.take(), await b.take(), await b.take()];
		now = 300; // the answers come 300 ms after the sends
		for (const done of answered) done();
		await b.take();
		expect(now).toBe(5300);
	});

	test('uploads still waiting for their answer hold their place', async () => {
		const b = budget(2);
		const first = await b.take();
		await b.take(); // never answered in this test
		now = 1000;
		first();
		await b.take(); // the first answer leaves the window at 6000
		expect(now).toBe(6000);
	});

	test('a 429 pauses for Retry-After and sends a fifth less; successes win it back', async () => {
		const b = budget(50);
		(await b.take())();
		b.throttled(2000);
		expect(b.perWindow).toBe(40);
		(await b.take())();
		expect(now).toBe(2000);
		for (let i = 0; i < 20; i++) b.succeeded();
		expect(b.perWindow).toBe(50);
		b.throttled(undefined); // no hint: a second
		(await b.take())();
		expect(now).toBe(3000);
	});
});

describe('look-ups and Upload Rate Limit: fewer and paced requests', () => {
	test.each(['skip', 'replace', 'keepBoth'])(
		'%s: one listing serves the look-ups of all uploads, not one GET per file',
		async (onConflict) => {
			emulator.current.store.seedFiles(directoryId, 3, { uniqueId: (i) => `f${i}.txt` });
			emulator.current.clearRequests();
			const names = Array.from({ length: 12 }, (_, i) => `f${i}.txt`);
			const run = await upload({ onConflict }, files(names));
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(12);

			const sent = requests();
			expect(sent.filter((r) => r.startsWith('GET'))).toEqual([
				'GET /api/v1/beta/directories/{dir}/files',
			]);
			expect(emulator.current.requests[0].query).toMatchObject({ page_size: '6001' });
			const live = emulator.current.store.files(directoryId, { includeDeleted: false });
			if (onConflict === 'skip') {
				// The 3 existing files are skipped as listed: 9 uploads, nothing else.
				expect(run.items.filter((i) => i.json.skipped === true)).toHaveLength(3);
				expect(sent).toHaveLength(10);
				expect(live).toHaveLength(12);
			} else if (onConflict === 'replace') {
				// 12 uploads; the 3 existing files also take a delete and a rename each.
				expect(sent.filter((r) => r.endsWith('/upload'))).toHaveLength(12);
				expect(live.map((f) => f.unique_id).sort()).toEqual([...names].sort());
			} else {
				expect(live).toHaveLength(15);
				expect(live.map((f) => f.unique_id)).toEqual(
					expect.arrayContaining(['f0 (2).txt', 'f1 (2).txt', 'f2 (2).txt']),
				);
				expect(sent).toHaveLength(13);
			}
		},
	);

	test('a directory too large to list for a few uploads is not listed: each looks its file up', async () => {
		emulator.current.store.seedFiles(directoryId, 2500);
		emulator.current.clearRequests();
		const run = await upload(
			{ onConflict: 'replace' },
			files(['a.txt', 'b.txt', 'c.txt', 'd.txt']),
		);
		expect(run.error).toBeUndefined();
		const gets = emulator.current.requests.filter((r) => r.method === 'GET');
		// Listing would take 3 pages for 4 look-ups (at most 2 pages are worth it): it stops after
		// the pages that tell it so, and the look-ups go by unique ID.
		expect(gets.filter((r) => r.query.unique_id !== undefined)).toHaveLength(4);
		expect(gets.filter((r) => r.query.unique_id === undefined).length).toBeLessThanOrEqual(3);
	});

	test('uploads keep to "Upload Rate Limit": a server enforcing that limit answers no 429', async () => {
		// 3 uploads per 5 s on the server; the node, told the same, counts each from its answer.
		emulator.current.rateLimit.configure({ limit: 3, windowMs: 5000 });
		const names = ['r0.txt', 'r1.txt', 'r2.txt', 'r3.txt', 'r4.txt'];
		const run = await upload({ requestOptions: { uploadRateLimit: 3 } }, files(names));
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.json.unique_id)).toEqual(names);
		expect(emulator.current.rateLimit.counters).toEqual({ allowed: 5, limited: 0 });
		expect(emulator.current.requests.filter((r) => r.status === 429)).toEqual([]);
	}, 60_000);

	test('"Upload Rate Limit" out of range fails naming the field', async () => {
		const run = await upload({ requestOptions: { uploadRateLimit: -1 } }, files(['a.txt']));
		expect(run.error?.message).toBe(
			`"Upload Rate Limit (per 5 Seconds)" in the node's Request Options must be a whole number from 0 to 100000 (got -1) [item 0]`,
		);
		expect(emulator.current.requests).toEqual([]);
	});
});

test('with Ignore SSL Issues, an upload to a self-signed endpoint goes through', async () => {
	const dir = selfSigned.current.store.createDirectory('docs').id;
	const { error } = await uploadTo(selfSigned, { directoryId: byId(dir), ...ignoreSsl });
	expect(error).toBeUndefined();
	expect(selfSigned.current.store.files(dir)).toHaveLength(1);
});

test('without it, the upload fails naming the certificate, the URL, the item and the setting', async () => {
	const { url, store } = selfSigned.current;
	const dir = store.createDirectory('docs').id;
	const { error } = await uploadTo(selfSigned, { directoryId: byId(dir) });
	expect(error?.message).toBe(
		`Could not connect to LlamaCloud at ${url}: its TLS certificate is refused (it is self-signed) [item 0]`,
	);
	// Upload looks the unique ID up first (what the API does with a taken one is not public).
	expect(error?.description).toContain(
		`GET ${url}/api/v1/beta/directories/${dir}/files. TLS error DEPTH_ZERO_SELF_SIGNED_CERT.`,
	);
	expect(error?.description).toContain('"Ignore SSL Issues (Insecure)"');
	expect(store.files(dir)).toHaveLength(0);
});

test('an upload goes through the Proxy of the Request Options', async () => {
	const proxy = await startForwardProxy();
	try {
		const dir = emulator.current.store.createDirectory('docs').id;
		const { error } = await uploadTo(emulator, {
			directoryId: byId(dir),
			requestOptions: { proxy: proxy.url },
		});
		expect(error).toBeUndefined();
		expect(proxy.seen).toContain(
			`POST ${emulator.current.url}/api/v1/beta/directories/${dir}/files/upload`,
		);
	} finally {
		await proxy.close();
	}
});

test('a Proxy without a port is refused before anything is sent, naming the setting', async () => {
	const dir = emulator.current.store.createDirectory('docs').id;
	const { error } = await uploadTo(emulator, {
		directoryId: byId(dir),
		requestOptions: { proxy: 'http://proxy' },
	});
	expect(error?.message).toBe(
		`"Proxy" in the node's Request Options is not a valid proxy URL (got http://proxy) [item 0]`,
	);
	expect(emulator.current.requests).toHaveLength(0);
});

test('a continue-on-fail item keeps the request and URL as details', async () => {
	const { items } = await uploadTo(emulator, { directoryId: byId('dir-missing') }, true);
	expect(items[0].json.error).toBe(
		'LlamaCloud API error 404 Not Found: Directory dir-missing not found [item 0]',
	);
	expect(items[0].json.details).toContain(
		`${emulator.current.url}/api/v1/beta/directories/dir-missing`,
	);
});

/** A pass-through HTTP proxy that reports each request's headers. */
async function forwardingProxy(target: string, onRequest: (headers: IncomingHttpHeaders) => void) {
	const server: Server = createServer((req, res) => {
		onRequest(req.headers);
		const upstream = httpRequest(
			`${target}${req.url}`,
			{ method: req.method, headers: req.headers },
			(reply) => {
				res.writeHead(reply.statusCode ?? 502, reply.headers);
				reply.pipe(res);
			},
		);
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
