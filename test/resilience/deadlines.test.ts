/**
 * Class 8 of issue 14: deadlines. n8n's request timeout covers the wait for the first bytes; a
 * body that stalls or trickles after the headers (or headers that trickle) held a request far
 * past its Timeout. Every request now has an overall deadline — Timeout, plus the transfer
 * time of an upload's body — for routed operations, programmatic requests, the trigger and
 * list searches alike. And an answer that is not HTTP at all says which request met it, in
 * words a user understands.
 *
 * The hostile server gives up by itself after 15 s, so without a deadline these tests fail on
 * the message (a dropped connection, or a late success) instead of hanging.
 */
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { listSearch, makeBinaryItem } from '../../harness/engine';
import { byId, useHostileApi } from '../support/hostile-api';
import type { Answer } from '../support/hostile-server';

const api = useHostileApi();

const DIRECTORIES = '/api/v1/beta/directories';
const DEADLINE = /^LlamaCloud did not (finish answering|answer) within 0\.5 s/;
const fast = { timeout: 500, maxTries: 1 };

const directoryJson = JSON.stringify({ id: 'dir-slow', name: 'Slow', project_id: 'p' });
const pageJson = JSON.stringify({ items: [], next_page_token: null });

const slowAnswers: Array<[string, (json: string) => Answer]> = [
	['a body that trickles after the headers', (json) => ({ trickle: json, everyMs: 100 })],
	['a body that stalls after its first bytes', (json) => ({ stall: json.slice(0, 5) })],
	[
		'headers that trickle',
		(json) => ({
			rawTrickle: `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: ${'x'.repeat(60)}\r\nContent-Length: ${json.length}\r\n\r\n${json}`,
			chunkBytes: 2,
			everyMs: 100,
		}),
	],
];

describe.each(slowAnswers)('%s', (_name, slow) => {
	test('routed Get fails at its Timeout, naming the request and the item', async () => {
		api.hostile.on({ method: 'GET', path: `${DIRECTORIES}/dir-slow` }, slow(directoryJson));
		const { error, items } = await api.run({
			resource: 'directory',
			operation: 'get',
			directoryId: byId('dir-slow'),
			requestOptions: fast,
		});
		expect(items).toEqual([]);
		expect(error?.message).toMatch(DEADLINE);
		expect(error?.message).toMatch(/\[item 0\]$/);
		expect(error?.description).toContain(`GET ${api.hostile.url}${DIRECTORIES}/dir-slow.`);
	});

	test('a programmatic request (Upload) fails at its deadline too', async () => {
		const directory = api.emulator.store.createDirectory('Uploads');
		api.hostile.on(
			{ method: 'POST', path: /\/files\/upload$/ },
			slow(JSON.stringify({ id: 'dfl-1', unique_id: 'a.txt', display_name: 'a.txt' })),
		);
		const { error } = await api.run(
			{
				resource: 'file',
				operation: 'upload',
				directoryId: byId(directory.id),
				requestOptions: fast,
			},
			{ inputItems: [makeBinaryItem('a', { fileName: 'a.txt' })], binaryDataMode: 'default' },
		);
		expect(error?.message).toMatch(
			/did not (finish answering|answer) within 0\.5 s|it is unknown whether/,
		);
		expect(error?.message).toMatch(/\[item 0\]$/);
	});

	test('the trigger and a list search give up at the deadline', async () => {
		const directory = api.emulator.store.createDirectory('Inbox');
		api.hostile.on({ method: 'GET' }, slow(pageJson));
		await expect(
			api.poll({
				parameters: {
					directoryId: byId(directory.id),
					events: ['created'],
					requestOptions: fast,
				},
				staticData: {},
			}),
		).rejects.toThrow(/did not (finish answering|answer) within 0\.5 s/);
		await expect(
			listSearch({
				nodeType: LlamaCloud,
				method: 'searchDirectories',
				credentials: api.credentials(),
				parameters: { requestOptions: fast },
			}),
		).rejects.toThrow(/did not (finish answering|answer) within/);
	});
});

test('a slow answer within the deadline still succeeds', async () => {
	api.hostile.on(
		{ method: 'GET', path: `${DIRECTORIES}/dir-slow` },
		{ trickle: directoryJson, chunkBytes: 20, everyMs: 20 },
	);
	const { error, items } = await api.run({
		resource: 'directory',
		operation: 'get',
		directoryId: byId('dir-slow'),
		requestOptions: { timeout: 10_000, maxTries: 1 },
	});
	expect(error).toBeUndefined();
	expect(items[0].json.name).toBe('Slow');
});

test('a deadline that ran out is retried like any timeout, within Max Tries', async () => {
	api.hostile.on({ method: 'GET', path: `${DIRECTORIES}/dir-slow`, times: 1 }, { stall: '{"id"' });
	api.hostile.on(
		{ method: 'GET', path: `${DIRECTORIES}/dir-slow` },
		{ json: JSON.parse(directoryJson) },
	);
	const { error, items } = await api.run({
		resource: 'directory',
		operation: 'get',
		directoryId: byId('dir-slow'),
		requestOptions: { timeout: 500, maxTries: 2 },
	});
	expect(error).toBeUndefined();
	expect(items[0].json.name).toBe('Slow');
	expect(api.hostile.requests).toHaveLength(2);
});

describe('answers that are not HTTP', () => {
	test.each([
		['an SSH banner', 'SSH-2.0-OpenSSH_9.6\r\n'],
		['a TLS alert (an https server on an http URL)', '\u0015\u0003\u0001\u0000\u0002\u0002\u0046'],
		['garbage after a status line', 'HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n'],
	])(
		'%s: the error says which request, and that the server does not speak HTTP',
		async (_name, bytes) => {
			api.hostile.on({ method: 'GET' }, { notHttp: bytes });
			const { error } = await api.run({
				resource: 'directory',
				operation: 'getAll',
				requestOptions: { maxTries: 1 },
			});
			expect(error?.message).toMatch(
				/^The server at http:\/\/127\.0\.0\.1:\d+ did not answer in HTTP \(.+\) \[item 0\]$/,
			);
			expect(error?.description).toContain(`GET ${api.hostile.url}${DIRECTORIES}.`);
			expect(error?.description).toMatch(/Check the credential's Base URL/);
		},
	);
});
