import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { LlamaCloud } from '../nodes/LlamaCloud/LlamaCloud.node.js';
import { makeStoredBinaryItem, runNode } from '../test/harness';
import { EmulatorProcess } from './lib';
async function main() {
	const emu = await EmulatorProcess.start({ tmpDir: '/dev/shm' });
	const run = async (name: string, n: number, concurrency: number) => {
		const dir = (await emu.command('directory', { name })).id;
		const items = [];
		for (let i = 0; i < n; i++) items.push(await makeStoredBinaryItem(Buffer.alloc(20000, i % 200), { fileName: `${name}-${i}.bin` }));
		return async () => {
			const t = performance.now();
			const r = await runNode({ type: LlamaCloud, credentials: { llamaCloudIngestApi: { apiKey: emu.apiKey, region: 'custom', baseUrl: emu.url } }, parameters: { resource: 'file', operation: 'upload', directoryId: { __rl: true, mode: 'id', value: dir }, options: { concurrency } }, inputItems: items });
			if (r.error) throw r.error;
			return performance.now() - t;
		};
	};
	await (await run('warm', 50, 10))();
	const go = await run('main', 500, 10);
	const s = new Session(); s.connect();
	await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 200 }); await s.post('Profiler.start');
	const ms = await go();
	const { profile } = await s.post('Profiler.stop');
	writeFileSync('/tmp/prof2.cpuprofile', JSON.stringify(profile));
	console.log('ms', ms, 'files/s', 500 / ms * 1000);
	await emu.close();
}
main();
