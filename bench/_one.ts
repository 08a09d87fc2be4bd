import { EmulatorProcess, runChild, writeRandomFile, GiB } from './lib';
async function main() {
	const emu = await EmulatorProcess.start({ tmpDir: '/dev/shm', maxUploadBytes: 4 * GiB });
	const d = (await emu.command('directory', { name: 'a' })).id;
	const w = (await emu.command('directory', { name: 'w' })).id;
	const filePath = '/tmp/exp/one.bin';
	await writeRandomFile(filePath, Number(process.argv[3] ?? GiB));
	try {
		console.log(await runChild('bench/upload-child.ts', { scenario: process.argv[2], url: emu.url, apiKey: emu.apiKey, directoryId: d, warmDirectoryId: w, filePath }));
	} catch (e) { console.log(String(e)); }
	await emu.close();
}
main();
