import { DirectoryLoader } from 'n8n-core';
// Not re-exported from n8n-core's index; the loader adds these to every polling node.
import { commonPollingParameters } from 'n8n-core/dist/nodes-loader/constants';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';

/** Prefix n8n gives this package's node types (`<package name>.<description.name>`). */
export const PACKAGE_NAME = 'n8n-nodes-llamacloud-ingest';

/** Type name of the harness's own start node. */
export const START_NODE_TYPE = 'harness.start';

export type AnyNodeType = INodeType | IVersionedNodeType;

/**
 * Start node: passes on the items the harness puts on the execution stack, so a run starts
 * with arbitrary json + binary (n8n-nodes-base, with the Manual Trigger, is not installed).
 *
 * With `storeBinary` on, base64 binaries are handed to `prepareBinaryData`, as n8n's own
 * file-producing nodes do: in filesystem mode they come out as `id` references on disk.
 */
export class HarnessStart implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Start',
		name: START_NODE_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Emits the items given to the test harness',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [
			{ displayName: 'Store Binary', name: 'storeBinary', type: 'boolean', default: false },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		if (!this.getNodeParameter('storeBinary', 0, false)) return [items];
		const out: INodeExecutionData[] = [];
		for (const item of items) {
			const binary: NonNullable<INodeExecutionData['binary']> = {};
			for (const [key, data] of Object.entries(item.binary ?? {})) {
				binary[key] = data.id
					? data
					: await this.helpers.prepareBinaryData(
							Buffer.from(data.data, 'base64'),
							data.fileName,
							data.mimeType,
						);
			}
			out.push({ ...item, ...(item.binary ? { binary } : {}) });
		}
		return [out];
	}
}

// Loader post-processing mutates descriptions; do it once per node type object.
const prepared = new WeakSet<object>();

/**
 * Applies what n8n's DirectoryLoader adds when it loads a node: the "Poll Times" parameter on
 * polling nodes and the "Request Options" collection on declarative nodes.
 */
export function prepareNodeType(nodeType: AnyNodeType): AnyNodeType {
	const versions =
		'nodeVersions' in nodeType ? Object.values(nodeType.nodeVersions) : [nodeType as INodeType];
	for (const version of versions) {
		if (prepared.has(version)) continue;
		prepared.add(version);
		const { properties, polling } = version.description;
		if (polling && !properties.some((p) => p.name === 'pollTimes')) {
			properties.unshift(...commonPollingParameters);
		}
		DirectoryLoader.applyDeclarativeNodeOptionParameters(version);
	}
	return nodeType;
}

/** The `INodeTypes` registry a `Workflow` asks for node types (always knows the start node). */
export function makeNodeTypes(types: Record<string, AnyNodeType>): INodeTypes {
	const all: Record<string, AnyNodeType> = { [START_NODE_TYPE]: new HarnessStart(), ...types };
	for (const nodeType of Object.values(all)) prepareNodeType(nodeType);
	const lookup = (name: string) => {
		const found = all[name];
		if (!found) throw new UnexpectedError(`Unknown node type: ${name}`);
		return found;
	};
	return {
		getByName: lookup,
		getByNameAndVersion: (name, version) => NodeHelpers.getVersionedNodeType(lookup(name), version),
		getKnownTypes: () => Object.fromEntries(Object.keys(all).map((k) => [k, {}])) as IDataObject,
	};
}

/** `<package>.<description.name>`, the type name n8n gives a node of this package. */
export function typeNameOf(nodeType: AnyNodeType, packageName = PACKAGE_NAME): string {
	const name = nodeType.description.name;
	return name.includes('.') ? name : `${packageName}.${name}`;
}

/** Latest version of a (possibly versioned) node type. */
export function latestVersionOf(nodeType: AnyNodeType): number {
	if ('nodeVersions' in nodeType) return nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}
