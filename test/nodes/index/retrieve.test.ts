/**
 * Index → Retrieve through n8n's real engine against the emulator over HTTP: the relevant
 * passage first with its citation, every parameter as it reaches the request, filters, both
 * index IDs, both answers to "which directory is a cited file in", bad input, and $fromAI.
 */
import type { INodeParameters } from 'n8n-workflow';

import { DOCS } from '../../emulator/retrieval-corpus';
import { useCorpus } from '../../support/corpus';
import { byId, type LlamaCloudRunOptions } from '../../support/emulator';

const { emulator, corpus, run, bodiesTo } = useCorpus();
beforeEach(() => {
	emulator.current.quirks.retrievalFileIds = 'parsed';
});

const retrieve = (parameters: INodeParameters, options: LlamaCloudRunOptions = {}) =>
	run('retrieve', parameters, options);
const retrieveBodies = () => bodiesTo('/api/v1/retrieval/retrieve');

describe('results', () => {
	test('one item per passage, the relevant one first, with everything a citation needs', async () => {
		const { items, error, pairedItems } = await retrieve({
			query: 'How are meals reimbursed when travelling?',
		});
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		expect(items[0].json).toEqual({
			query: 'How are meals reimbursed when travelling?',
			rank: 1,
			content: expect.stringContaining('Meals while travelling are reimbursed'),
			score: expect.any(Number),
			rerank_score: expect.any(Number),
			file: {
				id: corpus.current.parsed.expenses,
				directory_id: corpus.current.index.output_directory_id,
				display_name: DOCS.expenses.name,
				unique_id: DOCS.expenses.name,
			},
			page_range_start: 1,
			page_range_end: 1,
			chunk_index: 0,
			chunk_start_char: 0,
			chunk_end_char: DOCS.expenses.text.length,
			chunk_token_count: expect.any(Number),
			metadata: DOCS.expenses.metadata,
			attachments: [],
		});
		expect(items.map((i) => i.json.rank)).toEqual(items.map((_, n) => n + 1));
		expect(pairedItems.every((p) => p.length === 1 && p[0].item === 0)).toBe(true);
	});

	test('"One Item With All Results": the query and the list in one item', async () => {
		const { items } = await retrieve({ query: 'receipts devices', output: 'allResults' });
		expect(items).toHaveLength(1);
		const { results, query, index_id } = items[0].json as any;
		expect({ query, index_id }).toEqual({
			query: 'receipts devices',
			index_id: corpus.current.index.id,
		});
		expect(results.map((r: any) => r.file.display_name).sort()).toEqual([
			DOCS.expenses.name,
			DOCS.security.name,
		]);
	});

	test('no passage matches: no items (and an empty list with all results)', async () => {
		expect((await retrieve({ query: 'quantum chromodynamics' })).items).toEqual([]);
		const all = await retrieve({ query: 'quantum chromodynamics', output: 'allResults' });
		expect(all.items.map((i) => i.json.results)).toEqual([[]]);
	});

	test('each cited file is looked up once; "Look Up File Names" off skips it', async () => {
		await retrieve({ query: 'filler text', topK: 4 });
		const lookups = emulator.current.requests.filter((r) => r.path.includes('/files/'));
		expect(lookups.map((r) => r.path)).toEqual([
			`/api/v1/beta/directories/${corpus.current.index.output_directory_id}/files/${corpus.current.parsed.handbook}`,
		]);
		emulator.current.clearRequests();
		const { items } = await retrieve({ query: 'filler text', options: { lookUpFiles: false } });
		expect(items[0].json.file).toEqual({
			id: corpus.current.parsed.handbook,
			directory_id: null,
			display_name: null,
			unique_id: null,
		});
		expect(emulator.current.requests.map((r) => r.path)).toEqual(['/api/v1/retrieval/retrieve']);
	});

	test('a file cited by ID from the source directory (the other answer) is found there', async () => {
		emulator.current.quirks.retrievalFileIds = 'source';
		const { items } = await retrieve({ query: 'lost devices' });
		expect(items[0].json.file).toEqual({
			id: corpus.current.source.security,
			directory_id: corpus.current.sourceDirectoryId,
			display_name: DOCS.security.name,
			unique_id: DOCS.security.name,
		});
	});
});

describe('the request', () => {
	test('defaults: query and Top K 5; no rerank setting (the server reranks); no filters', async () => {
		await retrieve({ query: 'receipts' });
		expect(retrieveBodies()).toEqual([
			{ index_id: corpus.current.index.id, query: 'receipts', top_k: 5 },
		]);
	});

	test.each([
		[
			'Rerank On with Top N',
			{ rerank: 'on', rerankTopN: 2 },
			{ rerank: { enabled: true, top_n: 2 } },
		],
		['Rerank On', { rerank: 'on' }, { rerank: { enabled: true } }],
		['Rerank Off', { rerank: 'off', rerankTopN: 2 }, { rerank: { enabled: false } }],
		['Rerank Top N alone keeps the server default', { rerankTopN: 3 }, { rerank: { top_n: 3 } }],
		['Minimum Score', { scoreThreshold: 0.4 }, { score_threshold: 0.4 }],
	])('%s', async (_name, options, expected) => {
		const { error } = await retrieve({ query: 'receipts', topK: 7, options });
		expect(error).toBeUndefined();
		expect(retrieveBodies()).toEqual([
			{ index_id: corpus.current.index.id, query: 'receipts', top_k: 7, ...expected },
		]);
	});

	test('Rerank Off gives no rerank scores; Top K caps the passages', async () => {
		const off = await retrieve({ query: 'filler text', topK: 3, options: { rerank: 'off' } });
		expect(off.items).toHaveLength(3);
		for (const item of off.items) expect(item.json.rerank_score).toBeNull();
	});

	test('the index by its export config ID', async () => {
		const { items, error } = await retrieve({
			query: 'receipts',
			indexId: byId(corpus.current.index.export_config_id),
		});
		expect(error).toBeUndefined();
		expect(items[0].json.file).toMatchObject({ display_name: DOCS.expenses.name });
	});

	test('several items: one request each, every output paired with its item', async () => {
		const { items, pairedItems } = await retrieve(
			{ query: '={{ $json.q }}', topK: 1 },
			{ inputItems: [{ json: { q: 'receipts' } }, { json: { q: 'lost devices' } }] },
		);
		expect(items.map((i) => i.json.file)).toMatchObject([
			{ display_name: DOCS.expenses.name },
			{ display_name: DOCS.security.name },
		]);
		expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }]]);
	});
});

describe('filters', () => {
	const query = 'policy guidelines handbook receipts devices vacation filler celebration';
	const namesFor = async (filters: INodeParameters) => {
		const { items, error } = await retrieve({ query, topK: 50, filters });
		expect(error).toBeUndefined();
		return new Set(
			items.map((i) => i.json.file as { display_name: string }).map((f) => f.display_name),
		);
	};
	const condition = (field: string, operator: string, value: string, type = 'auto') => ({
		metadata: { conditions: [{ field, operator, value, type }] },
	});

	test.each([
		['text equals', condition('department', 'eq', 'finance'), [DOCS.expenses.name]],
		[
			'number (automatic)',
			condition('year', 'gte', '2024'),
			[DOCS.expenses.name, DOCS.handbook.name],
		],
		[
			'boolean (automatic)',
			condition('public', 'eq', 'true'),
			[DOCS.expenses.name, DOCS.security.name],
		],
		[
			'one of a list',
			condition('department', 'in', 'it, hr'),
			[DOCS.security.name, DOCS.handbook.name],
		],
		[
			'none of a list',
			condition('department', 'nin', 'it,hr'),
			[DOCS.expenses.name, DOCS.emoji.name],
		],
		['"2024" as text matches no number', condition('year', 'eq', '2024', 'string'), []],
	])('Metadata: %s', async (_name, filters, expected) => {
		expect(await namesFor(filters)).toEqual(new Set(expected));
	});

	test('two numeric conditions on one field make a range', async () => {
		const filters = {
			metadata: {
				conditions: [
					{ field: 'year', operator: 'gte', value: '2023', type: 'number' },
					{ field: 'year', operator: 'lt', value: '2025', type: 'number' },
				],
			},
		};
		expect(await namesFor(filters)).toEqual(new Set([DOCS.expenses.name, DOCS.security.name]));
		expect(retrieveBodies()[0].custom_filters).toEqual({
			year: [
				{ operator: 'gte', value: 2023 },
				{ operator: 'lt', value: 2025 },
			],
		});
	});

	test('a condition with an empty value is left out (an agent may leave a filter blank)', async () => {
		await namesFor(condition('department', 'eq', '  '));
		expect(retrieveBodies()[0]).not.toHaveProperty('custom_filters');
	});

	test('Metadata (JSON) as the API takes it, together with the conditions', async () => {
		const names = await namesFor({
			...condition('public', 'eq', 'true'),
			metadataJson: JSON.stringify({ year: [{ operator: 'lt', value: 2024 }] }),
		});
		expect(names).toEqual(new Set([DOCS.security.name]));
	});

	test('File IDs: only passages of those files', async () => {
		const names = await namesFor({
			fileIds: `${corpus.current.parsed.handbook}, ${corpus.current.parsed.emoji}`,
		});
		expect(names).toEqual(new Set([DOCS.handbook.name, DOCS.emoji.name]));
		expect(retrieveBodies()[0].static_filters).toEqual({
			parsed_directory_file_id: {
				operator: 'in',
				value: [corpus.current.parsed.handbook, corpus.current.parsed.emoji],
			},
		});
	});
});

describe('bad input fails before any request, naming the field and the item', () => {
	test.each([
		['an empty query', { query: '  ' }, '"Query" must not be empty [item 0]'],
		['Top K 0', { query: 'x', topK: 0 }, '"Top K" must be between 1 and 500 (got 0) [item 0]'],
		[
			'Top K 501',
			{ query: 'x', topK: 501 },
			'"Top K" must be between 1 and 500 (got 501) [item 0]',
		],
		[
			'Top K 2.5',
			{ query: 'x', topK: 2.5 },
			'"Top K" must be a whole number of at least 0 (got 2.5) [item 0]',
		],
		[
			'a condition without a field',
			{
				query: 'x',
				filters: { metadata: { conditions: [{ field: '', operator: 'eq', value: 'a' }] } },
			},
			'"Metadata" condition 1 needs a field name [item 0]',
		],
		[
			'a number that is not one',
			{
				query: 'x',
				filters: {
					metadata: {
						conditions: [{ field: 'year', operator: 'eq', value: 'soon', type: 'number' }],
					},
				},
			},
			`"Metadata" condition 1 needs a number, not 'soon' [item 0]`,
		],
		[
			'text conditions sharing a field',
			{
				query: 'x',
				filters: {
					metadata: {
						conditions: [
							{ field: 'team', operator: 'eq', value: 'a' },
							{ field: 'team', operator: 'ne', value: 'b' },
						],
					},
				},
			},
			`"Metadata" field 'team' has several conditions: only numeric conditions (a range) can share a field [item 0]`,
		],
		[
			'JSON that does not parse',
			{ query: 'x', filters: { metadataJson: '{nope' } },
			'"Metadata (JSON)" is not valid JSON',
		],
		[
			'JSON with a bad operator',
			{ query: 'x', filters: { metadataJson: '{"a": {"operator": "like", "value": 1}}' } },
			`"Metadata (JSON)" field 'a' needs an "operator"`,
		],
		[
			'JSON "in" with one value',
			{ query: 'x', filters: { metadataJson: '{"a": {"operator": "in", "value": 1}}' } },
			`"Metadata (JSON)" field 'a' needs a "value" that is a list of string, number or booleans for "in"`,
		],
		[
			'the same field in both',
			{
				query: 'x',
				filters: {
					metadata: { conditions: [{ field: 'a', operator: 'eq', value: '1' }] },
					metadataJson: '{"a": {"operator": "eq", "value": 1}}',
				},
			},
			`"Metadata (JSON)" field 'a' is also set in "Metadata"`,
		],
		[
			'a Minimum Score that is not a number',
			{ query: 'x', options: { scoreThreshold: 'high' } },
			'"Minimum Score" must be a number (got high) [item 0]',
		],
	])('%s', async (_name, parameters, message) => {
		const { error } = await retrieve(parameters as INodeParameters);
		expect(error?.message).toContain(message);
		expect(retrieveBodies()).toEqual([]);
	});

	test('continue-on-fail: an error item for the bad item, results for the others', async () => {
		const { items, error } = await retrieve(
			{ query: '={{ $json.q }}', topK: 1 },
			{
				continueOnFail: true,
				inputItems: [
					{ json: { q: 'receipts' } },
					{ json: { q: '' } },
					{ json: { q: 'lost devices' } },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.error ?? (i.json.file as any).display_name)).toEqual([
			DOCS.expenses.name,
			'"Query" must not be empty [item 1]',
			DOCS.security.name,
		]);
	});

	test('an unknown index: the API error, with its status and detail', async () => {
		const { error } = await retrieve({ query: 'x', indexId: byId('idx-nope') });
		expect((error as unknown as { httpCode: string }).httpCode).toBe('404');
		expect(error?.message).toContain('Index idx-nope not found');
	});
});

describe('as an AI agent tool', () => {
	test('$fromAI() parameters take the values the agent sends', async () => {
		const { items, error } = await retrieve(
			{
				query: "={{ $fromAI('query', 'What to search the documents for', 'string') }}",
				topK: "={{ $fromAI('topK', 'How many passages', 'number', 3) }}",
				filters: {
					metadata: {
						conditions: [
							{
								field: 'department',
								operator: 'eq',
								value:
									"={{ $fromAI('department', 'A department to restrict to, or empty', 'string', '') }}",
							},
						],
					},
				},
			},
			{ inputItems: [{ json: { query: 'policy filler receipts', department: 'hr' } }] },
		);
		expect(error).toBeUndefined();
		expect(retrieveBodies()[0]).toEqual({
			index_id: corpus.current.index.id,
			query: 'policy filler receipts',
			top_k: 3,
			custom_filters: { department: { operator: 'eq', value: 'hr' } },
		});
		expect(new Set(items.map((i) => (i.json.file as any).display_name))).toEqual(
			new Set([DOCS.handbook.name]),
		);
	});
});

describe('when the server fails', () => {
	afterEach(() => emulator.current.faults.reset());

	test('a 503 and a connection lost after the answer are retried: retrieval only reads', async () => {
		emulator.current.faults.script(
			[
				{ kind: 'status', status: 503, retryAfterSeconds: 0 },
				{ kind: 'reset', when: 'after' },
			],
			{ path: /^\/api\/v1\/retrieval\/retrieve$/ },
		);
		const { items, error } = await retrieve({ query: 'receipts', options: { lookUpFiles: false } });
		expect(error).toBeUndefined();
		expect(items[0].json.content).toContain('Submit receipts');
		expect(retrieveBodies()).toHaveLength(3);
	});

	test('Request Options → Max Tries 1: the 503 is the answer, with its status', async () => {
		emulator.current.faults.script([{ kind: 'status', status: 503, retryAfterSeconds: 0 }], {
			path: /^\/api\/v1\/retrieval\/retrieve$/,
		});
		const { error } = await retrieve({ query: 'receipts', requestOptions: { maxTries: 1 } });
		expect((error as unknown as { httpCode: string }).httpCode).toBe('503');
		expect(retrieveBodies()).toHaveLength(1);
	});
});
