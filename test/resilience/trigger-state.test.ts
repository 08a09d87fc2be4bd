/**
 * Class 6 of issue 14: the trigger's saved state and options. A cursor that cannot be trusted
 * (a watermark far in the future, a window of 1e16 ms, garbage, another format) is never left
 * to make the trigger silent forever or throw on every poll: the poll logs a warning naming
 * what was wrong and starts over from the directory as it is (as a first activation does).
 * Options that cannot work fail at activation, once and clearly.
 */
import type { IDataObject } from 'n8n-workflow';

import { directoryHash } from '../../nodes/LlamaCloud/trigger/cursor';
import { recorded } from '../../harness/engine';
import { byId, useHostileApi } from '../support/hostile-api';

const api = useHostileApi();

const warnings = () =>
	recorded()
		.filter((r) => r.kind === 'log:warn')
		.map((r) => String((r.value as { message: unknown }).message));

async function seededCursor(directoryId: string): Promise<IDataObject> {
	const first = await api.poll({
		parameters: { directoryId: byId(directoryId), events: ['created'] },
		staticData: {},
	});
	return first.staticData.cursor as IDataObject;
}

/** Polls with a broken cursor, then adds a file: the recovered trigger must see it. */
async function expectRecovery(directoryId: string, cursor: unknown, problem: RegExp) {
	const before = warnings().length;
	const recovered = await api.poll({
		parameters: { directoryId: byId(directoryId), events: ['created'] },
		staticData: { cursor } as IDataObject,
	});
	expect(recovered.items).toBeNull();
	const logged = warnings().slice(before);
	expect(logged).toHaveLength(1);
	expect(logged[0]).toMatch(/^LlamaCloud Trigger: the saved position .* starts over/);
	expect(logged[0]).toMatch(problem);
	// A healthy cursor was saved in its place.
	expect(recovered.staticData.cursor).not.toEqual(cursor);

	api.emulator.store.seedFiles(directoryId, 1, { displayName: () => 'after-recovery.txt' });
	const next = await api.poll({
		parameters: { directoryId: byId(directoryId), events: ['created'] },
		staticData: recovered.staticData,
	});
	expect(next.items?.map((item) => item.json.display_name)).toEqual(['after-recovery.txt']);
	// And no further warning: the new cursor is trusted.
	expect(warnings().slice(before)).toHaveLength(1);
}

test('a watermark far in the future: warned, started over, new files are seen again', async () => {
	const directory = api.emulator.store.createDirectory('Inbox');
	api.emulator.store.seedFiles(directory.id, 2);
	const cursor = { ...(await seededCursor(directory.id)), watermark: '9999-01-01T00:00:00.000Z' };
	await expectRecovery(directory.id, cursor, /in the future/);
});

test('a window of 1e16 ms: warned, started over instead of throwing on every poll', async () => {
	const directory = api.emulator.store.createDirectory('Inbox');
	const cursor = { ...(await seededCursor(directory.id)), windowMs: 1e16 };
	await expectRecovery(directory.id, cursor, /window/);
});

test.each([
	['an unparseable watermark', (c: IDataObject) => ({ ...c, watermark: 'yesterday' }), /watermark/],
	['a cursor of another format version', (c: IDataObject) => ({ ...c, version: 7 }), /format/],
	[
		'a digest that is not one',
		(c: IDataObject) => ({ ...c, window: { mode: 'list', data: '!!' } }),
		/digest/,
	],
	['a cursor that is a string', () => 'cursor', /not an object/],
])('%s: warned and started over', async (_name, breakIt, problem) => {
	const directory = api.emulator.store.createDirectory('Inbox');
	const cursor = breakIt(await seededCursor(directory.id));
	await expectRecovery(directory.id, cursor, problem);
});

test('a cursor of another directory (the user picked a new one) starts over without a warning', async () => {
	const directory = api.emulator.store.createDirectory('Inbox');
	const other = api.emulator.store.createDirectory('Other');
	const cursor = await seededCursor(other.id);
	expect(cursor.directory).toBe(directoryHash(other.id));
	const before = warnings().length;
	const poll = await api.poll({
		parameters: { directoryId: byId(directory.id), events: ['created'] },
		staticData: { cursor },
	});
	expect(poll.items).toBeNull();
	expect(warnings().slice(before)).toEqual([]);
	expect((poll.staticData.cursor as IDataObject).directory).toBe(directoryHash(directory.id));
});

describe('options that cannot work fail at activation, naming the option', () => {
	test('Events with an unknown value is refused instead of being dropped', async () => {
		const directory = api.emulator.store.createDirectory('Inbox');
		await expect(
			api.poll({
				parameters: { directoryId: byId(directory.id), events: ['created', 'craeted'] },
				staticData: {},
			}),
		).rejects.toThrow(/^"Events" has an unknown value "craeted"/);
	});

	test('Events from an expression that gives one event name works', async () => {
		const directory = api.emulator.store.createDirectory('Inbox');
		const seeded = await api.poll({
			parameters: { directoryId: byId(directory.id), events: '={{ "created" }}' },
			staticData: {},
		});
		api.emulator.store.seedFiles(directory.id, 1, { displayName: () => 'one.txt' });
		const next = await api.poll({
			parameters: { directoryId: byId(directory.id), events: '={{ "created" }}' },
			staticData: seeded.staticData,
		});
		expect(next.items?.map((item) => item.json.display_name)).toEqual(['one.txt']);
	});
});
