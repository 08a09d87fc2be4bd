import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { request } from 'undici';
import axios from 'axios';
import { multipartLayout } from '../nodes/LlamaCloud/files/upload/multipart';
import { FileLocation } from 'n8n-core';
import { LlamaCloud } from '../nodes/LlamaCloud/LlamaCloud.node.js';
import { runNode, useBinaryDataMode } from '../test/harness';
import { EmulatorProcess, writeRandomFile, MiB, GiB } from './lib';
// eslint-disable-next-line
const { httpRequest } = require('/work/main/node_modules/@n8n/backend-network/dist/http/axios/request.js');

async function main() {
	const path = '/dev/shm/exp2.bin';
	const size = 512 * MiB;
	await writeRandomFile(path, size);
	const emu = await EmulatorProcess.start({ maxUploadBytes: 4 * GiB, tmpDir: '/dev/shm' });
	let n = 0;
	const body = async (kind: 'fs' | 'fh', chunk = 256 * 1024) => {
		const layout = multipartLayout({ unique_id: `u${n++}` }, { fileName: 'f.bin', mimeType: 'application/octet-stream', size }, 'upload_file');
		const file = kind === 'fs' ? createReadStream(path, { highWaterMark: chunk }) : (await open(path, 'r')).createReadStream({ highWaterMark: chunk });
		const s = Readable.from((async function* () { yield layout.head; for await (const c of file) yield c as Buffer; yield layout.tail; })(), { objectMode: false, highWaterMark: 64 * 1024 });
		return { s, headers: { authorization: `Bearer ${emu.apiKey}`, ...layout.headers } };
	};
	const results: Record<string, number[]> = {};
	const time = async (name: string, fn: (url: string) => Promise<unknown>) => {
		await emu.command('reset');
		const dir = (await emu.command('directory', { name })).id;
		const url = `${emu.url}/api/v1/beta/directories/${dir}/files/upload`;
		const t = performance.now(); await fn(url); (results[name] ??= []).push(Math.round(performance.now() - t));
	};
	const svc = await useBinaryDataMode('filesystem');
	const binary = await svc.copyBinaryFile(FileLocation.ofCustom({ pathSegments: ['b'] }), { data: '', mimeType: 'application/octet-stream', fileName: 'big.bin' }, path);
	const nodeRun = async (url: string) => {
		const dir = url.split('/directories/')[1].split('/')[0];
		const r = await runNode({ type: LlamaCloud, credentials: { llamaCloudIngestApi: { apiKey: emu.apiKey, region: 'custom', baseUrl: emu.url } }, parameters: { resource: 'file', operation: 'upload', directoryId: { __rl: true, mode: 'id', value: dir } }, inputItems: [{ json: {}, binary: { data: binary } }] });
		if (r.error) throw r.error;
	};
	for (let r = 0; r < 3; r++) {
		await time('node', nodeRun);
		await time('undici', async (url) => { const { s, headers } = await body('fs'); const res = await request(url, { method: 'POST', headers, body: s }); await res.body.text(); if (res.statusCode !== 200) throw new Error(String(res.statusCode)); });
		await time('axios', async (url) => { const { s, headers } = await body('fs'); const res = await axios.post(url, s, { headers, maxRedirects: 0, maxBodyLength: Infinity }); if (res.status !== 200) throw new Error(); });
		await time('n8n', async (url) => { const { s, headers } = await body('fs'); const res = await httpRequest({ method: 'POST', url, body: s, headers, disableFollowRedirect: true, returnFullResponse: true, json: false }); if (res.statusCode !== 200) throw new Error(String(res.statusCode)); });
		await time('n8n-fh', async (url) => { const { s, headers } = await body('fh'); const res = await httpRequest({ method: 'POST', url, body: s, headers, disableFollowRedirect: true, returnFullResponse: true, json: false }); if (res.statusCode !== 200) throw new Error(String(res.statusCode)); });
		await time('undici-fh', async (url) => { const { s, headers } = await body('fh'); const res = await request(url, { method: 'POST', headers, body: s }); await res.body.text(); if (res.statusCode !== 200) throw new Error(String(res.statusCode)); });
	}
	console.log(results);
	await emu.close();
}
main();
