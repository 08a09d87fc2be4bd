/** `npm run emulator` (emulator/cli.ts): starts, prints URL and key, serves, stops on SIGTERM/SIGINT. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { request } from 'undici';

const ROOT = join(__dirname, '..', '..');

interface Started {
	child: ChildProcess;
	output: () => string;
	url: string;
	key: string;
}

function startCli(env: Record<string, string>): Promise<Started> {
	const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'emulator', 'cli.ts')], {
		cwd: ROOT,
		env: { ...process.env, LLAMACLOUD_EMULATOR_PORT: '0', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	return new Promise((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
			const key = /API key:\s+(\S+)/.exec(output)?.[1];
			if (url && key) resolve({ child, output: () => output, url, key });
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.on('exit', (code) => reject(new Error(`cli exited early (${code}): ${output}`)));
	});
}

function exitCode(child: ChildProcess): Promise<number | null> {
	return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

test('prints its URL and a generated key, serves, and stops cleanly on SIGTERM', async () => {
	const cli = await startCli({ LLAMACLOUD_EMULATOR_QUIET: '1' });
	try {
		expect(cli.key).toMatch(/^llx-emulator-/);
		const res = await request(`${cli.url}/api/v1/projects`, {
			headers: { authorization: `Bearer ${cli.key}` },
		});
		expect(res.statusCode).toBe(200);
		expect(Array.isArray(await res.body.json())).toBe(true);
	} finally {
		const exited = exitCode(cli.child);
		cli.child.kill('SIGTERM');
		expect(await exited).toBe(0);
	}
});

test('a key from the environment is used but only shown masked; SIGINT stops it', async () => {
	const secret = 'llx-my-own-secret-key-1234';
	const cli = await startCli({ LLAMACLOUD_API_KEY: secret, LLAMACLOUD_EMULATOR_FAULT_503: '0' });
	try {
		expect(cli.output()).not.toContain(secret);
		const res = await request(`${cli.url}/api/v1/projects`, {
			headers: { authorization: `Bearer ${secret}` },
		});
		expect(res.statusCode).toBe(200);
		await res.body.dump();
	} finally {
		const exited = exitCode(cli.child);
		cli.child.kill('SIGINT');
		expect(await exited).toBe(0);
	}
});

test('a bad variable stops it with a message naming the variable', async () => {
	const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'emulator', 'cli.ts')], {
		cwd: ROOT,
		env: { ...process.env, LLAMACLOUD_EMULATOR_PORT: '0', LLAMACLOUD_EMULATOR_FAULT_429: 'often' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	expect(await exitCode(child)).toBe(1);
	expect(stderr).toContain('LLAMACLOUD_EMULATOR_FAULT_429');
});
