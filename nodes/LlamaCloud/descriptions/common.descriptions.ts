/**
 * Field builders reused by the operations (and the trigger): resource locators, the Return
 * All / Limit pair, the usual collections, body and query fields, and the switches several
 * operations share. Display conditions on resource and operation are added by the resource
 * (actions/resource.ts), so the builders take only the conditions of their own.
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { requireLimit, requireTextValue } from '../helpers/validation';
import { guardHook } from '../transport';

interface LocatorOptions {
	name: string;
	displayName: string;
	searchListMethod: string;
	placeholder: string;
	description?: string;
	displayOptions?: IDisplayOptions;
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

export const directoryLocator = (overrides: Partial<LocatorOptions> = {}) =>
	locator({
		name: 'directoryId',
		displayName: 'Directory',
		searchListMethod: 'searchDirectories',
		placeholder: 'e.g. dir-4f1c...',
		...overrides,
	});

export const fileLocator = (overrides: Partial<LocatorOptions> = {}) =>
	locator({
		name: 'fileId',
		displayName: 'File',
		searchListMethod: 'searchFiles',
		placeholder: 'e.g. dfl-9a2b...',
		description: 'A file of the directory chosen above',
		...overrides,
	});

export const indexLocator = (overrides: Partial<LocatorOptions> = {}) =>
	locator({
		name: 'indexId',
		displayName: 'Index',
		searchListMethod: 'searchIndexes',
		placeholder: 'e.g. idx-7c3e...',
		...overrides,
	});

/** Return All + Limit for a Get Many operation. Limit maps to page_size and caps the output. */
export function returnAllAndLimit(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
			routing: {
				send: { preSend: [guardHook(requireLimit('limit', 'Limit'))] },
				output: { maxResults: '={{$value}}' },
			},
		},
	];
}

const COLLECTIONS = {
	additionalFields: { displayName: 'Additional Fields', placeholder: 'Add Field' },
	updateFields: { displayName: 'Update Fields', placeholder: 'Add Field' },
	filters: { displayName: 'Filters', placeholder: 'Add Filter' },
	options: { displayName: 'Options', placeholder: 'Add Option' },
} as const;

/**
 * One of the usual optional-field collections (Additional Fields, Update Fields, Filters,
 * Options). Its routed text fields refuse an object or array from an expression, by name.
 */
export function collection(
	name: keyof typeof COLLECTIONS,
	options: INodeProperties[],
): INodeProperties {
	return {
		...COLLECTIONS[name],
		name,
		type: 'collection',
		default: {},
		options: options.map((option) => checkedText(`${name}.${option.name}`, option)),
	};
}

/** A routed string field with a preSend that refuses what is not text. */
function checkedText(path: string, option: INodeProperties): INodeProperties {
	const send = option.routing?.send;
	if (option.type !== 'string' || !send) return option;
	const preSend = [...(send.preSend ?? []), guardHook(requireTextValue(path, option.displayName))];
	return { ...option, routing: { ...option.routing, send: { ...send, preSend } } };
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

/** The "Reuse Existing" switch of a Create (in its Options collection; see helpers/reuse.ts). */
export function reuseOption(description: string): INodeProperties {
	return {
		displayName: 'Reuse Existing',
		name: 'reuseExisting',
		type: 'boolean',
		default: false,
		description,
	};
}
