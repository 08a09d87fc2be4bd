import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { FileLocation } from 'n8n-core';
import { LlamaCloud } from '../nodes/LlamaCloud/LlamaCloud.node.js';
import { runNode, useBinaryDataMode } from '../test/harness';
import { EmulatorProcess, writeRandomFile, MiB, GiB } from './lib';
async function main() {
	const emu = await EmulatorProcess.start({ tmpDir: '/dev/shm', maxUploadBytes: 4 * GiB });
	await writeRandomFile('/tmp/exp/p3.bin', 512 * MiB);
	const svc = await useBinaryDataMode('filesystem');
	const binary = await svc.copyBinaryFile(FileLocation.ofCustom({ pathSegments: ['b'] }), { data: '', mimeType: 'application/octet-stream', fileName: 'big.bin' }, '/tmp/exp/p3.bin');
	const go = async (uid: string) => {
		const dir = (await emu.command('directory', { name: uid })).id;
		const t = performance.now();
		const r = await runNode({ type: LlamaCloud, credentials: { llamaCloudIngestApi: { apiKey: emu.apiKey, region: 'custom', baseUrl: emu.url } }, parameters: { resource: 'file', operation: 'upload', directoryId: { __rl: true, mode: 'id', value: dir }, uniqueId: uid }, inputItems: [{ json: {}, binary: { data: binary } }] });
		if (r.error) throw r.error;
		return performance.now() - t;
	};
	console.log('warm', await go('w'));
	const s = new Session(); s.connect();
	await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 500 }); await s.post('Profiler.start');
	const ms = await go('m');
	const { profile } = await s.post('Profiler.stop');
	writeFileSync('/tmp/prof3.cpuprofile', JSON.stringify(profile));
	console.log('ms', ms, 'MiB/s', 512 / ms * 1000);
	await emu.close();
}
main();
