/**
 * Directory → Create within one run: RoutingNode sends all items' requests at once, so "look up,
 * else create" per item raced with itself (three items made three "Inbox" directories).
 */
import type { INodeParameters } from 'n8n-workflow';

import { LlamaCloudIngest as LlamaCloud } from '../../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { runNode, type RunNodeOptions } from '../../../harness/engine';
import { credential, numberedItems, useEmulator } from '../../support/emulator';

const emulator = useEmulator();

const run = (parameters: INodeParameters, options: Partial<RunNodeOptions> = {}) =>
	runNode({
		type: LlamaCloud,
		credentials: credential(emulator.current),
		parameters: { resource: 'directory', operation: 'create', ...parameters },
		...options,
	});
const creates = () =>
	emulator.current.requests.filter(
		(r) => r.method === 'POST' && r.path === '/api/v1/beta/directories',
	).length;

describe('Reuse Existing within one run', () => {
	test('three items naming one directory make one; each item outputs it, paired to itself', async () => {
		const { items, pairedItems, error } = await run(
			{ name: 'Inbox', options: { reuseExisting: true } },
			{ inputItems: numberedItems(3) },
		);
		expect(error).toBeUndefined();
		expect(emulator.current.store.directories().filter((d) => d.name === 'Inbox')).toHaveLength(1);
		expect(new Set(items.map((i) => i.json.id)).size).toBe(1);
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }], [{ item: 2 }]]);
		expect(creates()).toBe(1);
	});

	test('items naming different directories get one each, and one that exists is reused', async () => {
		emulator.current.store.createDirectory('B');
		const { items } = await run(
			{ name: '={{ ["A", "B", "A"][$json.n] }}', options: { reuseExisting: true } },
			{ inputItems: numberedItems(3) },
		);
		expect(
			emulator.current.store
				.directories()
				.map((d) => d.name)
				.sort(),
		).toEqual(['A', 'B']);
		expect(items[0].json.id).toBe(items[2].json.id);
		expect(items[1].json.name).toBe('B');
		expect(creates()).toBe(1);
	});
});

describe('once per distinct request and run', () => {
	test('identical creates (a fixed name fed three items) make one directory', async () => {
		const { items } = await run({ name: 'Docs' }, { inputItems: numberedItems(3) });
		expect(emulator.current.store.directories()).toHaveLength(1);
		expect(new Set(items.map((i) => i.json.id)).size).toBe(1);
		expect(creates()).toBe(1);
	});
});

describe('errors', () => {
	test('a local check fails as written, with no HTTP code (no "Error code none" in the panel)', async () => {
		const { error } = await run({ name: '={{ "  " }}' });
		expect(error?.message).toBe('"Name" must not be empty [item 0]');
		expect((error as { httpCode?: unknown }).httpCode ?? null).toBeNull();
	});
});
