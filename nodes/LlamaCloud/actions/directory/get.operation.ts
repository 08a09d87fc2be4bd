/** Directory → Get (routed). */
import type { INodeProperties } from 'n8n-workflow';

import { directoryLocator } from '../../descriptions/common.descriptions';
import { routedOperation } from '../../helpers/routedOperation';
import { DIRECTORY_URL, requireDirectory } from './common';

export const option = routedOperation({
	name: 'Get',
	value: 'get',
	action: 'Get a directory',
	description: 'Retrieve a directory by ID',
	method: 'GET',
	url: DIRECTORY_URL,
	preSend: [requireDirectory],
});

export const description: INodeProperties[] = [directoryLocator()];
