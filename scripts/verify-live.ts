/**
 * `npm run verify:live`: probes the real LlamaCloud for each behaviour no public source settles
 * and prints which emulator variant it follows (scripts/live/probe.ts). Needs a key:
 *
 *   LLAMA_CLOUD_API_KEY=llx-… [LLAMA_CLOUD_REGION=us|eu | LLAMA_CLOUD_BASE_URL=https://…]
 *   [LLAMA_CLOUD_PROJECT_ID=<uuid>] npm run verify:live
 *
 * Without a key it says so and exits 2. It creates throw-away directories and one small index
 * (a few parse credits) and removes them. CI never runs it.
 */
import { matchesDefault, probeService, report } from './live/probe';

const REGIONS: Record<string, string> = {
	us: 'https://api.cloud.llamaindex.ai',
	eu: 'https://api.cloud.eu.llamaindex.ai',
};

async function main(): Promise<number> {
	const apiKey = process.env.LLAMA_CLOUD_API_KEY?.trim();
	if (!apiKey) {
		console.error(
			'verify:live needs a LlamaCloud API key: set LLAMA_CLOUD_API_KEY (and LLAMA_CLOUD_REGION=us|eu or LLAMA_CLOUD_BASE_URL). Nothing was probed.',
		);
		return 2;
	}
	const region = (process.env.LLAMA_CLOUD_REGION ?? 'us').trim().toLowerCase();
	const baseUrl = process.env.LLAMA_CLOUD_BASE_URL?.trim().replace(/\/+$/, '') || REGIONS[region];
	if (!baseUrl) {
		console.error(
			`LLAMA_CLOUD_REGION must be us or eu (got '${region}'), or set LLAMA_CLOUD_BASE_URL.`,
		);
		return 2;
	}
	try {
		const findings = await probeService({
			baseUrl,
			apiKey,
			projectId: process.env.LLAMA_CLOUD_PROJECT_ID?.trim() || undefined,
			log: (line) => console.log(line),
		});
		console.log(`\n${report(findings)}`);
		const differs = findings.filter((f) => matchesDefault(f) === 'NO');
		console.log(
			differs.length
				? `\nThe service differs from the emulator's default on ${differs.length} point(s): run the suites with those variants (emulator/README.md, "Variants").`
				: "\nThe emulator's defaults match what was probed.",
		);
		return 0;
	} catch (error) {
		// Never print the key: messages here come from the API's answers and our own text only.
		console.error(`verify:live failed: ${(error as Error).message.split(apiKey).join('***')}`);
		return 1;
	}
}

void main().then((code) => process.exit(code));
