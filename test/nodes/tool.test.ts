/**
 * The node as an AI agent's tool: n8n generates a "…Tool" type from `usableAsTool`, which the
 * `@tool` display condition tells apart. Its defaults are operations an agent can run.
 */
import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';

const node = new LlamaCloud().description;
const tool: INodeTypeDescription = { ...node, name: `${node.name}Tool` };

/** The parameters n8n fills in for a new node of a type with only `resource` chosen. */
const defaults = (description: INodeTypeDescription, resource: string) =>
	NodeHelpers.getNodeParameters(
		description.properties,
		{ resource },
		true,
		false,
		{ typeVersion: 1 } as never,
		description,
	);

test.each([
	['directory', 'create', 'getAll'],
	['file', 'upload', 'getAll'],
	// What an agent wants of an index is an answer: the tool starts on Retrieve.
	['index', 'get', 'retrieve'],
])('%s: the node starts on %s, the tool on %s', (resource, nodeDefault, toolDefault) => {
	expect(defaults(node, resource)?.operation).toBe(nodeDefault);
	expect(defaults(tool, resource)?.operation).toBe(toolDefault);
});

test('the tool offers no Upload (an agent has no binary file to send)', () => {
	const operations = tool.properties.find(
		(p) =>
			p.name === 'operation' &&
			p.displayOptions?.show?.['@tool'] &&
			p.displayOptions.show.resource?.[0] === 'file',
	);
	const values = (operations?.options ?? []).map((o) => (o as { value: string }).value);
	expect(values).toContain('getAll');
	expect(values).not.toContain('upload');
});
