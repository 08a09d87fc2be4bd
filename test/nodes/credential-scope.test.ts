/**
 * The credential on every request, through Directory operations in n8n's real engine against the
 * emulator over HTTP: project and organization scope, custom base URLs (what is refused before any
 * request and what is taken), a wrong API key.
 */
import { llamaCloudRunner, byId, PAGES_OF_100, useEmulator } from '../support/emulator';

const emulator = useEmulator(PAGES_OF_100);
const run = llamaCloudRunner(emulator, { resource: 'directory' });

describe('Directory: region and scope', () => {
	test('project and organization IDs from the credential reach every request', async () => {
		const directory = emulator.current.store.createDirectory('Scoped');
		const scope = {
			projectId: emulator.current.defaultProjectId,
			organizationId: emulator.current.defaultOrganizationId,
		};
		await run({ operation: 'get', directoryId: byId(directory.id) }, { credentialData: scope });
		await run({ operation: 'getAll', returnAll: true }, { credentialData: scope });
		await run({ operation: 'create', name: 'Made in scope' }, { credentialData: scope });
		expect(emulator.current.requests).toHaveLength(3);
		for (const request of emulator.current.requests) {
			expect(request.query).toMatchObject({
				project_id: emulator.current.defaultProjectId,
				organization_id: emulator.current.defaultOrganizationId,
			});
		}
	});

	test('the project ID decides where a directory is created', async () => {
		const other = emulator.current.store.addProject({
			name: 'Second',
			organization_id: emulator.current.defaultOrganizationId,
		});
		const { items, error } = await run(
			{ operation: 'create', name: 'Elsewhere' },
			{ credentialData: { projectId: other.id } },
		);
		expect(error).toBeUndefined();
		expect(items[0].json.project_id).toBe(other.id);
		expect(emulator.current.store.directories(other.id).map((d) => d.name)).toEqual(['Elsewhere']);
		expect(emulator.current.store.directories(emulator.current.defaultProjectId)).toHaveLength(0);
	});

	test('unset (or blank) scope sends no empty project_id / organization_id', async () => {
		emulator.current.store.createDirectory('Unscoped');
		await run({ operation: 'getAll', returnAll: true });
		await run(
			{ operation: 'getAll', returnAll: true },
			{ credentialData: { projectId: '  ', organizationId: '' } },
		);
		expect(emulator.current.requests).toHaveLength(2);
		for (const request of emulator.current.requests) {
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
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('a custom base URL ending in /api/v1 (as the API reference writes it) is taken as its origin', async () => {
		const { error, items } = await run(
			{ operation: 'getAll', returnAll: true },
			{ credentialData: { baseUrl: `${emulator.current.url}/api/v1` } },
		);
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(emulator.current.requests.map((r) => r.path)).toEqual(['/api/v1/beta/directories']);
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
			{ credentialData: { baseUrl: make(emulator.current.url) } },
		);
		// n8n's RoutingNode re-wraps errors thrown by preSend hooks as NodeApiError; the message is ours.
		expect(error?.message).toContain("The credential's Base URL");
		expect(error?.message).toContain(problem);
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('a trailing slash on the custom base URL is fine', async () => {
		emulator.current.store.createDirectory('Reachable');
		const { items, error } = await run(
			{ operation: 'getAll', returnAll: true },
			{ credentialData: { baseUrl: `${emulator.current.url}/` } },
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
