/** Index: Create, Get, Get Many, Delete (routed) and Sync (custom operation, see sync.ts). */
import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import {
	collection,
	deletedOutput,
	directoryLocator,
	indexLocator,
	pathParam,
	returnAllAndLimit,
	routedOperation,
} from '../shared/descriptions';
import { reuseExisting, reuseOption } from '../shared/reuse';
import { apiPath } from '../transport';
import { fieldError, requireId, requireText } from '../shared/validation';
import { POLL_INTERVAL_RANGE, TIMEOUT_RANGE, syncIndex } from './sync';

const show = (operation: string[]) => ({ show: { resource: ['index'], operation } });
const INDEX_URL = `=/api/v1/indexes/${pathParam('indexId')}`;
const requireIndex = requireId('indexId', 'Index');

/** preSend of Create: the products list, each with a non-blank configuration ID. */
async function sendProducts(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const entries = ((this.getNodeParameter('additionalFields.products', {}) as IDataObject)
		.product ?? []) as IDataObject[];
	if (entries.length === 0) return requestOptions;
	const products = entries.map((entry, n) => {
		const configId = String(entry.productConfigId ?? '').trim();
		if (!configId)
			throw fieldError(
				this,
				this.getItemIndex(),
				`"Product Config ID" of product ${n + 1}`,
				'must not be empty',
			);
		return { product_type: String(entry.productType ?? 'parse'), product_config_id: configId };
	});
	requestOptions.body = { ...((requestOptions.body as IDataObject) ?? {}), products };
	return requestOptions;
}

/** Create with "Reuse Existing": an index over the same source directory (and name, when given). */
const reuseIndex = reuseExisting((ctx) => {
	const name = String(ctx.getNodeParameter('additionalFields.name', '') ?? '').trim();
	return {
		path: '/api/v1/indexes',
		qs: {
			source_directory_id: ctx.getNodeParameter('sourceDirectoryId', '', {
				extractValue: true,
			}) as string,
		},
		matches: (index) => !name || index.name === name,
		url: (existing) => apiPath`/api/v1/indexes/${existing.id}`,
	};
});

export const indexOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['index'] } },
	default: 'get',
	options: [
		routedOperation({
			name: 'Create',
			value: 'create',
			action: 'Create an index',
			description:
				'Create a searchable index over a source directory; its first build starts right away',
			method: 'POST',
			url: '/api/v1/indexes',
			preSend: [
				requireId('sourceDirectoryId', 'Source Directory'),
				requireText('additionalFields.name', 'Name', { optional: true }),
				sendProducts,
				reuseIndex,
			],
		}),
		routedOperation({
			name: 'Delete',
			value: 'delete',
			action: 'Delete an index',
			description: 'Delete an index and its output directory',
			method: 'DELETE',
			url: INDEX_URL,
			preSend: [requireIndex],
			postReceive: [deletedOutput('$parameter["indexId"]')],
		}),
		routedOperation({
			name: 'Get',
			value: 'get',
			action: 'Get an index',
			description: 'Retrieve an index with its build state',
			method: 'GET',
			url: INDEX_URL,
			preSend: [requireIndex],
		}),
		routedOperation({
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many indexes',
			description: 'List indexes of the project',
			method: 'GET',
			url: '/api/v1/indexes',
			list: true,
		}),
		{
			// A custom operation (sync.ts): waiting is a chain of requests with pauses in between.
			name: 'Sync',
			value: 'sync',
			action: 'Sync an index',
			description:
				'Re-parse changed files and export updated chunks, optionally waiting until the build ends',
		},
	],
};

const syncFrequencies = [
	{
		name: 'Manual',
		value: 'manual',
		description: 'Only when the Sync operation (or the API) asks',
	},
	{ name: 'Daily', value: 'daily' },
	{
		name: 'On Source Change',
		value: 'on_source_change',
		description: 'Whenever files of the source directory change',
	},
];

export const indexFields: INodeProperties[] = [
	indexLocator(show(['get', 'delete', 'sync'])),

	// Create
	{
		...directoryLocator(show(['create']), {
			name: 'sourceDirectoryId',
			displayName: 'Source Directory',
			description: 'The directory whose files the index parses',
		}),
		// The engine sends a resource locator's extracted value.
		routing: { send: { type: 'body', property: 'source_directory_id' } },
	},
	collection('additionalFields', show(['create']), [
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			description: "Name of the index; defaults to the source directory's name",
			routing: { send: { type: 'body', property: 'name' } },
		},
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			default: '',
			routing: { send: { type: 'body', property: 'description' } },
		},
		{
			displayName: 'Products',
			name: 'products',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Product',
			default: {},
			description:
				'Product configurations the sync runs; without any, LlamaCloud uses a default parse configuration',
			options: [
				{
					displayName: 'Product',
					name: 'product',
					values: [
						{
							displayName: 'Product Type',
							name: 'productType',
							type: 'options',
							options: [
								{ name: 'Parse', value: 'parse' },
								{ name: 'Extract', value: 'extract' },
							],
							default: 'parse',
						},
						{
							displayName: 'Product Config ID',
							name: 'productConfigId',
							type: 'string',
							default: '',
							description: 'ID of a saved parse or extract configuration',
						},
					],
				},
			],
		},
		{
			displayName: 'Store Attachments',
			name: 'storeAttachments',
			type: 'multiOptions',
			options: [
				{
					name: 'Screenshots',
					value: 'screenshots',
					description: 'Render and store a screenshot per page',
				},
				{
					name: 'Items',
					value: 'items',
					description: 'Store structured items with bounding boxes',
				},
			],
			default: [],
			description: 'Attachment kinds to store alongside the parsed output',
			routing: { send: { type: 'body', property: 'store_attachments' } },
		},
		{
			displayName: 'Sync Frequency',
			name: 'syncFrequency',
			type: 'options',
			options: syncFrequencies,
			default: 'manual',
			description: 'How often the index re-syncs from its source directory',
			routing: { send: { type: 'body', property: 'sync_frequency' } },
		},
		{
			displayName: 'Vector Target',
			name: 'vectorTarget',
			type: 'options',
			options: [
				{ name: 'Default', value: 'DEFAULT', description: 'Export to the managed vector database' },
				{
					name: 'Disabled',
					value: 'DISABLED',
					description: 'Skip vector export (chunks stay downloadable)',
				},
			],
			default: 'DEFAULT',
			routing: { send: { type: 'body', property: 'vector_target' } },
		},
	]),
	collection('options', show(['create']), [
		reuseOption(
			'Whether to output the existing index over this source directory (with this name, if one is set) instead of creating another one',
		),
	]),

	// Get Many
	...returnAllAndLimit(show(['getAll'])),
	collection('filters', show(['getAll']), [
		{
			...directoryLocator(
				{},
				{
					name: 'sourceDirectoryId',
					displayName: 'Source Directory',
					description: 'Only indexes built from this directory',
					required: false,
				},
			),
			displayOptions: undefined,
			routing: { send: { type: 'query', property: 'source_directory_id' } },
		},
	]),

	// Sync
	{
		displayName: 'Wait Until Built',
		name: 'waitUntilBuilt',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait for the build to end and output the index with its final build state; a failed build or a timeout fails the item',
		displayOptions: show(['sync']),
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: {
			minValue: POLL_INTERVAL_RANGE.min,
			maxValue: POLL_INTERVAL_RANGE.max,
			numberPrecision: 1,
		},
		default: 5,
		description: 'How long to wait between two checks of the build state',
		displayOptions: { show: { resource: ['index'], operation: ['sync'], waitUntilBuilt: [true] } },
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: TIMEOUT_RANGE.min, maxValue: TIMEOUT_RANGE.max },
		default: 600,
		description: 'How long to wait for the build before failing the item',
		displayOptions: { show: { resource: ['index'], operation: ['sync'], waitUntilBuilt: [true] } },
	},
];

export const indexCustomOperations: Record<
	string,
	(this: IExecuteFunctions) => Promise<INodeExecutionData[][]>
> = {
	sync: syncIndex,
};
