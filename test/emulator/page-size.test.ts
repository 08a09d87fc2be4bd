/**
 * The page size switch (`pageSizeAboveMax`, LLAMACLOUD_EMULATOR_PAGE_SIZE_ABOVE_MAX): the spec
 * states no maximum page_size for the directory, directory-file and index lists; its other lists
 * say "values above this will be coerced to the maximum" (typically 1000), so by default a page
 * above maxPageSize (1000) is clamped; `serve` gives every item asked for (the lists' own
 * schema), `reject` a 422, as a server with a stated maximum would.
 */
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { optionsFromEnv } from '../../emulator/env';
import { api, type Call } from './helpers';

const LISTS = ['directories', 'files', 'indexes'] as const;
type List = (typeof LISTS)[number];

interface World {
	emulator: Emulator;
	call: Call;
	paths: Record<List, string>;
	/** How many objects each list holds. */
	totals: Record<List, number>;
}

/** An emulator whose three lists hold more than 300 objects each (1,200 files). */
async function startWorld(options: EmulatorOptions): Promise<World> {
	const emulator = await startEmulator({ buildStepMs: 1, ...options });
	const call = api(emulator);
	const source = emulator.store.createDirectory('source');
	emulator.store.seedFiles(source.id, 1200);
	const empty = emulator.store.createDirectory('empty');
	// Each index also makes its output directory: 2 + 160 + 160 directories in all.
	for (let i = 0; i < 160; i++) {
		const reply = await call('POST', '/api/v1/indexes', {
			json: { source_directory_id: empty.id, name: `i${i}` },
		});
		expect(reply.status).toBeLessThan(300);
	}
	for (let i = 0; i < 160; i++) emulator.store.createDirectory(`d${i}`);
	await emulator.waitForBuilds();
	return {
		emulator,
		call,
		paths: {
			directories: '/api/v1/beta/directories',
			files: `/api/v1/beta/directories/${source.id}/files`,
			indexes: '/api/v1/indexes',
		},
		totals: { directories: 322, files: 1200, indexes: 160 },
	};
}

describe.each([
	['clamp (the default, at the default 1000)', {}, 1000],
	['serve', { pageSizeAboveMax: 'serve' as const }, Infinity],
	['clamp, said', { pageSizeAboveMax: 'clamp' as const }, 1000],
	['clamp at 150', { pageSizeAboveMax: 'clamp' as const, maxPageSize: 150 }, 150],
	[
		'serve, maxPageSize ignored',
		{ pageSizeAboveMax: 'serve' as const, maxPageSize: 150 },
		Infinity,
	],
])('%s', (_name, options, cap) => {
	let world: World;
	beforeAll(async () => (world = await startWorld(options)));
	afterAll(async () => await world.emulator.close());

	test.each(LISTS)('%s: page_size 5000', async (list) => {
		const reply = await world.call('GET', world.paths[list], { query: { page_size: 5000 } });
		expect(reply.status).toBe(200);
		const served = Math.min(cap, world.totals[list]);
		expect(reply.body.items.length).toBe(served);
		expect(reply.body.next_page_token === null).toBe(served === world.totals[list]);
	});
});

describe.each([
	['reject (at the default 1000)', {}, 1000],
	['reject at 150', { maxPageSize: 150 }, 150],
])('%s', (_name, options, max) => {
	let world: World;
	beforeAll(async () => (world = await startWorld({ pageSizeAboveMax: 'reject', ...options })));
	afterAll(async () => await world.emulator.close());

	test.each(LISTS)(
		'%s: above the maximum is a 422 naming page_size and the maximum',
		async (list) => {
			const reply = await world.call('GET', world.paths[list], { query: { page_size: max + 1 } });
			expect(reply.status).toBe(422);
			expect(reply.body.detail[0]).toMatchObject({
				loc: ['query', 'page_size'],
				type: 'less_than_equal',
				msg: `Input should be less than or equal to ${max}`,
			});
			const atMax = await world.call('GET', world.paths[list], { query: { page_size: max } });
			expect(atMax.status).toBe(200);
			expect(atMax.body.items.length).toBe(Math.min(max, world.totals[list]));
		},
	);
});

test('the environment variable sets the switch; a bad value names the variable', () => {
	const env = (value: string) => ({ LLAMACLOUD_EMULATOR_PAGE_SIZE_ABOVE_MAX: value });
	expect(optionsFromEnv(env('reject')).pageSizeAboveMax).toBe('reject');
	expect(optionsFromEnv(env('clamp')).pageSizeAboveMax).toBe('clamp');
	expect(optionsFromEnv(env('serve')).pageSizeAboveMax).toBe('serve');
	expect(optionsFromEnv({}).pageSizeAboveMax).toBeUndefined();
	expect(() => optionsFromEnv(env('cap'))).toThrow(
		"LLAMACLOUD_EMULATOR_PAGE_SIZE_ABOVE_MAX must be one of serve, clamp, reject, got 'cap'",
	);
});
