/**
 * Contract: the official SDK's retrieval calls (`client.beta.retrieval.*`, unmodified) against
 * the emulator, as LlamaIndex's own examples make them (examples/index_v2 in llama-parse-ts):
 * retrieve by export_config_id with top_k / score_threshold / rerank, and the auto-paginating
 * find and grep, which send the cursor in the POST body.
 */
import LlamaCloud, { NotFoundError, UnprocessableEntityError } from '@llamaindex/llama-cloud';
import { startEmulator, type Emulator } from '../../emulator';
import { buildCorpus, DOCS, type Corpus } from './retrieval-corpus';

let emulator: Emulator;
let client: LlamaCloud;
let corpus: Corpus;

beforeAll(async () => {
	emulator = await startEmulator({ buildStepMs: 5 });
	client = new LlamaCloud({ baseURL: emulator.url, apiKey: emulator.apiKey, maxRetries: 0 });
	corpus = await buildCorpus(emulator);
});
afterAll(() => emulator.close());

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
	const items: T[] = [];
	for await (const item of iterable) items.push(item);
	return items;
}

test('retrieve, as the official example calls it', async () => {
	const { results } = await client.beta.retrieval.retrieve({
		index_id: corpus.index.export_config_id,
		query: 'Where do I report lost devices?',
		top_k: 10,
		score_threshold: 0.1,
		rerank: { enabled: true, top_n: 5 },
	});
	expect(results.length).toBeGreaterThan(0);
	expect(results.length).toBeLessThanOrEqual(5);
	expect(results[0].content).toContain('Report lost devices');
	expect(results[0].static_fields?.parsed_directory_file_id).toBe(corpus.parsed.security);
	expect(results[0].metadata).toEqual(DOCS.security.metadata);
});

test('retrieve with filters, as typed by the SDK', async () => {
	const { results } = await client.beta.retrieval.retrieve({
		index_id: corpus.index.id,
		query: 'policy receipts vacation filler',
		custom_filters: { year: [{ operator: 'gte', value: 2025 }] },
		static_filters: { parsed_directory_file_id: { operator: 'eq', value: corpus.parsed.handbook } },
	});
	expect(results.length).toBeGreaterThan(0);
	for (const r of results)
		expect(r.static_fields?.parsed_directory_file_id).toBe(corpus.parsed.handbook);
});

test('find auto-paginates with the cursor in the body', async () => {
	const files = await collect(
		client.beta.retrieval.find({ index_id: corpus.index.id, page_size: 1 }),
	);
	expect(files.map((f) => f.file_name)).toEqual([
		DOCS.emoji.name,
		DOCS.expenses.name,
		DOCS.handbook.name,
		DOCS.security.name,
	]);
	const page = await client.beta.retrieval.find({
		index_id: corpus.index.id,
		file_name_contains: 'security',
	});
	expect(page.items).toEqual([{ file_id: corpus.parsed.security, file_name: DOCS.security.name }]);
	expect(page.hasNextPage()).toBe(false);
});

test('grep auto-paginates; read returns a window', async () => {
	const matches = await collect(
		client.beta.retrieval.grep({
			index_id: corpus.index.id,
			file_id: corpus.parsed.handbook,
			pattern: 'welcome|benefits',
			context_chars: 2,
			page_size: 5,
		}),
	);
	expect(matches).toHaveLength(32); // eight of each word in two paragraphs of each page
	const { content } = await client.beta.retrieval.read({
		index_id: corpus.index.id,
		file_id: corpus.parsed.handbook,
		offset: matches[0].start_char,
		max_length: matches[0].end_char - matches[0].start_char,
	});
	expect(content).toBe('welcome');
});

test('errors come back as the SDK’s typed errors', async () => {
	await expect(
		client.beta.retrieval.retrieve({ index_id: 'idx-missing', query: 'x' }),
	).rejects.toBeInstanceOf(NotFoundError);
	await expect(
		client.beta.retrieval.read({ index_id: corpus.index.id, file_id: 'dfl-missing' }),
	).rejects.toBeInstanceOf(NotFoundError);
	await expect(
		client.beta.retrieval.retrieve({ index_id: corpus.index.id, query: 'x', top_k: 0 }),
	).rejects.toBeInstanceOf(UnprocessableEntityError);
});
