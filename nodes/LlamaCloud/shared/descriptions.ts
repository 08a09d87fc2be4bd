/**
 * Building blocks reused by every resource: the routed-operation builder (so every operation
 * gets the transport's hooks), resource locators, and the Return All / Limit pair.
 */
import type {
	IDisplayOptions,
	IHttpRequestMethods,
	INodeProperties,
	INodePropertyOptions,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import {
	checkRoutedResponse,
	prepareRoutedRequest,
	type RoutedReconcile,
	sendListWithRetries,
	sendWithRetries,
	sendWithRetriesReconciled,
} from '../transport';

export interface RoutedOperation {
	name: string;
	value: string;
	action: string;
	description: string;
	method: IHttpRequestMethods;
	/** Expression; IDs must go through encodeURIComponent. */
	url: string;
	/** Get Many: follow next_page_token and honour Limit. */
	list?: boolean;
	preSend?: PreSendAction[];
	postReceive?: PostReceiveAction[];
	/**
	 * Creates (POST) only: finds what the request created when its answer was lost, so it is
	 * neither sent twice nor failed needlessly. Without it such an item fails clearly.
	 */
	reconcile?: RoutedReconcile;
}

/**
 * An operation run by the engine's routing. `paginate: true` hands the request to our
 * `routing.operations.pagination` function even for single objects: it is the one hook where
 * routing lets us retry (429/5xx/connection errors) and follow cursors.
 */
export function routedOperation(op: RoutedOperation): INodePropertyOptions {
	return {
		name: op.name,
		value: op.value,
		action: op.action,
		description: op.description,
		routing: {
			request: { method: op.method, url: op.url },
			send: { paginate: true, preSend: [prepareRoutedRequest, ...(op.preSend ?? [])] },
			operations: {
				pagination: op.list
					? sendListWithRetries
					: op.reconcile
						? sendWithRetriesReconciled(op.reconcile)
						: sendWithRetries,
			},
			output: { postReceive: [checkRoutedResponse, ...(op.postReceive ?? [])] },
		},
	};
}

/** postReceive output of a delete: the API answers with an empty body. */
export function deletedOutput(idExpression: string): PostReceiveAction {
	return {
		type: 'set',
		properties: { value: `={{ { "deleted": true, "id": ${idExpression} } }}` },
	};
}

/** Expression of a resource locator's value, percent-encoded for a URL path. */
export function pathParam(name: string): string {
	return `{{ encodeURIComponent($parameter["${name}"]) }}`;
}

interface LocatorOptions {
	name: string;
	displayName: string;
	searchListMethod: string;
	placeholder: string;
	description?: string;
	displayOptions: IDisplayOptions;
	required?: boolean;
}

/** A resource locator: "From List" (searchable, paginated) or "By ID". */
export function locator(options: LocatorOptions): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? true,
		description: options.description,
		displayOptions: options.displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: options.placeholder,
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\S+$', errorMessage: 'An ID has no spaces' },
					},
				],
			},
		],
	};
}

export const directoryLocator = (
	displayOptions: IDisplayOptions,
	overrides: Partial<LocatorOptions> = {},
) =>
	locator({
		name: 'directoryId',
		displayName: 'Directory',
		searchListMethod: 'searchDirectories',
		placeholder: 'e.g. dir-4f1c...',
		displayOptions,
		...overrides,
	});

export const fileLocator = (
	displayOptions: IDisplayOptions,
	overrides: Partial<LocatorOptions> = {},
) =>
	locator({
		name: 'fileId',
		displayName: 'File',
		searchListMethod: 'searchFiles',
		placeholder: 'e.g. dfl-9a2b...',
		description: 'A file of the directory chosen above',
		displayOptions,
		...overrides,
	});

export const indexLocator = (
	displayOptions: IDisplayOptions,
	overrides: Partial<LocatorOptions> = {},
) =>
	locator({
		name: 'indexId',
		displayName: 'Index',
		searchListMethod: 'searchIndexes',
		placeholder: 'e.g. idx-7c3e...',
		displayOptions,
		...overrides,
	});

/** Return All + Limit for a Get Many operation. Limit maps to page_size and caps the output. */
export function returnAllAndLimit(displayOptions: IDisplayOptions): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { ...displayOptions, show: { ...displayOptions.show, returnAll: [false] } },
			routing: { output: { maxResults: '={{$value}}' } },
		},
	];
}

const COLLECTIONS = {
	additionalFields: { displayName: 'Additional Fields', placeholder: 'Add Field' },
	updateFields: { displayName: 'Update Fields', placeholder: 'Add Field' },
	filters: { displayName: 'Filters', placeholder: 'Add Filter' },
	options: { displayName: 'Options', placeholder: 'Add Option' },
} as const;

/** One of the usual optional-field collections (Additional Fields, Update Fields, Filters, Options). */
export function collection(
	name: keyof typeof COLLECTIONS,
	displayOptions: IDisplayOptions,
	options: INodeProperties[],
): INodeProperties {
	return { ...COLLECTIONS[name], name, type: 'collection', default: {}, displayOptions, options };
}

/** A string sent as a JSON body property. */
export const bodyField = (
	displayName: string,
	name: string,
	property: string,
	description?: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	description,
	routing: { send: { type: 'body', property } },
});

/** A string sent as a query parameter (a list filter). */
export const queryField = (
	displayName: string,
	name: string,
	property: string,
	description?: string,
): INodeProperties => ({
	...bodyField(displayName, name, property, description),
	routing: { send: { type: 'query', property } },
});

/** The "Include Deleted" list filter. */
export const includeDeletedFilter = (what: string): INodeProperties => ({
	displayName: 'Include Deleted',
	name: 'includeDeleted',
	type: 'boolean',
	default: false,
	description: `Whether to include deleted ${what}`,
	routing: { send: { type: 'query', property: 'include_deleted' } },
});
