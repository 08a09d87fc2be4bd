/**
 * File (a directory file): Add, Delete, Get, Get by Unique ID, Get Many, Update (routed) and
 * Upload (a custom operation, see ./upload).
 */
import type {
	IDisplayOptions,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import {
	bodyField,
	collection,
	directoryLocator,
	fileLocator,
	includeDeletedFilter,
	pathParam,
	queryField,
	returnAllAndLimit,
	routedOperation,
} from '../shared/descriptions';
import { metadataFields, sendMetadata } from '../shared/metadata';
import { requireId, requireText } from '../shared/validation';
import {
	expectOneFile,
	fileDeleted,
	filterByUniqueId,
	reconcileAdd,
	requireFileChange,
	resolveUniqueIdForDelete,
	sendDateFilter,
} from './hooks';
import { uploadFields, uploadFiles, uploadOperationOption } from './upload';

const show = (operation: string[], more: IDisplayOptions['show'] = {}): IDisplayOptions => ({
	show: { resource: ['file'], operation, ...more },
});

/** Operations of this file that are routed (Upload brings its own fields, directory included). */
const ROUTED = ['add', 'delete', 'get', 'getByUniqueId', 'getAll', 'update'];

const FILES_URL = `=/api/v1/beta/directories/${pathParam('directoryId')}/files`;
const FILE_URL = `${FILES_URL}/${pathParam('fileId')}`;

const requireDirectory = requireId('directoryId', 'Directory');
const requireFile = requireId('fileId', 'File');
const optionalText = (parameter: string, field: string) =>
	requireText(parameter, field, { optional: true });

const routedOperations: INodePropertyOptions[] = [
	routedOperation({
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
		// A lost answer is looked up by the unique ID, when one is set.
		reconcile: reconcileAdd,
	}),
	routedOperation({
		name: 'Delete',
		value: 'delete',
		action: 'Delete a file',
		description: 'Remove a file from a directory, by ID or by unique ID',
		method: 'DELETE',
		// With "Delete By: Unique ID", resolveUniqueIdForDelete replaces the file part of the URL.
		url: FILE_URL,
		preSend: [requireDirectory],
		postReceive: [fileDeleted],
	}),
	routedOperation({
		name: 'Get',
		value: 'get',
		action: 'Get a file',
		description: 'Retrieve a file of a directory by its ID',
		method: 'GET',
		url: FILE_URL,
		preSend: [requireDirectory, requireFile],
	}),
	routedOperation({
		name: 'Get by Unique ID',
		value: 'getByUniqueId',
		action: 'Get a file by unique ID',
		description: 'Retrieve a file of a directory by the unique ID it was added with',
		method: 'GET',
		// The API has no lookup by unique ID: list with the unique_id filter, keep the one match.
		url: FILES_URL,
		preSend: [requireDirectory, filterByUniqueId],
		postReceive: [expectOneFile],
	}),
	routedOperation({
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many files',
		description: 'List the files of a directory',
		method: 'GET',
		url: FILES_URL,
		list: true,
		preSend: [requireDirectory],
	}),
	routedOperation({
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
	}),
];

export const fileOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['file'] } },
	default: 'upload',
	options: [...routedOperations, uploadOperationOption].sort((a, b) =>
		a.name.localeCompare(b.name),
	),
};

/** A body field (string) shared by Add and Update. */
const displayNameField = bodyField(
	'Display Name',
	'displayName',
	'display_name',
	"Name shown for the file; defaults to the stored file's name",
);
const uniqueIdBodyField = bodyField(
	'Unique ID',
	'uniqueId',
	'unique_id',
	'Identifier of the file within the directory (for example a path or an external ID); it must be unique there',
);

/** The unique ID looked up by Get by Unique ID and Delete by Unique ID. */
const uniqueIdLookup = (displayOptions: IDisplayOptions): INodeProperties => ({
	displayName: 'Unique ID',
	name: 'uniqueId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. contracts/2026/acme.pdf',
	description: 'The unique ID the file has in the directory',
	displayOptions,
});

const dateFilter = (
	displayName: string,
	name: string,
	query: string,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'dateTime',
	default: '',
	description,
	routing: { send: { preSend: [sendDateFilter(`filters.${name}`, query, displayName)] } },
});

export const fileFields: INodeProperties[] = [
	directoryLocator(show(ROUTED), { description: 'The directory the file is in' }),
	fileLocator({ ...show(['get', 'update', 'delete']), hide: { deleteBy: ['uniqueId'] } }),

	// Delete
	{
		displayName: 'Delete By',
		name: 'deleteBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'ID', value: 'id', routing: { send: { preSend: [requireFile] } } },
			{
				name: 'Unique ID',
				value: 'uniqueId',
				description: 'Look the file up by the unique ID it has in the directory',
				routing: { send: { preSend: [resolveUniqueIdForDelete] } },
			},
		],
		default: 'id',
		displayOptions: show(['delete']),
	},
	uniqueIdLookup(show(['delete'], { deleteBy: ['uniqueId'] })),

	// Get by Unique ID
	uniqueIdLookup(show(['getByUniqueId'])),

	// Add
	{
		displayName: 'File ID',
		name: 'storageFileId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6',
		description:
			'ID of a file already stored in the project (the ID the Files API returns), not the ID of a directory file',
		displayOptions: show(['add']),
		routing: { send: { type: 'body', property: 'file_id', value: '={{ String($value).trim() }}' } },
	},
	collection('additionalFields', show(['add']), [displayNameField, uniqueIdBodyField]),

	// Update
	collection('updateFields', show(['update']), [
		displayNameField,
		{
			...directoryLocator(
				{},
				{
					name: 'targetDirectoryId',
					displayName: 'Move to Directory',
					description: 'Move the file to this directory (of the same project)',
					required: false,
				},
			),
			displayOptions: undefined,
			routing: { send: { type: 'body', property: 'directory_id' } },
		},
		uniqueIdBodyField,
	]),

	// Add and Update
	...metadataFields(show(['add', 'update'])),

	// Get Many
	...returnAllAndLimit(show(['getAll'])),
	collection('filters', show(['getAll']), [
		queryField(
			'Display Name',
			'displayName',
			'display_name',
			'Only files with exactly this display name',
		),
		queryField('File ID', 'fileId', 'file_id', 'Only directory files of this stored file'),
		includeDeletedFilter('files'),
		queryField(
			'Name Contains',
			'displayNameContains',
			'display_name_contains',
			'Only files whose display name contains this text',
		),
		queryField('Unique ID', 'uniqueId', 'unique_id', 'Only the file with this unique ID'),
		dateFilter(
			'Updated After',
			'updatedAfter',
			'updated_at_on_or_after',
			'Only files updated at or after this time',
		),
		dateFilter(
			'Updated Before',
			'updatedBefore',
			'updated_at_on_or_before',
			'Only files updated at or before this time',
		),
	]),

	// Upload
	...uploadFields,
];

export const fileCustomOperations: Record<
	string,
	(this: IExecuteFunctions) => Promise<INodeExecutionData[][]>
> = {
	upload: uploadFiles,
};
