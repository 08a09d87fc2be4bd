/** Directory → Get Many (routed, cursor-paginated). */
import type { INodeProperties } from 'n8n-workflow';

import {
	collection,
	includeDeletedFilter,
	queryField,
	returnAllAndLimit,
} from '../../descriptions/common.descriptions';
import { routedOperation } from '../../helpers/routedOperation';

export const option = routedOperation({
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many directories',
	description: 'List directories of the project',
	method: 'GET',
	url: '/api/v1/beta/directories',
	list: true,
});

export const description: INodeProperties[] = [
	...returnAllAndLimit(),
	collection('filters', [
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
