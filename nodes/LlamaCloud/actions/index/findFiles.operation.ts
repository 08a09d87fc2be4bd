/**
 * Index → Find Files: the files of an index by name, for agents that browse documents. Their
 * IDs are what Grep File, Read File and Retrieve's "File IDs" filter take. A custom operation
 * for the index's two IDs (retrieval/client.ts); pages follow the cursor in the request body.
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
import { RETRIEVAL_PATHS } from './retrieval/client';
import {
	collectList,
	type ListPlan,
	planFor,
	readLimit,
	retrievalOperation,
} from './retrieval/operation';

export const option: INodePropertyOptions & { value: 'findFiles' } = {
	name: 'Find Files',
	value: 'findFiles',
	action: 'Find files in an index by name',
	description:
		'List the files of an index, or those whose name matches, with the IDs to read or grep them by',
};

export const description: INodeProperties[] = [
	indexLocator({ description: 'The index whose files to list (its ID or its export config ID)' }),
	...returnAllAndLimit(),
	collection('filters', [
		{
			displayName: 'Name',
			name: 'fileName',
			type: 'string',
			default: '',
			description: 'Only the file with exactly this name',
		},
		{
			displayName: 'Name Contains',
			name: 'fileNameContains',
			type: 'string',
			default: '',
			description: 'Only files whose name contains this text (any case)',
		},
	]),
];

function readPlan(ctx: IExecuteFunctions, itemIndex: number): ListPlan {
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	// Left out when empty: an empty name would match only files named "".
	if (filters.fileName) body.file_name = String(filters.fileName);
	if (filters.fileNameContains) body.file_name_contains = String(filters.fileNameContains);
	return { ...planFor(ctx, itemIndex, body), limit: readLimit(ctx, itemIndex) };
}

export const execute = retrievalOperation(readPlan, async (plan, itemIndex, session) =>
	collectList(RETRIEVAL_PATHS.find, plan, itemIndex, session),
);
