/**
 * File → Update (routed): display name, unique ID, metadata, or a move to another directory.
 * It must change something: a PATCH with nothing in it would only bump updated_at.
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { collection, directoryLocator, fileLocator } from '../../descriptions/common.descriptions';
import { metadataFields } from '../../descriptions/metadata.description';
import { sendMetadata } from '../../helpers/metadata';
import { routedOperation } from '../../helpers/routedOperation';
import { fieldError, requireId } from '../../helpers/validation';
import {
	displayNameField,
	fileDirectoryLocator,
	FILE_URL,
	optionalText,
	requireDirectory,
	requireFile,
	uniqueIdBodyField,
} from './common';

/** preSend: Update Fields or Metadata must set something. */
export async function requireFileChange(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const updateFields = this.getNodeParameter('updateFields', {}) as IDataObject;
	const metadataInput = this.getNodeParameter('metadataInput', 'none') as string;
	if (Object.keys(updateFields ?? {}).length === 0 && metadataInput === 'none') {
		throw fieldError(
			this,
			this.getItemIndex(),
			'"Update Fields"',
			'must set at least one field',
			'Add a field to change, set Metadata, or both.',
		);
	}
	return requestOptions;
}

export const option = routedOperation({
	name: 'Update',
	value: 'update',
	action: 'Update a file',
	description:
		"Change a file's display name, unique ID or metadata, or move it to another directory",
	method: 'PATCH',
	url: FILE_URL,
	preSend: [
		requireDirectory,
		requireFile,
		requireFileChange,
		optionalText('updateFields.displayName', 'Display Name'),
		optionalText('updateFields.uniqueId', 'Unique ID'),
		requireId('updateFields.targetDirectoryId', 'Move to Directory', { optional: true }),
		sendMetadata,
	],
});

export const description: INodeProperties[] = [
	fileDirectoryLocator,
	fileLocator(),
	collection('updateFields', [
		displayNameField,
		{
			...directoryLocator({
				name: 'targetDirectoryId',
				displayName: 'Move to Directory',
				description: 'Move the file to this directory (of the same project)',
				required: false,
			}),
			// The spec's move field; a body `directory_id` (the older reference's) is ignored by the API.
			routing: { send: { type: 'body', property: 'target_directory_id' } },
		},
		uniqueIdBodyField,
	]),
	...metadataFields(),
];
