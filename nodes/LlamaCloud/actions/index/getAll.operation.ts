/** Index → Get Many (routed, cursor-paginated). */
import type { INodeProperties } from 'n8n-workflow';

import {
	collection,
	directoryLocator,
	returnAllAndLimit,
} from '../../descriptions/common.descriptions';
import { routedOperation } from '../../helpers/routedOperation';

export const option = routedOperation({
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many indexes',
	description: 'List indexes of the project',
	method: 'GET',
	url: '/api/v1/indexes',
	list: true,
});

export const description: INodeProperties[] = [
	...returnAllAndLimit(),
	collection('filters', [
		{
			...directoryLocator({
				name: 'sourceDirectoryId',
				displayName: 'Source Directory',
				description: 'Only indexes built from this directory',
				required: false,
			}),
			routing: { send: { type: 'query', property: 'source_directory_id' } },
		},
	]),
];
