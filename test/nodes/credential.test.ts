/**
 * The credential: its type name, its test request (run the way n8n's credential tester runs
 * it) against the emulator, and the base URLs its regions resolve to.
 */
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { LlamaCloudIngestApi } from '../../credentials/LlamaCloudIngestApi.credentials';
import { type Emulator, startEmulator } from '../../emulator';
import { CANARY_API_KEY } from '../support/canary';
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import {
	BASE_URL_EXPRESSION,
	CREDENTIAL_TYPE,
	REGION_BASE_URLS,
	resolveBaseUrl,
} from '../../nodes/LlamaCloud/transport';
import { testCredential } from '../../harness/engine';
import { allowNonConformingRequests } from '../support/spec';

// n8n runs a credential test as declared, with no hook to check the ID first: the 422 rule is
// what tells the user, and this file proves it with a Project ID that is not a UUID.
allowNonConformingRequests(
	'the 422 rule of the credential test, and a base URL with a path of its own',
	(exchange) => exchange.path.endsWith('/proj-1') || !exchange.path.startsWith('/api/'),
);

const US = 'https://api.cloud.llamaindex.ai';
const EU = 'https://api.cloud.eu.llamaindex.ai';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ apiKey: CANARY_API_KEY });
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

/** Evaluates a credential-bound expression the way n8n does, with `$credentials` set. */
function evaluate(expression: string, credentials: ICredentialDataDecryptedObject): unknown {
	const node: INode = {
		id: 'n',
		name: 'N',
		type: 'x',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => new LlamaCloud(),
			getByNameAndVersion: () => new LlamaCloud(),
			getKnownTypes: () => ({}),
		},
	});
	return workflow.expression.getParameterValue(expression, null, 0, 0, node.name, [], 'internal', {
		$credentials: credentials,
	});
}

describe('credential type', () => {
	test('its name does not collide with the official LlamaCloud package', () => {
		const credential = new LlamaCloudIngestApi();
		expect(credential.name).toBe('llamaCloudIngestApi');
		expect(['llamaCloudApi', 'llamaParseApi']).not.toContain(credential.name);
		expect(CREDENTIAL_TYPE).toBe(credential.name);
		expect(new LlamaCloud().description.credentials).toEqual([
			{ name: 'llamaCloudIngestApi', required: true },
		]);
	});

	test('the API key is a password field and authentication is a bearer header', () => {
		const credential = new LlamaCloudIngestApi();
		const apiKey = credential.properties.find((p) => p.name === 'apiKey');
		expect(apiKey?.typeOptions?.password).toBe(true);
		expect(apiKey?.placeholder).toBe('llx-...');
		// The generic form: n8n offers "Custom API Call" only for credentials with one.
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: {
				headers: { Authorization: '=Bearer {{String($credentials.apiKey ?? "").trim()}}' },
			},
		});
	});
});

describe('credential test', () => {
	const data = (extra: ICredentialDataDecryptedObject = {}) => ({
		apiKey: emulator.apiKey,
		region: 'custom',
		baseUrl: emulator.url,
		...extra,
	});

	test('succeeds with the right key, calling GET /api/v1/projects with the bearer key', async () => {
		const result = await testCredential(LlamaCloudIngestApi, data());
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'GET /api/v1/projects 200',
		]);
	});

	test('fails clearly with a wrong key (401), never echoing the key', async () => {
		const wrongKey = 'llx-definitely-not-the-right-key';
		const result = await testCredential(LlamaCloudIngestApi, data({ apiKey: wrongKey }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/API key was rejected.*region/);
		expect(result.message).not.toContain(wrongKey);
		// n8n's request helper may try a 401 once more; every attempt was refused.
		expect(emulator.requests.length).toBeGreaterThan(0);
		expect(emulator.requests.every((r) => r.status === 401 && r.path === '/api/v1/projects')).toBe(
			true,
		);
	});

	test('with a Project ID it reads that project (proving the ID, not only the key); no empty parameters', async () => {
		expect((await testCredential(LlamaCloudIngestApi, data())).status).toBe('OK');
		expect(emulator.requests[0].query).toEqual({});
		emulator.reset();
		const project = emulator.defaultProjectId;
		const organization = emulator.defaultOrganizationId;
		const result = await testCredential(
			LlamaCloudIngestApi,
			data({ projectId: ` ${project} `, organizationId: organization }),
		);
		expect(result.status).toBe('OK');
		expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			`GET /api/v1/projects/${project} 200`,
		]);
		expect(emulator.requests[0].query).toEqual({ organization_id: organization });
	});

	test('an unknown project ID fails the test with a specific message (404)', async () => {
		const result = await testCredential(
			LlamaCloudIngestApi,
			data({ projectId: '3fa85f64-5717-4562-b3fc-2c963f66afa6' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Not found \(404\)\. If set, check "Project ID" and "Organization ID"/,
		);
	});

	test('a project of another organization fails with the 403 rule', async () => {
		const other = emulator.store.addProject({
			name: 'Elsewhere',
			organization_id: '20000000-0000-4000-8000-000000000009',
		});
		const result = await testCredential(
			LlamaCloudIngestApi,
			data({ projectId: other.id, organizationId: emulator.defaultOrganizationId }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/no access to this project or organization/);
	});

	test('a Project ID that is not a UUID fails with the 422 rule', async () => {
		const result = await testCredential(LlamaCloudIngestApi, data({ projectId: 'proj-1' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/not a valid UUID/);
	});

	test('a trailing slash on the custom base URL still reaches /api/v1/projects', async () => {
		const result = await testCredential(LlamaCloudIngestApi, data({ baseUrl: `${emulator.url}/` }));
		expect(result.status).toBe('OK');
		expect(emulator.requests[0].path).toBe('/api/v1/projects');
	});
});

describe('regions', () => {
	test.each([
		['us', US],
		['eu', EU],
	])(
		'region %s resolves to %s in the node, its transport and the credential test',
		(region, url) => {
			expect(REGION_BASE_URLS[region]).toBe(url);
			expect(resolveBaseUrl({ region })).toEqual({ url });
			expect(evaluate(BASE_URL_EXPRESSION, { region })).toBe(url);
			const testBaseUrl = new LlamaCloudIngestApi().test.request.baseURL as string;
			expect(evaluate(testBaseUrl, { region })).toBe(url);
		},
	);

	test('the US region is the default', () => {
		expect(resolveBaseUrl({})).toEqual({ url: US });
		const region = new LlamaCloudIngestApi().properties.find((p) => p.name === 'region');
		expect(region?.default).toBe('us');
	});

	test('a custom base URL is used as given (minus trailing slashes) by both expressions', () => {
		const credentials = { region: 'custom', baseUrl: 'https://llamacloud.internal.example.com//' };
		expect(resolveBaseUrl(credentials)).toEqual({ url: 'https://llamacloud.internal.example.com' });
		expect(evaluate(BASE_URL_EXPRESSION, credentials)).toBe(
			'https://llamacloud.internal.example.com',
		);
		expect(evaluate(new LlamaCloudIngestApi().test.request.baseURL as string, credentials)).toBe(
			'https://llamacloud.internal.example.com',
		);
	});

	test('the node and the credential test read a custom base URL alike: spaces trimmed too', () => {
		const credentials = {
			region: 'custom',
			baseUrl: '  https://llamacloud.internal.example.com/ ',
		};
		const testBaseUrl = new LlamaCloudIngestApi().test.request.baseURL as string;
		expect(evaluate(testBaseUrl, credentials)).toBe('https://llamacloud.internal.example.com');
		expect(evaluate(BASE_URL_EXPRESSION, credentials)).toBe(
			'https://llamacloud.internal.example.com',
		);
		expect(resolveBaseUrl(credentials)).toEqual({ url: 'https://llamacloud.internal.example.com' });
	});

	test("the credential offers the transport's regions, and Custom Base URL", () => {
		const region = new LlamaCloudIngestApi().properties.find((p) => p.name === 'region');
		expect(region?.options).toEqual([
			{ name: 'US', value: 'us', description: US },
			{ name: 'EU', value: 'eu', description: EU },
			{ name: 'Custom Base URL', value: 'custom' },
		]);
		expect(Object.keys(REGION_BASE_URLS)).toEqual(['us', 'eu']);
	});
});

describe('a failed credential test names the real cause and the field to change', () => {
	const data = (extra: ICredentialDataDecryptedObject) => ({
		apiKey: emulator.apiKey,
		region: 'custom',
		baseUrl: emulator.url,
		...extra,
	});

	test('a Base URL ending in /api/v1 passes (was: "project or organization ID not found")', async () => {
		const baseUrl = `${emulator.url}/api/v1/`;
		expect(await testCredential(LlamaCloudIngestApi, data({ baseUrl }))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(emulator.requests.map((r) => r.path)).toEqual(['/api/v1/projects']);
	});

	test('a Base URL with another path gets a 404 message that names Base URL', async () => {
		const result = await testCredential(
			LlamaCloudIngestApi,
			data({ baseUrl: `${emulator.url}/v2` }),
		);
		expect(result.message).toMatch(/With a custom Base URL, check it is the API origin/);
	});

	test('a wrong key names "API Key", and Region only for US/EU', async () => {
		const result = await testCredential(LlamaCloudIngestApi, data({ apiKey: 'llx-wrong-key' }));
		expect(result.message).toBe(
			'The API key was rejected (401 Unauthorized). Check "API Key". With Region US or EU, also check "Region": a key works only in the region where it was created.',
		);
	});
});
