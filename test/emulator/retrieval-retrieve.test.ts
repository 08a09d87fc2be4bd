/**
 * `POST /api/v1/retrieval/retrieve` over HTTP: ranking, every request parameter, filters with
 * every operator, the index by either id, the file-id switch, what a build changes, and every
 * answer checked against the published spec.
 */
import { startEmulator, type Emulator } from '../../emulator';
import { api, fileForm, waitForIndex } from './helpers';
import { allowNonConformingRequests } from '../support/spec';
import { specProblems } from './openapi';
import { buildCorpus, DOCS, longText, type Corpus, type DocKey } from './retrieval-corpus';

allowNonConformingRequests('tests the 422s of invalid retrieval bodies');

let emulator: Emulator;
let corpus: Corpus;

beforeAll(async () => {
	// The chunk count is in the emulator's detailed build metadata (a variant).
	emulator = await startEmulator({ buildStepMs: 5, variants: { buildMetadata: 'detailed' } });
	corpus = await buildCorpus(emulator);
});
afterAll(() => emulator.close());

async function retrieve(body: Record<string, unknown>, expectStatus = 200) {
	const reply = await corpus.call('POST', '/api/v1/retrieval/retrieve', {
		json: { index_id: corpus.index.id, ...body },
	});
	expect({ status: reply.status, body: reply.body }).toMatchObject({ status: expectStatus });
	if (reply.status === 200) expect(specProblems('RetrieveResult', reply.body)).toEqual([]);
	else if (reply.status === 422)
		expect(specProblems('HTTPValidationError', reply.body)).toEqual([]);
	return reply.body;
}

/** Which documents (by corpus key) the results come from, in order. */
function docsOf(results: any[]): DocKey[] {
	const byParsedId = new Map(Object.entries(corpus.parsed).map(([key, id]) => [id, key as DocKey]));
	return results.map((r) => byParsedId.get(r.static_fields.parsed_directory_file_id)!);
}

describe('ranking and results', () => {
	test('the relevant document comes first, with content, scores, file, pages and position', async () => {
		const { results } = await retrieve({ query: 'How are meals reimbursed when travelling?' });
		expect(docsOf(results)[0]).toBe('expenses');
		const [best] = results;
		expect(best).toEqual({
			content: expect.stringContaining('Meals while travelling are reimbursed'),
			score: expect.any(Number),
			rerank_score: expect.any(Number),
			metadata: DOCS.expenses.metadata,
			static_fields: {
				parsed_directory_file_id: corpus.parsed.expenses,
				page_range_start: 1,
				page_range_end: 1,
				chunk_start_char: 0,
				chunk_end_char: DOCS.expenses.text.length,
				chunk_index: 0,
				chunk_token_count: expect.any(Number),
				attachments: [],
			},
		});
		expect(best.score).toBeGreaterThan(0);
		expect(best.score).toBeLessThan(1);
		expect(best.static_fields.chunk_token_count).toBeGreaterThan(10);
	});

	test('chunk offsets, pages and content agree with Read File', async () => {
		const { results } = await retrieve({ query: 'paid vacation days', rerank: { enabled: false } });
		const vacation = results[0];
		expect(docsOf(results)[0]).toBe('handbook');
		// The last paragraph of page 2 and page 3's line fit in one chunk: it spans both pages.
		expect(vacation.static_fields).toMatchObject({ page_range_start: 2, page_range_end: 3 });
		const { chunk_start_char: start, chunk_end_char: end } = vacation.static_fields;
		const read = await corpus.call('POST', '/api/v1/retrieval/files/read', {
			json: {
				index_id: corpus.index.id,
				file_id: corpus.parsed.handbook,
				offset: start,
				max_length: end - start,
			},
		});
		expect(read.body.content).toBe(vacation.content);
		expect(vacation.content).toMatch(
			/^Section 1: benefits .*\fVacation: everyone gets 28 days of paid vacation\.$/s,
		);
	});

	test('chunk offsets count code points, as the real service (Python) does', async () => {
		const { results } = await retrieve({ query: 'celebration' });
		expect(docsOf(results)).toEqual(['emoji']);
		// Two emoji, each two UTF-16 units but one code point.
		expect(results[0].static_fields.chunk_end_char).toBe([...DOCS.emoji.text].length);
		expect(results[0].static_fields.chunk_end_char).toBe(DOCS.emoji.text.length - 2);
	});

	test('a query with no shared term (or only stop words) finds nothing', async () => {
		expect((await retrieve({ query: 'quantum chromodynamics' })).results).toEqual([]);
		expect((await retrieve({ query: 'what is the' })).results).toEqual([]);
		expect((await retrieve({ query: '' })).results).toEqual([]);
	});

	test('the same query always gives the same answer', async () => {
		const once = await retrieve({ query: 'policy receipts filler' });
		const again = await retrieve({ query: 'policy receipts filler' });
		expect(again).toEqual(once);
	});
});

describe('top_k, score_threshold, rerank', () => {
	test('top_k caps the results; the default is 10', async () => {
		const all = (await retrieve({ query: 'filler text', rerank: { enabled: false } })).results;
		expect(all).toHaveLength(4); // the four long paragraphs of the handbook
		expect((await retrieve({ query: 'filler text', top_k: 2 })).results).toHaveLength(2);
		expect((await retrieve({ query: 'filler text', top_k: null })).results).toHaveLength(4);

		const many = await buildCorpusWithChunks(14);
		const reply = await corpus.call('POST', '/api/v1/retrieval/retrieve', {
			json: { index_id: many, query: 'needle' },
		});
		expect(reply.body.results).toHaveLength(10);
		const capped = await corpus.call('POST', '/api/v1/retrieval/retrieve', {
			json: { index_id: many, query: 'needle', top_k: 100_000 },
		});
		expect(capped.body.results).toHaveLength(14);
	});

	test('score_threshold drops results scoring below it', async () => {
		const all = (
			await retrieve({ query: 'receipts devices vacation filler', rerank: { enabled: false } })
		).results;
		expect(all.length).toBeGreaterThan(1);
		const scores = all.map((r: any) => r.score);
		expect(scores).toEqual([...scores].sort((a, b) => b - a));
		const cut = (scores[0] + scores[scores.length - 1]) / 2;
		const kept = (
			await retrieve({ query: 'receipts devices vacation filler', score_threshold: cut })
		).results;
		expect(kept.length).toBeGreaterThan(0);
		expect(kept.length).toBeLessThan(all.length);
		for (const r of kept) expect(r.score).toBeGreaterThanOrEqual(cut);
		expect((await retrieve({ query: 'policy', score_threshold: 1 })).results).toEqual([]);
		expect((await retrieve({ query: 'policy', score_threshold: null })).results.length).toBe(
			(await retrieve({ query: 'policy' })).results.length,
		);
	});

	test('rerank is on by default: rerank_score set, results ordered by it; top_n cuts', async () => {
		const { results } = await retrieve({ query: 'lost devices receipts vacation filler' });
		expect(results.length).toBeGreaterThan(2);
		const rerankScores = results.map((r: any) => r.rerank_score);
		for (const s of rerankScores) expect(typeof s).toBe('number');
		expect(rerankScores).toEqual([...rerankScores].sort((a, b) => b - a));
		expect(
			(await retrieve({ query: 'lost devices receipts vacation filler', rerank: {} })).results,
		).toEqual(results);
		const top = await retrieve({
			query: 'lost devices receipts vacation filler',
			rerank: { top_n: 2 },
		});
		expect(top.results).toEqual(results.slice(0, 2));
		const enabled = await retrieve({
			query: 'lost devices receipts vacation filler',
			rerank: { enabled: true, top_n: 1 },
		});
		expect(enabled.results).toEqual(results.slice(0, 1));
	});

	test('rerank disabled: no rerank_score, ordered by score, top_n ignored', async () => {
		const { results } = await retrieve({
			query: 'lost devices receipts vacation filler',
			rerank: { enabled: false, top_n: 1 },
		});
		expect(results.length).toBeGreaterThan(2);
		for (const r of results) expect(r.rerank_score).toBeNull();
		const scores = results.map((r: any) => r.score);
		expect(scores).toEqual([...scores].sort((a, b) => b - a));
	});

	test('the vector-search knobs are accepted (and, without embeddings, change nothing)', async () => {
		const plain = await retrieve({ query: 'receipts' });
		const tuned = await retrieve({
			query: 'receipts',
			num_candidates: 50,
			vector_pipeline_weight: 0.3,
			full_text_pipeline_weight: 0.7,
		});
		expect(tuned).toEqual(plain);
	});
});

describe('custom_filters on user metadata', () => {
	const query = 'policy guidelines handbook receipts devices vacation filler celebration';
	const filtered = async (custom_filters: Record<string, unknown>) =>
		new Set(docsOf((await retrieve({ query, custom_filters, top_k: 50 })).results));

	test.each([
		['eq string', { department: { operator: 'eq', value: 'finance' } }, ['expenses']],
		[
			'ne string',
			{ department: { operator: 'ne', value: 'finance' } },
			['security', 'handbook', 'emoji'],
		],
		['in', { department: { operator: 'in', value: ['it', 'hr'] } }, ['security', 'handbook']],
		['nin', { department: { operator: 'nin', value: ['it', 'hr'] } }, ['expenses', 'emoji']],
		['eq number', { year: { operator: 'eq', value: 2024 } }, ['expenses']],
		['gt', { year: { operator: 'gt', value: 2023 } }, ['expenses', 'handbook']],
		['gte', { year: { operator: 'gte', value: 2024 } }, ['expenses', 'handbook']],
		['lt', { year: { operator: 'lt', value: 2024 } }, ['security']],
		['lte', { year: { operator: 'lte', value: 2024 } }, ['expenses', 'security']],
		['eq boolean', { public: { operator: 'eq', value: true } }, ['expenses', 'security']],
		['eq is strict about types', { year: { operator: 'eq', value: '2024' } }, []],
		['gt across types matches nothing', { department: { operator: 'gt', value: 5 } }, []],
		['gt on strings', { department: { operator: 'gt', value: 'hr' } }, ['security']],
		['list field: eq = contains', { tags: { operator: 'eq', value: 'money' } }, ['expenses']],
		[
			'list field: in = any',
			{ tags: { operator: 'in', value: ['policy'] } },
			['expenses', 'handbook'],
		],
		[
			'list field: ne = none',
			{ tags: { operator: 'ne', value: 'money' } },
			['security', 'handbook', 'emoji'],
		],
		[
			'list field: nin',
			{ tags: { operator: 'nin', value: ['money', 'policy'] } },
			['security', 'emoji'],
		],
		[
			'numeric range: all bounds hold',
			{
				year: [
					{ operator: 'gte', value: 2023 },
					{ operator: 'lt', value: 2025 },
				],
			},
			['expenses', 'security'],
		],
		[
			'several fields must all match',
			{ department: { operator: 'ne', value: 'it' }, year: { operator: 'gte', value: 2024 } },
			['expenses', 'handbook'],
		],
		[
			'a null filter is no filter',
			{ department: null },
			['expenses', 'security', 'handbook', 'emoji'],
		],
	])('%s', async (_name, filters, expected) => {
		expect(await filtered(filters)).toEqual(new Set(expected));
	});

	test('an absent field matches ne / nin only (MongoDB semantics)', async () => {
		expect(await filtered({ owner: { operator: 'eq', value: 'x' } })).toEqual(new Set());
		expect(await filtered({ owner: { operator: 'ne', value: 'x' } })).toEqual(
			new Set(['expenses', 'security', 'handbook', 'emoji']),
		);
		expect(await filtered({ year: [{ operator: 'ne', value: 2024 }] })).toEqual(
			new Set(['security', 'handbook', 'emoji']),
		);
	});

	test.each([
		[
			'in with a single value',
			{ department: { operator: 'in', value: 'it' } },
			['body', 'custom_filters', 'department', 'value'],
		],
		[
			'eq with a list',
			{ department: { operator: 'eq', value: ['it'] } },
			['body', 'custom_filters', 'department', 'value'],
		],
		[
			'a range bound with a list for gte',
			{ year: [{ operator: 'gte', value: [1] }] },
			['body', 'custom_filters', 'year', 0, 'value'],
		],
	])('422 for %s, naming the field', async (_name, filters, loc) => {
		const body = await retrieve({ query, custom_filters: filters }, 422);
		expect(body.detail).toEqual([expect.objectContaining({ loc })]);
	});

	test('422 for an unknown operator and for a non-numeric range bound', async () => {
		const op = await retrieve(
			{ query, custom_filters: { year: { operator: 'like', value: 1 } } },
			422,
		);
		expect(op.detail[0].loc).toEqual(expect.arrayContaining(['body', 'custom_filters', 'year']));
		await retrieve({ query, custom_filters: { year: [{ operator: 'gte', value: 'x' }] } }, 422);
	});
});

describe('static_filters: a filter by file', () => {
	test.each([
		['eq', (c: Corpus) => ({ operator: 'eq', value: c.parsed.handbook }), ['handbook']],
		[
			'in',
			(c: Corpus) => ({ operator: 'in', value: [c.parsed.handbook, c.parsed.security] }),
			['handbook', 'security'],
		],
		[
			'ne',
			(c: Corpus) => ({ operator: 'ne', value: c.parsed.handbook }),
			['expenses', 'security', 'emoji'],
		],
		[
			'nin',
			(c: Corpus) => ({ operator: 'nin', value: [c.parsed.handbook, c.parsed.emoji] }),
			['expenses', 'security'],
		],
	])('parsed_directory_file_id %s', async (_op, filter, expected) => {
		const { results } = await retrieve({
			query: 'policy guidelines handbook receipts devices vacation filler celebration',
			top_k: 50,
			static_filters: { parsed_directory_file_id: filter(corpus) },
		});
		expect(new Set(docsOf(results))).toEqual(new Set(expected));
	});

	test('a filter by file combines with metadata filters', async () => {
		const { results } = await retrieve({
			query: 'policy receipts vacation',
			static_filters: {
				parsed_directory_file_id: {
					operator: 'in',
					value: [corpus.parsed.handbook, corpus.parsed.expenses],
				},
			},
			custom_filters: { department: { operator: 'eq', value: 'hr' } },
		});
		expect(new Set(docsOf(results))).toEqual(new Set(['handbook']));
	});
});

describe('the index and the request', () => {
	test('the index is accepted by its id and by its export_config_id', async () => {
		const byId = await retrieve({ query: 'receipts' });
		const byExport = await retrieve({ query: 'receipts', index_id: corpus.index.export_config_id });
		expect(byExport).toEqual(byId);
		expect(byId.results.length).toBeGreaterThan(0);
	});

	test('404 for an unknown index and for an index of another project', async () => {
		const unknown = await retrieve({ query: 'x', index_id: 'idx-nope' }, 404);
		expect(unknown).toEqual({ detail: 'Index idx-nope not found' });
		const other = emulator.store.addProject({ name: 'Other' });
		const reply = await corpus.call('POST', '/api/v1/retrieval/retrieve', {
			query: { project_id: other.id },
			json: { index_id: corpus.index.id, query: 'receipts' },
		});
		expect(reply.status).toBe(404);
	});

	test.each([
		['no body', undefined, ['body']],
		['no query', { index_id: 'idx-x' }, ['body', 'query']],
		['no index_id', { query: 'x' }, ['body', 'index_id']],
		['a query that is not a string', { index_id: 'idx-x', query: 5 }, ['body', 'query']],
		['top_k 0', { index_id: 'idx-x', query: 'x', top_k: 0 }, ['body', 'top_k']],
		['top_k 2.5', { index_id: 'idx-x', query: 'x', top_k: 2.5 }, ['body', 'top_k']],
		[
			'a weight above 1',
			{ index_id: 'idx-x', query: 'x', vector_pipeline_weight: 2 },
			['body', 'vector_pipeline_weight'],
		],
		['rerank null', { index_id: 'idx-x', query: 'x', rerank: null }, ['body', 'rerank']],
		[
			'rerank.top_n 0',
			{ index_id: 'idx-x', query: 'x', rerank: { top_n: 0 } },
			['body', 'rerank', 'top_n'],
		],
		[
			'a score_threshold string',
			{ index_id: 'idx-x', query: 'x', score_threshold: 'high' },
			['body', 'score_threshold'],
		],
	])('422 for %s, located', async (_name, json, loc) => {
		const reply = await corpus.call('POST', '/api/v1/retrieval/retrieve', { json });
		expect(reply.status).toBe(422);
		expect(specProblems('HTTPValidationError', reply.body)).toEqual([]);
		expect(reply.body.detail).toEqual(expect.arrayContaining([expect.objectContaining({ loc })]));
	});
});

describe('what a build changes', () => {
	test('retrieval answers from the last successful build until the next one', async () => {
		const local = await buildCorpus(emulator, ['expenses']);
		const ask = async (query: string) =>
			(
				await local.call('POST', '/api/v1/retrieval/retrieve', {
					json: { index_id: local.index.id, query },
				})
			).body.results;
		expect(await ask('receipts')).toHaveLength(1);

		// A new file is not found before a sync, and is after it.
		await local.call('POST', `/api/v1/beta/directories/${local.sourceDirectoryId}/files/upload`, {
			form: fileForm('upload_file', 'late.md', 'Parking permits are issued by reception.'),
		});
		expect(await ask('parking permits')).toEqual([]);
		await local.call('POST', `/api/v1/indexes/${local.index.id}/sync`);
		await waitForIndex(local.call, local.index.id);
		expect(await ask('parking permits')).toHaveLength(1);

		// A failed build leaves the index answering as before.
		await local.call('POST', `/api/v1/beta/directories/${local.sourceDirectoryId}/files/upload`, {
			form: fileForm('upload_file', 'broken.md', Buffer.from([0xff, 0xfe, 0x41])),
		});
		await local.call('POST', `/api/v1/indexes/${local.index.id}/sync`);
		expect((await waitForIndex(local.call, local.index.id)).metadata.status).toBe('failed');
		expect(await ask('parking permits')).toHaveLength(1);

		// A deleted source file is gone after the next successful sync.
		const broken = emulator.store
			.files(local.sourceDirectoryId, { includeDeleted: false })
			.find((f) => f.display_name === 'broken.md')!;
		await local.call(
			'DELETE',
			`/api/v1/beta/directories/${local.sourceDirectoryId}/files/${broken.id}`,
		);
		await local.call(
			'DELETE',
			`/api/v1/beta/directories/${local.sourceDirectoryId}/files/${local.source.expenses}`,
		);
		expect(await ask('receipts')).toHaveLength(1);
		await local.call('POST', `/api/v1/indexes/${local.index.id}/sync`);
		expect((await waitForIndex(local.call, local.index.id)).metadata.status).toBe('ready');
		expect(await ask('receipts')).toEqual([]);
	});

	test('changed metadata is seen after a sync (filters match what was indexed)', async () => {
		const local = await buildCorpus(emulator, ['security']);
		const ask = async () =>
			(
				await local.call('POST', '/api/v1/retrieval/retrieve', {
					json: {
						index_id: local.index.id,
						query: 'lost devices',
						custom_filters: { department: { operator: 'eq', value: 'security' } },
					},
				})
			).body.results;
		await local.call(
			'PATCH',
			`/api/v1/beta/directories/${local.sourceDirectoryId}/files/${local.source.security}`,
			{ json: { metadata: { department: 'security' } } },
		);
		expect(await ask()).toEqual([]);
		await local.call('POST', `/api/v1/indexes/${local.index.id}/sync`);
		await waitForIndex(local.call, local.index.id);
		expect(await ask()).toHaveLength(1);
	});
});

describe('the file-id switch (retrievalFileIds)', () => {
	test('source: results, filters and file tools use the source directory file ids', async () => {
		emulator.quirks.retrievalFileIds = 'source';
		try {
			const { results } = await retrieve({
				query: 'receipts',
				static_filters: {
					parsed_directory_file_id: { operator: 'eq', value: corpus.source.expenses },
				},
			});
			expect(results.map((r: any) => r.static_fields.parsed_directory_file_id)).toEqual([
				corpus.source.expenses,
			]);
			const read = (id: string) =>
				corpus.call('POST', '/api/v1/retrieval/files/read', {
					json: { index_id: corpus.index.id, file_id: id },
				});
			expect((await read(corpus.source.expenses)).body).toEqual({ content: DOCS.expenses.text });
			expect((await read(corpus.parsed.expenses)).status).toBe(404);
		} finally {
			emulator.quirks.retrievalFileIds = 'parsed';
		}
	});
});

/** An index over one file with `n` chunks that all contain "needle". */
async function buildCorpusWithChunks(n: number): Promise<string> {
	const call = api(emulator);
	const dir = (await call('POST', '/api/v1/beta/directories', { json: { name: `needles-${n}` } }))
		.body;
	await call('POST', `/api/v1/beta/directories/${dir.id}/files/upload`, {
		form: fileForm('upload_file', 'needles.md', longText(n, 'needle')),
	});
	const created = await call('POST', '/api/v1/indexes', { json: { source_directory_id: dir.id } });
	const index = await waitForIndex(call, created.body.id);
	expect(index.metadata.chunks_total).toBe(n);
	return index.id;
}
