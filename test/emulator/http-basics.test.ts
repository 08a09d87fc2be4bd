/** Auth, routing, error shapes, scope and the request log. */
import { startEmulator, type Emulator } from '../../emulator';
import { allowNonConformingRequests } from '../support/spec';
import { api, type Call } from './helpers';

allowNonConformingRequests('tests unknown routes, wrong methods and invalid input on purpose');

let emulator: Emulator;
let call: Call;
let otherProjectId: string;

beforeAll(async () => {
	emulator = await startEmulator({
		apiKey: 'llx-test-key',
		projects: [
			{
				id: '10000000-0000-4000-8000-000000000001',
				name: 'Main',
				organization_id: '20000000-0000-4000-8000-000000000001',
				is_default: true,
			},
			{
				id: '10000000-0000-4000-8000-000000000002',
				name: 'Other',
				organization_id: '20000000-0000-4000-8000-000000000001',
			},
			{
				id: '10000000-0000-4000-8000-000000000003',
				name: 'Far',
				organization_id: '20000000-0000-4000-8000-000000000002',
			},
		],
	});
	call = api(emulator);
	otherProjectId = '10000000-0000-4000-8000-000000000002';
});
afterAll(() => emulator.close());

describe('auth', () => {
	test('a missing key answers 401 Invalid API key', async () => {
		const reply = await call('GET', '/api/v1/beta/directories', { key: null });
		expect(reply.status).toBe(401);
		expect(reply.body).toEqual({ detail: 'Invalid API key' });
	});

	test('a wrong key answers 401 and is never echoed', async () => {
		const reply = await call('GET', '/api/v1/projects', { key: 'llx-secret-wrong-key' });
		expect(reply.status).toBe(401);
		expect(reply.text).not.toContain('llx-secret-wrong-key');
		expect(reply.text).not.toContain('llx-test-key');
	});

	test('the request log never holds the Authorization header', async () => {
		await call('GET', '/api/v1/projects');
		expect(JSON.stringify(emulator.requests)).not.toContain('llx-test-key');
	});
});

describe('routing', () => {
	test('an unknown route answers 404 Not Found', async () => {
		const reply = await call('GET', '/api/v1/nothing-here');
		expect(reply.status).toBe(404);
		expect(reply.body).toEqual({ detail: 'Not Found' });
	});

	test('a known path with the wrong method answers 405 with Allow', async () => {
		const reply = await call('PUT', '/api/v1/beta/directories');
		expect(reply.status).toBe(405);
		expect(reply.body).toEqual({ detail: 'Method Not Allowed' });
		expect(reply.headers.allow).toContain('POST');
	});

	test('an id with an encoded slash stays one segment and 404s', async () => {
		const dir = (await call('POST', '/api/v1/beta/directories', { json: { name: 'slashes' } }))
			.body;
		// "<dir>/files" encoded as one segment must not reach the files list.
		const reply = await call(
			'GET',
			`/api/v1/beta/directories/${encodeURIComponent(`${dir.id}/files`)}`,
		);
		expect(reply.status).toBe(404);
		expect(reply.body).toEqual({ detail: `Directory ${dir.id}/files not found` });
		const upload = await call('GET', `/api/v1/beta/directories/${dir.id}/files%2Fupload`);
		expect(upload.status).toBe(404);
	});

	test('odd characters in ids are decoded once and answered with a 404', async () => {
		for (const id of ['..', '%2e%2e', 'a b', 'ü', '%252F', '<script>']) {
			const reply = await call('GET', `/api/v1/beta/directories/${encodeURIComponent(id)}`);
			expect(reply.status).toBe(404);
		}
		const malformed = await call('GET', '/api/v1/beta/directories/%E0%A4%A');
		expect(malformed.status).toBe(404);
	});

	test('the health route needs no key', async () => {
		const reply = await call('GET', '/__emulator/health', { key: null });
		expect(reply.status).toBe(200);
	});
});

describe('validation errors (422, FastAPI shape)', () => {
	test('a missing field is named', async () => {
		const reply = await call('POST', '/api/v1/beta/directories', {
			json: { description: 'no name' },
		});
		expect(reply.status).toBe(422);
		expect(reply.body).toEqual({
			detail: [{ type: 'missing', loc: ['body', 'name'], msg: 'Field required' }],
		});
	});

	test('a wrong type is named', async () => {
		const reply = await call('POST', '/api/v1/beta/directories', { json: { name: 42 } });
		expect(reply.status).toBe(422);
		expect(reply.body.detail[0]).toMatchObject({ loc: ['body', 'name'], type: 'string_type' });
	});

	test('an empty name is refused', async () => {
		const reply = await call('POST', '/api/v1/beta/directories', { json: { name: '' } });
		expect(reply.body.detail[0]).toMatchObject({ loc: ['body', 'name'], type: 'string_too_short' });
	});

	test('malformed JSON answers 422 json_invalid', async () => {
		const reply = await call('POST', '/api/v1/beta/directories', { raw: '{"name": ' });
		expect(reply.status).toBe(422);
		expect(reply.body.detail[0]).toMatchObject({ type: 'json_invalid', msg: 'JSON decode error' });
		expect(reply.body.detail[0].loc[0]).toBe('body');
	});

	test('a body that is not an object is refused', async () => {
		const reply = await call('POST', '/api/v1/beta/directories', { json: ['x'] });
		expect(reply.status).toBe(422);
		expect(reply.body.detail[0].loc).toEqual(['body']);
	});

	test('a missing body is refused', async () => {
		const reply = await call('POST', '/api/v1/indexes');
		expect(reply.status).toBe(422);
		expect(reply.body.detail[0]).toMatchObject({ type: 'missing', loc: ['body'] });
	});

	test('bad query parameters are named', async () => {
		const size = await call('GET', '/api/v1/beta/directories', { query: { page_size: 'ten' } });
		expect(size.status).toBe(422);
		expect(size.body.detail[0]).toMatchObject({ loc: ['query', 'page_size'], type: 'int_parsing' });
		const bool = await call('GET', '/api/v1/beta/directories', {
			query: { include_deleted: 'maybe' },
		});
		expect(bool.body.detail[0]).toMatchObject({
			loc: ['query', 'include_deleted'],
			type: 'bool_parsing',
		});
		const type = await call('GET', '/api/v1/beta/directories', { query: { type: 'folder' } });
		expect(type.body.detail[0]).toMatchObject({ loc: ['query', 'type'], type: 'enum' });
		expect(type.body.detail[0].msg).toBe("Input should be 'user', 'index' or 'ephemeral'");
		const date = await call('GET', `/api/v1/beta/directories/x/files`, {
			query: { updated_at_on_or_after: 'yesterday' },
		});
		expect(date.body.detail[0]).toMatchObject({
			loc: ['query', 'updated_at_on_or_after'],
			type: 'datetime_parsing',
		});
	});

	test('nested fields are located precisely', async () => {
		const dir = (await call('POST', '/api/v1/beta/directories', { json: { name: 'nested' } })).body;
		const reply = await call('POST', '/api/v1/indexes', {
			json: {
				source_directory_id: dir.id,
				products: [{ product_config_id: 'c', product_type: 'summarise' }],
			},
		});
		expect(reply.status).toBe(422);
		expect(reply.body.detail[0].loc).toEqual(['body', 'products', 0, 'product_type']);
	});
});

describe('scope (project_id / organization_id)', () => {
	test('objects live in the default project unless project_id says otherwise', async () => {
		const here = (await call('POST', '/api/v1/beta/directories', { json: { name: 'here' } })).body;
		expect(here.project_id).toBe(emulator.defaultProjectId);
		const there = (
			await call('POST', '/api/v1/beta/directories', {
				json: { name: 'there' },
				query: { project_id: otherProjectId },
			})
		).body;
		expect(there.project_id).toBe(otherProjectId);

		// Another project's objects are invisible.
		expect((await call('GET', `/api/v1/beta/directories/${there.id}`)).status).toBe(404);
		expect(
			(
				await call('GET', `/api/v1/beta/directories/${there.id}`, {
					query: { project_id: otherProjectId },
				})
			).status,
		).toBe(200);
		const names = (
			await call('GET', '/api/v1/beta/directories', { query: { project_id: otherProjectId } })
		).body.items.map((d: any) => d.name);
		expect(names).toEqual(['there']);
	});

	test('an unknown project or organization answers 404 naming it', async () => {
		const project = await call('GET', '/api/v1/beta/directories', {
			query: { project_id: '10000000-0000-4000-8000-0000000000ff' },
		});
		expect(project.status).toBe(404);
		expect(project.body).toEqual({
			detail: 'Project 10000000-0000-4000-8000-0000000000ff not found',
		});
		const org = await call('GET', '/api/v1/beta/directories', {
			query: { organization_id: '20000000-0000-4000-8000-0000000000ff' },
		});
		expect(org.body).toEqual({
			detail: 'Organization 20000000-0000-4000-8000-0000000000ff not found',
		});
	});

	test('a project outside the given organization answers 403', async () => {
		const reply = await call('GET', '/api/v1/beta/directories', {
			query: {
				project_id: '10000000-0000-4000-8000-000000000003',
				organization_id: '20000000-0000-4000-8000-000000000001',
			},
		});
		expect(reply.status).toBe(403);
		expect(reply.body.detail).toContain('10000000-0000-4000-8000-000000000003');
	});

	test('organization_id alone picks that organization’s project', async () => {
		const dir = (
			await call('POST', '/api/v1/beta/directories', {
				json: { name: 'far' },
				query: { organization_id: '20000000-0000-4000-8000-000000000002' },
			})
		).body;
		expect(dir.project_id).toBe('10000000-0000-4000-8000-000000000003');
	});

	test('GET /api/v1/projects lists the key’s projects as an array', async () => {
		const reply = await call('GET', '/api/v1/projects');
		expect(reply.status).toBe(200);
		expect(reply.body.map((p: any) => p.id)).toEqual([
			'10000000-0000-4000-8000-000000000001',
			'10000000-0000-4000-8000-000000000002',
			'10000000-0000-4000-8000-000000000003',
		]);
		expect(reply.body[0]).toMatchObject({
			name: 'Main',
			organization_id: '20000000-0000-4000-8000-000000000001',
			is_default: true,
		});
		const filtered = await call('GET', '/api/v1/projects', {
			query: { organization_id: '20000000-0000-4000-8000-000000000002' },
		});
		expect(filtered.body.map((p: any) => p.id)).toEqual(['10000000-0000-4000-8000-000000000003']);
		const byName = await call('GET', '/api/v1/projects', { query: { project_name: 'Other' } });
		expect(byName.body.map((p: any) => p.id)).toEqual(['10000000-0000-4000-8000-000000000002']);
		expect(
			(await call('GET', '/api/v1/projects/10000000-0000-4000-8000-000000000002')).body.name,
		).toBe('Other');
		expect(
			(await call('GET', '/api/v1/projects/10000000-0000-4000-8000-0000000000aa')).status,
		).toBe(404);
		// project_id is not a parameter of the list: ignored, like any unknown one.
		const ignored = await call('GET', '/api/v1/projects', {
			query: { project_id: '10000000-0000-4000-8000-0000000000ff' },
		});
		expect(ignored.body).toHaveLength(3);
	});

	test('project and organization IDs are UUIDs: anything else (or an empty value) is a 422', async () => {
		for (const query of [
			{ project_id: 'prj-1' },
			{ organization_id: 'org-1' },
			{ project_id: '' },
		]) {
			const reply = await call('GET', '/api/v1/beta/directories', { query });
			expect(reply.status).toBe(422);
			expect(reply.body.detail[0]).toMatchObject({
				loc: ['query', Object.keys(query)[0]],
				type: 'uuid_parsing',
			});
		}
		expect((await call('GET', '/api/v1/projects/prj-1')).status).toBe(422);
	});

	test('scope parameters reach the request log', async () => {
		emulator.clearRequests();
		await call('GET', '/api/v1/beta/directories', {
			query: { project_id: otherProjectId, name: 'there', types: ['user', 'index'] },
		});
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.requests[0]).toMatchObject({
			method: 'GET',
			path: '/api/v1/beta/directories',
			query: { project_id: otherProjectId, name: 'there', types: ['user', 'index'] },
			status: 200,
		});
	});

	test('the request log records JSON bodies and is capped', async () => {
		const small = await startEmulator({ requestLogSize: 3 });
		try {
			const c = api(small);
			for (let i = 0; i < 5; i++)
				await c('POST', '/api/v1/beta/directories', { json: { name: `d${i}` } });
			expect(small.requests.map((r) => (r.body as any).name)).toEqual(['d2', 'd3', 'd4']);
		} finally {
			await small.close();
		}
	});
});
