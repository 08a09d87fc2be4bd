/**
 * Index → Grep File: where a regular expression matches in a file's parsed text, with the
 * offsets Read File takes and some context around each match.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import {
	collection,
	indexLocator,
	returnAllAndLimit,
} from '../../descriptions/common.descriptions';
import { requiredText } from '../../helpers/validation';
import { RETRIEVAL_PATHS } from './retrieval/client';
import { indexFileId, readFileId } from './retrieval/fields';
import {
	collectList,
	type ListPlan,
	planFor,
	readCount,
	readLimit,
	retrievalOperation,
} from './retrieval/operation';

export const option: INodePropertyOptions & { value: 'grepFile' } = {
	name: 'Grep File',
	value: 'grepFile',
	action: 'Search a file of an index for a pattern',
	description:
		"Find every match of a regular expression in a file's parsed text, with its position",
};

export const description: INodeProperties[] = [
	indexLocator({ description: 'The index the file belongs to (its ID or its export config ID)' }),
	indexFileId,
	{
		displayName: 'Pattern',
		name: 'pattern',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. revenue|profit',
		description: 'A regular expression; start it with (?i) to ignore case',
	},
	...returnAllAndLimit(),
	collection('options', [
		{
			displayName: 'Context Characters',
			name: 'contextChars',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 100,
			description: 'How many characters before and after each match to include',
		},
	]),
];

function readPlan(ctx: IExecuteFunctions, itemIndex: number): ListPlan {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = {
		file_id: readFileId(ctx, itemIndex),
		pattern: requiredText(
			ctx.getNodeParameter('pattern', itemIndex, ''),
			ctx,
			itemIndex,
			'Pattern',
		),
	};
	if (options.contextChars !== undefined)
		body.context_chars = readCount(ctx, itemIndex, options.contextChars, 'Context Characters');
	return { ...planFor(ctx, itemIndex, body), limit: readLimit(ctx, itemIndex) };
}

export const execute = retrievalOperation(readPlan, async (plan, itemIndex, session) =>
	(await collectList(RETRIEVAL_PATHS.grep, plan, itemIndex, session)).map((match) => ({
		file_id: plan.body.file_id,
		...match,
	})),
);
