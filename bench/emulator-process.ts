/**
 * The emulator in a process of its own for the benchmarks. Prints `{ url, apiKey }` as its
 * first line, then answers JSON commands, one per line on stdin; exits when stdin closes.
 */
import { createInterface } from 'node:readline';

import { startEmulator } from '../emulator';

async function main() {
	const options = JSON.parse(process.argv[2] ?? '{}');
	const emulator = await startEmulator({ quiet: true, validateResponses: false, ...options });
	process.stdout.write(`${JSON.stringify({ url: emulator.url, apiKey: emulator.apiKey })}\n`);

	const handlers: Record<string, (args: any) => unknown | Promise<unknown>> = {
		directory: ({ name }) => ({ id: emulator.store.createDirectory(String(name)).id }),
		faults: ({ options: faultOptions }) => {
			emulator.faults.configure(faultOptions ?? {});
			return {};
		},
		noFaults: () => {
			emulator.faults.disable();
			return {};
		},
		files: ({ directoryId }) => {
			const files = emulator.store.files(String(directoryId), { includeDeleted: false });
			return {
				count: files.length,
				bytes: files.reduce(
					(sum, f) => sum + (emulator.store.blob(String(f.file_id))?.size ?? 0),
					0,
				),
				sha256: files.map((f) => emulator.store.blob(String(f.file_id))?.sha256),
			};
		},
		// Trigger benchmark (bench/trigger.ts): files without HTTP, and a server that ignores
		// updated_at_on_or_after (forces the trigger's full scan).
		seedFiles: ({ directoryId, count, prefix, firstMs, stepMs }) => {
			const tag = String(prefix ?? 'seed');
			emulator.store.seedFiles(String(directoryId), Number(count), {
				content: 'x',
				displayName: (i) => `${tag}-${i}.txt`,
				uniqueId: (i) => `${tag}-${i}`,
				updatedAtMs: (i) => Number(firstMs) + i * Number(stepMs ?? 1),
			});
			return {};
		},
		quirks: ({ ignoreUpdatedAtFilters }) => {
			emulator.quirks.ignoreUpdatedAtFilters = Boolean(ignoreUpdatedAtFilters);
			return {};
		},
		/** Switches LlamaCloud's upload rate limit on (options, `{}` = documented) or off (null). */
		rateLimit: ({ options }) => {
			emulator.rateLimit.configure(options ?? null);
			return {};
		},
		/** What clients sent since the last reset or clearRequests: by route and by status. */
		requestStats: () => {
			const byRoute: Record<string, number> = {};
			const byStatus: Record<string, number> = {};
			for (const r of emulator.requests) {
				const route = `${r.method} ${r.path.replace(/\/(dir|dfl|file|idx)-[^/]+/g, '/{$1}')}`;
				byRoute[route] = (byRoute[route] ?? 0) + 1;
				byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
			}
			return {
				total: emulator.requests.length,
				byRoute,
				byStatus,
				rateLimit: emulator.rateLimit.counters,
			};
		},
		clearRequests: () => {
			emulator.clearRequests();
			return {};
		},
		/** CPU time this process has used (µs), to see where time goes. */
		cpu: () => process.cpuUsage(),
		reset: () => {
			emulator.reset();
			return {};
		},
	};

	const lines = createInterface({ input: process.stdin });
	for await (const line of lines) {
		if (!line.trim()) continue;
		let reply: unknown;
		try {
			const { cmd, ...args } = JSON.parse(line);
			const handler = handlers[cmd];
			reply = handler ? await handler(args) : { error: `unknown command ${cmd}` };
		} catch (error) {
			reply = { error: String(error) };
		}
		process.stdout.write(`${JSON.stringify(reply ?? {})}\n`);
	}
	await emulator.close();
	process.exit(0);
}

void main();
