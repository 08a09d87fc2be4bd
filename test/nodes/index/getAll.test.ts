/**
 * Index → Get Many through n8n's real engine against the emulator over HTTP: pages followed
 * with the source directory filter kept on each, Limit.
 */
import { byId, llamaCloudRunner, useEmulator } from '../../support/emulator';
import { createIndexDirectly, INDEX_EMULATOR, requestsTo } from './fixtures';

const emulator = useEmulator(INDEX_EMULATOR);
const run = llamaCloudRunner(emulator, { resource: 'index' });

describe('Index: Get Many', () => {
	let sourceA: string;
	let sourceB: string;

	beforeEach(async () => {
		sourceA = emulator.current.store.createDirectory('A').id;
		sourceB = emulator.current.store.createDirectory('B').id;
		for (let batch = 0; batch < 230; batch += 46) {
			await Promise.all(
				Array.from({ length: 46 }, (_, i) =>
					createIndexDirectly(emulator.current, {
						source_directory_id: sourceA,
						name: `A-${batch + i}`,
					}),
				),
			);
		}
		for (let i = 0; i < 3; i++)
			await createIndexDirectly(emulator.current, { source_directory_id: sourceB, name: `B-${i}` });
		await emulator.current.waitForBuilds();
		emulator.current.clearRequests();
	});

	test('Return All with a source directory filter follows 3 pages, keeping the filter on each', async () => {
		const { items, error } = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { sourceDirectoryId: byId(sourceA) },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(230);
		expect(items.every((i) => i.json.source_directory_id === sourceA)).toBe(true);
		expect(new Set(items.map((i) => i.json.id)).size).toBe(230);
		const pages = requestsTo(emulator.current, /^\/api\/v1\/indexes$/, 'GET');
		expect(pages).toHaveLength(3);
		for (const page of pages)
			expect(page.query).toMatchObject({ source_directory_id: sourceA, page_size: '10000' });
		expect(pages.slice(1).every((p) => typeof p.query.page_token === 'string')).toBe(true);
	});

	test('Limit stops early; the other source directory filters too', async () => {
		const limited = await run({
			operation: 'getAll',
			limit: 120,
			filters: { sourceDirectoryId: byId(sourceA) },
		});
		expect(limited.items).toHaveLength(120);
		expect(
			requestsTo(emulator.current, /^\/api\/v1\/indexes$/, 'GET').map((p) => p.query.page_size),
		).toEqual(['120', '20']);

		emulator.current.clearRequests();
		const onlyB = await run({
			operation: 'getAll',
			limit: 50,
			filters: { sourceDirectoryId: byId(sourceB) },
		});
		// In whatever order the service lists them (not documented).
		expect(onlyB.items.map((i) => i.json.name).sort()).toEqual(['B-0', 'B-1', 'B-2']);
		expect(requestsTo(emulator.current, /^\/api\/v1\/indexes$/, 'GET')).toHaveLength(1);
	});

	test('without a filter every index of the project is listed', async () => {
		const { items } = await run({ operation: 'getAll', returnAll: true });
		expect(items).toHaveLength(233);
		expect(
			requestsTo(emulator.current, /^\/api\/v1\/indexes$/, 'GET').every(
				(p) => !('source_directory_id' in p.query),
			),
		).toBe(true);
	});
});
