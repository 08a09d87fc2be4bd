/**
 * Whole listings in large pages, through n8n-core's real engine against the emulator over HTTP,
 * under each answer the emulator offers to "how large may a page be" (its `pageSizeAboveMax`
 * switch): the spec's (no maximum: one page of 10,000 holds 2,500 files), an assumed cap of
 * 1000 that is clamped (the node follows the pages) or refused with a 422 (the node steps down
 * and remembers, per origin and list, what the server accepted). Get Many (Return All and
 * Limit), the trigger, the upload look-up listing and Reuse Existing's look-up.
 *
 * Each describe block starts an emulator of its own: a new origin, so nothing the transport
 * remembered about another one applies.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { LlamaCloudIngestTrigger as LlamaCloudTrigger } from '../../nodes/LlamaCloud/LlamaCloudIngestTrigger.node';
import { LISTING_PAGE_SIZE } from '../../nodes/LlamaCloud/transport';
import { nextPageSize } from '../../nodes/LlamaCloud/transport/pagination';
import { makeBinaryItem, pollOnce, runNode } from '../../harness/engine';
import { CANARY_API_KEY } from '../support/canary';
import { NodeApiError } from 'n8n-workflow';

const FILES = 2500;
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

interface World {
	emulator: Emulator;
	directoryId: string;
	credentials: { llamaCloudIngestApi: ICredentialDataDecryptedObject };
	/** page_size of each GET of the directory's file list since the last call, with its status. */
	takeListings(): string[];
}

async function startWorld(options: EmulatorOptions): Promise<World> {
	const emulator = await startEmulator({ apiKey: CANARY_API_KEY, ...options });
	const directoryId = emulator.store.createDirectory('Inbox').id;
	emulator.store.seedFiles(directoryId, FILES, { uniqueId: (i) => `u${i}` });
	let seen = 0;
	return {
		emulator,
		directoryId,
		credentials: {
			llamaCloudIngestApi: { apiKey: emulator.apiKey, region: 'custom', baseUrl: emulator.url },
		},
		takeListings() {
			const fresh = emulator.requests.slice(seen);
			seen = emulator.requests.length;
			return fresh
				.filter((r) => r.method === 'GET' && /\/directories\/[^/]+\/files$/.test(r.path))
				.map((r) => `${r.query.page_size} ${r.status}`);
		},
	};
}

function getMany(world: World, parameters: INodeParameters) {
	return runNode({
		type: LlamaCloud,
		credentials: world.credentials,
		parameters: {
			resource: 'file',
			operation: 'getAll',
			directoryId: byId(world.directoryId),
			...parameters,
		},
	});
}

function triggerPoll(world: World, staticData: IDataObject) {
	return pollOnce({
		nodeType: LlamaCloudTrigger,
		parameters: {
			directoryId: byId(world.directoryId),
			events: ['created', 'updated', 'deleted'],
			options: {},
		},
		credentials: world.credentials,
		staticData,
	});
}

/** 20 uploads with "Replace": one listing answers their look-ups. */
function replaceUploads(world: World) {
	const names = Array.from({ length: 20 }, (_, i) => `u${i}`);
	return runNode({
		type: LlamaCloud,
		credentials: world.credentials,
		parameters: {
			resource: 'file',
			operation: 'upload',
			directoryId: byId(world.directoryId),
			uniqueId: '={{ $json.name }}',
			onConflict: 'replace',
		},
		inputItems: names.map((name) => ({
			...makeBinaryItem(`new ${name}`, { fileName: `${name}.txt` }),
			json: { name },
		})),
	});
}

const ids = (items: Array<{ json: IDataObject }>) => new Set(items.map((i) => i.json.id));

describe('the spec: no maximum page size (serve)', () => {
	let world: World;
	beforeAll(async () => (world = await startWorld({ pageSizeAboveMax: 'serve' })));
	afterAll(async () => await world.emulator.close());

	test('Return All: one request of 10,000 holds all 2,500 files', async () => {
		const { items, error } = await getMany(world, { returnAll: true });
		expect(error).toBeUndefined();
		expect(ids(items).size).toBe(FILES);
		expect(world.takeListings()).toEqual([`${LISTING_PAGE_SIZE} 200`]);
	});

	test('Limit asks for what it needs, in one request', async () => {
		const { items } = await getMany(world, { returnAll: false, limit: 2100 });
		expect(items).toHaveLength(2100);
		expect(world.takeListings()).toEqual(['2100 200']);
	});

	test('the trigger lists the directory in one request', async () => {
		const first = await triggerPoll(world, {});
		expect(first.items).toBeNull();
		world.takeListings();
		world.emulator.quirks.ignoreUpdatedAtFilters = true;
		const scan = await triggerPoll(world, first.staticData);
		world.emulator.quirks.ignoreUpdatedAtFilters = false;
		expect(scan.items).toBeNull();
		expect(world.takeListings()).toEqual([`${LISTING_PAGE_SIZE} 200`]);
	});

	test('upload look-ups: one listing of the directory, at most 500 files a look-up', async () => {
		world.takeListings();
		const run = await replaceUploads(world);
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(20);
		// 20 look-ups may list 10,000 files: one page of up to 10,001 tells there are fewer.
		expect(world.takeListings()).toEqual(['10000 200']);
		expect(world.emulator.requests.filter((r) => r.query.unique_id !== undefined)).toEqual([]);
	});
});

describe('a cap of 1000, clamped (the emulator default)', () => {
	let world: World;
	beforeAll(async () => (world = await startWorld({})));
	afterAll(async () => await world.emulator.close());

	test('Return All follows the 3 pages served (1000, 1000, 500), asking 10,000 each time', async () => {
		const { items, error } = await getMany(world, { returnAll: true });
		expect(error).toBeUndefined();
		expect(ids(items).size).toBe(FILES);
		expect(world.takeListings()).toEqual(Array(3).fill(`${LISTING_PAGE_SIZE} 200`));
	});

	test('Limit: what is still missing on each page', async () => {
		const { items } = await getMany(world, { returnAll: false, limit: 2100 });
		expect(items).toHaveLength(2100);
		expect(world.takeListings()).toEqual(['2100 200', '1100 200', '100 200']);
	});

	test('the trigger follows the pages served', async () => {
		const first = await triggerPoll(world, {});
		world.takeListings();
		world.emulator.quirks.ignoreUpdatedAtFilters = true;
		const scan = await triggerPoll(world, first.staticData);
		world.emulator.quirks.ignoreUpdatedAtFilters = false;
		expect(scan.items).toBeNull();
		expect(world.takeListings()).toEqual(Array(3).fill(`${LISTING_PAGE_SIZE} 200`));
	});
});

describe('an assumed cap of 1000, refused with a 422', () => {
	let world: World;
	beforeAll(async () => (world = await startWorld({ pageSizeAboveMax: 'reject' })));
	afterAll(async () => await world.emulator.close());

	test('Return All steps down to the maximum the 422 states, once', async () => {
		const { items, error } = await getMany(world, { returnAll: true });
		expect(error).toBeUndefined();
		expect(ids(items).size).toBe(FILES);
		expect(world.takeListings()).toEqual(['10000 422', '1000 200', '1000 200', '1000 200']);
	});

	test('later listings of this origin start at what it accepted: no 422 again', async () => {
		const again = await getMany(world, { returnAll: true });
		expect(ids(again.items).size).toBe(FILES);
		expect(world.takeListings()).toEqual(['1000 200', '1000 200', '1000 200']);

		const limited = await getMany(world, { returnAll: false, limit: 1500 });
		expect(limited.items).toHaveLength(1500);
		expect(world.takeListings()).toEqual(['1000 200', '500 200']);

		// The trigger and the upload listing share what Get Many learnt (same origin and list).
		const first = await triggerPoll(world, {});
		expect(first.items).toBeNull();
		expect(world.takeListings().every((l) => l.endsWith(' 200'))).toBe(true);
		const run = await replaceUploads(world);
		expect(run.error).toBeUndefined();
		expect(world.takeListings()).toEqual(['1000 200', '1000 200', '1000 200']);
	});

	test('the directory list is remembered apart from the file list: it pays its own 422 once', async () => {
		for (let i = 0; i < 1200; i++) world.emulator.store.createDirectory(`d${i}`);
		const dirLists = () =>
			world.emulator.requests
				.filter((r) => r.method === 'GET' && r.path === '/api/v1/beta/directories')
				.map((r) => `${r.query.page_size} ${r.status}`);
		const list = () =>
			runNode({
				type: LlamaCloud,
				credentials: world.credentials,
				parameters: { resource: 'directory', operation: 'getAll', returnAll: true },
			});
		expect((await list()).items).toHaveLength(1201);
		expect(dirLists()).toEqual(['10000 422', '1000 200', '1000 200']);
		expect((await list()).items).toHaveLength(1201);
		expect(dirLists().slice(3)).toEqual(['1000 200', '1000 200']);
	});
});

describe('a cap of 150, refused with a 422', () => {
	let world: World;
	beforeAll(
		async () => (world = await startWorld({ pageSizeAboveMax: 'reject', maxPageSize: 150 })),
	);
	afterAll(async () => await world.emulator.close());

	test('the trigger goes straight to the stated maximum', async () => {
		const first = await triggerPoll(world, {});
		expect(first.items).toBeNull();
		const sizes = world.takeListings();
		expect(sizes.slice(0, 2)).toEqual(['10000 422', '150 200']);
		expect(sizes.slice(2).every((l) => l === '150 200')).toBe(true);
	});

	test('Reuse Existing looks up in pages the server accepts, paying the 422 once', async () => {
		const lookups = () =>
			world.emulator.requests
				.filter((r) => r.method === 'GET' && r.path === '/api/v1/beta/directories')
				.map((r) => `${r.query.page_size} ${r.status} ${r.query.name}`);
		const create = () =>
			runNode({
				type: LlamaCloud,
				credentials: world.credentials,
				parameters: {
					resource: 'directory',
					operation: 'create',
					name: 'Reports',
					options: { reuseExisting: true },
				},
			});
		const made = await create();
		const found = await create();
		expect(found.items[0].json.id).toBe(made.items[0].json.id);
		expect(lookups()).toEqual(['10000 422 Reports', '150 200 Reports', '150 200 Reports']);
	});
});

describe('nextPageSize: a refusal without a stated maximum steps down 1000, 100, 50', () => {
	const node = {
		id: 'n',
		name: 'LlamaCloud',
		type: 't',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: {},
	};
	const refusal = (message: string, httpCode = '422') =>
		new NodeApiError(node, {}, { message, httpCode });

	test.each([
		[10_000, 1000],
		[1000, 100],
		[150, 100],
		[100, 50],
		[50, undefined],
	])('after %s: %s', (size, next) => {
		expect(
			nextPageSize(refusal('LlamaCloud API error 422: query.page_size: too large'), size),
		).toBe(next);
	});

	test('a stated maximum wins; other errors stand', () => {
		const stated = refusal(
			'LlamaCloud API error 422: query.page_size: Input should be less than or equal to 2500',
		);
		expect(nextPageSize(stated, 10_000)).toBe(2500);
		expect(nextPageSize(stated, 2500)).toBe(1000);
		expect(nextPageSize(refusal('query.page_token: Invalid page token'), 10_000)).toBeUndefined();
		expect(nextPageSize(refusal('query.page_size: too large', '500'), 10_000)).toBeUndefined();
	});
});
