/**
 * Index → Create (routed): an index over a source directory; its first build starts right
 * away. One index per distinct request and run; with "Reuse Existing", an index over the same
 * source directory (and name) is output (see helpers/reuse.ts).
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	bodyField,
	collection,
	directoryLocator,
	reuseOption,
} from '../../descriptions/common.descriptions';
import type { ReuseLookup } from '../../helpers/reuse';
import { routedOperation } from '../../helpers/routedOperation';
import { fieldError, requireId, requireText } from '../../helpers/validation';
import { retryPolicyOf } from '../../descriptions/requestOptions.description';
import { resolveIndex } from './common';

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

/** The spec's values of the option fields (an expression can produce anything). */
const CHOICES: Array<{ parameter: string; field: string; values: string[] }> = [
	{
		parameter: 'syncFrequency',
		field: 'Sync Frequency',
		values: ['manual', 'daily', 'on_source_change'],
	},
	{ parameter: 'vectorTarget', field: 'Vector Target', values: ['DEFAULT', 'DISABLED'] },
	{ parameter: 'storeAttachments', field: 'Store Attachments', values: ['screenshots', 'items'] },
];

/** preSend of Create: option fields hold one of the values LlamaCloud accepts, or fail naming it. */
async function checkChoices(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const fields = this.getNodeParameter('additionalFields', {}) as IDataObject;
	for (const { parameter, field, values } of CHOICES) {
		const value = fields[parameter];
		if (value === undefined) continue;
		const given = Array.isArray(value) ? value : [value];
		const wrong = given.find((v) => !values.includes(String(v)));
		if (wrong !== undefined)
			throw fieldError(
				this,
				this.getItemIndex(),
				`"${field}"`,
				`must be ${values.join(', ')}${Array.isArray(value) ? ' (any of them)' : ''} (got ${JSON.stringify(wrong)})`,
			);
	}
	return requestOptions;
}

/** Create with "Reuse Existing": an index over the same source directory (and name, when given). */
const reuseIndex = (ctx: IExecuteSingleFunctions): ReuseLookup => {
	const name = String(ctx.getNodeParameter('additionalFields.name', '') ?? '').trim();
	const sourceDirectoryId = String(
		ctx.getNodeParameter('sourceDirectoryId', '', { extractValue: true }) ?? '',
	).trim();
	return {
		path: '/api/v1/indexes',
		qs: { source_directory_id: sourceDirectoryId },
		identity: name,
		matches: (index) =>
			index.source_directory_id === sourceDirectoryId && (!name || index.name === name),
		// By whichever of its ids the service takes (actions/index/common.ts).
		url: async (existing) =>
			(
				await resolveIndex(
					ctx,
					String(existing.id),
					ctx.getItemIndex(),
					retryPolicyOf(ctx, ctx.getItemIndex()),
				)
			).path,
	};
};

export const option = routedOperation({
	name: 'Create',
	value: 'create',
	action: 'Create an index',
	description:
		'Create a searchable index over a source directory; LlamaCloud starts its first sync by itself',
	method: 'POST',
	url: '/api/v1/indexes',
	preSend: [
		requireId('sourceDirectoryId', 'Source Directory'),
		requireText('additionalFields.name', 'Name', { optional: true }),
		checkChoices,
		sendProducts,
	],
	create: { reuse: reuseIndex },
});

const syncFrequencies = [
	{
		name: 'Manual',
		value: 'manual',
		description: 'Only when the Sync operation (or the API) asks',
	},
	{
		name: 'Daily',
		value: 'daily',
		description:
			'Once a day. LlamaCloud accepts it, but it may not run server-side yet: only Manual is reported to; sync from a schedule to be sure.',
	},
	{
		name: 'On Source Change',
		value: 'on_source_change',
		description:
			'When files of the source directory change. LlamaCloud accepts it, but it may not run server-side yet: only Manual is reported to.',
	},
];

export const description: INodeProperties[] = [
	{
		...directoryLocator({
			name: 'sourceDirectoryId',
			displayName: 'Source Directory',
			description: 'The directory whose files the index parses',
			searchListMethod: 'searchUserDirectories',
		}),
		hint: 'Runs once per input item: items with the same source directory and settings share one index',
		// The engine sends a resource locator's extracted value.
		routing: { send: { type: 'body', property: 'source_directory_id' } },
	},
	collection('additionalFields', [
		bodyField('Name', 'name', 'name', "Name of the index; defaults to the source directory's name"),
		bodyField('Description', 'description', 'description'),
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
	collection('options', [
		reuseOption(
			'Whether to output the existing index over this source directory (with this name, if one is set) instead of creating another one',
		),
	]),
];
