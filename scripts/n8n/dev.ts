/**
 * `npm run dev`: the real n8n editor with this package installed, talking to the emulator.
 *
 *   npm run dev                 keeps the editor's state in .cache/n8n-dev/ between runs
 *   npm run dev -- --fresh      starts from an empty instance
 *   npm run dev -- --reimport   imports examples/ again (overwriting edits made in the editor)
 *
 * Expects the package built (`npm run build`) and n8n installed (`scripts/n8n/install.sh`); the
 * npm script runs both first. Every start stores the demo credential the examples use (id
 * `llamacloud-demo`, pointing at this run's emulator); a new instance also gets the examples/
 * workflows. Serves the editor until Ctrl+C. Emulator settings come from its usual environment
 * variables.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { optionsFromEnv } from '../../emulator/env';
import { startEmulator } from '../../emulator/index';
import {
	badWorkflowIds,
	demoCredential,
	DEV_OWNER,
	ensureInstalled,
	importCredentials,
	importWorkflow,
	loadWorkflow,
	makeFilesFolder,
	makeUserFolder,
	missingBuildFiles,
	installedVersion,
	n8nPaths,
	startServer,
} from '../../harness/n8n';

async function main(): Promise<void> {
	const fresh = process.argv.includes('--fresh');
	const reimport = process.argv.includes('--reimport');
	const { repoRoot } = n8nPaths();
	ensureInstalled();
	const missing = missingBuildFiles();
	if (missing.length > 0)
		throw new Error(`build first (npm run build): missing ${missing.join(', ')}`);

	const emulatorOptions = optionsFromEnv();
	// A fixed key keeps the stored credential valid across restarts of `npm run dev`.
	const emulator = await startEmulator({
		...emulatorOptions,
		apiKey: emulatorOptions.apiKey ?? 'llx-dev-emulator-key',
		quiet: true,
	});

	const dir = path.join(repoRoot, '.cache', 'n8n-dev');
	if (fresh) fs.rmSync(dir, { recursive: true, force: true });
	const isNew = !fs.existsSync(path.join(dir, '.n8n', 'database.sqlite'));
	// The ingest example reads <n8n-files>/llamacloud-demo/*; n8n 2.x lets file nodes touch only
	// that folder.
	const filesDir = makeFilesFolder(dir).dir;
	const uf = await makeUserFolder({
		dir,
		port: Number(process.env.N8N_PORT ?? 5678),
		env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir },
	});

	await importCredentials(uf, [demoCredential(emulator)]);
	const examples = (isNew || reimport ? fs.readdirSync(path.join(repoRoot, 'examples')) : [])
		.filter((f) => f.endsWith('.json'))
		.map((f) => loadWorkflow(path.join('examples', f), filesDir));
	const bad = badWorkflowIds(examples);
	if (bad.length > 0) {
		console.warn(
			`warning: ids longer than 21 characters; n8n will not keep these workflows' static data (trigger cursors): ${bad.join(', ')}`,
		);
	}
	if (examples.length > 0) await importWorkflow(uf, examples, { allowBadIds: true });

	const server = await startServer(uf);
	console.log(
		[
			'',
			`n8n ${installedVersion()} editor:    http://localhost:${uf.port}`,
			`  log in:          ${DEV_OWNER.email} / ${DEV_OWNER.password}`,
			`  imported:        ${examples.map((w) => w.name).join(', ') || '(nothing new; --reimport for examples/)'}`,
			`LlamaCloud emulator: ${emulator.url} (key ${emulator.apiKey}, project ${emulator.defaultProjectId})`,
			`  state:           ${dir}${fresh ? ' (fresh)' : ' (kept between runs; --fresh to reset)'}`,
			'Press Ctrl+C to stop.',
		].join('\n'),
	);
	server.process.stdout?.on('data', (b: Buffer) => process.stdout.write(b));
	server.process.stderr?.on('data', (b: Buffer) => process.stderr.write(b));

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await server.stop();
		await emulator.close();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
	server.process.on('close', () => void stop());
}

main().catch((error) => {
	console.error(`dev: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
