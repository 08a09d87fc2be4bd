/** Directory → Update (routed): name and description; it must change something. */
import type { INodeProperties } from 'n8n-workflow';

import { bodyField, collection, directoryLocator } from '../../descriptions/common.descriptions';
import { routedOperation } from '../../helpers/routedOperation';
import { requireSomeField, requireText } from '../../helpers/validation';
import { DIRECTORY_URL, requireDirectory } from './common';

export const option = routedOperation({
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
});

export const description: INodeProperties[] = [
	directoryLocator(),
	collection('updateFields', [
		bodyField('Name', 'name', 'name'),
		bodyField('Description', 'description', 'description'),
	]),
];
