/**
 * The hostile server itself (test/support/hostile-server.ts): each kind of answer arrives as
 * described, over real HTTP, so the tests built on it break exactly what they say.
 */
import { request as httpRequest } from 'node:http';

import { startEmulator, type Emulator } from '../../emulator';
import { recorded } from '../../harness/engine';
import { CANARY_API_KEY } from '../support/canary';
import {
	LOGIN_PAGE,
	repeatingPages,
	startHostileServer,
	type HostileServer,
} from '../support/hostile-server';
import { allowNonConformingRequests } from '../support/spec';

// Requests the hostile server forwards on to the emulator include paths of its own tests.
allowNonConformingRequests(
	'the hostile server test forwards paths outside the API',
	(exchange) => !exchange.path.startsWith('/api/'),
);

let emulator: Emulator;
let hostile: HostileServer;

beforeAll(async () => {
	emulator = await startEmulator({ apiKey: CANARY_API_KEY });
	hostile = await startHostileServer({ upstream: emulator.url });
});
afterAll(async () => {
	await hostile.close();
	await emulator.close();
});
beforeEach(() => {
	hostile.reset();
	emulator.reset();
});

const auth = { Authorization: `Bearer ${CANARY_API_KEY}` };
const get = (path: string, init: RequestInit = {}) =>
	fetch(`${hostile.url}${path}`, { headers: auth, redirect: 'manual', ...init });

/** Reads a response by hand: status, and the body bytes with the time between chunks. */
function rawGet(path: string): Promise<{ status: number; chunks: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(`${hostile.url}${path}`, { headers: auth }, (res) => {
			let chunks = 0;
			let body = '';
			res.on('data', (chunk: Buffer) => {
				chunks++;
				body += chunk.toString('utf8');
			});
			res.on('end', () => resolve({ status: res.statusCode ?? 0, chunks, body }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

test('unclaimed requests are forwarded to the upstream, key and query included', async () => {
	emulator.store.createDirectory('Forwarded');
	const response = await get('/api/v1/beta/directories?name=Forwarded');
	expect(response.status).toBe(200);
	const page = (await response.json()) as { items: Array<{ name: string }> };
	expect(page.items.map((d) => d.name)).toEqual(['Forwarded']);
	expect(hostile.requests[0]).toMatchObject({
		method: 'GET',
		path: '/api/v1/beta/directories',
		query: { name: 'Forwarded' },
		bearer: CANARY_API_KEY,
	});
	expect(emulator.requests.at(-1)?.query).toEqual({ name: 'Forwarded' });
});

test('raw answers: an HTML 200, truncated JSON, null and an array, as sent', async () => {
	hostile.on({ path: '/html', times: 1 }, { body: LOGIN_PAGE });
	hostile.on(
		{ path: '/truncated', times: 1 },
		{ body: '{"items": [{"id": "dir-1"', contentType: 'application/json' },
	);
	hostile.on({ path: '/null', times: 1 }, { json: null });
	hostile.on({ path: '/array', times: 1 }, { json: [{ id: 'x' }] });
	const html = await get('/html');
	expect(html.headers.get('content-type')).toContain('text/html');
	expect(await html.text()).toBe(LOGIN_PAGE);
	expect(await (await get('/truncated')).text()).toBe('{"items": [{"id": "dir-1"');
	expect(await (await get('/null')).text()).toBe('null');
	expect(await (await get('/array')).json()).toEqual([{ id: 'x' }]);
	// Each rule answered once; the next request is forwarded (and the emulator 404s it).
	expect((await get('/html')).status).toBe(404);
});

test('a repeating list answers the same next_page_token, then gives up after `times`', async () => {
	hostile.on({ path: '/list' }, repeatingPages({ items: [{ id: 'dir-1' }] }, 3));
	const tokens: unknown[] = [];
	for (let i = 0; i < 4; i++)
		tokens.push(
			((await (await get('/list')).json()) as { next_page_token: unknown }).next_page_token,
		);
	expect(tokens).toEqual(['same-token-again', 'same-token-again', null, null]);
});

test('redirects carry a Location and are recorded at the target when it records', async () => {
	const foreign = await startHostileServer({ recordAs: 'foreign-request' });
	try {
		foreign.on({}, { json: { ok: true } });
		hostile.on({ path: '/moved' }, { redirect: `${foreign.url}/elsewhere`, status: 307 });
		const response = await get('/moved');
		expect(response.status).toBe(307);
		expect(response.headers.get('location')).toBe(`${foreign.url}/elsewhere`);
		// Followed without the key by hand: the target records what arrives.
		await fetch(response.headers.get('location')!);
		expect(foreign.requests).toHaveLength(1);
		expect(foreign.requests[0].bearer).toBeUndefined();
		expect(recorded().filter((r) => r.kind === 'foreign-request')).toHaveLength(1);
	} finally {
		await foreign.close();
	}
});

test('a trickle sends the headers at once and the body in many small chunks', async () => {
	const body = JSON.stringify({ id: 'dir-1', name: 'slow' });
	hostile.on({ path: '/slow' }, { trickle: body, chunkBytes: 4, everyMs: 5 });
	const result = await rawGet('/slow');
	expect(result.status).toBe(200);
	expect(result.body).toBe(body);
	expect(result.chunks).toBeGreaterThan(3);
});

test('a stall sends part of the body, then drops the connection when it gives up', async () => {
	hostile.on({ path: '/stall' }, { stall: '{"id": "dir-', forMs: 50 });
	await expect(rawGet('/stall')).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
});

test('notHttp writes bytes that are no HTTP response', async () => {
	hostile.on({ path: '/ssh' }, { notHttp: 'SSH-2.0-OpenSSH_9.6\r\n' });
	await expect(rawGet('/ssh')).rejects.toThrow(/Parse Error|HPE_/);
});

test('forward can drop a filter, rewrite the answer, answer another status, and wait its turn', async () => {
	emulator.store.createDirectory('A');
	emulator.store.createDirectory('B');
	let release!: () => void;
	const turn = new Promise<void>((resolve) => (release = resolve));
	const forwarded: number[] = [];
	hostile.on(
		{ path: '/api/v1/beta/directories', times: 1 },
		{
			forward: true,
			after: turn,
			status: 503,
			onForwarded: (status) => forwarded.push(status),
			query: ({ name: _ignored, ...rest }) => rest,
			transform: (json) => ({ ...(json as object), rewritten: true }),
		},
	);
	const pending = get('/api/v1/beta/directories?name=A');
	expect(forwarded).toEqual([]);
	release();
	const response = await pending;
	expect(response.status).toBe(503);
	const page = (await response.json()) as { items: unknown[]; rewritten: boolean };
	expect(page.items).toHaveLength(2);
	expect(page.rewritten).toBe(true);
	expect(forwarded).toEqual([200]);
});
