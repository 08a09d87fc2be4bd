import { EmulatorProcess, runChild, writeRandomFile, GiB } from './lib';
async function main() {
	const emu = await EmulatorProcess.start({ tmpDir: '/dev/shm', maxUploadBytes: 4 * GiB });
	const d = (await emu.command('directory', { name: 'a' })).id;
	const w = (await emu.command('directory', { name: 'w' })).id;
	const filePath = process.env.FILE ?? '/tmp/exp/one.bin';
	await writeRandomFile(filePath, Number(process.argv[3] ?? GiB));
	const c0 = await emu.command('cpu');
	try {
		console.log(JSON.stringify(await runChild('bench/upload-child.ts', { scenario: process.argv[2], url: emu.url, apiKey: emu.apiKey, directoryId: d, warmDirectoryId: w, filePath, repeats: 3 })));
	} catch (e) { console.log(String(e)); }
	const c1 = await emu.command('cpu');
	console.log('emulator cpu ms', (c1.user - c0.user) / 1000, (c1.system - c0.system) / 1000);
	await emu.close();
}
main();
