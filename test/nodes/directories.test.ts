/**
 * Directory resource through n8n's real engine against the emulator over HTTP: every operation,
 * pagination, expressions and items, continue-on-fail, bad input, scope and base URL checks.
 */
import type { INodeParameters } from 'n8n-workflow';

import { type Emulator, type RecordedRequest, startEmulator } from '../../emulator';
import { CANARY_API_KEY } from '../support/canary';
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { type RunNodeOptions, runNode } from '../../harness/engine';

let emulator: Emulator;

beforeAll(async () => {
	// A server that serves 100 items a page at most, whatever the node asks for (1000): lists
	// of a few hundred objects still take several pages.
	emulator = await startEmulator({
		apiKey: CANARY_API_KEY,
		maxPageSize: 100,
		pageSizeAboveMax: 'clamp',
	});
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

const credential = (extra: Record<string, unknown> = {}) => ({
	llamaCloudIngestApi: {
		apiKey: emulator.apiKey,
		region: 'custom',
		baseUrl: emulator.url,
		...extra,
	},
});

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

function run(
	parameters: INodeParameters,
	options: Partial<RunNodeOptions> & { credentialData?: Record<string, unknown> } = {},
) {
	const { credentialData, ...rest } = options;
	return runNode({
		type: LlamaCloud,
		parameters: { resource: 'directory', ...parameters },
		credentials: credential(credentialData),
		...rest,
	});
}

const listRequests = (): RecordedRequest[] =>
	emulator.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/beta/directories');

describe('Directory: Create', () => {
	test('sends name, description, connector subscription ID and type, and outputs the created directory', async () => {
		const { items, error } = await run({
			operation: 'create',
			name: 'Contracts 2026',
			additionalFields: {
				description: 'Signed contracts',
				connectorSubscriptionId: 'csub-123',
				type: 'ephemeral',
			},
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const created = items[0].json;
		expect(created).toMatchObject({
			name: 'Contracts 2026',
			description: 'Signed contracts',
			connector_subscription_id: 'csub-123',
			type: 'ephemeral',
			expires_at: expect.any(String),
		});
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.requests[0]).toMatchObject({
			method: 'POST',
			path: '/api/v1/beta/directories',
			body: {
				name: 'Contracts 2026',
				description: 'Signed contracts',
				connector_subscription_id: 'csub-123',
				type: 'ephemeral',
			},
		});
		expect(emulator.store.directory(String(created.id))?.name).toBe('Contracts 2026');
	});

	test('expressions resolve per input item; outputs are paired with their items', async () => {
		const { items, pairedItems, error } = await run(
			{
				operation: 'create',
				name: '={{ $json.team }} inbox',
				additionalFields: { description: '={{ "for " + $json.team }}' },
			},
			{
				inputItems: [
					{ json: { team: 'Legal' } },
					{ json: { team: 'Sales' } },
					{ json: { team: 'Ops' } },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.name)).toEqual(['Legal inbox', 'Sales inbox', 'Ops inbox']);
		expect(items.map((i) => i.json.description)).toEqual(['for Legal', 'for Sales', 'for Ops']);
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }], [{ item: 2 }]]);
		expect(
			emulator.store
				.directories()
				.map((d) => d.name)
				.sort(),
		).toEqual(['Legal inbox', 'Ops inbox', 'Sales inbox']);
	});

	test('an empty name is refused by the engine itself (required parameter) before any request', async () => {
		await expect(run({ operation: 'create', name: '' })).rejects.toThrow(
			'Parameter "Name" is required',
		);
		expect(emulator.requests).toHaveLength(0);
	});

	test.each([
		['whitespace', '   '],
		['an expression resolving to empty', '={{ "" }}'],
	])(
		'a name that is %s is rejected before any request, naming field and item',
		async (_kind, name) => {
			const { items, error } = await run({ operation: 'create', name });
			expect(items).toHaveLength(0);
			expect(error?.message).toBe('"Name" must not be empty [item 0]');
			expect(emulator.requests).toHaveLength(0);
		},
	);

	test('a blank name on the second item names that item', async () => {
		const { error } = await run(
			{ operation: 'create', name: '={{ $json.name }}' },
			{ inputItems: [{ json: { name: 'fine' } }, { json: { name: ' ' } }] },
		);
		expect(error?.message).toContain('"Name" must not be empty [item 1]');
		// The blank item itself never reached the API.
		expect(
			emulator.requests
				.filter((r) => r.method === 'POST')
				.map((r) => (r.body as { name: string }).name),
		).toEqual(['fine']);
	});
});

describe('Directory: Get, Update, Delete', () => {
	test('Get outputs the directory', async () => {
		const directory = emulator.store.createDirectory('Invoices', { description: 'AP' });
		const { items, error } = await run({ operation: 'get', directoryId: byId(directory.id) });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				id: directory.id,
				name: 'Invoices',
				description: 'AP',
				project_id: emulator.defaultProjectId,
			}),
		]);
	});

	test('an unknown ID gives a NodeApiError with status 404 and the API detail', async () => {
		const { error } = await run({ operation: 'get', directoryId: byId('dir-does-not-exist') });
		expect(error).toBeDefined();
		expect(error?.name).toBe('NodeApiError');
		expect((error as unknown as { httpCode: string }).httpCode).toBe('404');
		expect(error?.message).toContain('404');
		expect(error?.message).toContain('Directory dir-does-not-exist not found');
	});

	test('an ID with URL-special characters stays one path segment', async () => {
		const { error } = await run({ operation: 'get', directoryId: byId('a/../b?x=1') });
		expect((error as unknown as { httpCode: string }).httpCode).toBe('404');
		expect(emulator.requests[0].path).toBe('/api/v1/beta/directories/a%2F..%2Fb%3Fx%3D1');
	});

	test('Update sends only the fields set', async () => {
		const directory = emulator.store.createDirectory('Old name', { description: 'keep me' });
		const { items, error } = await run({
			operation: 'update',
			directoryId: byId(directory.id),
			updateFields: { name: 'New name' },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			id: directory.id,
			name: 'New name',
			description: 'keep me',
		});
		expect(emulator.requests[0]).toMatchObject({ method: 'PATCH', body: { name: 'New name' } });
		expect(emulator.store.directory(directory.id)?.name).toBe('New name');
	});

	test('Update with no fields is rejected before any request', async () => {
		const directory = emulator.store.createDirectory('Untouched');
		const { error } = await run({
			operation: 'update',
			directoryId: byId(directory.id),
			updateFields: {},
		});
		expect(error?.message).toContain('"Update Fields" must set at least one field [item 0]');
		expect(emulator.requests).toHaveLength(0);
	});

	test('Update with a blank name is rejected before any request', async () => {
		const directory = emulator.store.createDirectory('Untouched');
		const { error } = await run({
			operation: 'update',
			directoryId: byId(directory.id),
			updateFields: { name: '  ' },
		});
		expect(error?.message).toContain('"Name" must not be empty');
		expect(emulator.requests).toHaveLength(0);
		expect(emulator.store.directory(directory.id)?.name).toBe('Untouched');
	});

	test('Delete outputs { deleted: true, id } and removes the directory', async () => {
		const directory = emulator.store.createDirectory('Temporary');
		const { items, error } = await run({ operation: 'delete', directoryId: byId(directory.id) });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([{ deleted: true, id: directory.id }]);
		expect(emulator.requests[0]).toMatchObject({
			method: 'DELETE',
			path: `/api/v1/beta/directories/${directory.id}`,
			status: 204,
		});
		expect(emulator.store.directory(directory.id)).toBeUndefined();
	});
});

describe('Directory: Get Many', () => {
	const seed = () => {
		for (let i = 0; i < 230; i++) emulator.store.createDirectory('Batch');
		for (let i = 0; i < 4; i++) emulator.store.createDirectory(`Other ${i}`);
	};

	test('Return All follows next_page_token over 3 pages, keeping every filter on every page', async () => {
		seed();
		const { items, error } = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { name: 'Batch', types: ['user'], includeDeleted: true },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(230);
		expect(new Set(items.map((i) => i.json.id)).size).toBe(230);
		expect(items.every((i) => i.json.name === 'Batch')).toBe(true);

		const pages = listRequests();
		expect(pages).toHaveLength(3);
		for (const page of pages) {
			expect(page.query).toMatchObject({
				name: 'Batch',
				types: ['user'],
				include_deleted: 'true',
				page_size: '1000',
			});
		}
		expect(pages[0].query.page_token).toBeUndefined();
		expect(pages[1].query.page_token).toEqual(expect.any(String));
		expect(pages[2].query.page_token).toEqual(expect.any(String));
		expect(pages[2].query.page_token).not.toBe(pages[1].query.page_token);
	});

	test('Limit stops fetching once it has enough', async () => {
		seed();
		const { items } = await run({
			operation: 'getAll',
			returnAll: false,
			limit: 150,
			filters: { name: 'Batch' },
		});
		expect(items).toHaveLength(150);
		const pages = listRequests();
		// 150 of 230: two pages (the server serves 100 of the 150 asked, then 50), never a third.
		expect(pages.map((p) => p.query.page_size)).toEqual(['150', '50']);
		expect(pages.every((p) => p.query.name === 'Batch')).toBe(true);
	});

	test('a small Limit takes a single page of that size', async () => {
		seed();
		const { items } = await run({ operation: 'getAll', returnAll: false, limit: 7 });
		expect(items).toHaveLength(7);
		expect(listRequests().map((p) => p.query.page_size)).toEqual(['7']);
	});

	test('the Types filter reaches the API as a repeated parameter (index, ephemeral)', async () => {
		emulator.store.createDirectory('User dir');
		await run({ operation: 'create', name: 'Batch job', additionalFields: { type: 'ephemeral' } });
		emulator.clearRequests();
		const { items } = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { types: ['index', 'ephemeral'] },
		});
		expect(items.map((i) => i.json.name)).toEqual(['Batch job']);
		expect(listRequests()[0].query.types).toEqual(['index', 'ephemeral']);
	});

	test('a filter left empty is not sent (an empty value would filter on "")', async () => {
		emulator.store.createDirectory('Named');
		const { items } = await run({ operation: 'getAll', returnAll: true, filters: { name: '' } });
		expect(items.map((i) => i.json.name)).toEqual(['Named']);
		expect(listRequests()[0].query).not.toHaveProperty('name');
	});
});

describe('Directory: continue-on-fail', () => {
	test('a failing item becomes an error item; the others go on', async () => {
		const a = emulator.store.createDirectory('A');
		const c = emulator.store.createDirectory('C');
		const { items, pairedItems, error } = await run(
			{ operation: 'get', directoryId: byId('={{ $json.id }}') },
			{
				continueOnFail: true,
				inputItems: [
					{ json: { id: a.id } },
					{ json: { id: 'dir-missing' } },
					{ json: { id: c.id } },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items[0].json.name).toBe('A');
		expect(items[2].json.name).toBe('C');
		const failed = items[1];
		expect(String(failed.error?.message ?? failed.json.error)).toContain(
			'Directory dir-missing not found',
		);
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }], [{ item: 2 }]]);
	});

	test('without continue-on-fail the node fails on that item', async () => {
		const a = emulator.store.createDirectory('A');
		const { items, error } = await run(
			{ operation: 'get', directoryId: byId('={{ $json.id }}') },
			{ inputItems: [{ json: { id: a.id } }, { json: { id: 'dir-missing' } }] },
		);
		expect(items).toHaveLength(0);
		expect(error?.message).toContain('Directory dir-missing not found');
	});
});

describe('Directory: region and scope', () => {
	test('project and organization IDs from the credential reach every request', async () => {
		const directory = emulator.store.createDirectory('Scoped');
		const scope = {
			projectId: emulator.defaultProjectId,
			organizationId: emulator.defaultOrganizationId,
		};
		await run({ operation: 'get', directoryId: byId(directory.id) }, { credentialData: scope });
		await run({ operation: 'getAll', returnAll: true }, { credentialData: scope });
		await run({ operation: 'create', name: 'Made in scope' }, { credentialData: scope });
		expect(emulator.requests).toHaveLength(3);
		for (const request of emulator.requests) {
			expect(request.query).toMatchObject({
				project_id: emulator.defaultProjectId,
				organization_id: emulator.defaultOrganizationId,
			});
		}
	});

	test('the project ID decides where a directory is created', async () => {
		const other = emulator.store.addProject({
			name: 'Second',
			organization_id: emulator.defaultOrganizationId,
		});
		const { items, error } = await run(
			{ operation: 'create', name: 'Elsewhere' },
			{ credentialData: { projectId: other.id } },
		);
		expect(error).toBeUndefined();
		expect(items[0].json.project_id).toBe(other.id);
		expect(emulator.store.directories(other.id).map((d) => d.name)).toEqual(['Elsewhere']);
		expect(emulator.store.directories(emulator.defaultProjectId)).toHaveLength(0);
	});

	test('unset (or blank) scope sends no empty project_id / organization_id', async () => {
		emulator.store.createDirectory('Unscoped');
		await run({ operation: 'getAll', returnAll: true });
		await run(
			{ operation: 'getAll', returnAll: true },
			{ credentialData: { projectId: '  ', organizationId: '' } },
		);
		expect(emulator.requests).toHaveLength(2);
		for (const request of emulator.requests) {
			expect(Object.keys(request.query)).not.toContain('project_id');
			expect(Object.keys(request.query)).not.toContain('organization_id');
		}
	});

	test('an unknown project ID fails with the API detail', async () => {
		const unknown = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
		const { error } = await run(
			{ operation: 'getAll', returnAll: true },
			{ credentialData: { projectId: unknown } },
		);
		expect((error as unknown as { httpCode: string }).httpCode).toBe('404');
		expect(error?.message).toContain(`Project ${unknown} not found`);
	});

	test.each([
		['projectId', 'Project ID', 'prj-nope'],
		['organizationId', 'Organization ID', 'org 1'],
	])('a %s that is not a UUID fails before any request, saying so', async (key, field, value) => {
		const { error } = await run(
			{ operation: 'getAll', returnAll: true },
			{ credentialData: { [key]: value } },
		);
		// n8n's RoutingNode re-wraps errors thrown by preSend hooks as NodeApiError; the message is ours.
		expect(error?.message).toContain(`The credential's ${field} "${value}" is not a UUID`);
		expect(emulator.requests).toHaveLength(0);
	});

	test('a custom base URL ending in /api/v1 (as the API reference writes it) is taken as its origin', async () => {
		const { error, items } = await run(
			{ operation: 'getAll', returnAll: true },
			{ credentialData: { baseUrl: `${emulator.url}/api/v1` } },
		);
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(emulator.requests.map((r) => r.path)).toEqual(['/api/v1/beta/directories']);
	});

	test.each([
		['has a path', (url: string) => `${url}/llamacloud`, 'must not contain a path'],
		[
			'is plain http on a public host',
			() => 'http://api.example.com',
			'plain http, which is only allowed for localhost',
		],
		[
			'has a typo in the scheme',
			(url: string) => url.replace('http://', 'htp://'),
			'must start with https://',
		],
		['is not a URL', () => 'api.cloud.llamaindex.ai', 'is not a valid URL'],
		['is empty', () => '  ', 'is empty'],
	])('a custom base URL that %s is rejected before any request', async (_case, make, problem) => {
		const { error } = await run(
			{ operation: 'getAll', returnAll: true },
			{ credentialData: { baseUrl: make(emulator.url) } },
		);
		// n8n's RoutingNode re-wraps errors thrown by preSend hooks as NodeApiError; the message is ours.
		expect(error?.message).toContain("The credential's Base URL");
		expect(error?.message).toContain(problem);
		expect(emulator.requests).toHaveLength(0);
	});

	test('a trailing slash on the custom base URL is fine', async () => {
		emulator.store.createDirectory('Reachable');
		const { items, error } = await run(
			{ operation: 'getAll', returnAll: true },
			{ credentialData: { baseUrl: `${emulator.url}/` } },
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.name)).toEqual(['Reachable']);
	});

	test('a wrong API key fails with 401 and a hint about the region, without the key', async () => {
		const wrongKey = 'llx-wrong-key-0123456789';
		const { error } = await run(
			{ operation: 'getAll', returnAll: true },
			{ credentialData: { apiKey: wrongKey } },
		);
		expect((error as unknown as { httpCode: string }).httpCode).toBe('401');
		expect(error?.message).toContain('401');
		expect(`${error?.message} ${error?.description}`).toContain('region');
		expect(JSON.stringify(error)).not.toContain(wrongKey);
	});
});

describe('Directory: Create with "Reuse Existing"', () => {
	test('outputs the existing directory of that name instead of creating a second one', async () => {
		const first = await run({
			operation: 'create',
			name: 'Reused inbox',
			options: { reuseExisting: true },
		});
		expect(first.error).toBeUndefined();
		const again = await run({
			operation: 'create',
			name: 'Reused inbox',
			options: { reuseExisting: true },
		});
		expect(again.error).toBeUndefined();
		expect(again.items[0].json.id).toBe(first.items[0].json.id);
		expect(emulator.store.directories().filter((d) => d.name === 'Reused inbox')).toHaveLength(1);
		// The second run looked the name up and fetched the directory; it sent no create.
		const posts = emulator.requests.filter((r) => r.method === 'POST');
		expect(posts).toHaveLength(1);
	});

	test('without the option, the API behaviour stands: a second directory of the same name', async () => {
		await run({ operation: 'create', name: 'Twice' });
		await run({ operation: 'create', name: 'Twice' });
		expect(emulator.store.directories().filter((d) => d.name === 'Twice')).toHaveLength(2);
	});
});
