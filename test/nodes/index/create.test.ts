/**
 * Index → Create within one run: one index per distinct request (an Index → Create after a
 * 2-file upload made two), and with Reuse Existing one per source directory and name.
 */
import type { INodeParameters } from 'n8n-workflow';

import { LlamaCloudIngest as LlamaCloud } from '../../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { runNode, type RunNodeOptions } from '../../../harness/engine';
import { byId, credential, numberedItems, useEmulator } from '../../support/emulator';

const emulator = useEmulator();

const run = (parameters: INodeParameters, options: Partial<RunNodeOptions> = {}) =>
	runNode({
		type: LlamaCloud,
		credentials: credential(emulator.current),
		parameters: { resource: 'index', operation: 'create', ...parameters },
		...options,
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
