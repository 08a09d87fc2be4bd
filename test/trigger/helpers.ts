/**
 * Test helpers for the LlamaCloud Trigger: an emulator with a controllable clock, a recording
 * proxy in front of it, directory mutations over real HTTP, a seeded PRNG and the reference
 * model of events the trigger's output is compared with.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';
import { request } from 'undici';

import { type Emulator, startEmulator } from '../../emulator';
import { CANARY_API_KEY } from '../support/canary';
import { LlamaCloudIngestTrigger as LlamaCloudTrigger } from '../../nodes/LlamaCloud/LlamaCloudIngestTrigger.node';
import { pollOnce, type PollResult } from '../../harness/engine';
import { byId } from '../support/emulator';

export const FILES_PATH = /^\/api\/v1\/beta\/directories\/[^/]+\/files$/;

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: small, fast, seedable. */
export function prng(seed: number) {
	let s = seed >>> 0;
	const next = () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		chance: (p: number) => next() < p,
		pick: <T>(items: T[]): T => items[Math.floor(next() * items.length)],
	};
}
export type Prng = ReturnType<typeof prng>;

/** TRIGGER_SEED=<n> reruns a failure; otherwise a fresh seed, printed on failure. */
export const testSeed = (): number =>
	Number(process.env.TRIGGER_SEED ?? Math.floor(Math.random() * 2 ** 31));

// ---------------------------------------------------------------------------------------------
// Emulator with a clock, behind a recording proxy

export interface Clock {
	now: number;
	advance(ms: number): void;
}

/**
 * Forwards every request to the emulator. For list-files responses it records the items
 * served and, before handing a page to the client, runs `beforePage` (awaited): a change
 * made there lands between two pages of the same listing, deterministically.
 */
export interface ListProxy {
	url: string;
	/** Items of every list-files page served since the last `takeServed()`. */
	takeServed(): IDataObject[];
	/** Pages of list-files served since the last `takeServed()`. */
	pagesServed: number;
	beforePage?: (pageIndex: number) => Promise<void>;
	close(): Promise<void>;
}

export async function startListProxy(target: string): Promise<ListProxy> {
	const upstream = new URL(target);
	let served: IDataObject[] = [];
	const proxy: ListProxy = {
		url: '',
		pagesServed: 0,
		takeServed() {
			const out = served;
			served = [];
			proxy.pagesServed = 0;
			return out;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
	const server: Server = createServer((req, res) => {
		const forward = httpRequest(
			{
				host: upstream.hostname,
				port: upstream.port,
				method: req.method,
				path: req.url,
				headers: req.headers,
			},
			(answer: IncomingMessage) => {
				const chunks: Buffer[] = [];
				answer.on('data', (c: Buffer) => chunks.push(c));
				answer.on('end', () => {
					void (async () => {
						const body = Buffer.concat(chunks);
						const path = new URL(req.url ?? '/', 'http://x').pathname;
						if (req.method === 'GET' && FILES_PATH.test(path) && answer.statusCode === 200) {
							const page = JSON.parse(body.toString('utf8')) as { items: IDataObject[] };
							served.push(...page.items);
							const index = proxy.pagesServed++;
							await proxy.beforePage?.(index);
						}
						res.writeHead(answer.statusCode ?? 500, answer.headers);
						res.end(body);
					})();
				});
			},
		);
		forward.on('error', () => res.destroy());
		req.pipe(forward);
	});
	server.keepAliveTimeout = 1000;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return proxy;
}

export interface TriggerWorld {
	emulator: Emulator;
	proxy: ListProxy;
	clock: Clock;
	credentials: { llamaCloudIngestApi: ICredentialDataDecryptedObject };
	close(): Promise<void>;
}

export const START_MS = Date.parse('2026-03-01T09:00:00.000Z');

export async function startWorld(): Promise<TriggerWorld> {
	const clock: Clock = {
		now: START_MS,
		advance(ms) {
			clock.now += ms;
		},
	};
	// At most 100 files a page whatever the trigger asks for (10,000): small directories still
	// take several pages, which is what many of these tests are about.
	const emulator = await startEmulator({
		apiKey: CANARY_API_KEY,
		clock: () => clock.now,
		maxPageSize: 100,
		pageSizeAboveMax: 'clamp',
	});
	const proxy = await startListProxy(emulator.url);
	return {
		emulator,
		proxy,
		clock,
		credentials: {
			llamaCloudIngestApi: { apiKey: emulator.apiKey, region: 'custom', baseUrl: proxy.url },
		},
		async close() {
			await proxy.close();
			await emulator.close();
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Directory changes over HTTP (straight to the emulator, not through the proxy)

export async function api(
	world: TriggerWorld,
	method: 'PATCH' | 'DELETE' | 'POST',
	path: string,
	body?: unknown,
) {
	const response = await request(`${world.emulator.url}${path}`, {
		method,
		headers: {
			authorization: `Bearer ${world.emulator.apiKey}`,
			'content-type': 'application/json',
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.body.text();
	if (response.statusCode >= 400)
		throw new Error(`${method} ${path}: ${response.statusCode} ${text}`);
	return text ? (JSON.parse(text) as IDataObject) : {};
}

export const renameFile = (
	world: TriggerWorld,
	directoryId: string,
	fileId: string,
	displayName: string,
) =>
	api(world, 'PATCH', `/api/v1/beta/directories/${directoryId}/files/${fileId}`, {
		display_name: displayName,
	});

export const setMetadata = (
	world: TriggerWorld,
	directoryId: string,
	fileId: string,
	metadata: IDataObject,
) => api(world, 'PATCH', `/api/v1/beta/directories/${directoryId}/files/${fileId}`, { metadata });

export const deleteFile = (world: TriggerWorld, directoryId: string, fileId: string) =>
	api(world, 'DELETE', `/api/v1/beta/directories/${directoryId}/files/${fileId}`);

/** Uploads one file over HTTP (multipart), as a user would. */
export async function uploadFile(
	world: TriggerWorld,
	directoryId: string,
	name: string,
): Promise<IDataObject> {
	const boundary = `----trigger${Math.random().toString(16).slice(2)}`;
	const body = Buffer.concat([
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="upload_file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`,
		),
		Buffer.from(`content of ${name}\n`),
		Buffer.from(`\r\n--${boundary}--\r\n`),
	]);
	const response = await request(
		`${world.emulator.url}/api/v1/beta/directories/${directoryId}/files/upload`,
		{
			method: 'POST',
			headers: {
				authorization: `Bearer ${world.emulator.apiKey}`,
				'content-type': `multipart/form-data; boundary=${boundary}`,
			},
			body,
		},
	);
	const text = await response.body.text();
	if (response.statusCode >= 400) throw new Error(`upload ${name}: ${response.statusCode} ${text}`);
	return JSON.parse(text) as IDataObject;
}

// ---------------------------------------------------------------------------------------------
// Polling through the engine

export interface TriggerParameters {
	events?: string[];
	options?: INodeParameters;
}

export async function poll(
	world: TriggerWorld,
	directoryId: string,
	staticData: IDataObject,
	parameters: TriggerParameters = {},
	mode: 'trigger' | 'manual' = 'trigger',
): Promise<PollResult> {
	return await pollOnce({
		nodeType: LlamaCloudTrigger,
		parameters: {
			directoryId: byId(directoryId),
			events: parameters.events ?? ['created', 'updated', 'deleted'],
			options: parameters.options ?? {},
		},
		credentials: world.credentials,
		staticData,
		mode,
	});
}

// ---------------------------------------------------------------------------------------------
// Reference model

/** What a file looks like to an observer: every API field, in a stable form. */
export function signature(file: IDataObject): string {
	const { event: _event, ...fields } = file;
	return JSON.stringify(
		Object.keys(fields)
			.sort()
			.map((k) => [k, fields[k]]),
	);
}

export type Snapshot = Map<string, IDataObject>;

/** The directory as the store holds it now (API fields only). */
export function storeSnapshot(emulator: Emulator, directoryId: string): Snapshot {
	const snapshot: Snapshot = new Map();
	for (const record of emulator.store.files(directoryId, { includeDeleted: true })) {
		const { updatedMs: _internal, ...file } = record;
		snapshot.set(file.id, { ...file, metadata: { ...file.metadata } } as IDataObject);
	}
	return snapshot;
}

/**
 * What a poll observed: the directory at the poll's start, overlaid with the versions its
 * listing served (a change made while it was paging is observed iff the listing served it).
 */
export function observed(atStart: Snapshot, served: IDataObject[]): Snapshot {
	const view: Snapshot = new Map(atStart);
	for (const file of served) view.set(String(file.id), file);
	return view;
}

export interface ExpectedEvent {
	id: string;
	event: 'created' | 'updated' | 'deleted';
	file: IDataObject;
}

/**
 * The net change of every file between two observations: absent or deleted before and alive
 * now → created; alive before and changed → updated; alive before and deleted now → deleted;
 * created and deleted between the two → nothing.
 */
export function netChanges(before: Snapshot, after: Snapshot): ExpectedEvent[] {
	const events: ExpectedEvent[] = [];
	for (const [id, now] of after) {
		const then = before.get(id);
		if (then && signature(then) === signature(now)) continue;
		const aliveBefore = !!then && !then.deleted_at;
		const aliveNow = !now.deleted_at;
		if (aliveNow) events.push({ id, event: aliveBefore ? 'updated' : 'created', file: now });
		else if (aliveBefore) events.push({ id, event: 'deleted', file: now });
	}
	return events;
}

export function applyFilters(
	events: ExpectedEvent[],
	parameters: TriggerParameters,
): ExpectedEvent[] {
	const wanted = parameters.events ?? ['created', 'updated', 'deleted'];
	const contains = String(parameters.options?.displayNameContains ?? '').toLowerCase();
	return events.filter(
		(e) =>
			wanted.includes(e.event) &&
			(!contains || String(e.file.display_name).toLowerCase().includes(contains)),
	);
}

/** One line per event, sorted: compared one for one. */
export const eventLines = (
	events: Array<{ id: string; event: string; file: IDataObject }>,
): string[] => events.map((e) => `${e.event} ${e.id} ${signature(e.file)}`).sort();

export const emittedLines = (result: PollResult): string[] =>
	eventLines(
		(result.items ?? []).map((item) => ({
			id: String(item.json.id),
			event: String(item.json.event),
			file: item.json,
		})),
	);

export const stateSize = (staticData: IDataObject): number =>
	Buffer.byteLength(JSON.stringify(staticData), 'utf8');
