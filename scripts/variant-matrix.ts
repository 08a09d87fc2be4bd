/**
 * `npm run test:variants`: the node and trigger suites under the emulator's variants
 * (emulator/variants.ts), so the nodes are shown to work whichever answer the real service
 * gives to what no public source settles. `npm test` covers the defaults; the two profiles
 * here together set every other value of every variant at least once (set through the
 * variables every emulator of the run reads). Prints each profile's time; fails if any fails.
 *
 *   npm run test:variants                 # both profiles
 *   npm run test:variants -- B            # one profile
 */
import { spawnSync } from 'node:child_process';
import {
	VARIANT_DEFAULTS,
	VARIANT_VALUES,
	variantEnvName,
	type EmulatorVariants,
	type VariantName,
} from '../emulator/variants';

/** The suites that run the nodes (and the trigger) against the emulator. */
const SUITES = ['test/nodes', 'test/trigger'];

export const PROFILES: Record<string, Partial<EmulatorVariants>> = {
	A: {
		indexIds: 'export_config_id',
		duplicateUniqueId: 'replace',
		listOrder: 'created',
		pageTokens: 'offset',
		softDelete: 'keep_updated_at',
		buildStatuses: 'other',
		failedBuildSyncTime: 'move',
		syncWhileBuilding: 'rate_limited',
		retryAfter: 'none',
		oversizeUpload: 'proxy_413',
		indexDeleteCascade: 'index_only',
	},
	B: {
		indexIds: 'either',
		duplicateUniqueId: 'keep_both',
		listOrder: 'newest_first',
		buildStatuses: 'absent',
		buildMetadata: 'detailed',
		syncWhileBuilding: 'coalesce',
		oversizeUpload: 'bad_request',
	},
};

/** Every value other than the default of every variant, with the profile(s) that set it. */
export function uncovered(): string[] {
	const missing: string[] = [];
	for (const name of Object.keys(VARIANT_VALUES) as VariantName[]) {
		for (const value of VARIANT_VALUES[name]) {
			if (value === VARIANT_DEFAULTS[name]) continue;
			if (!Object.values(PROFILES).some((profile) => profile[name] === value))
				missing.push(`${name}=${value}`);
		}
	}
	return missing;
}

function main(): number {
	const missing = uncovered();
	if (missing.length > 0) {
		console.error(`variant values no profile covers: ${missing.join(', ')}`);
		return 1;
	}
	const chosen = process.argv.slice(2).filter((a) => a !== '--');
	const names = chosen.length ? chosen : Object.keys(PROFILES);
	const results: string[] = [];
	let failed = 0;
	for (const name of names) {
		const profile = PROFILES[name];
		if (!profile) {
			console.error(`no profile ${name} (have ${Object.keys(PROFILES).join(', ')})`);
			return 1;
		}
		const env: NodeJS.ProcessEnv = { ...process.env };
		for (const [variant, value] of Object.entries(profile))
			env[variantEnvName(variant as VariantName)] = value;
		const described = Object.entries(profile)
			.map(([k, v]) => `${k}=${v}`)
			.join(', ');
		console.log(`\n== variants ${name}: ${described}`);
		const started = Date.now();
		const run = spawnSync('npx', ['jest', ...SUITES], { env, stdio: 'inherit' });
		const seconds = ((Date.now() - started) / 1000).toFixed(0);
		const ok = run.status === 0;
		if (!ok) failed++;
		results.push(`variants ${name}: ${ok ? 'passed' : 'FAILED'} in ${seconds} s`);
	}
	console.log(`\n${results.join('\n')}`);
	return failed === 0 ? 0 : 1;
}

if (require.main === module) process.exit(main());
