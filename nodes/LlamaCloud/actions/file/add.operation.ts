/**
 * File → Add (routed): puts a file already stored in LlamaCloud (Files API) into a directory.
 * A lost answer is reconciled by the unique ID, when one is set.
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeProperties,
} from 'n8n-workflow';

import { collection } from '../../descriptions/common.descriptions';
import { metadataFields } from '../../descriptions/metadata.description';
import { sendMetadata } from '../../helpers/metadata';
import { routedOperation } from '../../helpers/routedOperation';
import { requireText } from '../../helpers/validation';
import {
	displayNameField,
	fileByUniqueId,
	fileDirectoryLocator,
	FILES_URL,
	optionalText,
	requireDirectory,
	uniqueIdBodyField,
} from './common';

/**
 * Reconciliation of Add when its answer was lost: the directory file holding the unique ID the
 * request sent, if it is the stored file the request added. Another file under that unique ID
 * means ours was not added (sending again gets the API's 409). Without a unique ID in the
 * request the API derives one, and a match could be an older copy: that cannot be told (null).
 */
export async function reconcileAdd(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<IDataObject | null | undefined> {
	const body = (requestData.options.body ?? {}) as IDataObject;
	const uniqueId = typeof body.unique_id === 'string' ? body.unique_id : '';
	if (!uniqueId) return null;
	const file = await fileByUniqueId(this, String(requestData.options.url ?? ''), uniqueId);
	return file && file.file_id === body.file_id ? file : undefined;
}

export const option = routedOperation({
	name: 'Add',
	value: 'add',
	action: 'Add a file to a directory',
	description: 'Add a file already stored in LlamaCloud to a directory, by its file ID',
	method: 'POST',
	url: FILES_URL,
	preSend: [
		requireDirectory,
		requireText('storageFileId', 'File ID'),
		optionalText('additionalFields.displayName', 'Display Name'),
		optionalText('additionalFields.uniqueId', 'Unique ID'),
		sendMetadata,
	],
	reconcile: reconcileAdd,
});

export const description: INodeProperties[] = [
	fileDirectoryLocator,
	{
		displayName: 'File ID',
		name: 'storageFileId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6',
		description:
			'ID of a file already stored in the project (the ID the Files API returns), not the ID of a directory file',
		routing: { send: { type: 'body', property: 'file_id', value: '={{ String($value).trim() }}' } },
	},
	collection('additionalFields', [displayNameField, uniqueIdBodyField]),
	...metadataFields(),
];
