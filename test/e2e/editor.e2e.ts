/**
 * What the editor shows, from the real n8n (issue 17): the credential test's messages as n8n's
 * CredentialsTester gives them, and errors of routed operations as the error panel gets them
 * (no "Error code none" for a local check: the error reaches n8n without an HTTP code).
 */
import { type Emulator, startEmulator } from '../../emulator';
import { CANARY_API_KEY } from '../support/canary';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	makeUserFolder,
	PACKAGE_NAME,
	startServer,
	type N8nServer,
	type UserFolder,
} from '../../harness/n8n';

let emulator: Emulator;
let uf: UserFolder;
let server: N8nServer;

const TYPE = 'llamaCloudIngestApi';
const credentials = () => [
	{ id: 'edOk', name: 'Good', data: {} },
	{ id: 'edApiV1', name: 'Base URL with /api/v1', data: { baseUrl: `${emulator.url}/api/v1` } },
	{ id: 'edWrongKey', name: 'Wrong key', data: { apiKey: 'llx-not-the-right-key' } },
];

beforeAll(async () => {
	emulator = await startEmulator({ apiKey: CANARY_API_KEY });
	uf = await makeUserFolder();
	await importCredentials(
		uf,
		credentials().map(({ id, name, data }) => ({
			id,
			name,
			type: TYPE,
			data: { apiKey: emulator.apiKey, region: 'custom', baseUrl: emulator.url, ...data },
		})),
	);
	await importWorkflow(uf, {
		id: 'edBlankName',
		name: 'e2e editor: a local check',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'create',
				name: 'Create directory',
				type: `${PACKAGE_NAME}.llamaCloudIngest`,
				typeVersion: 1,
				position: [200, 0],
				parameters: { resource: 'directory', operation: 'create', name: '={{ "  " }}' },
				credentials: { [TYPE]: { id: 'edOk', name: 'Good' } },
			},
		],
		connections: { Start: { main: [[{ node: 'Create directory', type: 'main', index: 0 }]] } },
	});
});
afterAll(async () => {
	await server?.stop();
	uf?.remove();
	await emulator?.close();
});

/** POST /rest/credentials/test, as the credential modal's Retry / Save does. */
async function testCredential(id: string) {
	const stored = await server.rest('GET', `/credentials/${id}?includeData=true`);
	const { name, type, data } = stored.body.data;
	const result = await server.rest('POST', '/credentials/test', {
		credentials: { id, name, type, data },
	});
	return result.body.data as { status: string; message: string };
}

// `n8n execute` first: it must not share the database with a running server.
test('a local check of a routed operation reaches n8n as written, with no HTTP code', async () => {
	const result = await executeWorkflow(uf, 'edBlankName');
	const error = result.runData['Create directory']?.[0]?.error as
		{ message?: string; httpCode?: unknown } | undefined;
	expect(error?.message).toBe('"Name" must not be empty [item 0]');
	// RoutingNode gives errors it does not recognise as its own NodeApiError httpCode "none".
	expect(error?.httpCode ?? null).toBeNull();
	expect(emulator.requests).toHaveLength(0);
});

test('the credential test passes a good credential and names the cause of a bad one', async () => {
	server = await startServer(uf);
	expect(await testCredential('edOk')).toEqual({
		status: 'OK',
		message: 'Connection successful!',
	});
	// A trailing /api/v1 is dropped (it used to fail as "project or organization ID not found").
	expect(await testCredential('edApiV1')).toEqual({
		status: 'OK',
		message: 'Connection successful!',
	});
	expect((await testCredential('edWrongKey')).message).toMatch(
		/^The API key was rejected \(401 Unauthorized\)\. Check "API Key"\./,
	);
});
