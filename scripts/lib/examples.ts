/**
 * Runs the workflows of examples/ through n8n's real execution engine (n8n-core's
 * WorkflowExecute, via harness/engine), with our nodes and the stand-ins for n8n-nodes-base.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	IConnections,
	INode,
	INodeExecutionData,
	ITaskData,
} from 'n8n-workflow';

import type { INodeType } from 'n8n-workflow';

import { type WorkflowRun, runWorkflow } from '../../harness/engine';
import {
	ManualTriggerStandIn,
	ReadWriteFileStandIn,
	ScheduleTriggerStandIn,
} from '../../harness/standins';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface ExampleWorkflow {
	id: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
}

export function loadExample(file: string): ExampleWorkflow {
	return JSON.parse(
		readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'),
	) as ExampleWorkflow;
}

/**
 * Our nodes come from dist/, as n8n loads them (so run `npm run build` first). It also keeps
 * Node from resolving `LlamaCloudIngest.node` to the codex file `LlamaCloudIngest.node.json`.
 */
function builtNode(relativePath: string, className: string): INodeType {
	const file = path.join(REPO_ROOT, 'dist', relativePath);
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const NodeClass = (require(file) as Record<string, new () => INodeType>)[className];
		return new NodeClass();
	} catch (error) {
		throw new Error(
			`Cannot load ${path.relative(REPO_ROOT, file)}: run \`npm run build\` first (${(error as Error).message})`,
		);
	}
}

/** The n8n-nodes-base nodes the examples use, as in-process stand-ins (harness/standins). */
export const STAND_IN_TYPES = {
	'n8n-nodes-base.manualTrigger': new ManualTriggerStandIn(),
	'n8n-nodes-base.scheduleTrigger': new ScheduleTriggerStandIn(),
	'n8n-nodes-base.readWriteFile': new ReadWriteFileStandIn(),
};

const builtTypes = () => ({
	'n8n-nodes-llamacloud-ingest.llamaCloudIngest': builtNode(
		'nodes/LlamaCloud/LlamaCloudIngest.node.js',
		'LlamaCloudIngest',
	),
	'n8n-nodes-llamacloud-ingest.llamaCloudIngestTrigger': builtNode(
		'nodes/LlamaCloud/LlamaCloudIngestTrigger.node.js',
		'LlamaCloudIngestTrigger',
	),
	...STAND_IN_TYPES,
});

export interface RunExampleOptions {
	credentials: ICredentialDataDecryptedObject;
	/** Node types by type name; default our nodes from dist/ plus the stand-ins. */
	nodeTypes?: Record<string, INodeType>;
	startNode?: string;
	inputItems?: INodeExecutionData[];
	onNodeStart?: (nodeName: string) => void;
	onNodeFinish?: (nodeName: string, task: ITaskData) => void;
}

export async function runExample(
	workflow: ExampleWorkflow,
	options: RunExampleOptions,
): Promise<WorkflowRun> {
	// The JSON refers to a credential stored in n8n; the harness supplies the data instead.
	const nodes = workflow.nodes.map(({ credentials: _stored, ...node }) => node as INode);
	return await runWorkflow({
		nodes,
		connections: workflow.connections,
		nodeTypes: options.nodeTypes ?? builtTypes(),
		credentials: { llamaCloudIngestApi: options.credentials },
		startNode: options.startNode ?? nodes[0].name,
		inputItems: options.inputItems,
		onNodeStart: options.onNodeStart,
		onNodeFinish: options.onNodeFinish,
	});
}

/**
 * LlamaCloud credential data from the environment (real service), or undefined (emulator).
 * LLAMA_CLOUD_API_KEY, LLAMA_CLOUD_REGION (us|eu), LLAMA_CLOUD_BASE_URL, LLAMA_CLOUD_PROJECT_ID,
 * LLAMA_CLOUD_ORGANIZATION_ID.
 */
export function credentialsFromEnv(env = process.env): ICredentialDataDecryptedObject | undefined {
	const apiKey = env.LLAMA_CLOUD_API_KEY?.trim();
	if (!apiKey) return undefined;
	const baseUrl = env.LLAMA_CLOUD_BASE_URL?.trim();
	return {
		apiKey,
		region: baseUrl ? 'custom' : (env.LLAMA_CLOUD_REGION?.trim().toLowerCase() ?? 'us'),
		baseUrl: baseUrl ?? '',
		projectId: env.LLAMA_CLOUD_PROJECT_ID?.trim() ?? '',
		organizationId: env.LLAMA_CLOUD_ORGANIZATION_ID?.trim() ?? '',
	};
}
