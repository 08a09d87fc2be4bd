/**
 * Class 2 of issue 14: pagination that does not advance. A server that answers every page with
 * the same next_page_token (or comes back to an earlier one) is caught on the first repeat:
 * Get Many, the trigger, the Reuse Existing lookup and the lookups by unique ID stop and fail
 * clearly, naming the request and the item, instead of listing until the server gives up.
 */
import { byId, useHostileApi } from '../support/hostile-api';
import { repeatingPages } from '../support/hostile-server';

const api = useHostileApi();

const DIRECTORIES = '/api/v1/beta/directories';
const FILES = /^\/api\/v1\/beta\/directories\/[^/]+\/files$/;
const REPEAT =
	/LlamaCloud sent the same next_page_token twice while listing GET (\S+): the list does not advance/;

const directoryPage = { items: [{ id: 'dir-loop', name: 'Loop', project_id: 'p' }] };

test('Get Many (Return All): stops at the first repeated token, outputs nothing, fails once', async () => {
	api.hostile.on({ method: 'GET', path: DIRECTORIES }, repeatingPages(directoryPage));
	const { error, items } = await api.run({
		resource: 'directory',
		operation: 'getAll',
		returnAll: true,
	});
	expect(items).toEqual([]);
	expect(error?.message).toMatch(REPEAT);
	expect(error?.message).toMatch(/\[item 0\]$/);
	// Page 1, then the page that handed back the same token: two requests, not fifty.
	expect(api.hostile.requests).toHaveLength(2);
});

test('Get Many with a Limit above what the loop yields: also stopped', async () => {
	api.hostile.on({ method: 'GET', path: DIRECTORIES }, repeatingPages(directoryPage));
	const { error } = await api.run({
		resource: 'directory',
		operation: 'getAll',
		returnAll: false,
		limit: 500,
	});
	expect(error?.message).toMatch(REPEAT);
	expect(api.hostile.requests).toHaveLength(2);
});

test('a token that comes back after another one (A, B, A) is caught too', async () => {
	const tokens = ['token-A', 'token-B', 'token-A', 'token-B'];
	let served = 0;
	api.hostile.on({ method: 'GET', path: DIRECTORIES }, () => ({
		json: {
			items: [{ id: `dir-${served}`, name: 'x' }],
			next_page_token: tokens[served++] ?? null,
		},
	}));
	const { error } = await api.run({ resource: 'directory', operation: 'getAll', returnAll: true });
	expect(error?.message).toMatch(REPEAT);
	expect(api.hostile.requests).toHaveLength(3);
});

test('continue-on-fail: each item fails on its own listing, as an error item', async () => {
	api.hostile.on({ method: 'GET', path: DIRECTORIES }, repeatingPages(directoryPage));
	const { items } = await api.run(
		{ resource: 'directory', operation: 'getAll', returnAll: true },
		{ continueOnFail: true, inputItems: [{ json: {} }, { json: {} }] },
	);
	expect(items).toHaveLength(2);
	expect(items.map((item) => String(item.json.error))).toEqual([
		expect.stringMatching(/\[item 0\]$/),
		expect.stringMatching(/\[item 1\]$/),
	]);
	expect(String(items[0].json.error)).toMatch(REPEAT);
});

test('the trigger: a poll that meets a looping list fails and saves no cursor', async () => {
	const directory = api.emulator.store.createDirectory('Inbox');
	api.hostile.on({ method: 'GET', path: FILES }, repeatingPages({ items: [] }));
	await expect(
		api.poll({
			parameters: { directoryId: byId(directory.id), events: ['created'] },
			staticData: {},
		}),
	).rejects.toThrow(REPEAT);
	expect(api.hostile.requests.length).toBeLessThanOrEqual(2);
});

test('Reuse Existing: a looping lookup fails the Create instead of creating or looping', async () => {
	api.hostile.on(
		{ method: 'GET', path: DIRECTORIES },
		repeatingPages({ items: [{ id: 'dir-other', name: 'Someone else', project_id: 'p' }] }),
	);
	const { error } = await api.run({
		resource: 'directory',
		operation: 'create',
		name: 'Mine',
		options: { reuseExisting: true },
	});
	expect(error?.message).toMatch(REPEAT);
	expect(api.hostile.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
	expect(api.hostile.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
	expect(api.emulator.store.directories().map((d) => d.name)).not.toContain('Mine');
});

test('a page that advances is still followed to the end', async () => {
	for (let i = 0; i < 1030; i++)
		api.emulator.store.createDirectory(`D${String(i).padStart(4, '0')}`);
	const { error, items } = await api.run({
		resource: 'directory',
		operation: 'getAll',
		returnAll: true,
	});
	expect(error).toBeUndefined();
	expect(items).toHaveLength(1030);
	expect(new Set(items.map((item) => item.json.id)).size).toBe(1030);
	expect(api.hostile.requests.filter((r) => r.query.page_token)).toHaveLength(1);
});
