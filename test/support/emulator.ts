/**
 * The emulator for one test file: started before its tests, reset before each, closed after;
 * plus the credential, locator values and node runner the node's tests use. The one copy of
 * these: test files import them rather than writing their own.
 */
import type { INodeParameters } from 'n8n-workflow';

import { type Emulator, type EmulatorOptions, startEmulator } from '../../emulator';
import { selfSignedCertificate } from '../../emulator/certificate';
import { type RunNodeOptions, runNode } from '../../harness/engine';
import { LlamaCloudIngest } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { CANARY_API_KEY } from './canary';

/** The emulator of this test file; `current` is set once `beforeAll` has run. */
export interface EmulatorHolder {
	readonly current: Emulator;
}

/**
 * A server that serves 100 items a page at most, whatever the node asks for (10,000): lists of a
 * few hundred objects still take several pages.
 */
export const PAGES_OF_100 = { maxPageSize: 100, pageSizeAboveMax: 'clamp' } as const;

/**
 * Starts the file's emulator (`selfSigned`: over HTTPS with a certificate made at run time).
 * Before each test its state is reset; with `keepState` (a file that builds its data once, in a
 * `beforeAll` of its own) only its request log is cleared.
 */
export function useEmulator(
	options: EmulatorOptions & { selfSigned?: boolean; keepState?: boolean } = {},
): EmulatorHolder {
	const holder = {} as { current: Emulator };
	const { selfSigned, keepState, ...rest } = options;
	beforeAll(async () => {
		// HTTPS with a certificate no CA vouches for, as a corporate endpoint with its own CA.
		const tls = selfSigned ? await selfSignedCertificate() : undefined;
		holder.current = await startEmulator({ apiKey: CANARY_API_KEY, ...rest, tls });
	});
	afterAll(async () => {
		await holder.current.close();
	});
	beforeEach(() => (keepState ? holder.current.clearRequests() : holder.current.reset()));
	return holder;
}

/**
 * A "LlamaCloud API" credential on a custom base URL: the emulator's key and URL, with `fields`
 * set over them (a scope, another key, another base URL).
 */
export const credential = (emulator: Emulator, fields: Record<string, unknown> = {}) => ({
	llamaCloudIngestApi: {
		apiKey: emulator.apiKey,
		region: 'custom',
		baseUrl: emulator.url,
		...fields,
	},
});

/** A resource locator set "By ID". */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** `n` input items, `{ n: 0 }`, `{ n: 1 }`, ... */
export const numberedItems = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ json: { n: i } }));

export interface LlamaCloudRunOptions extends Partial<RunNodeOptions> {
	/** another emulator to send to (default: the file's) */
	target?: Emulator;
	/** credential fields set over the emulator's (see `credential`) */
	credentialData?: Record<string, unknown>;
}

/**
 * Runs the LlamaCloud node in the real engine against the file's emulator: `defaults` (e.g. the
 * resource and operation; a function if they are known only once the tests run) under each
 * call's parameters.
 */
export const llamaCloudRunner =
	(emulator: EmulatorHolder, defaults: INodeParameters | (() => INodeParameters) = {}) =>
	(parameters: INodeParameters = {}, options: LlamaCloudRunOptions = {}) => {
		const { target = emulator.current, credentialData, ...rest } = options;
		return runNode({
			type: LlamaCloudIngest,
			parameters: { ...(typeof defaults === 'function' ? defaults() : defaults), ...parameters },
			credentials: credential(target, credentialData),
			...rest,
		});
	};
