/**
 * File → Mirror: keeps a directory equal to a source (a folder, Google Drive, S3, SharePoint),
 * given as all the input items together. One listing of the directory, then new files are
 * uploaded, changed ones replaced, unchanged ones left alone (compared by fingerprint), and the
 * files of the mirror's scope that the source no longer has are deleted, within safety limits.
 * A custom operation: the run is one plan over every item (mirror/run.ts).
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { directoryLocator } from '../../descriptions/common.descriptions';
import { metadataFields } from '../../descriptions/metadata.description';
import { buildWaitFields } from '../index/sync/buildWait';
import { runMirror } from './mirror/run';
import {
	binaryPropertyField,
	uniqueIdField,
	uploadAdditionalFields,
	uploadOptions,
} from './upload/fields';
import { fingerprintFields } from './upload/fingerprint';

export const option: INodePropertyOptions & { value: 'mirror' } = {
	name: 'Mirror',
	value: 'mirror',
	action: 'Mirror files into a directory',
	description:
		'Keep a directory equal to the input files (one-way sync): upload new, replace changed, delete removed',
};

const forScope = (scope: string) => ({ show: { scope: [scope] } });

export const description: INodeProperties[] = [
	directoryLocator({
		description: 'The directory to keep equal to the input',
		searchListMethod: 'searchUserDirectories',
	}),
	{
		displayName:
			'All input items together are the source: files of the scope that no item has are deleted. Run with "Dry Run" first to see the plan.',
		name: 'mirrorNotice',
		type: 'notice',
		default: '',
	},
	binaryPropertyField,
	uniqueIdField(
		"The file's ID in the source, e.g. its path: how the next run recognises it. Defaults to the External File ID, else the file name.",
	),
	...fingerprintFields(),
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		options: [
			{
				name: 'Whole Directory',
				value: 'directory',
				description: 'Every file of the directory belongs to the mirror',
			},
			{
				name: 'Unique ID Prefix',
				value: 'prefix',
				description:
					'Only files whose unique ID starts with a prefix, e.g. one mirror per source folder',
			},
			{
				name: 'Metadata Tag',
				value: 'tag',
				description:
					'Only files tagged with a metadata value, which the mirror sets on its uploads',
			},
		],
		default: 'directory',
		description:
			'Which files of the directory the mirror owns: it never replaces or deletes others',
	},
	{
		displayName: 'Unique ID Prefix',
		name: 'scopePrefix',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. hr/',
		description: "Every item's unique ID must start with it",
		displayOptions: forScope('prefix'),
	},
	{
		displayName: 'Tag Key',
		name: 'scopeTagKey',
		type: 'string',
		default: 'mirror',
		required: true,
		description: 'The metadata key of the tag',
		displayOptions: forScope('tag'),
	},
	{
		displayName: 'Tag Value',
		name: 'scopeTagValue',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. google-drive-hr',
		displayOptions: forScope('tag'),
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to only report what the mirror would add, replace and delete, changing nothing',
	},
	{
		displayName: 'Max Deletions',
		name: 'maxDeletions',
		type: 'number',
		typeOptions: { minValue: 0 },
		// Literal defaults (the scanner reads them off the source): DEFAULT_MAX_DELETIONS's.
		default: 50,
		description:
			'A run that would delete more is refused before it changes anything (a source that suddenly lists few files is more often broken than emptied)',
	},
	{
		displayName: 'Max Deletions In',
		name: 'maxDeletionsUnit',
		type: 'options',
		options: [
			{ name: 'Percent of the Files in Scope', value: 'percent' },
			{ name: 'Files', value: 'files' },
		],
		default: 'percent',
	},
	{
		displayName: 'Sync Index',
		name: 'syncIndex',
		type: 'boolean',
		default: false,
		description:
			'Whether to sync the indexes built from the directory once the run has changed files',
	},
	...buildWaitFields({ syncIndex: [true] }),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Report',
				value: 'report',
				description:
					'One item: counts and unique IDs of added, replaced, unchanged, deleted, failed',
			},
			{
				name: 'Report and One Item per File',
				value: 'reportAndFiles',
				description: 'The report, then an item per file with its action',
			},
		],
		default: 'report',
	},
	...metadataFields(),
	uploadAdditionalFields,
	uploadOptions(),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runMirror(this);
}
