/**
 * The real n8n with this package installed: proves the tooling the other e2e tests stand on
 * (package loading, import/execute, credentials, published pollers) using n8n's own nodes, so a
 * failure here points at the setup rather than at our nodes.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	listLoadedTypes,
	makeUserFolder,
	nodeItems,
	PACKAGE_NAME,
	publishWorkflow,
	startServer,
	type UserFolder,
	type WorkflowJson,
} from '../../harness/n8n';

/** A loopback server that records what reaches it and serves an RSS feed with one new item. */
async function startProbe() {
	const requests: Array<{ url: string; authorization?: string }> = [];
	const server = http.createServer((req, res) => {
		requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
		if (req.url?.startsWith('/feed')) {
			// Dated tomorrow, so the first production poll counts it as new.
			const date = new Date(Date.now() + 86_400_000).toUTCString();
			res.setHeader('content-type', 'application/rss+xml');
			res.end(
				`<?xml version="1.0"?><rss version="2.0"><channel><title>probe</title><link>http://probe</link>` +
					`<description>probe</description><item><title>new item</title><link>http://probe/1</link>` +
					`<guid>1</guid><pubDate>${date}</pubDate></item></channel></rss>`,
			);
			return;
		}
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify({ path: req.url }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const manual = (
	id: string,
	next: {
		name: string;
		type: string;
		typeVersion: number;
		parameters: object;
		credentials?: object;
	},
): WorkflowJson => ({
	id,
	name: id,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: `${id}-1`,
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{ id: `${id}-2`, position: [220, 0], ...next },
	],
	connections: { Start: { main: [[{ node: next.name, type: 'main', index: 0 }]] } },
});

describe('real n8n with the package installed', () => {
	let uf: UserFolder;
	let probe: Awaited<ReturnType<typeof startProbe>>;

	beforeAll(async () => {
		probe = await startProbe();
		uf = await makeUserFolder(); // the package linked as an installed community package
	});
	afterAll(async () => {
		await probe?.close();
		uf?.remove();
	});

	it('runs an imported workflow of n8n nodes with `n8n execute`', async () => {
		await importWorkflow(
			uf,
			manual('smokeSet', {
				name: 'Set',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				parameters: {
					assignments: {
						assignments: [{ id: 'a', name: 'hello', value: 'world', type: 'string' }],
					},
					options: {},
				},
			}),
		);
		const result = await executeWorkflow(uf, 'smokeSet');
		expect(result.status).toBe('success');
		expect(nodeItems(result, 'Set')).toEqual([{ hello: 'world' }]);
	});

	it("authenticates with the package's credential, imported encrypted", async () => {
		await importCredentials(uf, [
			{
				id: 'smokeCred',
				name: 'Probe',
				type: 'llamaCloudIngestApi',
				data: { apiKey: 'llx-smoke-key', region: 'custom', baseUrl: probe.url },
			},
		]);
		await importWorkflow(
			uf,
			manual('smokeCredential', {
				name: 'HTTP',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				credentials: { llamaCloudIngestApi: { id: 'smokeCred', name: 'Probe' } },
				parameters: {
					url: `${probe.url}/api/v1/projects`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'llamaCloudIngestApi',
					options: {},
				},
			}),
		);
		const result = await executeWorkflow(uf, 'smokeCredential');
		expect(result.status).toBe('success');
		expect(probe.requests).toContainEqual({
			url: '/api/v1/projects',
			authorization: 'Bearer llx-smoke-key',
		});
	});

	it('loads the nodes and the credential under the package name, runs published pollers at start', async () => {
		await importWorkflow(uf, {
			id: 'smokePoller',
			name: 'smokePoller',
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: 'p1',
					name: 'RSS',
					type: 'n8n-nodes-base.rssFeedReadTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {
						pollTimes: { item: [{ mode: 'everyHour' }] },
						feedUrl: `${probe.url}/feed`,
					},
				},
				{
					id: 'p2',
					name: 'NoOp',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [220, 0],
					parameters: {},
				},
			],
			connections: { RSS: { main: [[{ node: 'NoOp', type: 'main', index: 0 }]] } },
		});
		await publishWorkflow(uf, 'smokePoller');

		const server = await startServer(uf);
		try {
			const types = await listLoadedTypes(uf, server);
			expect(types.errors).toEqual([]);
			expect(types.nodes).toEqual(
				expect.arrayContaining([
					`${PACKAGE_NAME}.llamaCloudIngest`,
					`${PACKAGE_NAME}.llamaCloudIngestTrigger`,
				]),
			);
			expect(types.credentials).toContain('llamaCloudIngestApi');

			// poll() runs once at activation, just after start-up.
			const [execution] = await server.waitForExecutions('smokePoller');
			expect(execution).toMatchObject({ status: 'success', mode: 'trigger' });
			expect(execution.runData.NoOp[0].data.main[0]).toHaveLength(1);
		} finally {
			await server.stop();
		}
	});
});
