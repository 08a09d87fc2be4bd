/**
 * Directory → Create through n8n's real engine against the emulator over HTTP: the body sent and
 * the directory output, expressions per item, names refused before any request, Reuse Existing,
 * and once per distinct request within one run (RoutingNode sends all items' requests at once, so
 * "look up, else create" per item raced with itself: three items made three "Inbox" directories).
 */
import { llamaCloudRunner, numberedItems, PAGES_OF_100, useEmulator } from '../../support/emulator';

const emulator = useEmulator(PAGES_OF_100);
const run = llamaCloudRunner(emulator, { resource: 'directory', operation: 'create' });
const creates = () =>
	emulator.current.requests.filter(
		(r) => r.method === 'POST' && r.path === '/api/v1/beta/directories',
	).length;

describe('Directory: Create', () => {
	test('sends name, description, connector subscription ID and type, and outputs the created directory', async () => {
		const { items, error } = await run({
			operation: 'create',
			name: 'Contracts 2026',
			additionalFields: {
				description: 'Signed contracts',
				connectorSubscriptionId: 'csub-123',
				type: 'ephemeral',
			},
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const created = items[0].json;
		expect(created).toMatchObject({
			name: 'Contracts 2026',
			description: 'Signed contracts',
			connector_subscription_id: 'csub-123',
			type: 'ephemeral',
			expires_at: expect.any(String),
		});
		expect(emulator.current.requests).toHaveLength(1);
		expect(emulator.current.requests[0]).toMatchObject({
			method: 'POST',
			path: '/api/v1/beta/directories',
			body: {
				name: 'Contracts 2026',
				description: 'Signed contracts',
				connector_subscription_id: 'csub-123',
				type: 'ephemeral',
			},
		});
		expect(emulator.current.store.directory(String(created.id))?.name).toBe('Contracts 2026');
	});

	test('expressions resolve per input item; outputs are paired with their items', async () => {
		const { items, pairedItems, error } = await run(
			{
				operation: 'create',
				name: '={{ $json.team }} inbox',
				additionalFields: { description: '={{ "for " + $json.team }}' },
			},
			{
				inputItems: [
					{ json: { team: 'Legal' } },
					{ json: { team: 'Sales' } },
					{ json: { team: 'Ops' } },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.name)).toEqual(['Legal inbox', 'Sales inbox', 'Ops inbox']);
		expect(items.map((i) => i.json.description)).toEqual(['for Legal', 'for Sales', 'for Ops']);
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }], [{ item: 2 }]]);
		expect(
			emulator.current.store
				.directories()
				.map((d) => d.name)
				.sort(),
		).toEqual(['Legal inbox', 'Ops inbox', 'Sales inbox']);
	});

	test('an empty name is refused by the engine itself (required parameter) before any request', async () => {
		await expect(run({ operation: 'create', name: '' })).rejects.toThrow(
			'Parameter "Name" is required',
		);
		expect(emulator.current.requests).toHaveLength(0);
	});

	test.each([
		['whitespace', '   '],
		['an expression resolving to empty', '={{ "" }}'],
	])(
		'a name that is %s is rejected before any request, naming field and item',
		async (_kind, name) => {
			const { items, error } = await run({ operation: 'create', name });
			expect(items).toHaveLength(0);
			expect(error?.message).toBe('"Name" must not be empty [item 0]');
			expect(emulator.current.requests).toHaveLength(0);
		},
	);

	test('a blank name on the second item names that item', async () => {
		const { error } = await run(
			{ operation: 'create', name: '={{ $json.name }}' },
			{ inputItems: [{ json: { name: 'fine' } }, { json: { name: ' ' } }] },
		);
		expect(error?.message).toContain('"Name" must not be empty [item 1]');
		// The blank item itself never reached the API.
		expect(
			emulator.current.requests
				.filter((r) => r.method === 'POST')
				.map((r) => (r.body as { name: string }).name),
		).toEqual(['fine']);
	});
});

describe('Directory: Create with "Reuse Existing"', () => {
	test('outputs the existing directory of that name instead of creating a second one', async () => {
		const first = await run({
			operation: 'create',
			name: 'Reused inbox',
			options: { reuseExisting: true },
		});
		expect(first.error).toBeUndefined();
		const again = await run({
			operation: 'create',
			name: 'Reused inbox',
			options: { reuseExisting: true },
		});
		expect(again.error).toBeUndefined();
		expect(again.items[0].json.id).toBe(first.items[0].json.id);
		expect(
			emulator.current.store.directories().filter((d) => d.name === 'Reused inbox'),
		).toHaveLength(1);
		// The second run looked the name up and fetched the directory; it sent no create.
		const posts = emulator.current.requests.filter((r) => r.method === 'POST');
		expect(posts).toHaveLength(1);
	});

	test('without the option, the API behaviour stands: a second directory of the same name', async () => {
		await run({ operation: 'create', name: 'Twice' });
		await run({ operation: 'create', name: 'Twice' });
		expect(emulator.current.store.directories().filter((d) => d.name === 'Twice')).toHaveLength(2);
	});
});

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
