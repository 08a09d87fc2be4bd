/** Index → Get (routed): the index with its build state. */
import type { INodeProperties } from 'n8n-workflow';

import { indexLocator } from '../../descriptions/common.descriptions';
import { routedOperation } from '../../helpers/routedOperation';
import { INDEX_URL, requireIndex, sendToIndex } from './common';

export const option = routedOperation({
	name: 'Get',
	value: 'get',
	action: 'Get an index',
	description: 'Retrieve an index with its build state',
	method: 'GET',
	url: INDEX_URL,
	preSend: [requireIndex],
	send: sendToIndex,
});

export const description: INodeProperties[] = [indexLocator()];
