import { LoadOptionsContext } from 'n8n-core';
import type { INode, INodeListSearchResult, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { makeAdditionalData } from './additional-data';
import {
	type CredentialTypeInput,
	type CredentialsByType,
	HarnessCredentialsHelper,
	credentialRef,
} from './credentials';
import { type AnyNodeType, latestVersionOf, makeNodeTypes, typeNameOf } from './node-types';
import { record } from './records';

export interface ListSearchOptions {
	nodeType: AnyNodeType | (new () => AnyNodeType);
	/** name of the method in `methods.listSearch` */
	method: string;
	/** the node's current parameters, as the editor sends them */
	parameters?: INodeParameters;
	credentials?: CredentialsByType;
	credentialTypes?: CredentialTypeInput[];
	filter?: string;
	paginationToken?: string;
}

/**
 * Runs a resource locator's "From List" search the way the editor asks for it: a real
 * LoadOptionsContext (n8n's /dynamic-node-parameters/resource-locator-results). Errors reject.
 */
export async function listSearch(options: ListSearchOptions): Promise<INodeListSearchResult> {
	const nodeType =
		typeof options.nodeType === 'function' ? new options.nodeType() : options.nodeType;
	const typeName = typeNameOf(nodeType);
	const nodeTypes = makeNodeTypes({ [typeName]: nodeType });
	const typeVersion = latestVersionOf(nodeType);
	const versionType = nodeTypes.getByNameAndVersion(typeName, typeVersion);
	const node: INode = {
		id: 'list-search-node',
		name: 'LlamaCloud',
		type: typeName,
		typeVersion,
		position: [0, 0],
		parameters: structuredClone(options.parameters ?? {}),
	};
	for (const { name } of versionType.description.credentials ?? []) {
		if (options.credentials?.[name])
			node.credentials = { ...node.credentials, [name]: credentialRef(name) };
	}
	const workflow = new Workflow({
		id: 'harness-workflow',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: false,
	});
	const additionalData = makeAdditionalData(
		new HarnessCredentialsHelper(options.credentials, options.credentialTypes),
	);
	const context = new LoadOptionsContext(
		workflow,
		workflow.getNode(node.name)!,
		additionalData,
		'parameters',
	);
	const search = versionType.methods?.listSearch?.[options.method];
	if (!search) throw new Error(`No listSearch method ${options.method}`);
	try {
		const result = await search.call(context, options.filter, options.paginationToken);
		record('list-search', result);
		return result;
	} catch (error) {
		record('list-search-error', error);
		throw error;
	}
}
