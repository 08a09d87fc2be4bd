/**
 * Class 7 of issue 14: uploads. File names with control characters or backslashes upload like
 * any other (the multipart header stays well-formed; the display name is kept as given). An
 * upload whose answer was lost, or that the server stored before answering 503, is reconciled:
 * Keep Both does not store a second copy, Skip does not report the item's own upload as
 * "skipped", Replace does not fail on its own temporary file.
 */
import type { INodeParameters } from 'n8n-workflow';

import { makeBinaryItem } from '../../harness/engine';
import { byId, useHostileApi } from '../support/hostile-api';

const api = useHostileApi();

const UPLOAD = /\/files\/upload$/;

function upload(directoryId: string, extra: INodeParameters = {}): INodeParameters {
	return { resource: 'file', operation: 'upload', directoryId: byId(directoryId), ...extra };
}

describe('file names', () => {
	test.each([
		['a NUL', 'report\u0000.txt'],
		['a tab and a bell', 'in\tvoice\u0007.txt'],
		['CR LF', 'two\r\nlines.txt'],
		['DEL and C1 controls', 'odd\u007f\u0085.txt'],
		['backslashes (a Windows path)', 'C:\\Users\\me\\report.txt'],
		['a trailing backslash', 'folder\\'],
		['quotes and a semicolon', 'say "hi"; filename=evil.txt'],
	])('%s in the file name: uploaded, display name kept', async (_name, fileName) => {
		const directory = api.emulator.store.createDirectory('Names');
		const { error, items } = await api.run(
			upload(directory.id, { requestOptions: { timeout: 5000, maxTries: 1 } }),
			{
				inputItems: [makeBinaryItem('content', { fileName })],
				binaryDataMode: 'default',
			},
		);
		expect(error).toBeUndefined();
		expect(items[0].json.display_name).toBe(fileName);
		expect(items[0].json.unique_id).toBe(fileName);
		const [stored] = api.emulator.store.files(directory.id);
		expect(stored.display_name).toBe(fileName);
		expect(api.emulator.store.blob(String(stored.file_id))?.size).toBe('content'.length);
		// The header line that names the file holds no raw control character and no backslash.
		const body =
			api.hostile.requests.find((r) => r.method === 'POST')?.body.toString('latin1') ?? '';
		const header =
			/Content-Disposition: form-data; name="upload_file"; filename="([^"\r\n]*)"\r\n/.exec(body);
		expect(header).not.toBeNull();
		expect(header?.[1]).not.toMatch(/[\u0000-\u001f\u007f\\]/);
	});
});

describe('reconciling uploads the server stored although the answer said otherwise', () => {
	test('Skip: stored, then a 503 — the item reports its own upload, not "skipped"', async () => {
		const directory = api.emulator.store.createDirectory('Skip');
		api.hostile.on({ method: 'POST', path: UPLOAD, times: 1 }, { forward: true, status: 503 });
		const { error, items } = await api.run(upload(directory.id), {
			inputItems: [makeBinaryItem('new content', { fileName: 'new.txt' })],
			binaryDataMode: 'default',
		});
		expect(error).toBeUndefined();
		expect(items[0].json.unique_id).toBe('new.txt');
		expect(items[0].json.skipped).toBeUndefined();
		expect(api.emulator.store.files(directory.id, { includeDeleted: false })).toHaveLength(1);
	});

	test('Skip: a file that really existed is still reported as skipped', async () => {
		const directory = api.emulator.store.createDirectory('Skip');
		api.emulator.store.seedFiles(directory.id, 1, { uniqueId: () => 'old.txt' });
		const { items } = await api.run(upload(directory.id), {
			inputItems: [makeBinaryItem('other content', { fileName: 'old.txt' })],
			binaryDataMode: 'default',
		});
		expect(items[0].json.skipped).toBe(true);
	});

	test('Keep Both: stored, then a 503 — one copy, not two', async () => {
		const directory = api.emulator.store.createDirectory('Both');
		api.emulator.store.seedFiles(directory.id, 1, { uniqueId: () => 'r.txt' });
		api.hostile.on({ method: 'POST', path: UPLOAD, times: 1 }, { forward: true, status: 503 });
		const { error, items } = await api.run(upload(directory.id, { onConflict: 'keepBoth' }), {
			inputItems: [makeBinaryItem('second version', { fileName: 'r.txt' })],
			binaryDataMode: 'default',
		});
		expect(error).toBeUndefined();
		expect(items[0].json.unique_id).toBe('r (2).txt');
		expect(
			api.emulator.store
				.files(directory.id, { includeDeleted: false })
				.map((f) => f.unique_id)
				.sort(),
		).toEqual(['r (2).txt', 'r.txt']);
	});

	test('Keep Both: the answer is lost and the server stores it only after the lookup — still one copy', async () => {
		const directory = api.emulator.store.createDirectory('Both');
		api.emulator.store.seedFiles(directory.id, 1, { uniqueId: () => 'r.txt' });
		// The first upload is held past the client's Timeout and stored after its lookup found
		// nothing; the client's second upload arrives once the first is stored.
		let stored!: () => void;
		const firstStored = new Promise<void>((resolve) => (stored = resolve));
		let lookups = 0;
		api.hostile.on({ method: 'GET', path: /\/files$/ }, () => {
			lookups++;
			return { forward: true };
		});
		api.hostile.on(
			{ method: 'POST', path: UPLOAD, times: 1 },
			{ forward: true, delayMs: 1500, onForwarded: () => stored() },
		);
		api.hostile.on(
			{ method: 'POST', path: UPLOAD, times: 1 },
			{ forward: true, after: firstStored },
		);
		const { error, items } = await api.run(
			upload(directory.id, { onConflict: 'keepBoth', requestOptions: { timeout: 500 } }),
			{
				inputItems: [makeBinaryItem('second version', { fileName: 'r.txt' })],
				binaryDataMode: 'default',
			},
		);
		expect(error).toBeUndefined();
		expect(lookups).toBeGreaterThanOrEqual(2);
		expect(items[0].json.unique_id).toBe('r (2).txt');
		expect(
			api.emulator.store
				.files(directory.id, { includeDeleted: false })
				.map((f) => f.unique_id)
				.sort(),
		).toEqual(['r (2).txt', 'r.txt']);
	});

	test('Replace: its temporary upload stored, then a 503 — replaced, no temporary file left', async () => {
		const directory = api.emulator.store.createDirectory('Replace');
		const [old] = api.emulator.store.seedFiles(directory.id, 1, { uniqueId: () => 'doc.txt' });
		api.hostile.on({ method: 'POST', path: UPLOAD, times: 1 }, { forward: true, status: 503 });
		const { error, items } = await api.run(upload(directory.id, { onConflict: 'replace' }), {
			inputItems: [makeBinaryItem('new doc', { fileName: 'doc.txt' })],
			binaryDataMode: 'default',
		});
		expect(error).toBeUndefined();
		expect(items[0].json.unique_id).toBe('doc.txt');
		const live = api.emulator.store.files(directory.id, { includeDeleted: false });
		expect(live.map((f) => f.unique_id)).toEqual(['doc.txt']);
		expect(live[0].id).not.toBe(old.id);
	});
});
