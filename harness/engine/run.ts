import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IPairedItemData,
	IRun,
	IRunData,
	ITaskData,
	IWorkflowBase,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow, createRunExecutionData } from 'n8n-workflow';

import { makeAdditionalData, nextExecutionId } from './additional-data';
import { record } from './records';
import { type BinaryDataMode, useBinaryDataMode } from './binary';
import {
	type CredentialTypeInput,
	type CredentialsByType,
	HarnessCredentialsHelper,
	credentialRef,
} from './credentials';
import {
	type AnyNodeType,
	START_NODE_TYPE,
	latestVersionOf,
	makeNodeTypes,
	typeNameOf,
} from './node-types';

export interface RunWorkflowOptions {
	nodes: INode[];
	connections: IConnections;
	/** node types by type name; the start node type `harness.start` is always known */
	nodeTypes: Record<string, AnyNodeType>;
	/** credential data by credential type name; nodes declaring a given type get it attached */
	credentials?: CredentialsByType;
	/** extra credential types (the package's `llamaCloudIngestApi` is always known) */
	credentialTypes?: CredentialTypeInput[];
	/** items the start node emits (json + binary); default one empty item */
	inputItems?: INodeExecutionData[];
	/** n8n 2.x's own default (regular mode) is 'filesystem'; so is the harness's */
	binaryDataMode?: BinaryDataMode;
	/** name of the node the run starts from; default the first `harness.start` node, else the first node */
	startNode?: string;
	mode?: WorkflowExecuteMode;
	staticData?: IDataObject;
	/** called as each node starts / finishes, e.g. to print progress */
	onNodeStart?: (nodeName: string) => void;
	onNodeFinish?: (nodeName: string, task: ITaskData) => void;
}

export interface WorkflowRun {
	run: IRun;
	runData: IRunData;
	status: IRun['status'];
	/** the workflow-level error (set when a node failed without continue-on-fail) */
	workflowError: ExecutionError | undefined;
	/** output items (output `outputIndex`) of the node's last run; [] if it did not run */
	items(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** the node's error, `runData[node][0].error` */
	error(nodeName: string): ExecutionError | undefined;
	/** credential data after the run (token refreshes, updateCredentials) */
	credentials: CredentialsByType;
}

/** Runs a workflow in n8n-core's WorkflowExecute and resolves with the finished run. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRun> {
	const mode = options.mode ?? 'manual';
	await useBinaryDataMode(options.binaryDataMode ?? 'filesystem');
	const nodeTypes = makeNodeTypes(options.nodeTypes);
	const credentialsHelper = new HarnessCredentialsHelper(
		options.credentials,
		options.credentialTypes,
	);

	// Deep copy: the Workflow fills in parameter defaults on the nodes it is given.
	const nodes = structuredClone(options.nodes);
	for (const node of nodes) {
		const { credentials } = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description;
		attachCredentials(node, credentials, options.credentials);
	}

	const workflow = new Workflow({
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes,
		connections: options.connections,
		nodeTypes,
		active: false,
		staticData: options.staticData,
		settings: { executionOrder: 'v1' },
	});

	const startNode = options.startNode
		? workflow.getNode(options.startNode)
		: (nodes.find((n) => n.type === START_NODE_TYPE) ?? nodes[0]);
	if (!startNode) throw new Error(`Start node not found: ${options.startNode}`);

	const executionId = nextExecutionId();
	const workflowData = {
		id: workflow.id,
		name: workflow.name,
		nodes,
		connections: options.connections,
		active: false,
		settings: workflow.settings,
	} as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	let resolveRun!: (run: IRun) => void;
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveRun(fullRunData));
	if (options.onNodeStart)
		hooks.addHandler('nodeExecuteBefore', (name) => options.onNodeStart?.(name));
	if (options.onNodeFinish)
		hooks.addHandler('nodeExecuteAfter', (name, task) => options.onNodeFinish?.(name, task));

	const additionalData = makeAdditionalData(credentialsHelper, hooks, executionId);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [options.inputItems ?? [{ json: {} }]] }, source: null },
			],
		},
	});
	await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(
		workflow,
	);
	const run = await finished;
	record('run', run);

	const runData = run.data.resultData.runData;
	const lastRun = (name: string) => runData[name]?.[runData[name].length - 1];
	return {
		run,
		runData,
		status: run.status,
		workflowError: run.data.resultData.error,
		items: (name, outputIndex = 0) => lastRun(name)?.data?.main?.[outputIndex] ?? [],
		error: (name) => runData[name]?.[0]?.error,
		credentials: credentialsHelper.stored,
	};
}

/** Puts a credential reference on the node for each declared type the test supplied data for. */
function attachCredentials(
	node: INode,
	declared: Array<{ name: string }> | undefined,
	credentials: CredentialsByType | undefined,
) {
	for (const { name } of declared ?? []) {
		if (credentials?.[name] && !node.credentials?.[name]) {
			node.credentials = { ...node.credentials, [name]: credentialRef(name) };
		}
	}
}

export interface RunNodeOptions {
	/** the node type under test (instance or class) */
	type: AnyNodeType | (new () => AnyNodeType);
	parameters?: INodeParameters;
	credentials?: CredentialsByType;
	credentialTypes?: CredentialTypeInput[];
	inputItems?: INodeExecutionData[];
	continueOnFail?: boolean;
	typeVersion?: number;
	binaryDataMode?: BinaryDataMode;
	/** default 'LlamaCloud' */
	nodeName?: string;
	/** the start node hands base64 binaries to prepareBinaryData first (as file-reading nodes do) */
	storeBinary?: boolean;
}

export interface NodeRunResult {
	items: INodeExecutionData[];
	error: ExecutionError | undefined;
	/** each output item's `pairedItem`, normalized to an array of `{ item }` */
	pairedItems: IPairedItemData[][];
	workflowRun: WorkflowRun;
}

/** Start → node under test, run in the real engine. */
export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	const nodeType = typeof options.type === 'function' ? new options.type() : options.type;
	const typeName = typeNameOf(nodeType);
	const name = options.nodeName ?? 'LlamaCloud';
	const workflowRun = await runWorkflow({
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: START_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { storeBinary: options.storeBinary ?? false },
			},
			{
				id: 'under-test',
				name,
				type: typeName,
				typeVersion: options.typeVersion ?? latestVersionOf(nodeType),
				position: [200, 0],
				parameters: options.parameters ?? {},
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: { Start: { main: [[{ node: name, type: 'main', index: 0 }]] } },
		nodeTypes: { [typeName]: nodeType },
		credentials: options.credentials,
		credentialTypes: options.credentialTypes,
		inputItems: options.inputItems,
		binaryDataMode: options.binaryDataMode,
	});
	const items = workflowRun.items(name);
	return {
		items,
		error: workflowRun.error(name),
		pairedItems: items.map((item) => normalizePairedItem(item.pairedItem)),
		workflowRun,
	};
}

function normalizePairedItem(paired: INodeExecutionData['pairedItem']): IPairedItemData[] {
	if (paired === undefined) return [];
	if (typeof paired === 'number') return [{ item: paired }];
	return Array.isArray(paired) ? paired : [paired];
}
