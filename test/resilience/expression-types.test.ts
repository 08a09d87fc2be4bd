/**
 * Class 4 of issue 14: values of the wrong type from expressions. The editor's field types and
 * limits do not hold for an expression: an object or array where text belongs, "abc", 0 or a
 * negative number for Limit, out-of-range Concurrency, Timeout, Poll Interval or Late Arrival
 * Window. Each is refused before anything is sent, naming the field and the item; the other
 * items of the batch go through.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { makeBinaryItem } from '../../harness/engine';
import { byId, useHostileApi } from '../support/hostile-api';

const api = useHostileApi();

/** Three items; item 1 carries the bad value in `$json.bad`, the others `$json.good`. */
function items(good: unknown, bad: unknown, binary = false): INodeExecutionData[] {
	return [0, 1, 2].map((i) => {
		const json = { value: (i === 1 ? bad : good) as IDataObject, i };
		return binary ? makeBinaryItem(`content ${i}`, { fileName: `f${i}.txt`, json }) : { json };
	});
}

function expectRefused(message: unknown, field: string, itemIndex = 1) {
	expect(String(message)).toMatch(new RegExp(`^"${field.replace(/[()]/g, '\\$&')}"`));
	expect(String(message)).toMatch(new RegExp(`\\[item ${itemIndex}\\]$`));
}

describe('text fields: objects and arrays are refused, not sent as "[object Object]"', () => {
	test('Upload → Unique ID: the object item is refused; the others upload under their own IDs', async () => {
		const directory = api.emulator.store.createDirectory('Uploads');
		const { items: out } = await api.run(
			{
				resource: 'file',
				operation: 'upload',
				directoryId: byId(directory.id),
				uniqueId: '={{ $json.value }}',
			},
			{
				inputItems: items('same-looking', { path: 'a/b' }, true).map((item, i) =>
					i === 1 ? item : { ...item, json: { ...item.json, value: `id-${i}` } },
				),
				binaryDataMode: 'default',
				continueOnFail: true,
			},
		);
		expect(out.map((item) => item.json.unique_id ?? null)).toEqual(['id-0', null, 'id-2']);
		expectRefused(out[1].json.error, 'Unique ID');
		expect(String(out[1].json.error)).toMatch(/must be text, not an object/);
		expect(out.some((item) => item.json.skipped)).toBe(false);
		expect(
			api.emulator.store
				.files(directory.id)
				.map((f) => f.unique_id)
				.sort(),
		).toEqual(['id-0', 'id-2']);
	});

	test.each([
		[
			'Directory → Create → Name',
			{ resource: 'directory', operation: 'create', name: '={{ $json.value }}' },
			'Name',
			{ a: 1 },
			/must be text, not an object/,
		],
		[
			'Directory → Create → Name (array)',
			{ resource: 'directory', operation: 'create', name: '={{ $json.value }}' },
			'Name',
			['x'],
			/must be text, not an array/,
		],
		[
			'Directory → Get → Directory',
			{ resource: 'directory', operation: 'get', directoryId: byId('={{ $json.value }}') },
			'Directory',
			{ id: 'dir-1' },
			/must be text, not an object/,
		],
		[
			'Directory → Update → Description',
			{
				resource: 'directory',
				operation: 'update',
				directoryId: byId('dir-x'),
				updateFields: { description: '={{ $json.value }}' },
			},
			'Description',
			{ long: true },
			/must be text, not an object/,
		],
		[
			'File → Get Many → Name Contains',
			{
				resource: 'file',
				operation: 'getAll',
				directoryId: byId('dir-x'),
				filters: { displayNameContains: '={{ $json.value }}' },
			},
			'Name Contains',
			['a', 'b'],
			/must be text, not an array/,
		],
		[
			'File → Get by Unique ID → Unique ID',
			{
				resource: 'file',
				operation: 'getByUniqueId',
				directoryId: byId('dir-x'),
				uniqueId: '={{ $json.value }}',
			},
			'Unique ID',
			{ x: 1 },
			/must be text, not an object/,
		],
	] as Array<[string, INodeParameters, string, unknown, RegExp]>)(
		'%s: refused before sending',
		async (_name, parameters, field, bad, problem) => {
			const { items: out } = await api.run(parameters, {
				inputItems: items('fine', bad),
				continueOnFail: true,
			});
			expectRefused(out[1].json.error, field);
			expect(String(out[1].json.error)).toMatch(problem);
			expect(JSON.stringify(api.hostile.requests)).not.toContain('[object Object]');
		},
	);
});

describe('numbers: Limit, Concurrency, Timeout, Poll Interval, Max File Size', () => {
	test.each([['abc'], [0], [-5], [2.5], [true], [[3]], ['']])(
		'Get Many with Limit %j: refused naming Limit, nothing fetched',
		async (bad) => {
			api.emulator.store.createDirectory('One');
			const { error } = await api.run(
				{
					resource: 'directory',
					operation: 'getAll',
					returnAll: false,
					limit: '={{ $json.value }}',
				},
				{ inputItems: [{ json: { value: bad } }] },
			);
			expectRefused(error?.message, 'Limit', 0);
			expect(error?.message).toMatch(/must be a whole number of at least 1/);
			expect(api.hostile.requests).toHaveLength(0);
		},
	);

	test('Limit 2 from an expression is honoured', async () => {
		for (const name of ['A', 'B', 'C']) api.emulator.store.createDirectory(name);
		const { error, items: out } = await api.run(
			{ resource: 'directory', operation: 'getAll', returnAll: false, limit: '={{ $json.value }}' },
			{ inputItems: [{ json: { value: '2' } }] },
		);
		expect(error).toBeUndefined();
		expect(out).toHaveLength(2);
	});

	test.each([[[8]], [true], ['8x'], [0], [1e6], [{ n: 8 }]])(
		'Upload with Concurrency %j: refused before any upload',
		async (bad) => {
			const directory = api.emulator.store.createDirectory('Uploads');
			const { error } = await api.run(
				{
					resource: 'file',
					operation: 'upload',
					directoryId: byId(directory.id),
					options: { concurrency: '={{ $json.value }}' },
				},
				{ inputItems: items(bad, bad, true), binaryDataMode: 'default' },
			);
			expectRefused(error?.message, 'Concurrency', 0);
			expect(api.hostile.requests).toHaveLength(0);
		},
	);

	test.each([[1e12], ['abc'], [[1000]], [0]])(
		'Timeout %j in Request Options: refused naming the setting, nothing sent',
		async (bad) => {
			const { error } = await api.run(
				{
					resource: 'directory',
					operation: 'getAll',
					requestOptions: { timeout: '={{ $json.value }}' },
				},
				{ inputItems: [{ json: { value: bad } }] },
			);
			expect(error?.message).toMatch(/^"Timeout" in the node's Request Options must be/);
			expect(error?.message).toMatch(/\[item 0\]$/);
			expect(api.hostile.requests).toHaveLength(0);
		},
	);

	test('a long Timeout that JavaScript timers can hold (one hour) works', async () => {
		api.emulator.store.createDirectory('Patient');
		const { error, items: out } = await api.run({
			resource: 'directory',
			operation: 'getAll',
			requestOptions: { timeout: 3_600_000 },
		});
		expect(error).toBeUndefined();
		expect(out).toHaveLength(1);
	});

	test.each([
		['pollInterval', 'Poll Interval (Seconds)', true],
		['pollInterval', 'Poll Interval (Seconds)', [5]],
		['timeout', 'Timeout (Seconds)', [60]],
	])('Sync → %s (%s) = %j: refused', async (name, field, bad) => {
		const { error } = await api.run(
			{
				resource: 'index',
				operation: 'sync',
				indexId: byId('idx-x'),
				waitUntilBuilt: true,
				[name]: '={{ $json.value }}',
			},
			{ inputItems: [{ json: { value: bad } }] },
		);
		expectRefused(error?.message, field as string, 0);
		expect(api.hostile.requests).toHaveLength(0);
	});

	test.each([[[5]], [true], ['5 MB']])('Upload → Max File Size (MB) %j: refused', async (bad) => {
		const { error } = await api.run(
			{
				resource: 'file',
				operation: 'upload',
				directoryId: byId('dir-x'),
				options: { maxFileSizeMb: '={{ $json.value }}' },
			},
			{ inputItems: items(bad, bad, true), binaryDataMode: 'default' },
		);
		expectRefused(error?.message, 'Max File Size (MB)', 0);
		expect(api.hostile.requests).toHaveLength(0);
	});
});

describe('the trigger: Late Arrival Window', () => {
	test.each([['5s'], [-1], [1e16], [4000], [[5]]])(
		'%j is refused at activation, naming the option, before any request',
		async (bad) => {
			const directory = api.emulator.store.createDirectory('Inbox');
			await expect(
				api.poll({
					parameters: {
						directoryId: byId(directory.id),
						events: ['created'],
						options: { lateArrivalSeconds: bad as never },
					},
					staticData: {},
				}),
			).rejects.toThrow(/^"Late Arrival Window \(Seconds\)" must be a number from 0 to 3600/);
			expect(api.hostile.requests).toHaveLength(0);
		},
	);

	test('Display Name Contains as an object is refused too', async () => {
		const directory = api.emulator.store.createDirectory('Inbox');
		await expect(
			api.poll({
				parameters: {
					directoryId: byId(directory.id),
					events: ['created'],
					options: { displayNameContains: '={{ { a: 1 } }}' },
				},
				staticData: {},
			}),
		).rejects.toThrow(/^"Display Name Contains" must be text, not an object/);
	});
});
