/**
 * `npm run emulator`: the emulator as a standalone server.
 * Configuration comes from environment variables (see README.md); stops cleanly on SIGINT/SIGTERM.
 */
import { optionsFromEnv } from './env';
import { startEmulator } from './index';

/** A key the user chose may be a real one: show only enough of it to recognise it. */
function mask(key: string): string {
	return key.length <= 12 ? '***' : `${key.slice(0, 6)}…${key.slice(-4)}`;
}

async function main(): Promise<void> {
	const options = optionsFromEnv();
	const emulator = await startEmulator(options);
	const lines = [
		`LlamaCloud emulator listening on ${emulator.url}`,
		`  API key:    ${options.apiKey ? `${mask(emulator.apiKey)} (from the environment)` : emulator.apiKey}`,
		`  project id: ${emulator.defaultProjectId}`,
		...(options.faults ? [`  faults:     ${JSON.stringify(options.faults)}`] : []),
		...(emulator.rateLimit.config
			? [`  rate limit: ${JSON.stringify(emulator.rateLimit.config)} per project`]
			: []),
		'Press Ctrl+C to stop.',
	];
	console.log(lines.join('\n'));

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: stopping the emulator`);
		emulator.close().then(
			() => process.exit(0),
			(error) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
	console.error(`emulator: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
