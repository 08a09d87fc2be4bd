/**
 * The setup the hostile-server suites share (test/resilience/): an emulator holding the data, a
 * hostile server in front of it as the API's origin (the credential points there), and a
 * second origin that records whatever reaches it (redirect targets: the key must never arrive
 * there; the after-file secrets scan checks what it recorded).
 */
import type { INodeParameters } from 'n8n-workflow';

import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { LlamaCloudIngestTrigger as LlamaCloudTrigger } from '../../nodes/LlamaCloud/LlamaCloudIngestTrigger.node';
import { pollOnce, runNode, type PollOnceOptions, type RunNodeOptions } from '../../harness/engine';
import { CANARY_API_KEY } from './canary';
import { startHostileServer, type HostileServer } from './hostile-server';

export interface HostileApi {
	emulator: Emulator;
	/** The API origin the credential names. */
	hostile: HostileServer;
	/** Another origin; records every request as 'foreign-request'. */
	foreign: HostileServer;
	credentials(fields?: Record<string, string>): RunNodeOptions['credentials'];
	/** The LlamaCloud node, in n8n's engine, against the hostile origin. */
	run(parameters: INodeParameters, options?: Partial<RunNodeOptions>): ReturnType<typeof runNode>;
	/** One production poll of the trigger against the hostile origin. */
	poll(options: Omit<PollOnceOptions, 'nodeType'>): ReturnType<typeof pollOnce>;
}

/** Starts the three servers before the file's tests, resets them before each, closes them after. */
export function useHostileApi(emulatorOptions: EmulatorOptions = {}): HostileApi {
	const api = {} as HostileApi;
	beforeAll(async () => {
		api.emulator = await startEmulator({ apiKey: CANARY_API_KEY, ...emulatorOptions });
		api.hostile = await startHostileServer({ upstream: api.emulator.url });
		// Answers like an API would, so a client that followed a redirect would see success.
		api.foreign = await startHostileServer({
			recordAs: 'foreign-request',
			fallback: { json: { items: [], next_page_token: null } },
		});
	});
	afterAll(async () => {
		await api.hostile?.close();
		await api.foreign?.close();
		await api.emulator?.close();
	});
	beforeEach(() => {
		api.emulator.reset();
		api.hostile.reset();
		api.foreign.reset();
	});
	api.credentials = (fields = {}) => ({
		llamaCloudIngestApi: {
			apiKey: CANARY_API_KEY,
			region: 'custom',
			baseUrl: api.hostile.url,
			...fields,
		},
	});
	api.run = (parameters, options = {}) =>
		runNode({ type: LlamaCloud, parameters, credentials: api.credentials(), ...options });
	api.poll = (options) =>
		pollOnce({ nodeType: LlamaCloudTrigger, credentials: api.credentials(), ...options });
	return api;
}

export { byId } from './emulator';
