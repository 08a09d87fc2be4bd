/**
 * File → Upload: a custom operation (routing cannot stream a binary into a multipart body nor
 * run items concurrently). Every item is checked before anything is sent; then the items
 * upload through a bounded pool, each streamed from n8n's binary data service, retried on its
 * own (429/5xx, Retry-After) and reconciled by unique ID when a connection drops mid-request.
 * Output order and pairedItem follow the input.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { directoryLocator } from '../../descriptions/common.descriptions';
import { metadataFields } from '../../descriptions/metadata.description';
import { errorItem } from '../../transport';
import {
	binaryPropertyField,
	uniqueIdField,
	uploadAdditionalFields,
	uploadOptions,
} from './upload/fields';
import { fingerprintFields } from './upload/fingerprint';
import { KeyedQueue } from './upload/keyedQueue';
import { runPool } from './upload/pool';
import { listForLookups } from './upload/listing';
import { concurrencyOf, prepareUpload, type UploadJob } from './upload/prepare';
import { uploadOne } from './upload/send';
import { itemError, settle } from './upload/settle';

export const option: INodePropertyOptions & { value: 'upload' } = {
	name: 'Upload',
	value: 'upload',
	action: 'Upload a file',
	description:
		'Upload a file from a binary property into a directory (streamed; many items in parallel)',
};

export const description: INodeProperties[] = [
	directoryLocator({
		description: 'The directory to upload the file into',
		// Index output directories hold an index's chunks: not a place to upload to.
		searchListMethod: 'searchUserDirectories',
	}),
	binaryPropertyField,
	uniqueIdField(
		'Identifies the file within the directory, e.g. its path in the source system. Defaults to the External File ID, else the file name.',
	),
	{
		displayName: 'If a File with This Unique ID Exists',
		name: 'onConflict',
		type: 'options',
		options: [
			{
				name: 'Keep Both',
				value: 'keepBoth',
				description: 'Upload the new file under a numbered unique ID, e.g. "report (2).pdf"',
			},
			{
				name: 'Replace',
				value: 'replace',
				description:
					'Upload the new file, then remove the old one; the old one stays if the upload fails',
			},
			{
				name: 'Replace If Changed',
				value: 'replaceIfChanged',
				description:
					'Replace the file only when its fingerprint differs from the one stored with it; keep it otherwise',
			},
			{
				name: 'Skip',
				value: 'skip',
				description: 'Keep the existing file and output it with "skipped": true',
			},
		],
		default: 'skip',
		description: 'What to do when the directory already has a file with this unique ID',
	},
	...fingerprintFields({ show: { onConflict: ['replaceIfChanged'] } }),
	...metadataFields(),
	uploadAdditionalFields,
	uploadOptions(),
];

/** Checks every item, then uploads them through the pool. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const output: Array<INodeExecutionData | undefined> = new Array(items.length);
	const fail = (itemIndex: number, error: unknown) => {
		const failure = itemError(this, error, itemIndex);
		if (!continueOnFail) return failure;
		output[itemIndex] = errorItem(failure, itemIndex);
		return undefined;
	};

	// 1. Check every item before sending anything: bad input never leaves a half-done batch.
	const concurrency = concurrencyOf(this);
	const jobs: UploadJob[] = [];
	for (let i = 0; i < items.length; i++) {
		const prepared = await settle(prepareUpload(this, i));
		if (prepared.ok) {
			jobs.push(prepared.value);
			continue;
		}
		const failure = fail(i, prepared.error);
		if (failure) throw failure;
	}

	// 2. One listing per directory answers the uploads' look-ups, when there are enough of them.
	const listings = await listForLookups(this, jobs);
	for (const job of jobs) job.known = listings.get(job.directoryId);

	// 3. Upload. Without continue-on-fail the first failure stops new uploads; those already
	// running finish (a Replace is never cut between its steps) before the node fails.
	const queue = new KeyedQueue();
	const cancelled = () => this.getExecutionCancelSignal()?.aborted === true;
	await runPool(
		jobs.length,
		concurrency,
		async (n) => {
			const job = jobs[n];
			const key = `${job.directoryId}\u0000${job.uniqueId}`;
			const result = await settle(queue.run(key, async () => await uploadOne(this, job)));
			if (result.ok) {
				output[job.itemIndex] = {
					json: result.value as IDataObject,
					pairedItem: { item: job.itemIndex },
				};
				return;
			}
			const failure = fail(job.itemIndex, result.error);
			if (failure) throw failure;
		},
		cancelled,
	);

	return [output.filter((item): item is INodeExecutionData => item !== undefined)];
}
