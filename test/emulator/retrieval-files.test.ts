/**
 * The file tools over HTTP: `POST /api/v1/retrieval/files/find|grep|read` — every parameter,
 * cursor pagination in the body, errors, and every answer checked against the published spec.
 */
import { startEmulator, type Emulator } from '../../emulator';
import { allowNonConformingRequests } from '../support/spec';
import { specProblems } from './openapi';
import { buildCorpus, DOCS, type Corpus } from './retrieval-corpus';

allowNonConformingRequests('tests the 422s of invalid find/grep/read bodies');

let emulator: Emulator;
let corpus: Corpus;

beforeAll(async () => {
	emulator = await startEmulator({ buildStepMs: 5 });
	corpus = await buildCorpus(emulator);
});
afterAll(() => emulator.close());

const COMPONENT = { find: 'FileFindResult', grep: 'FileGrepResult', read: 'FileReadResult' };

async function tool(
	name: keyof typeof COMPONENT,
	body: Record<string, unknown>,
	expectStatus = 200,
): Promise<any> {
	const reply = await corpus.call('POST', `/api/v1/retrieval/files/${name}`, {
		json: { index_id: corpus.index.id, ...body },
	});
	expect({ status: reply.status, body: reply.body }).toMatchObject({ status: expectStatus });
	if (reply.status === 200) expect(specProblems(COMPONENT[name], reply.body)).toEqual([]);
	if (reply.status === 422) expect(specProblems('HTTPValidationError', reply.body)).toEqual([]);
	return reply.body;
}

/** Every item of find / grep, following next_page_token in the body. */
async function allPages(name: 'find' | 'grep', body: Record<string, unknown>) {
	const pages: any[][] = [];
	let page_token: string | undefined;
	for (let i = 0; i < 100; i++) {
		const reply = await tool(name, { ...body, page_token });
		pages.push(reply.items);
		expect(reply.total_size).toBeNull();
		page_token = reply.next_page_token ?? undefined;
		if (!page_token) return pages;
	}
	throw new Error('too many pages');
}

describe('Find Files', () => {
	test('lists every file of the index by name, ordered by name', async () => {
		const { items, next_page_token } = await tool('find', {});
		expect(next_page_token).toBeNull();
		expect(items).toEqual([
			{ file_id: corpus.parsed.emoji, file_name: DOCS.emoji.name },
			{ file_id: corpus.parsed.expenses, file_name: DOCS.expenses.name },
			{ file_id: corpus.parsed.handbook, file_name: DOCS.handbook.name },
			{ file_id: corpus.parsed.security, file_name: DOCS.security.name },
		]);
	});

	test('file_name matches exactly; file_name_contains matches a substring, any case', async () => {
		expect((await tool('find', { file_name: 'handbook.md' })).items).toEqual([
			{ file_id: corpus.parsed.handbook, file_name: 'handbook.md' },
		]);
		expect((await tool('find', { file_name: 'HANDBOOK.md' })).items).toEqual([]);
		expect((await tool('find', { file_name: 'handbook' })).items).toEqual([]);
		const contains = (await tool('find', { file_name_contains: 'POLICY' })).items;
		expect(contains.map((f: any) => f.file_name)).toEqual(['expense-policy.md']);
		const md = (await tool('find', { file_name_contains: '.md' })).items;
		expect(md).toHaveLength(3);
		const both = await tool('find', { file_name: 'handbook.md', file_name_contains: 'xyz' });
		expect(both.items).toEqual([]);
		expect((await tool('find', { file_name: null, file_name_contains: null })).items).toHaveLength(
			4,
		);
	});

	test('pages with page_size and a page_token in the body, nothing skipped or repeated', async () => {
		const pages = await allPages('find', { page_size: 1 });
		expect(pages.map((p) => p.length)).toEqual([1, 1, 1, 1]);
		const names = pages.flat().map((f) => f.file_name);
		expect(names).toEqual([...names].sort());
		expect(new Set(names).size).toBe(4);
		expect((await allPages('find', { page_size: 3 })).map((p) => p.length)).toEqual([3, 1]);
		// Filters hold across pages.
		expect(
			(await allPages('find', { page_size: 1, file_name_contains: '.md' })).flat(),
		).toHaveLength(3);
	});

	test('a page_size above the maximum is coerced to it (the spec says so), not refused', async () => {
		expect((await tool('find', { page_size: 5000 })).items).toHaveLength(4);
	});

	test('422 for a bad page_token or page_size; 404 for an unknown index', async () => {
		const bad = await tool('find', { page_token: 'not a token!' }, 422);
		expect(bad.detail).toEqual([expect.objectContaining({ loc: ['body', 'page_token'] })]);
		const grepToken = (
			await tool('grep', { file_id: corpus.parsed.handbook, pattern: 'filler', page_size: 1 })
		).next_page_token;
		await tool('find', { page_token: grepToken }, 422);
		await tool('find', { page_size: 0 }, 422);
		expect(await tool('find', { index_id: 'idx-nope' }, 404)).toEqual({
			detail: 'Index idx-nope not found',
		});
		await tool('find', { index_id: undefined }, 422);
	});

	test('by export_config_id too', async () => {
		const byExport = await tool('find', { index_id: corpus.index.export_config_id });
		expect(byExport).toEqual(await tool('find', {}));
	});
});

describe('Grep File', () => {
	test('finds every match with its offsets; content is the match itself by default', async () => {
		const { items } = await tool('grep', {
			file_id: corpus.parsed.expenses,
			pattern: 'receipts|EUR',
		});
		const text = DOCS.expenses.text;
		expect(items).toEqual([
			{ start_char: text.indexOf('EUR'), end_char: text.indexOf('EUR') + 3, content: 'EUR' },
			{
				start_char: text.indexOf('receipts'),
				end_char: text.indexOf('receipts') + 8,
				content: 'receipts',
			},
		]);
	});

	test('context_chars adds that many characters on each side (cut at the ends)', async () => {
		const text = DOCS.expenses.text;
		const { items } = await tool('grep', {
			file_id: corpus.parsed.expenses,
			pattern: 'Expense',
			context_chars: 5,
		});
		expect(items).toEqual([{ start_char: 2, end_char: 9, content: text.slice(0, 14) }]);
		const end = await tool('grep', {
			file_id: corpus.parsed.expenses,
			pattern: 'days\\.',
			context_chars: 3,
		});
		expect(end.items[0].content).toBe(text.slice(-8));
	});

	test('a regular expression, case-sensitive; no match gives no items', async () => {
		const digits = await tool('grep', { file_id: corpus.parsed.expenses, pattern: '\\d+' });
		expect(digits.items.map((m: any) => m.content)).toEqual(['45', '30']);
		expect(
			(await tool('grep', { file_id: corpus.parsed.expenses, pattern: 'meals' })).items,
		).toEqual([]);
		// Python's leading inline flags work too.
		const insensitive = await tool('grep', {
			file_id: corpus.parsed.expenses,
			pattern: '(?i)meals',
		});
		expect(insensitive.items.map((m: any) => m.content)).toEqual(['Meals']);
		// Empty matches are skipped rather than listed at every position.
		expect((await tool('grep', { file_id: corpus.parsed.expenses, pattern: 'q*' })).items).toEqual(
			[],
		);
	});

	test('offsets count code points', async () => {
		const { items } = await tool('grep', {
			file_id: corpus.parsed.emoji,
			pattern: 'emoji',
			context_chars: 4,
		});
		const points = [...DOCS.emoji.text];
		const start = points.join('').indexOf('emoji');
		const cp = [...DOCS.emoji.text.slice(0, start)].length;
		expect(items).toEqual([
			{ start_char: cp, end_char: cp + 5, content: points.slice(cp - 4, cp + 9).join('') },
		]);
	});

	test('pages through many matches with page_size and page_token', async () => {
		const pages = await allPages('grep', {
			file_id: corpus.parsed.handbook,
			pattern: 'filler',
			page_size: 7,
		});
		const all = pages.flat();
		expect(all).toHaveLength(100); // 25 per paragraph, four paragraphs
		expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
		const starts = all.map((m) => m.start_char);
		expect(starts).toEqual([...starts].sort((a, b) => a - b));
		expect(new Set(starts).size).toBe(100);
		const single = await tool('grep', {
			file_id: corpus.parsed.handbook,
			pattern: 'filler',
			page_size: 1000,
		});
		expect(single.items).toEqual(all);
		expect(single.next_page_token).toBeNull();
	});

	test('422 for an invalid pattern, a negative context, a token of another file; 404 for an unknown file', async () => {
		const invalid = await tool('grep', { file_id: corpus.parsed.expenses, pattern: '([a-' }, 422);
		expect(invalid.detail[0]).toMatchObject({
			loc: ['body', 'pattern'],
			msg: expect.stringContaining('Invalid regular expression'),
		});
		await tool('grep', { file_id: corpus.parsed.expenses, pattern: 'a', context_chars: -1 }, 422);
		const token = (
			await tool('grep', { file_id: corpus.parsed.handbook, pattern: 'filler', page_size: 1 })
		).next_page_token;
		await tool('grep', { file_id: corpus.parsed.expenses, pattern: 'a', page_token: token }, 422);
		expect(await tool('grep', { file_id: 'dfl-nope', pattern: 'a' }, 404)).toEqual({
			detail: `File dfl-nope not found in index ${corpus.index.id}`,
		});
		const missing = await tool('grep', { file_id: corpus.parsed.expenses }, 422);
		expect(missing.detail[0].loc).toEqual(['body', 'pattern']);
	});
});

describe('Read File', () => {
	test('the whole parsed text by default', async () => {
		expect(await tool('read', { file_id: corpus.parsed.handbook })).toEqual({
			content: DOCS.handbook.text,
		});
	});

	test('offset and max_length select a window; past the end is empty', async () => {
		const text = DOCS.expenses.text;
		expect(
			await tool('read', { file_id: corpus.parsed.expenses, offset: 2, max_length: 7 }),
		).toEqual({
			content: 'Expense',
		});
		expect((await tool('read', { file_id: corpus.parsed.expenses, offset: 10 })).content).toBe(
			text.slice(10),
		);
		expect((await tool('read', { file_id: corpus.parsed.expenses, max_length: 0 })).content).toBe(
			'',
		);
		expect((await tool('read', { file_id: corpus.parsed.expenses, offset: 10_000 })).content).toBe(
			'',
		);
		expect(
			(await tool('read', { file_id: corpus.parsed.expenses, max_length: null })).content,
		).toBe(text);
	});

	test('offsets count code points', async () => {
		const points = [...DOCS.emoji.text];
		expect(
			(await tool('read', { file_id: corpus.parsed.emoji, offset: 6, max_length: 3 })).content,
		).toBe(points.slice(6, 9).join(''));
	});

	test('a file read in windows gives back the whole text', async () => {
		const text = DOCS.handbook.text;
		let whole = '';
		for (let offset = 0; offset < text.length; offset += 700) {
			whole += (await tool('read', { file_id: corpus.parsed.handbook, offset, max_length: 700 }))
				.content;
		}
		expect(whole).toBe(text);
	});

	test('422 for a negative offset or max_length, or a null offset; 404 for a file of another index', async () => {
		await tool('read', { file_id: corpus.parsed.expenses, offset: -1 }, 422);
		await tool('read', { file_id: corpus.parsed.expenses, max_length: -5 }, 422);
		await tool('read', { file_id: corpus.parsed.expenses, offset: null }, 422);
		// A source file id is not a file of the index under the default (parsed) ids.
		await tool('read', { file_id: corpus.source.expenses }, 404);
		const other = await buildCorpus(emulator, ['security']);
		await tool('read', { file_id: other.parsed.security }, 404);
		expect(
			(
				await other.call('POST', '/api/v1/retrieval/files/read', {
					json: { index_id: other.index.export_config_id, file_id: other.parsed.security },
				})
			).body,
		).toEqual({ content: DOCS.security.text });
	});
});
