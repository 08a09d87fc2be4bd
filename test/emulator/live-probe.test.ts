/**
 * `npm run verify:live` (scripts/verify-live.ts): without a key it refuses and exits non-zero;
 * its probes (scripts/live/probe.ts), pointed at emulators running each variant, name the
 * variant each one runs — so against the real service they tell which one it follows.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type EmulatorVariants } from '../../emulator';
import { probeService, type Finding } from '../../scripts/live/probe';
import { allowNonConformingRequests } from '../support/spec';

allowNonConformingRequests(
	'a probe sends name= to see whether an empty value filters',
	(exchange) => exchange.query.some(([key, value]) => key === 'name' && value === ''),
);

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

test('without LLAMA_CLOUD_API_KEY it says so and exits 2, probing nothing', async () => {
	const env = { ...process.env };
	delete env.LLAMA_CLOUD_API_KEY;
	const failure = await run(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/verify-live.ts'], {
		cwd: ROOT,
		env,
	}).catch((error: { code: number; stderr: string }) => error);
	expect(failure).toMatchObject({ code: 2 });
	expect((failure as { stderr: string }).stderr).toContain('needs a LlamaCloud API key');
});

const observed = (findings: Finding[]) =>
	Object.fromEntries(
		findings.filter((f) => f.variant !== 'documented').map((f) => [f.variant, f.observed]),
	);

test.each<[string, Partial<EmulatorVariants>]>([
	['the defaults', {}],
	[
		'one set of variants',
		{
			duplicateUniqueId: 'replace',
			listOrder: 'created',
			pageTokens: 'offset',
			softDelete: 'keep_updated_at',
			syncWhileBuilding: 'rate_limited',
			retryAfter: 'none',
			indexIds: 'export_config_id',
			buildStatuses: 'other',
			indexDeleteCascade: 'index_only',
		},
	],
	[
		'another',
		{
			duplicateUniqueId: 'keep_both',
			listOrder: 'newest_first',
			syncWhileBuilding: 'coalesce',
			indexIds: 'either',
			buildStatuses: 'absent',
			buildMetadata: 'detailed',
		},
	],
])('the probes recognise %s', async (_name, variants) => {
	// Builds slow enough that the probe's sync meets the automatic first one.
	const emulator = await startEmulator({ buildStepMs: 400, variants, pageSizeAboveMax: 'clamp' });
	try {
		const findings = await probeService({
			baseUrl: emulator.url,
			apiKey: emulator.apiKey,
			pollMs: 10,
			buildTimeoutMs: 10_000,
		});
		const expected: Record<string, unknown> = { ...emulator.quirks, ...variants };
		for (const [variant, value] of Object.entries(observed(findings))) {
			if (value === 'not probed') continue;
			expect([variant, value]).toEqual([variant, expected[variant]]);
		}
		expect(findings.filter((f) => f.variant === 'documented').map((f) => f.observed)).toEqual([
			'yes',
			'yes',
		]);
		// Everything it made is gone.
		expect(emulator.store.directories().filter((d) => d.name.startsWith('verify-live-'))).toEqual(
			[],
		);
		expect(emulator.store.indexes()).toEqual([]);
	} finally {
		await emulator.close();
	}
});
