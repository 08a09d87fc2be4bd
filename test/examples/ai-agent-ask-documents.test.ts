/**
 * examples/ai-agent-ask-documents.json: its LlamaCloud tools as n8n's AI Agent sees and calls
 * them. n8n-core builds each tool's input schema from its $fromAI() placeholders (what the LLM
 * is asked to fill); the agent's arguments then reach $fromAI() through the tool's input item,
 * and the node runs in the real engine against the emulator.
 */
import { getSchema } from 'n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool';
import type { INode, INodeParameters } from 'n8n-workflow';

import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { loadExample } from '../../scripts/lib/examples';
import { DOCS } from '../emulator/retrieval-corpus';
import { useCorpus } from '../support/corpus';
import { byId, credential } from '../support/emulator';
import { runNode } from '../../harness/engine';

const example = loadExample('ai-agent-ask-documents.json');
const tool = (name: string): INode => {
	const node = example.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`no node ${name}`);
	return node;
};

const { emulator, corpus } = useCorpus();

/** Calls a tool of the example as the agent would: its arguments in the input item. */
async function callTool(name: string, args: Record<string, unknown>) {
	const node = tool(name);
	const parameters = {
		...node.parameters,
		indexId: byId(corpus.current.index.id),
	} as INodeParameters;
	return await runNode({
		type: LlamaCloud,
		parameters,
		credentials: credential(emulator.current),
		inputItems: [{ json: args as never }],
	});
}

test.each([
	['Search the documents', ['fileIds', 'query', 'topK']],
	['Find files', ['nameContains']],
	['Read a file', ['fileId', 'offset']],
	['Grep a file', ['fileId', 'pattern']],
])('%s asks the agent for %j, each described', (name, keys) => {
	const shape = getSchema(tool(name)).shape;
	expect(Object.keys(shape).sort()).toEqual(keys);
	for (const key of keys) expect(shape[key].description?.length).toBeGreaterThan(10);
	expect(String(tool(name).parameters.toolDescription).length).toBeGreaterThan(60);
});

test('the agent searches, then finds, reads and greps the file a passage came from', async () => {
	const search = await callTool('Search the documents', {
		query: 'Where do I report lost devices?',
		topK: 3,
		fileIds: '',
	});
	expect(search.error).toBeUndefined();
	const [best] = search.items.map((i) => i.json as any);
	expect(best.file.display_name).toBe(DOCS.security.name);
	expect(best.content).toContain('Report lost devices');

	const found = await callTool('Find files', { nameContains: 'security' });
	expect(found.items.map((i) => i.json)).toEqual([
		{ file_id: best.file.id, file_name: DOCS.security.name },
	]);

	const read = await callTool('Read a file', { fileId: best.file.id, offset: 0 });
	expect(read.items[0].json).toMatchObject({ content: DOCS.security.text, next_offset: null });

	const grep = await callTool('Grep a file', { fileId: best.file.id, pattern: '(?i)REPORT' });
	expect(grep.items.map((i) => (i.json as any).content)).toEqual([
		expect.stringContaining('Report lost devices'),
	]);

	const scoped = await callTool('Search the documents', {
		query: 'policy receipts lost devices',
		topK: 5,
		fileIds: corpus.current.parsed.expenses,
	});
	expect(new Set(scoped.items.map((i) => (i.json as any).file.display_name))).toEqual(
		new Set([DOCS.expenses.name]),
	);
});
