/** Directory → Delete (routed): outputs `{ deleted: true, id }`. */
import type { INodeProperties } from 'n8n-workflow';

import { directoryLocator } from '../../descriptions/common.descriptions';
import { deletedOutput, routedOperation } from '../../helpers/routedOperation';
import { DIRECTORY_URL, requireDirectory } from './common';

export const option = routedOperation({
	name: 'Delete',
	value: 'delete',
	action: 'Delete a directory',
	description: 'Permanently delete a directory and its files',
	method: 'DELETE',
	url: DIRECTORY_URL,
	preSend: [requireDirectory],
	postReceive: [deletedOutput('$parameter["directoryId"]')],
});

export const description: INodeProperties[] = [directoryLocator()];
