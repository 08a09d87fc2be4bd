/**
 * The input items as Mirror's source: each checked as an upload (prepare.ts) and against the
 * mirror (one directory, the scope, one item per unique ID), before any request.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DirectoryFile } from '../../../helpers/interfaces';
import { fieldError } from '../../../helpers/validation';
import { addMetadata, checkOwnKeys } from '../upload/fingerprint';
import { prepareUpload, type UploadJob } from '../upload/prepare';
import { describeScope, type MirrorSettings } from './settings';

/**
 * An item with neither JSON nor binary data: what a node with "Always Output Data" emits when
 * it found nothing. An input of only such items is an empty source.
 */
export function isPlaceholder(item: INodeExecutionData): boolean {
	return Object.keys(item.json ?? {}).length === 0 && Object.keys(item.binary ?? {}).length === 0;
}

/** Item `itemIndex` as an upload of the mirror, checked. */
export async function prepareSource(
	ctx: IExecuteFunctions,
	itemIndex: number,
	settings: MirrorSettings,
): Promise<UploadJob> {
	const job = await prepareUpload(ctx, itemIndex, { onConflict: 'replaceIfChanged' });
	if (job.directoryId !== settings.directoryId) {
		throw fieldError(
			ctx,
			itemIndex,
			'"Directory"',
			`is ${job.directoryId} for this item, but ${settings.directoryId} for item 0`,
			'A mirror keeps one directory equal to the whole input: every item must name the same directory.',
		);
	}
	const { scope } = settings;
	if (scope.kind === 'prefix' && !job.uniqueId.startsWith(scope.prefix)) {
		throw fieldError(
			ctx,
			itemIndex,
			`Unique ID '${job.uniqueId}'`,
			`is outside the mirror's scope (${describeScope(scope)})`,
			'Every file of the source needs a unique ID with the prefix, e.g. an expression such as {{ "' +
				scope.prefix +
				'" + $json.path }}; otherwise the next run could not tell it belongs to the mirror.',
		);
	}
	if (scope.kind === 'tag') {
		checkOwnKeys(ctx, job, [scope.key]);
		addMetadata(job, { [scope.key]: scope.value });
	}
	return job;
}

/** The jobs sharing a unique ID with another (every one of them: which would be the source?). */
export function duplicateIds(jobs: UploadJob[]): Map<string, number[]> {
	const items = new Map<string, number[]>();
	for (const job of jobs)
		items.set(job.uniqueId, [...(items.get(job.uniqueId) ?? []), job.itemIndex]);
	for (const [uniqueId, indexes] of items) if (indexes.length < 2) items.delete(uniqueId);
	return items;
}

export function duplicateError(
	ctx: IExecuteFunctions,
	job: UploadJob,
	itemIndexes: number[],
): NodeOperationError {
	const others = itemIndexes.filter((i) => i !== job.itemIndex);
	return fieldError(
		ctx,
		job.itemIndex,
		`Unique ID '${job.uniqueId}'`,
		`is also the unique ID of item(s) ${others.join(', ')}`,
		'A mirror needs one item per file: give files with the same name a unique ID that tells them apart, e.g. their path ({{ $json.path }}).',
	);
}

/** A unique ID of the source held by a file the mirror may not touch. */
export function outOfScopeError(
	ctx: IExecuteFunctions,
	job: UploadJob,
	holder: DirectoryFile,
	settings: MirrorSettings,
): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`Unique ID '${job.uniqueId}' belongs to file ${holder.id}, which is outside the mirror's scope (${describeScope(settings.scope)}) [item ${job.itemIndex}]`,
		{
			itemIndex: job.itemIndex,
			description:
				'The mirror never changes files outside its scope. Delete or rename that file, widen the scope, or give this item another unique ID.',
		},
	);
}
