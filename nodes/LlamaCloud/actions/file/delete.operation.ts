/**
 * File → Delete (routed), by ID or by unique ID. By unique ID, a preSend looks the file up
 * and points the URL at it. Outputs `{ deleted: true, id }` with the directory file's ID.
 */
import type {
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
	PostReceiveAction,
} from 'n8n-workflow';

import { fileLocator } from '../../descriptions/common.descriptions';
import { routedOperation } from '../../helpers/routedOperation';
import { apiPath, guardHook } from '../../transport';
import {
	directoryIdOf,
	fileByUniqueId,
	fileDirectoryLocator,
	FILE_URL,
	locatorValue,
	noFileWithUniqueId,
	requireDirectory,
	requireFile,
	uniqueIdLookup,
	uniqueIdOf,
} from './common';

/**
 * The directory_file_id each Delete by Unique ID resolved, by item context, for its output:
 * the DELETE answers with an empty body and postReceive does not see the request.
 */
const resolvedFileIds = new WeakMap<IExecuteSingleFunctions, string>();

/** preSend of Delete by Unique ID: finds the file's directory_file_id and points the URL at it. */
export async function resolveUniqueIdForDelete(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const uniqueId = uniqueIdOf(this);
	const directoryId = directoryIdOf(this);
	const path = apiPath`/api/v1/beta/directories/${directoryId}/files`;
	const file = await fileByUniqueId(this, path, uniqueId);
	if (!file) throw noFileWithUniqueId(this, uniqueId, directoryId);
	const fileId = String(file.id);
	resolvedFileIds.set(this, fileId);
	requestOptions.url = apiPath`/api/v1/beta/directories/${directoryId}/files/${fileId}`;
	return requestOptions;
}

/** postReceive of Delete: `{ deleted: true, id }`, the id being the directory file's. */
export const fileDeleted: PostReceiveAction = async function (
	this: IExecuteSingleFunctions,
): Promise<INodeExecutionData[]> {
	const id = resolvedFileIds.get(this) ?? String(locatorValue(this, 'fileId') ?? '').trim();
	return [{ json: { deleted: true, id } }];
};

export const option = routedOperation({
	name: 'Delete',
	value: 'delete',
	action: 'Delete a file',
	description: 'Remove a file from a directory, by ID or by unique ID',
	method: 'DELETE',
	// With "Delete By: Unique ID", resolveUniqueIdForDelete replaces the file part of the URL.
	url: FILE_URL,
	preSend: [requireDirectory],
	postReceive: [fileDeleted],
});

export const description: INodeProperties[] = [
	fileDirectoryLocator,
	fileLocator({ displayOptions: { hide: { deleteBy: ['uniqueId'] } } }),
	{
		displayName: 'Delete By',
		name: 'deleteBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'ID', value: 'id', routing: { send: { preSend: [guardHook(requireFile)] } } },
			{
				name: 'Unique ID',
				value: 'uniqueId',
				description: 'Look the file up by the unique ID it has in the directory',
				routing: { send: { preSend: [guardHook(resolveUniqueIdForDelete)] } },
			},
		],
		default: 'id',
	},
	uniqueIdLookup({ displayOptions: { show: { deleteBy: ['uniqueId'] } } }),
];
