/**
 * Index → Grep File through n8n's real engine against the emulator: matches with offsets and
 * context, pages followed with the cursor in the body, Limit, (?i), the API's errors, bad input.
 */
import type { INodeParameters } from 'n8n-workflow';

import { DOCS } from '../../emulator/retrieval-corpus';
import { useCorpus } from '../../support/corpus';

const { emulator, corpus, run, bodiesTo } = useCorpus();

describe('Index: Grep File', () => {
	test('every match with its offsets and context; pages followed with the cursor in the body', async () => {
		const { items, error } = await run('grepFile', {
			fileId: corpus.current.parsed.handbook,
			pattern: 'filler',
			returnAll: true,
			options: { contextChars: 3 },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(100);
		expect(items[0].json).toEqual({
			file_id: corpus.current.parsed.handbook,
			start_char: expect.any(Number),
			end_char: expect.any(Number),
			content: expect.stringMatching(/^.{3}filler.{3}$/s),
		});
		const starts = items.map((i) => i.json.start_char as number);
		expect(new Set(starts).size).toBe(100);
		const requests = bodiesTo('/api/v1/retrieval/files/grep');
		expect(requests).toHaveLength(1); // 100 fit a page
		expect(requests[0]).toEqual({
			index_id: corpus.current.index.id,
			file_id: corpus.current.parsed.handbook,
			pattern: 'filler',
			context_chars: 3,
			page_size: 1000,
		});
	});

	test('more matches than a page: several requests, each after the cursor, none lost', async () => {
		const text = DOCS.handbook.text;
		const { items } = await run('grepFile', {
			fileId: corpus.current.parsed.handbook,
			pattern: '(?s).', // every character: more than a page of 1000
			returnAll: true,
		});
		expect(items.map((i) => i.json.content).join('')).toBe(text);
		const requests = bodiesTo('/api/v1/retrieval/files/grep');
		expect(requests).toHaveLength(Math.ceil(text.length / 1000));
		expect(requests[0]).not.toHaveProperty('page_token');
		for (const r of requests.slice(1)) expect(r.page_token).toEqual(expect.any(String));
	});

	test('Limit; (?i) for any case', async () => {
		const { items } = await run('grepFile', {
			fileId: corpus.current.parsed.expenses,
			pattern: '(?i)MEALS|receipts',
			limit: 1,
		});
		expect(items.map((i) => i.json.content)).toEqual(['Meals']);
	});

	test('an invalid pattern: the API error, naming the field', async () => {
		const { error } = await run('grepFile', {
			fileId: corpus.current.parsed.expenses,
			pattern: '([a-',
		});
		expect((error as unknown as { httpCode: string }).httpCode).toBe('422');
		expect(error?.message).toContain('pattern');
	});
});

describe('bad input fails before any request', () => {
	test.each([
		['grepFile', { fileId: ' ', pattern: 'a' }, '"File ID" must not be empty [item 0]'],
		[
			'grepFile',
			{ fileId: 'dfl-1', pattern: '={{ $json.missing }}' },
			'"Pattern" must not be empty [item 0]',
		],
		[
			'grepFile',
			{ fileId: 'dfl-1', pattern: 'a', options: { contextChars: -1 } },
			'"Context Characters" must be a whole number of at least 0 (got -1) [item 0]',
		],
	])('%s with %j', async (operation, parameters, message) => {
		const { error } = await run(operation, parameters as INodeParameters);
		expect(error?.message).toBe(message);
		expect(emulator.current.requests).toEqual([]);
	});
});
