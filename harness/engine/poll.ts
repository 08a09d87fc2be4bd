import { Container } from '@n8n/di';
import {
	PollContext,
	TriggersAndPollers,
	commitStagedCursor,
	runPollInStagingScope,
} from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { makeAdditionalData } from './additional-data';
import { type BinaryDataMode, useBinaryDataMode } from './binary';
import {
	type CredentialTypeInput,
	type CredentialsByType,
	HarnessCredentialsHelper,
	credentialRef,
} from './credentials';
import { type AnyNodeType, latestVersionOf, makeNodeTypes, typeNameOf } from './node-types';
import { record } from './records';

export interface PollOnceOptions {
	nodeType: AnyNodeType | (new () => AnyNodeType);
	parameters?: INodeParameters;
	credentials?: CredentialsByType;
	credentialTypes?: CredentialTypeInput[];
	/** the node's static data before the poll (what `getWorkflowStaticData('node')` returns); deep-copied */
	staticData?: IDataObject;
	/** 'trigger': a scheduled production poll; 'manual': the editor's "Fetch Test Event" */
	mode?: 'trigger' | 'manual';
	/** production activation reason, default 'activate' (ignored in manual mode) */
	activation?: WorkflowActivateMode;
	typeVersion?: number;
	nodeName?: string;
	binaryDataMode?: BinaryDataMode;
}

export interface PollResult {
	/** first output of what `poll()` returned; null when it returned null (nothing new) */
	items: INodeExecutionData[] | null;
	/** everything `poll()` returned */
	response: INodeExecutionData[][] | null;
	/** deep copy of the node's static data after the poll, to persist or feed to the next poll */
	staticData: IDataObject;
	/** whether the node changed its static data (n8n saves the workflow only then) */
	staticDataChanged: boolean;
}

/**
 * Runs a polling node's `poll()` once through a real PollContext, the way n8n does:
 * - 'trigger': as ActiveWorkflows/PollTriggerExecutor — inside the staging scope, via
 *   TriggersAndPollers.runPollFunction, cursor committed when nothing is emitted;
 * - 'manual': as WorkflowExecute.executePollNode — `new PollContext(..., 'manual', 'manual')`.
 * Errors thrown by `poll()` reject.
 */
export async function pollOnce(options: PollOnceOptions): Promise<PollResult> {
	let result: PollResult;
	try {
		result = await runPoll(options);
	} catch (error) {
		record('poll-error', error);
		throw error;
	}
	record('poll', result);
	return result;
}

async function runPoll(options: PollOnceOptions): Promise<PollResult> {
	const mode = options.mode ?? 'trigger';
	await useBinaryDataMode(options.binaryDataMode ?? 'filesystem');
	const nodeType =
		typeof options.nodeType === 'function' ? new options.nodeType() : options.nodeType;
	const typeName = typeNameOf(nodeType);
	const nodeTypes = makeNodeTypes({ [typeName]: nodeType });
	const typeVersion = options.typeVersion ?? latestVersionOf(nodeType);
	const versionType = nodeTypes.getByNameAndVersion(typeName, typeVersion);

	const node: INode = {
		id: 'poll-node',
		name: options.nodeName ?? 'LlamaCloud Trigger',
		type: typeName,
		typeVersion,
		position: [0, 0],
		parameters: structuredClone(options.parameters ?? {}),
	};
	for (const { name } of versionType.description.credentials ?? []) {
		if (options.credentials?.[name]) {
			node.credentials = { ...node.credentials, [name]: credentialRef(name) };
		}
	}

	// n8n keeps a node's static data under `node:<name>` in the workflow's static data.
	const workflow = new Workflow({
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: mode !== 'manual',
		staticData: { [`node:${node.name}`]: structuredClone(options.staticData ?? {}) },
	});
	const credentialsHelper = new HarnessCredentialsHelper(
		options.credentials,
		options.credentialTypes,
	);
	const additionalData = makeAdditionalData(credentialsHelper);
	const wfNode = workflow.getNode(node.name)!;

	const outcome: { response: INodeExecutionData[][] | null } = { response: null };
	if (mode === 'manual') {
		const context = new PollContext(workflow, wfNode, additionalData, 'manual', 'manual');
		outcome.response = await versionType.poll!.call(context);
	} else {
		const context = new PollContext(
			workflow,
			wfNode,
			additionalData,
			'trigger',
			options.activation ?? 'activate',
			(data) => (outcome.response = data), // __emit: n8n would start an execution with it
			(error) => {
				throw error;
			},
		);
		await runPollInStagingScope(context, async () => {
			const result = await Container.get(TriggersAndPollers).runPollFunction(
				workflow,
				wfNode,
				context,
			);
			if (result !== null) context.__emit(result);
			else await commitStagedCursor(context);
		});
	}
	const { response } = outcome;

	const nodeStaticData = workflow.getStaticData('node', wfNode);
	return {
		items: response?.[0] ?? null,
		response,
		staticData: JSON.parse(JSON.stringify(nodeStaticData)) as IDataObject,
		staticDataChanged: Boolean(workflow.staticData.__dataChanged),
	};
}
