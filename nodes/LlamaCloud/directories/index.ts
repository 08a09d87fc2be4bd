/** Directory: Create, Get, Get Many, Update, Delete (routed). */
import type { INodeProperties } from 'n8n-workflow';

import {
	bodyField,
	collection,
	deletedOutput,
	directoryLocator,
	includeDeletedFilter,
	pathParam,
	queryField,
	returnAllAndLimit,
	routedOperation,
} from '../shared/descriptions';
import { reuseExisting, reuseOption } from '../shared/reuse';
import { apiPath } from '../transport';
import { requireId, requireSomeField, requireText } from '../shared/validation';

const show = (operation: string[]) => ({ show: { resource: ['directory'], operation } });
const DIRECTORY_URL = `=/api/v1/beta/directories/${pathParam('directoryId')}`;
const requireDirectory = requireId('directoryId', 'Directory');

/** Create with "Reuse Existing": a directory of the same exact name. */
const reuseDirectory = reuseExisting((ctx) => ({
	path: '/api/v1/beta/directories',
	qs: { name: String(ctx.getNodeParameter('name', '')).trim() },
	url: (existing) => apiPath`/api/v1/beta/directories/${existing.id}`,
}));

export const directoryOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['directory'] } },
	default: 'create',
	options: [
		routedOperation({
			name: 'Create',
			value: 'create',
			action: 'Create a directory',
			description: 'Create a directory to upload files into',
			method: 'POST',
			url: '/api/v1/beta/directories',
			preSend: [
				requireText('name', 'Name'),
				requireText('additionalFields.dataSourceId', 'Data Source ID', { optional: true }),
				reuseDirectory,
			],
		}),
		routedOperation({
			name: 'Delete',
			value: 'delete',
			action: 'Delete a directory',
			description: 'Permanently delete a directory and its files',
			method: 'DELETE',
			url: DIRECTORY_URL,
			preSend: [requireDirectory],
			postReceive: [deletedOutput('$parameter["directoryId"]')],
		}),
		routedOperation({
			name: 'Get',
			value: 'get',
			action: 'Get a directory',
			description: 'Retrieve a directory by ID',
			method: 'GET',
			url: DIRECTORY_URL,
			preSend: [requireDirectory],
		}),
		routedOperation({
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many directories',
			description: 'List directories of the project',
			method: 'GET',
			url: '/api/v1/beta/directories',
			list: true,
		}),
		routedOperation({
			name: 'Update',
			value: 'update',
			action: 'Update a directory',
			description: "Change a directory's name or description",
			method: 'PATCH',
			url: DIRECTORY_URL,
			preSend: [
				requireDirectory,
				requireSomeField('updateFields', 'Update Fields'),
				requireText('updateFields.name', 'Name', { optional: true }),
			],
		}),
	],
};

export const directoryFields: INodeProperties[] = [
	directoryLocator(show(['get', 'update', 'delete'])),

	// Create
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Contracts 2026',
		description: 'Human-readable name for the directory',
		displayOptions: show(['create']),
		routing: { send: { type: 'body', property: 'name' } },
	},
	collection('additionalFields', show(['create']), [
		bodyField('Description', 'description', 'description', 'Description shown to users'),
		bodyField(
			'Data Source ID',
			'dataSourceId',
			'data_source_id',
			'ID of a data source the directory syncs from; it must belong to the same project',
		),
	]),

	collection('options', show(['create']), [
		reuseOption(
			'Whether to output the existing directory with this exact name instead of creating another one (useful for scheduled pipelines)',
		),
	]),

	// Update
	collection('updateFields', show(['update']), [
		bodyField('Name', 'name', 'name'),
		bodyField('Description', 'description', 'description'),
	]),

	// Get Many
	...returnAllAndLimit(show(['getAll'])),
	collection('filters', show(['getAll']), [
		queryField('Name', 'name', 'name', 'Only directories with exactly this name'),
		queryField('Data Source ID', 'dataSourceId', 'data_source_id'),
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			options: [
				{ name: 'User', value: 'user', description: 'Directories people upload files into' },
				{
					name: 'Index',
					value: 'index',
					description: 'Output directories that indexes write chunks into',
				},
			],
			default: 'user',
			routing: { send: { type: 'query', property: 'type' } },
		},
		includeDeletedFilter('directories'),
	]),
];
