/**
 * File → Get by Unique ID (routed). The API has no lookup by unique ID: the request lists the
 * directory with the unique_id filter and the postReceive keeps the one exact match.
 */
import type {
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
	PostReceiveAction,
} from 'n8n-workflow';

import type { DirectoryFile, ListPage } from '../../helpers/interfaces';
import { routedOperation } from '../../helpers/routedOperation';
import { apiPath, checkPage, connection } from '../../transport';
import {
	directoryIdOf,
	fileDirectoryLocator,
	FILES_URL,
	noFileWithUniqueId,
	pickByUniqueId,
	requireDirectory,
	uniqueIdLookup,
	uniqueIdOf,
} from './common';

/** preSend: checks the unique ID and sends it as the list filter. */
export async function filterByUniqueId(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	requestOptions.qs = { ...requestOptions.qs, unique_id: uniqueIdOf(this) };
	return requestOptions;
}

/** postReceive: the one matching file, or a 404 naming the item. */
export const expectOneFile: PostReceiveAction = async function (
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const uniqueId = uniqueIdOf(this);
	const directoryId = directoryIdOf(this);
	const request = {
		method: 'GET',
		baseUrl: (await connection(this, this.getItemIndex())).baseUrl,
		path: apiPath`/api/v1/beta/directories/${directoryId}/files`,
		itemIndex: this.getItemIndex(),
	};
	const page = checkPage(this, items[0]?.json, request) as unknown as ListPage<DirectoryFile>;
	const file = pickByUniqueId(page.items, uniqueId);
	if (!file) throw noFileWithUniqueId(this, uniqueId, directoryId);
	return [{ json: file }];
};

export const option = routedOperation({
	name: 'Get by Unique ID',
	value: 'getByUniqueId',
	action: 'Get a file by unique ID',
	description: 'Retrieve a file of a directory by the unique ID it was added with',
	method: 'GET',
	url: FILES_URL,
	preSend: [requireDirectory, filterByUniqueId],
	postReceive: [expectOneFile],
});

export const description: INodeProperties[] = [fileDirectoryLocator, uniqueIdLookup()];
