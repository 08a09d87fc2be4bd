/**
 * Index → Create through n8n's real engine against the emulator over HTTP: products, sync
 * frequency, vector target and attachments in the body, API defaults, expressions per item, bad
 * input refused before any request, Reuse Existing; within one run one index per distinct request
 * (an Index → Create after a 2-file upload made two), and with Reuse Existing one per source
 * directory and name.
 */
import { byId, llamaCloudRunner, numberedItems, useEmulator } from '../../support/emulator';
import { INDEX_EMULATOR, requestsTo } from './fixtures';

const emulator = useEmulator(INDEX_EMULATOR);
const run = llamaCloudRunner(emulator, { resource: 'index', operation: 'create' });

describe('Index: Create', () => {
	test('products, sync frequency, vector target and attachments reach the body; the index is output whole', async () => {
		const source = emulator.current.store.createDirectory('Contracts');
		const { items, error } = await run({
			operation: 'create',
			sourceDirectoryId: byId(source.id),
			additionalFields: {
				name: 'Contracts index',
				description: 'All signed contracts',
				products: {
					product: [
						{ productType: 'parse', productConfigId: 'cfg-parse-1' },
						{ productType: 'extract', productConfigId: 'cfg-extract-7' },
					],
				},
				syncFrequency: 'on_source_change',
				vectorTarget: 'DISABLED',
				storeAttachments: ['screenshots', 'items'],
			},
		});
		expect(error).toBeUndefined();
		expect(emulator.current.requests).toHaveLength(1);
		expect(emulator.current.requests[0]).toMatchObject({
			method: 'POST',
			path: '/api/v1/indexes',
			status: 201,
		});
		expect(emulator.current.requests[0].body).toEqual({
			source_directory_id: source.id,
			name: 'Contracts index',
			description: 'All signed contracts',
			products: [
				{ product_type: 'parse', product_config_id: 'cfg-parse-1' },
				{ product_type: 'extract', product_config_id: 'cfg-extract-7' },
			],
			sync_frequency: 'on_source_change',
			vector_target: 'DISABLED',
			store_attachments: ['screenshots', 'items'],
		});

		const index = items[0].json;
		expect(index).toMatchObject({
			name: 'Contracts index',
			description: 'All signed contracts',
			source_directory_id: source.id,
		});
		for (const key of [
			'id',
			'export_config_id',
			'sync_config_id',
			'project_id',
			'output_directory_id',
			'metadata',
			'created_at',
		]) {
			expect(index).toHaveProperty(key);
		}
		const stored = emulator.current.store.index(String(index.id));
		expect(stored).toMatchObject({
			sync_frequency: 'on_source_change',
			vector_target: 'DISABLED',
			store_attachments: ['screenshots', 'items'],
			products: [
				{ product_type: 'parse', product_config_id: 'cfg-parse-1' },
				{ product_type: 'extract', product_config_id: 'cfg-extract-7' },
			],
		});
	});

	test('with only a source directory (chosen From List), nothing else is sent and the API defaults apply', async () => {
		const source = emulator.current.store.createDirectory('Plain');
		const { items, error } = await run({
			operation: 'create',
			sourceDirectoryId: { __rl: true, mode: 'list', value: source.id, cachedResultName: 'Plain' },
		});
		expect(error).toBeUndefined();
		expect(emulator.current.requests[0].body).toEqual({ source_directory_id: source.id });
		// The name defaults to the source directory's.
		expect(items[0].json.name).toBe('Plain');
		expect(emulator.current.store.index(String(items[0].json.id))).toMatchObject({
			sync_frequency: 'manual',
			vector_target: 'DEFAULT',
		});
	});

	test('expressions create one index per input item, paired with it', async () => {
		const a = emulator.current.store.createDirectory('A');
		const b = emulator.current.store.createDirectory('B');
		const { items, pairedItems, error } = await run(
			{
				operation: 'create',
				sourceDirectoryId: byId('={{ $json.dir }}'),
				additionalFields: { name: '={{ $json.label }}' },
			},
			{
				inputItems: [
					{ json: { dir: a.id, label: 'first' } },
					{ json: { dir: b.id, label: 'second' } },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => [i.json.name, i.json.source_directory_id])).toEqual([
			['first', a.id],
			['second', b.id],
		]);
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }]]);
	});

	test.each([
		['a blank name', { name: '  ' }, '"Name" must not be empty [item 0]'],
		[
			'a product without config ID',
			{
				products: {
					product: [
						{ productType: 'parse', productConfigId: 'cfg-1' },
						{ productType: 'extract', productConfigId: ' ' },
					],
				},
			},
			'"Product Config ID" of product 2 must not be empty [item 0]',
		],
	])('%s is rejected before any request', async (_case, additionalFields, message) => {
		const source = emulator.current.store.createDirectory('Source');
		const { error } = await run({
			operation: 'create',
			sourceDirectoryId: byId(source.id),
			additionalFields,
		});
		expect(error?.message).toBe(message);
		expect(emulator.current.requests).toHaveLength(0);
		expect(emulator.current.store.indexes()).toHaveLength(0);
	});

	test('a source directory ID that resolves to blank is rejected before any request', async () => {
		const { error } = await run({ operation: 'create', sourceDirectoryId: byId('={{ "" }}') });
		expect(error?.message).toContain('"Source Directory" must not be empty [item 0]');
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('an unknown source directory gives the API 404', async () => {
		const { error } = await run({ operation: 'create', sourceDirectoryId: byId('dir-nope') });
		expect((error as unknown as { httpCode: string }).httpCode).toBe('404');
		expect(error?.message).toContain('Directory dir-nope not found');
	});
});

describe('Index: Create with "Reuse Existing"', () => {
	test('outputs the existing index over the same directory and name instead of creating another', async () => {
		const source = emulator.current.store.createDirectory('Policies');
		const params = {
			operation: 'create',
			sourceDirectoryId: byId(source.id),
			additionalFields: { name: 'Policies index' },
			options: { reuseExisting: true },
		};
		const first = await run(params);
		expect(first.error).toBeUndefined();
		const again = await run(params);
		expect(again.error).toBeUndefined();
		expect(again.items[0].json.id).toBe(first.items[0].json.id);
		expect(requestsTo(emulator.current, /^\/api\/v1\/indexes$/, 'POST')).toHaveLength(1);
		// A different name over the same directory is a different index.
		const other = await run({ ...params, additionalFields: { name: 'Policies v2' } });
		expect(other.items[0].json.id).not.toBe(first.items[0].json.id);
		expect(requestsTo(emulator.current, /^\/api\/v1\/indexes$/, 'POST')).toHaveLength(2);
	});
});

test('fed one item per uploaded file, it makes one index, which every item outputs', async () => {
	const source = emulator.current.store.createDirectory('docs').id;
	const { items, pairedItems } = await run(
		{ sourceDirectoryId: byId(source) },
		{ inputItems: numberedItems(2) },
	);
	expect(emulator.current.store.indexes()).toHaveLength(1);
	expect(items.map((i) => i.json.id)).toEqual([items[0].json.id, items[0].json.id]);
	expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }]]);
});

test('items asking for different indexes still get one each', async () => {
	const source = emulator.current.store.createDirectory('docs').id;
	await run(
		{ sourceDirectoryId: byId(source), additionalFields: { name: '={{ "i" + $json.n }}' } },
		{ inputItems: numberedItems(2) },
	);
	expect(
		emulator.current.store
			.indexes()
			.map((i) => i.name)
			.sort(),
	).toEqual(['i0', 'i1']);
});

test('Reuse Existing: three items naming one index over one directory make one', async () => {
	const source = emulator.current.store.createDirectory('docs').id;
	const { items, error } = await run(
		{
			sourceDirectoryId: byId(source),
			additionalFields: { name: 'Docs index' },
			options: { reuseExisting: true },
		},
		{ inputItems: numberedItems(3) },
	);
	expect(error).toBeUndefined();
	expect(emulator.current.store.indexes()).toHaveLength(1);
	expect(new Set(items.map((i) => i.json.id)).size).toBe(1);
});
