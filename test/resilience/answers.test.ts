/**
 * Class 1 of issue 14: answers that are not what the API promises. A 200 whose body is an HTML
 * page (a proxy's login screen), truncated JSON, `null`, a bare array or string, a page whose
 * `items` is not a list of objects: every request path (routed operations, programmatic
 * requests, list searches, the trigger) fails clearly, naming the item and the request, and
 * continue-on-fail turns exactly that item into an error item. The trigger saves no cursor
 * from such an answer.
 */
import type { ExecutionError, INodeExecutionData } from 'n8n-workflow';

import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { listSearch, makeBinaryItem } from '../../harness/engine';
import { byId, useHostileApi } from '../support/hostile-api';
import { LOGIN_PAGE, type Answer } from '../support/hostile-server';

const api = useHostileApi();

const DIRECTORIES = '/api/v1/beta/directories';
const FILES = /^\/api\/v1\/beta\/directories\/[^/]+\/files$/;

/** The message says what came instead and names the item; the description says which request. */
function expectBadAnswer(
	error: ExecutionError | undefined,
	what: RegExp,
	request: string,
	itemIndex = 0,
) {
	expect(error).toBeDefined();
	expect(error?.message).toMatch(/^Unexpected answer from LlamaCloud: /);
	expect(error?.message).toMatch(what);
	expect(error?.message).toMatch(new RegExp(`\\[item ${itemIndex}\\]$`));
	const [method, path] = request.split(' ');
	expect(error?.description ?? '').toContain(`${method} ${api.hostile.url}${path}.`);
}

const HTML: Answer = { body: LOGIN_PAGE };
const HTML_WHAT = /an HTML page \("Sign in to Corporate Proxy"\) instead of JSON/;

describe('single objects (routed Get)', () => {
	const cases: Array<[string, Answer, RegExp]> = [
		['an HTML login page with status 200', HTML, HTML_WHAT],
		[
			'truncated JSON',
			{ body: '{"id": "dir-1", "name": "Con', contentType: 'application/json' },
			/malformed JSON \(it breaks off or is not JSON\)/,
		],
		['null', { json: null }, /null instead of a JSON object/],
		['a JSON array', { json: [{ id: 'dir-1' }] }, /a JSON array instead of a JSON object/],
		['a JSON string', { json: 'ok' }, /a JSON string instead of a JSON object/],
		[
			'an empty body',
			{ body: '', contentType: 'application/json' },
			/an empty body instead of a JSON object/,
		],
	];
	test.each(cases)('%s fails naming the item and the request', async (_name, answer, what) => {
		const directory = api.emulator.store.createDirectory('Real');
		const path = `${DIRECTORIES}/${directory.id}`;
		api.hostile.on({ method: 'GET', path }, answer);
		const { error, items } = await api.run({
			resource: 'directory',
			operation: 'get',
			directoryId: byId(directory.id),
		});
		expect(items).toEqual([]);
		expectBadAnswer(error, what, `GET ${path}`);
	});

	test('a Delete answered by an HTML page is not reported as deleted', async () => {
		const directory = api.emulator.store.createDirectory('Keep me');
		const path = `${DIRECTORIES}/${directory.id}`;
		api.hostile.on({ method: 'DELETE', path }, HTML);
		const { error, items } = await api.run({
			resource: 'directory',
			operation: 'delete',
			directoryId: byId(directory.id),
		});
		expect(items).toEqual([]);
		expect(error?.message).toMatch(HTML_WHAT);
		expect(api.emulator.store.directory(directory.id)).toBeDefined();
	});
});

describe('lists (routed Get Many, Get by Unique ID)', () => {
	const cases: Array<[string, Answer, RegExp]> = [
		['an HTML login page', HTML, HTML_WHAT],
		['null', { json: null }, /null instead of a JSON object/],
		[
			'a bare array of directories',
			{ json: [{ id: 'dir-1', name: 'x' }] },
			/a JSON array instead of a JSON object/,
		],
		[
			'items that is a string',
			{ json: { items: 'abc', next_page_token: null } },
			/a page whose "items" is a string, not a list/,
		],
		['no items at all', { json: { next_page_token: null } }, /a page without "items"/],
		[
			'items that are not objects',
			{ json: { items: [1, 'x'] } },
			/a page whose "items" holds a number, not objects/,
		],
	];
	test.each(cases)('Get Many: %s fails, and outputs nothing', async (_name, answer, what) => {
		api.emulator.store.createDirectory('Real');
		api.hostile.on({ method: 'GET', path: DIRECTORIES }, answer);
		const { error, items } = await api.run({
			resource: 'directory',
			operation: 'getAll',
			returnAll: true,
		});
		expect(items).toEqual([]);
		expectBadAnswer(error, what, `GET ${DIRECTORIES}`);
	});

	test('Get Many: a second page that is an HTML page fails; the first page is not output alone', async () => {
		// A first page that promises a second; the second is a proxy's page.
		api.hostile.on({ method: 'GET', path: DIRECTORIES }, (request) =>
			request.query.page_token
				? HTML
				: { json: { items: [{ id: 'dir-1', name: 'One' }], next_page_token: 'page-2' } },
		);
		const { error, items } = await api.run({
			resource: 'directory',
			operation: 'getAll',
			returnAll: true,
		});
		expect(api.hostile.requests.filter((r) => r.query.page_token)).toHaveLength(1);
		expect(items).toEqual([]);
		expectBadAnswer(error, HTML_WHAT, `GET ${DIRECTORIES}`);
	});

	test('Get by Unique ID: an HTML page is not "no such file"', async () => {
		const directory = api.emulator.store.createDirectory('Files');
		api.hostile.on({ method: 'GET', path: FILES }, HTML);
		const { error } = await api.run({
			resource: 'file',
			operation: 'getByUniqueId',
			directoryId: byId(directory.id),
			uniqueId: 'a.txt',
		});
		expect(error?.message).not.toMatch(/No file with unique ID/);
		expectBadAnswer(error, HTML_WHAT, `GET ${DIRECTORIES}/${directory.id}/files`);
	});
});

describe('continue-on-fail', () => {
	test('the item whose answer is junk becomes an error item naming it and its request; the others succeed', async () => {
		const directories = ['A', 'B', 'C'].map((name) => api.emulator.store.createDirectory(name));
		const bad = `${DIRECTORIES}/${directories[1].id}`;
		api.hostile.on({ method: 'GET', path: bad }, HTML);
		const { error, items } = await api.run(
			{ resource: 'directory', operation: 'get', directoryId: byId('={{ $json.id }}') },
			{
				continueOnFail: true,
				inputItems: directories.map((d) => ({ json: { id: d.id } })),
			},
		);
		expect(error).toBeUndefined();
		expect(items.map((item: INodeExecutionData) => item.json.name ?? null)).toEqual([
			'A',
			null,
			'C',
		]);
		expect(String(items[1].json.error)).toMatch(HTML_WHAT);
		expect(String(items[1].json.error)).toMatch(/\[item 1\]$/);
		expect(String(items[1].json.details)).toContain(`GET ${api.hostile.url}${bad}.`);
	});
});

describe('programmatic requests (Upload, Sync, list searches)', () => {
	test('Upload: a 200 HTML page is not an uploaded file', async () => {
		const directory = api.emulator.store.createDirectory('Uploads');
		api.hostile.on({ method: 'POST', path: /\/files\/upload$/ }, HTML);
		const { error, items } = await api.run(
			{ resource: 'file', operation: 'upload', directoryId: byId(directory.id) },
			{ inputItems: [makeBinaryItem('hello', { fileName: 'a.txt' })], binaryDataMode: 'default' },
		);
		expect(items).toEqual([]);
		expect(error?.message).toMatch(HTML_WHAT);
		expect(error?.message).toMatch(/\[item 0\]$/);
		expect(api.emulator.store.files(directory.id)).toHaveLength(0);
	});

	test('Upload: a JSON array answer is not an uploaded file either, with continue-on-fail an error item', async () => {
		const directory = api.emulator.store.createDirectory('Uploads');
		api.hostile.on({ method: 'POST', path: /\/files\/upload$/ }, { json: [] });
		const { items } = await api.run(
			{ resource: 'file', operation: 'upload', directoryId: byId(directory.id) },
			{
				inputItems: [makeBinaryItem('hello', { fileName: 'a.txt' })],
				binaryDataMode: 'default',
				continueOnFail: true,
			},
		);
		expect(items).toHaveLength(1);
		expect(String(items[0].json.error)).toMatch(/a JSON array instead of a JSON object/);
		expect(items[0].json.id).toBeUndefined();
	});

	test('Sync: an index answered as HTML fails the item instead of outputting the page', async () => {
		const source = api.emulator.store.createDirectory('Source');
		const created = await fetch(`${api.emulator.url}/api/v1/indexes`, {
			method: 'POST',
			headers: {
				Authorization: `Bearer ${api.emulator.apiKey}`,
				'Content-Type': 'application/json',
			},
			body: JSON.stringify({ source_directory_id: source.id }),
		});
		const { id } = (await created.json()) as { id: string };
		api.hostile.on({ method: 'GET', path: `/api/v1/indexes/${id}` }, HTML);
		const { error, items } = await api.run({
			resource: 'index',
			operation: 'sync',
			indexId: byId(id),
		});
		expect(items).toEqual([]);
		expectBadAnswer(error, HTML_WHAT, `GET /api/v1/indexes/${id}`);
	});

	test('a list search ("From List") answered as HTML says so instead of listing nothing', async () => {
		api.hostile.on({ method: 'GET', path: DIRECTORIES }, HTML);
		await expect(
			listSearch({
				nodeType: LlamaCloud,
				method: 'searchDirectories',
				credentials: api.credentials(),
			}),
		).rejects.toThrow(HTML_WHAT);
	});
});

describe('the trigger saves no cursor from a junk answer', () => {
	const parameters = (directoryId: string) => ({
		directoryId: byId(directoryId),
		events: ['created'],
	});

	test('a first activation that meets an HTML page fails and saves nothing; the next good poll emits nothing old', async () => {
		const directory = api.emulator.store.createDirectory('Inbox');
		api.emulator.store.seedFiles(directory.id, 3);
		api.hostile.on({ method: 'GET', path: FILES }, HTML);
		await expect(
			api.poll({ parameters: parameters(directory.id), staticData: {} }),
		).rejects.toThrow(HTML_WHAT);
		// The proxy is gone; n8n saved nothing, since the poll threw.
		api.hostile.reset();
		const seeded = await api.poll({ parameters: parameters(directory.id), staticData: {} });
		expect(seeded.items).toBeNull();
		expect(seeded.staticData.cursor).toBeDefined();
		const next = await api.poll({
			parameters: parameters(directory.id),
			staticData: seeded.staticData,
		});
		expect(next.items).toBeNull();
	});

	test('a later poll whose page holds junk items fails and keeps the cursor it had', async () => {
		const directory = api.emulator.store.createDirectory('Inbox');
		const first = await api.poll({ parameters: parameters(directory.id), staticData: {} });
		api.emulator.store.seedFiles(directory.id, 2, { displayName: (i) => `new-${i}.txt` });
		api.hostile.on(
			{ method: 'GET', path: FILES, times: 1 },
			{ json: { items: ['a', 'b'], next_page_token: null } },
		);
		await expect(
			api.poll({ parameters: parameters(directory.id), staticData: first.staticData }),
		).rejects.toThrow(/a page whose "items" holds a string, not objects/);
		const next = await api.poll({
			parameters: parameters(directory.id),
			staticData: first.staticData,
		});
		expect((next.items ?? []).map((item) => item.json.display_name).sort()).toEqual([
			'new-0.txt',
			'new-1.txt',
		]);
	});
});
