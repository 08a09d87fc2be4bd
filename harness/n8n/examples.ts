/**
 * What the examples/ workflows expect of an n8n instance: their sample files folder and the
 * demo credential they refer to.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { CredentialInput, WorkflowJson } from './cli';
import { n8nPaths } from './install';

/** Where examples/ read their sample files: the n8n Docker image's n8n-files folder. */
export const EXAMPLES_FILES_DIR = '/home/node/.n8n-files';

/**
 * A folder n8n may read (pass it as N8N_RESTRICT_FILE_ACCESS_TO: 2.x file nodes touch nothing
 * else) holding `llamacloud-demo/` = a copy of examples/sample-docs, as the examples expect.
 */
export function makeFilesFolder(parent: string): { dir: string; samples: string[] } {
	const dir = path.join(parent, '.n8n-files');
	const demo = path.join(dir, 'llamacloud-demo');
	const source = path.join(n8nPaths().repoRoot, 'examples', 'sample-docs');
	fs.mkdirSync(demo, { recursive: true });
	const samples = fs.readdirSync(source).sort();
	for (const f of samples) fs.copyFileSync(path.join(source, f), path.join(demo, f));
	return { dir, samples };
}

/** A workflow JSON file, with the examples' files folder replaced by `filesDir` when given. */
export function loadWorkflow(file: string, filesDir?: string): WorkflowJson {
	let text = fs.readFileSync(path.resolve(n8nPaths().repoRoot, file), 'utf8');
	if (filesDir) text = text.split(EXAMPLES_FILES_DIR).join(filesDir);
	return JSON.parse(text) as WorkflowJson;
}

/** The credential every example's (and e2e workflow's) LlamaCloud node refers to. */
export const DEMO_CREDENTIAL = { id: 'llamacloud-demo', name: 'LlamaCloud API (demo)' } as const;

/** The demo credential pointing at a LlamaCloud (usually an emulator), for importCredentials. */
export function demoCredential(target: { url: string; apiKey: string }): CredentialInput {
	return {
		...DEMO_CREDENTIAL,
		type: 'llamaCloudIngestApi',
		data: {
			apiKey: target.apiKey,
			region: 'custom',
			baseUrl: target.url,
			projectId: '',
			organizationId: '',
		},
	};
}
