/**
 * The bench's stand-in for the real service: the emulator over HTTPS (a self-signed certificate
 * made at run time) in a process of its own, behind a loopback TCP proxy that adds a chosen
 * round trip (default 50 ms, within the 30-150 ms measured to LlamaCloud), optionally with
 * LlamaCloud's upload rate limit enforced (emulator/rateLimit.ts).
 *
 * Clients in bench children trust the certificate through NODE_EXTRA_CA_CERTS (`childEnv`),
 * read by Node at start-up. That way every client (n8n's request helper, undici, the official
 * SDK) verifies the certificate as it would LlamaCloud's, pays the same handshake and needs no
 * switch the product does not have: the node's "Ignore SSL Issues" exists only in the routing
 * engine's Request Options (not for uploads, the trigger or list searches), and would skip
 * verification, which no real deployment does.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { selfSignedCertificate } from '../../emulator/certificate';
import { EmulatorProcess } from '../lib';
import { startDelayProxy, type DelayProxy } from './delayProxy';

export interface StandInOptions {
	/** Round trip in ms. Default 50. */
	rttMs?: number;
	/** Options of the emulator (startEmulator), e.g. `rateLimit: {}` for the documented limit. */
	emulator?: Record<string, unknown>;
}

export interface StandIn {
	/** The base URL clients use: https://127.0.0.1:<proxy port>. */
	readonly url: string;
	readonly apiKey: string;
	readonly rttMs: number;
	readonly emulator: EmulatorProcess;
	readonly proxy: DelayProxy;
	/** Environment for a bench child: NODE_EXTRA_CA_CERTS pointing at the certificate. */
	readonly childEnv: Record<string, string>;
	close(): Promise<void>;
}

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
	const rttMs = options.rttMs ?? 50;
	const certificate = await selfSignedCertificate();
	const dir = await mkdtemp(join(tmpdir(), 'llamacloud-standin-'));
	const caFile = join(dir, 'emulator-ca.pem');
	await writeFile(caFile, certificate.cert);
	const emulator = await EmulatorProcess.start({ ...options.emulator, tls: certificate });
	const target = new URL(emulator.url);
	const proxy = await startDelayProxy({
		targetHost: target.hostname,
		targetPort: Number(target.port),
		rttMs,
	});
	return {
		url: `https://${proxy.host}:${proxy.port}`,
		apiKey: emulator.apiKey,
		rttMs,
		emulator,
		proxy,
		childEnv: { NODE_EXTRA_CA_CERTS: caFile },
		close: async () => {
			await proxy.close();
			await emulator.close();
			await rm(dir, { recursive: true, force: true });
		},
	};
}
