/**
 * Builds a resource from its operation modules (`<operation>.operation.ts`): the Operation
 * selector with each module's option, each module's fields shown for that operation only, and
 * the custom operations (modules with `execute`).
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { OperationOf, Resource } from './node.type';

export type CustomOperation = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

/** What an operation module exports. */
export interface OperationModule<O extends string> {
	/** The entry of the Operation selector: name, value, action and (routed) its routing. */
	option: INodePropertyOptions & { value: O };
	/** The operation's fields, without display conditions on resource and operation (added here). */
	description: INodeProperties[];
	/** Custom operations (routing cannot express them) run this instead of routing. */
	execute?: CustomOperation;
}

/** One module per operation of the resource: a missing, extra or misspelt one fails to compile. */
export type OperationModules<R extends Resource> = {
	[O in OperationOf<R>]: OperationModule<O>;
};

export interface ResourceDescription {
	properties: INodeProperties[];
	customOperations: Record<string, CustomOperation>;
}

/**
 * The Operation selector for the node's AI-agent tool (n8n's generated "…Tool" type, told
 * apart by `@tool`): an operation an agent can run by default, and none it cannot (Upload needs
 * a binary file, which an agent does not have).
 */
export interface ToolOperations<R extends Resource> {
	default: OperationOf<R>;
	omit?: Array<OperationOf<R>>;
}

/** The Operation selector twice: as is for the node (hidden in the tool), and for the tool. */
function withToolVariant<R extends Resource>(
	operation: INodeProperties,
	tool: ToolOperations<R>,
): INodeProperties[] {
	const show = operation.displayOptions?.show ?? {};
	const options = (operation.options ?? []) as INodePropertyOptions[];
	return [
		{ ...operation, displayOptions: { show, hide: { '@tool': [true] } } },
		{
			...operation,
			default: tool.default,
			options: options.filter((option) => !tool.omit?.includes(option.value as OperationOf<R>)),
			displayOptions: { show: { ...show, '@tool': [true] } },
		},
	];
}

/** A field shown only for this resource and operation (and its own conditions, if any). */
function shownFor(resource: string, operation: string, property: INodeProperties): INodeProperties {
	const displayOptions = property.displayOptions ?? {};
	return {
		...property,
		displayOptions: {
			...displayOptions,
			show: { resource: [resource], operation: [operation], ...displayOptions.show },
		},
	};
}

export function defineResource<R extends Resource>(
	resource: R,
	defaultOperation: OperationOf<R>,
	operations: OperationModules<R>,
	tool: ToolOperations<R>,
): ResourceDescription {
	const modules: Array<OperationModule<string>> = Object.values(operations);
	const operation: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		default: defaultOperation,
		options: modules.map((module) => module.option).sort((a, b) => a.name.localeCompare(b.name)),
	};
	const customOperations: Record<string, CustomOperation> = {};
	for (const module of modules) {
		if (module.execute) customOperations[module.option.value] = module.execute;
	}
	return {
		properties: [
			...withToolVariant(operation, tool),
			...modules.flatMap((module) =>
				module.description.map((property) => shownFor(resource, module.option.value, property)),
			),
		],
		customOperations,
	};
}
