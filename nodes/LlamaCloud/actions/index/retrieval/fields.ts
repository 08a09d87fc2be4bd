/** Fields several retrieval operations share. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredId } from '../../../helpers/validation';

/** A file of an index, by the ID Find Files or Retrieve give. */
export const indexFileId: INodeProperties = {
	displayName: 'File ID',
	name: 'fileId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. dfl-9a2b...',
	description: 'The file, by the ID Find Files returns or a Retrieve result cites (its file ID)',
};

export function readFileId(ctx: IExecuteFunctions, itemIndex: number): string {
	return requiredId(ctx.getNodeParameter('fileId', itemIndex, ''), ctx, itemIndex, 'File ID');
}
