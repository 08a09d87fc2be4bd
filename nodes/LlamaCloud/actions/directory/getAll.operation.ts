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
		{
			displayName: 'Types',
			name: 'types',
			type: 'multiOptions',
			options: [
				{ name: 'User', value: 'user', description: 'Directories people upload files into' },
				{
					name: 'Index',
					value: 'index',
					description: 'Output directories of indexes, holding the indexed files',
				},
				{
					name: 'Ephemeral',
					value: 'ephemeral',
					description: 'Directories for batch processing, with an expiry',
				},
			],
			default: [],
			description: 'Only directories of these types (any of them)',
			// A repeated `types` parameter, one per choice (the spec's array query parameter).
			routing: { send: { type: 'query', property: 'types' } },
		},
		includeDeletedFilter('directories'),
	]),
];
