/**
 * Index → Read File: a file's parsed text, whole or a window of it. The output's next_offset
 * is where the following window starts, so an agent can read a long file piece by piece.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { collection, indexLocator } from '../../descriptions/common.descriptions';
import { RETRIEVAL_PATHS } from './retrieval/client';
import { indexFileId, readFileId } from './retrieval/fields';
import { planFor, readCount, type RetrievalPlan, retrievalOperation } from './retrieval/operation';

export const option: INodePropertyOptions & { value: 'readFile' } = {
	name: 'Read File',
	value: 'readFile',
	action: 'Read the text of a file in an index',
	description: "Read a file's parsed text, whole or from a character offset",
};

export const description: INodeProperties[] = [
	indexLocator({ description: 'The index the file belongs to (its ID or its export config ID)' }),
	indexFileId,
	collection('options', [
		{
			displayName: 'Offset',
			name: 'offset',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Character to start at (0 is the beginning)',
		},
		{
			displayName: 'Max Length',
			name: 'maxLength',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10000,
			description: 'Max number of characters to read (all the rest when not set)',
		},
	]),
];

function readPlan(ctx: IExecuteFunctions, itemIndex: number): RetrievalPlan {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = {
		file_id: readFileId(ctx, itemIndex),
		offset: options.offset === undefined ? 0 : readCount(ctx, itemIndex, options.offset, 'Offset'),
	};
	if (options.maxLength !== undefined)
		body.max_length = readCount(ctx, itemIndex, options.maxLength, 'Max Length');
	return planFor(ctx, itemIndex, body);
}

export const execute = retrievalOperation(readPlan, async (plan, itemIndex, session) => {
	const { content = '' } = await session.post<{ content?: string }>(
		RETRIEVAL_PATHS.read,
		plan.indexId,
		plan.body,
		itemIndex,
		plan.policy,
	);
	const { offset, max_length: maxLength } = plan.body as { offset: number; max_length?: number };
	// Offsets count characters (code points), as the API does.
	const length = [...content].length;
	const complete = maxLength === undefined || length < maxLength;
	return [
		{
			file_id: plan.body.file_id,
			offset,
			content,
			length,
			next_offset: complete ? null : offset + length,
		},
	];
});
