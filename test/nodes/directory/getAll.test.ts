/**
 * Directory → Get Many through n8n's real engine against the emulator over HTTP: pages followed
 * with every filter kept, Limit, the Types filter, filters left empty.
 */
import type { RecordedRequest } from '../../../emulator';
import { llamaCloudRunner, PAGES_OF_100, useEmulator } from '../../support/emulator';

const emulator = useEmulator(PAGES_OF_100);
const run = llamaCloudRunner(emulator, { resource: 'directory' });
const listRequests = (): RecordedRequest[] =>
	emulator.current.requests.filter(
		(r) => r.method === 'GET' && r.path === '/api/v1/beta/directories',
	);

describe('Directory: Get Many', () => {
	const seed = () => {
		for (let i = 0; i < 230; i++) emulator.current.store.createDirectory('Batch');
		for (let i = 0; i < 4; i++) emulator.current.store.createDirectory(`Other ${i}`);
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
				page_size: '10000',
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
		emulator.current.store.createDirectory('User dir');
		await run({ operation: 'create', name: 'Batch job', additionalFields: { type: 'ephemeral' } });
		emulator.current.clearRequests();
		const { items } = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { types: ['index', 'ephemeral'] },
		});
		expect(items.map((i) => i.json.name)).toEqual(['Batch job']);
		expect(listRequests()[0].query.types).toEqual(['index', 'ephemeral']);
	});

	test('a filter left empty is not sent (an empty value would filter on "")', async () => {
		emulator.current.store.createDirectory('Named');
		const { items } = await run({ operation: 'getAll', returnAll: true, filters: { name: '' } });
		expect(items.map((i) => i.json.name)).toEqual(['Named']);
		expect(listRequests()[0].query).not.toHaveProperty('name');
	});
});
