/**
 * Directory → Get through n8n's real engine against the emulator over HTTP: the directory output,
 * the API's 404, IDs kept to one path segment, and continue-on-fail (keeping what the panel would
 * say).
 */
import { byId, llamaCloudRunner, PAGES_OF_100, useEmulator } from '../../support/emulator';

const emulator = useEmulator(PAGES_OF_100);
const run = llamaCloudRunner(emulator, { resource: 'directory' });

describe('Directory: Get', () => {
	test('Get outputs the directory', async () => {
		const directory = emulator.current.store.createDirectory('Invoices', { description: 'AP' });
		const { items, error } = await run({ operation: 'get', directoryId: byId(directory.id) });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				id: directory.id,
				name: 'Invoices',
				description: 'AP',
				project_id: emulator.current.defaultProjectId,
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
		expect(emulator.current.requests[0].path).toBe('/api/v1/beta/directories/a%2F..%2Fb%3Fx%3D1');
	});
});

describe('Directory: continue-on-fail', () => {
	test('a failing item becomes an error item; the others go on', async () => {
		const a = emulator.current.store.createDirectory('A');
		const c = emulator.current.store.createDirectory('C');
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
		const a = emulator.current.store.createDirectory('A');
		const { items, error } = await run(
			{ operation: 'get', directoryId: byId('={{ $json.id }}') },
			{ inputItems: [{ json: { id: a.id } }, { json: { id: 'dir-missing' } }] },
		);
		expect(items).toHaveLength(0);
		expect(error?.message).toContain('Directory dir-missing not found');
	});
});

test('a continue-on-fail item has the message as `error` and the description as `details`', async () => {
	const { items, error } = await run(
		{ operation: 'get', directoryId: byId('dir-missing') },
		{ continueOnFail: true },
	);
	expect(error).toBeUndefined();
	expect(items[0].json).toEqual({
		error: 'LlamaCloud API error 404 Not Found: Directory dir-missing not found [item 0]',
		details: `GET ${emulator.current.url}/api/v1/beta/directories/dir-missing.`,
	});
});
