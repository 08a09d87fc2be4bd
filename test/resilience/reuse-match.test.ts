/**
 * Class 9 of issue 14: Reuse Existing trusted the server's filter. Against a server that
 * ignores `name` (directories) or `source_directory_id` (indexes), Create returned an unrelated
 * directory, or an index over another directory. The lookup now checks every candidate itself:
 * only an exact match is reused; otherwise the object is created.
 */
import { LISTING_PAGE_SIZE } from '../../nodes/LlamaCloud/transport';
import { byId, useHostileApi } from '../support/hostile-api';

const api = useHostileApi({ buildStepMs: 10 });

const DIRECTORIES = '/api/v1/beta/directories';
const INDEXES = '/api/v1/indexes';

/** The server "ignores" a filter: it is dropped before the emulator sees the query. */
function ignoreFilter(path: string, filter: string) {
	api.hostile.on(
		{ method: 'GET', path },
		{
			forward: true,
			query: (query) => {
				const { [filter]: _ignored, ...rest } = query;
				return rest;
			},
		},
	);
}

async function createIndex(sourceDirectoryId: string, name?: string): Promise<string> {
	const response = await fetch(`${api.emulator.url}${INDEXES}`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${api.emulator.apiKey}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ source_directory_id: sourceDirectoryId, ...(name ? { name } : {}) }),
	});
	return ((await response.json()) as { id: string }).id;
}

describe('Directory → Create with Reuse Existing', () => {
	test('a server that ignores `name`: an unrelated directory is not reused; the directory is created', async () => {
		const unrelated = api.emulator.store.createDirectory('Unrelated');
		ignoreFilter(DIRECTORIES, 'name');
		const { error, items } = await api.run({
			resource: 'directory',
			operation: 'create',
			name: 'Contracts',
			options: { reuseExisting: true },
		});
		expect(error).toBeUndefined();
		expect(items[0].json.name).toBe('Contracts');
		expect(items[0].json.id).not.toBe(unrelated.id);
		expect(
			api.emulator.store
				.directories()
				.map((d) => d.name)
				.sort(),
		).toEqual(['Contracts', 'Unrelated']);
	});

	test('the exact match is found among what the server sends back, on any page', async () => {
		// More than one page of the largest size the node asks for.
		for (let i = 0; i < LISTING_PAGE_SIZE + 100; i++)
			api.emulator.store.createDirectory(`Noise ${i}`);
		const wanted = api.emulator.store.createDirectory('Contracts');
		ignoreFilter(DIRECTORIES, 'name');
		const { items } = await api.run({
			resource: 'directory',
			operation: 'create',
			name: 'Contracts',
			options: { reuseExisting: true },
		});
		expect(items[0].json.id).toBe(wanted.id);
		expect(api.hostile.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
	});

	test('a name that differs only in case or spaces is not the same directory', async () => {
		api.emulator.store.createDirectory('contracts ');
		ignoreFilter(DIRECTORIES, 'name');
		const { items } = await api.run({
			resource: 'directory',
			operation: 'create',
			name: 'Contracts',
			options: { reuseExisting: true },
		});
		expect(items[0].json.name).toBe('Contracts');
		expect(api.emulator.store.directories()).toHaveLength(2);
	});
});

describe('Index → Create with Reuse Existing', () => {
	test('a server that ignores `source_directory_id`: an index over another directory is not reused', async () => {
		const other = api.emulator.store.createDirectory('Other source');
		const mine = api.emulator.store.createDirectory('My source');
		const foreignIndex = await createIndex(other.id);
		ignoreFilter(INDEXES, 'source_directory_id');
		const { error, items } = await api.run({
			resource: 'index',
			operation: 'create',
			sourceDirectoryId: byId(mine.id),
			options: { reuseExisting: true },
		});
		expect(error).toBeUndefined();
		expect(items[0].json.id).not.toBe(foreignIndex);
		expect(items[0].json.source_directory_id).toBe(mine.id);
		expect(api.emulator.store.indexes()).toHaveLength(2);
	});

	test('with a name: only the index over this directory with that name is reused', async () => {
		const mine = api.emulator.store.createDirectory('My source');
		const other = api.emulator.store.createDirectory('Other source');
		await createIndex(other.id, 'Search');
		await createIndex(mine.id, 'Draft');
		const wanted = await createIndex(mine.id, 'Search');
		ignoreFilter(INDEXES, 'source_directory_id');
		const { items } = await api.run({
			resource: 'index',
			operation: 'create',
			sourceDirectoryId: byId(mine.id),
			additionalFields: { name: 'Search' },
			options: { reuseExisting: true },
		});
		expect(items[0].json.id).toBe(wanted);
		expect(api.emulator.store.indexes()).toHaveLength(3);
	});
});
