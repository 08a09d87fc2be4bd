/**
 * The fields of an upload that Upload and Mirror share (prepare.ts reads them): the binary
 * property, the unique ID, Additional Fields and Options.
 */
import type { INodeProperties } from 'n8n-workflow';

import { collection } from '../../../descriptions/common.descriptions';
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_FILE_SIZE_MB, MAX_CONCURRENCY } from './prepare';

export const binaryPropertyField: INodeProperties = {
	displayName: 'Input Binary Field',
	name: 'binaryPropertyName',
	type: 'string',
	required: true,
	default: 'data',
	hint: 'The name of the input binary field containing the file to upload',
};

export const uniqueIdField = (description: string): INodeProperties => ({
	displayName: 'Unique ID',
	name: 'uniqueId',
	type: 'string',
	default: '',
	placeholder: 'e.g. contracts/2026/acme.pdf',
	description,
});

export const uploadAdditionalFields = collection('additionalFields', [
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		description: 'Name shown for the file; defaults to the file name',
	},
	{
		displayName: 'External File ID',
		name: 'externalFileId',
		type: 'string',
		default: '',
		description: "The file's ID in the system it comes from; also the default unique ID",
	},
]);

/** The upload options, with any options of the operation's own (sorted in by name). */
export function uploadOptions(own: INodeProperties[] = []): INodeProperties {
	const shared: INodeProperties[] = [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
			default: DEFAULT_CONCURRENCY,
			description:
				'How many items upload at the same time. LlamaCloud rate-limits uploads per project; rate-limited items are retried.',
		},
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			description: "File name to send instead of the binary data's own",
		},
		{
			displayName: 'Max File Size (MB)',
			name: 'maxFileSizeMb',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_FILE_SIZE_MB,
			description:
				'Larger files are refused before anything is sent. LlamaCloud accepts up to 512 MB.',
		},
		{
			displayName: 'MIME Type',
			name: 'mimeType',
			type: 'string',
			default: '',
			placeholder: 'e.g. application/pdf',
			description: "MIME type to send instead of the binary data's own",
		},
	];
	const options = [...shared, ...own].sort((a, b) => a.displayName.localeCompare(b.displayName));
	return collection('options', options);
}
