/** Directories: CRUD, filters, pagination. */
import { DirectoryPageSchema, DirectorySchema, startEmulator, type Emulator } from '../../emulator';
import { allowNonConformingRequests } from '../support/spec';
import { api, listAll, type Call } from './helpers';

allowNonConformingRequests('tests 422s and fields the spec no longer has');

let emulator: Emulator;
let call: Call;
let now = Date.parse('2025-01-01T00:00:00.000Z');

beforeAll(async () => {
	emulator = await startEmulator({ clock: () => now, buildStepMs: 5, pageSizeAboveMax: 'clamp' });
	call = api(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

test('create answers the whole directory, nullable fields as null', async () => {
	const reply = await call('POST', '/api/v1/beta/directories', { json: { name: 'Contracts' } });
	expect(reply.status).toBe(201);
	expect(DirectorySchema.parse(reply.body)).toEqual({
		id: expect.stringMatching(/^dir-/),
		name: 'Contracts',
		project_id: emulator.defaultProjectId,
		created_at: '2025-01-01T00:00:00.000Z',
		deleted_at: null,
		description: null,
		updated_at: '2025-01-01T00:00:00.000Z',
		type: 'user',
		connector_subscription_id: null,
		expires_at: null,
		system_metadata: null,
	});
});

test('create keeps description and connector_subscription_id (data_source_id is gone: ignored); get, update, delete', async () => {
	const created = (
		await call('POST', '/api/v1/beta/directories', {
			json: {
				name: 'A',
				description: 'first',
				connector_subscription_id: 'csub-1',
				data_source_id: 'ds-1',
			},
		})
	).body;
	expect(created).toMatchObject({ description: 'first', connector_subscription_id: 'csub-1' });
	expect(created).not.toHaveProperty('data_source_id');

	const got = await call('GET', `/api/v1/beta/directories/${created.id}`);
	expect(got.body).toEqual(created);

	now += 1500;
	const renamed = await call('PATCH', `/api/v1/beta/directories/${created.id}`, {
		json: { name: 'B' },
	});
	expect(renamed.body).toMatchObject({
		name: 'B',
		description: 'first',
		updated_at: '2025-01-01T00:00:01.500Z',
		created_at: created.created_at,
	});
	const described = await call('PATCH', `/api/v1/beta/directories/${created.id}`, {
		json: { description: 'second' },
	});
	expect(described.body).toMatchObject({ name: 'B', description: 'second' });
	const cleared = await call('PATCH', `/api/v1/beta/directories/${created.id}`, {
		json: { description: null },
	});
	expect(cleared.body.description).toBeNull();
	const empty = await call('PATCH', `/api/v1/beta/directories/${created.id}`, {
		json: { name: '' },
	});
	expect(empty.status).toBe(422);

	const deleted = await call('DELETE', `/api/v1/beta/directories/${created.id}`);
	expect(deleted.status).toBe(204);
	expect(deleted.text).toBe('');
	// Permanent: gone from get, list, and list with include_deleted.
	expect((await call('GET', `/api/v1/beta/directories/${created.id}`)).body).toEqual({
		detail: `Directory ${created.id} not found`,
	});
	expect(
		(await call('GET', '/api/v1/beta/directories', { query: { include_deleted: true } })).body
			.items,
	).toEqual([]);
	expect((await call('DELETE', `/api/v1/beta/directories/${created.id}`)).status).toBe(404);
	expect(
		(await call('PATCH', `/api/v1/beta/directories/${created.id}`, { json: { name: 'x' } })).status,
	).toBe(404);
});

test('deleting a directory removes its files', async () => {
	const dir = emulator.store.createDirectory('with files');
	emulator.store.seedFiles(dir.id, 3);
	await call('DELETE', `/api/v1/beta/directories/${dir.id}`);
	expect(emulator.store.files(dir.id)).toEqual([]);
	expect((await call('GET', `/api/v1/beta/directories/${dir.id}/files`)).status).toBe(404);
});

test('list filters: name, data_source_id, type, types', async () => {
	const a = (await call('POST', '/api/v1/beta/directories', { json: { name: 'alpha' } })).body;
	const eph = (
		await call('POST', '/api/v1/beta/directories', { json: { name: 'eph', type: 'ephemeral' } })
	).body;
	expect(eph).toMatchObject({ type: 'ephemeral', expires_at: expect.any(String) });
	const b = (await call('POST', '/api/v1/beta/directories', { json: { name: 'beta' } })).body;
	const index = (await call('POST', '/api/v1/indexes', { json: { source_directory_id: b.id } }))
		.body;
	await emulator.waitForBuilds();

	const names = async (query: Record<string, any>) =>
		(await call('GET', '/api/v1/beta/directories', { query })).body.items.map((d: any) => d.name);
	expect((await names({})).sort()).toEqual(['alpha', 'beta', 'beta (index output)', 'eph']);
	expect(await names({ name: 'beta' })).toEqual(['beta']);
	// data_source_id is no filter any more: ignored like any unknown parameter.
	expect(await names({ data_source_id: 'ds-1' })).toHaveLength(4);
	expect(await names({ type: 'index' })).toEqual(['beta (index output)']);
	expect((await names({ type: 'user' })).sort()).toEqual(['alpha', 'beta']);
	expect(await names({ types: ['user', 'index'] })).toHaveLength(3);
	expect(await names({ types: ['ephemeral'] })).toEqual(['eph']);
	expect(await names({ name: 'nope' })).toEqual([]);
	// An empty value is a filter on the empty name, not "no filter".
	expect(await names({ name: '' })).toEqual([]);

	const output = (await call('GET', `/api/v1/beta/directories/${index.output_directory_id}`)).body;
	expect(output.type).toBe('index');
	expect(a.type).toBe('user');
	const page = (await call('GET', '/api/v1/beta/directories', { query: { type: 'index' } })).body;
	expect(page.total_size).toBeNull();
});

test('the output directory of an index cannot be deleted directly', async () => {
	const src = (await call('POST', '/api/v1/beta/directories', { json: { name: 'src' } })).body;
	const index = (await call('POST', '/api/v1/indexes', { json: { source_directory_id: src.id } }))
		.body;
	const reply = await call('DELETE', `/api/v1/beta/directories/${index.output_directory_id}`);
	expect(reply.status).toBe(409);
	expect(reply.body.detail).toContain(index.id);
	await emulator.waitForBuilds();
});

test('pagination: default 50, page_size up to 1000, more is clamped', async () => {
	for (let i = 0; i < 120; i++) emulator.store.createDirectory(`d${i}`);
	const first = (await call('GET', '/api/v1/beta/directories')).body;
	expect(DirectoryPageSchema.parse(first).items).toHaveLength(50);
	expect(first.total_size).toBeNull();
	expect(typeof first.next_page_token).toBe('string');

	const all = await listAll(call, '/api/v1/beta/directories', { page_size: 7 });
	expect(all.map((d) => d.name).sort()).toEqual(
		Array.from({ length: 120 }, (_, i) => `d${i}`).sort(),
	);

	const last = (await call('GET', '/api/v1/beta/directories', { query: { page_size: 1000 } })).body;
	expect(last.items).toHaveLength(120);
	expect(last.next_page_token).toBeNull();

	const tooBig = await call('GET', '/api/v1/beta/directories', { query: { page_size: 1001 } });
	expect(tooBig.status).toBe(200);
	expect(tooBig.body.items).toHaveLength(120);
	expect((await call('GET', '/api/v1/beta/directories', { query: { page_size: 0 } })).status).toBe(
		422,
	);
});

test('an invalid page token answers 422 naming page_token', async () => {
	for (const token of ['garbage!', 'Zm9v', Buffer.from('files:1:dfl-x').toString('base64url')]) {
		const reply = await call('GET', '/api/v1/beta/directories', { query: { page_token: token } });
		expect(reply.status).toBe(422);
		expect(reply.body.detail[0].loc).toEqual(['query', 'page_token']);
	}
});

test('directories created in the same millisecond page in a stable order', async () => {
	for (let i = 0; i < 30; i++) emulator.store.createDirectory(`same-${i}`);
	const all = await listAll(call, '/api/v1/beta/directories', { page_size: 4 });
	const ids = all.map((d) => d.id);
	expect(new Set(ids).size).toBe(30);
	expect(ids).toEqual([...ids].sort());
});
