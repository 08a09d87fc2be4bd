/** Index → Delete (routed): outputs `{ deleted: true, id }`. */
import type { INodeProperties } from 'n8n-workflow';

import { indexLocator } from '../../descriptions/common.descriptions';
import { deletedOutput, routedOperation } from '../../helpers/routedOperation';
import { INDEX_URL, requireIndex, sendToIndex } from './common';

export const option = routedOperation({
	name: 'Delete',
	value: 'delete',
	action: 'Delete an index',
	description:
		'Delete an index (what LlamaCloud removes with it, such as its output directory, is up to the service)',
	method: 'DELETE',
	url: INDEX_URL,
	preSend: [requireIndex],
	send: sendToIndex,
	postReceive: [deletedOutput('$parameter["indexId"]')],
});

export const description: INodeProperties[] = [indexLocator()];
