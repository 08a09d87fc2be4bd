import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** The description every stand-in starts from: the real node's name, one main input and output. */
export const base = (name: string, displayName: string): INodeTypeDescription => ({
	displayName,
	name,
	group: ['input'],
	version: [1, 1.1],
	description: `${displayName} (in-process stand-in)`,
	defaults: { name: displayName },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	properties: [],
});
