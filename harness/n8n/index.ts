/**
 * Drives the real n8n (installed by scripts/n8n/install.sh into .cache/n8n/) from e2e tests and
 * scripts. These modules run on the machine's Node (20, under jest or tsx); n8n itself runs on the
 * Node 24 binary from the cache, in a child process, with a throw-away user folder per test.
 *
 * Facts it relies on (n8n 2.41.1, checked by experiment; see test/e2e/README.md):
 * - `n8n execute` needs an id (import the workflow first) and a Manual Trigger or
 *   Execute Workflow Trigger as its start node.
 * - A package under <N8N_USER_FOLDER>/.n8n/nodes/node_modules/n8n-nodes-* is loaded the way an
 *   installed community package is: its types are `<package name>.<node name>`. Folders in
 *   N8N_CUSTOM_EXTENSIONS give `CUSTOM.<node name>` instead.
 * - Every n8n process that runs workflows opens a task broker port (5679 by default), so each
 *   process gets its own free port or parallel runs collide.
 */
export {
	N8N_RUNTIME,
	PACKAGE_NAME,
	n8nPaths,
	installedVersion,
	n8nMajor,
	isInstalled,
	ensureInstalled,
} from './install';
export type { N8nPaths } from './install';
export { freePort } from './processes';
export { DEV_OWNER, makeUserFolder, linkPackage, missingBuildFiles } from './userFolder';
export type { UserFolder, UserFolderOptions } from './userFolder';
export {
	runN8n,
	importCredentials,
	badWorkflowIds,
	importWorkflow,
	publishWorkflow,
	executeWorkflow,
	extractRunJson,
	nodeItems,
	nodeOutput,
	nodeErrors,
} from './cli';
export type { CommandResult, CredentialInput, WorkflowJson, ExecutionResult } from './cli';
export { startServer, listLoadedTypes } from './server';
export type { N8nServer, ServerExecution, LoadedTypes } from './server';
export {
	EXAMPLES_FILES_DIR,
	DEMO_CREDENTIAL,
	demoCredential,
	makeFilesFolder,
	loadWorkflow,
} from './examples';
