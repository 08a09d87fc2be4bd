/** File → Get (routed): a file of a directory by its ID. */
import type { INodeProperties } from 'n8n-workflow';

import { fileLocator } from '../../descriptions/common.descriptions';
import { routedOperation } from '../../helpers/routedOperation';
import { fileDirectoryLocator, FILE_URL, requireDirectory, requireFile } from './common';

export const option = routedOperation({
	name: 'Get',
	value: 'get',
	action: 'Get a file',
	description: 'Retrieve a file of a directory by its ID',
	method: 'GET',
	url: FILE_URL,
	preSend: [requireDirectory, requireFile],
});

export const description: INodeProperties[] = [fileDirectoryLocator, fileLocator()];
