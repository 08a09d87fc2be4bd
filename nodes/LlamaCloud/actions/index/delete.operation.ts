/** Index → Delete (routed): outputs `{ deleted: true, id }`. */
import type { INodeProperties } from 'n8n-workflow';

import { indexLocator } from '../../descriptions/common.descriptions';
import { deletedOutput, routedOperation } from '../../helpers/routedOperation';
import { INDEX_URL, requireIndex } from './common';

export const option = routedOperation({
	name: 'Delete',
	value: 'delete',
	action: 'Delete an index',
	description: 'Delete an index and its output directory',
	method: 'DELETE',
	url: INDEX_URL,
	preSend: [requireIndex],
	postReceive: [deletedOutput('$parameter["indexId"]')],
});

export const description: INodeProperties[] = [indexLocator()];
