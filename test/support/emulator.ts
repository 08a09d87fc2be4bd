/**
 * The emulator for one test file: started before its tests, reset before each, closed after;
 * plus the credential and locator values the node's tests use.
 */
import { type Emulator, type EmulatorOptions, startEmulator } from '../../emulator';
import { selfSignedCertificate } from '../../emulator/certificate';
import { CANARY_API_KEY } from './canary';

export function useEmulator(options: EmulatorOptions & { selfSigned?: boolean } = {}): {
	readonly current: Emulator;
} {
	const holder = {} as { current: Emulator };
	const { selfSigned, ...rest } = options;
	beforeAll(async () => {
		// HTTPS with a certificate no CA vouches for, as a corporate endpoint with its own CA.
		const tls = selfSigned ? await selfSignedCertificate() : undefined;
		holder.current = await startEmulator({ apiKey: CANARY_API_KEY, ...rest, tls });
	});
	afterAll(async () => {
		await holder.current.close();
	});
	beforeEach(() => holder.current.reset());
	return holder;
}

/** A "LlamaCloud API" credential on a custom base URL (the emulator's, unless given). */
export const credential = (emulator: Emulator, baseUrl = emulator.url) => ({
	llamaCloudIngestApi: { apiKey: emulator.apiKey, region: 'custom', baseUrl },
});

/** A resource locator set "By ID". */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** `n` input items, `{ n: 0 }`, `{ n: 1 }`, ... */
export const numberedItems = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ json: { n: i } }));
