/**
 * Index → Read File through n8n's real engine against the emulator: the whole text, windows
 * with next_offset, code-point offsets, the API's 404, bad input.
 */
import type { INodeParameters } from 'n8n-workflow';

import { DOCS } from '../../emulator/retrieval-corpus';
import { useCorpus } from '../../support/corpus';
import { byId } from '../../support/emulator';

const { emulator, corpus, run, bodiesTo } = useCorpus();

describe('Index: Read File', () => {
	test('the whole parsed text', async () => {
		const { items } = await run('readFile', { fileId: corpus.current.parsed.security });
		expect(items.map((i) => i.json)).toEqual([
			{
				file_id: corpus.current.parsed.security,
				offset: 0,
				content: DOCS.security.text,
				length: DOCS.security.text.length,
				next_offset: null,
			},
		]);
	});

	test('windows: next_offset leads through the file to the end', async () => {
		let offset: number | null = 0;
		let text = '';
		for (let guard = 0; offset !== null && guard < 50; guard++) {
			const { items, error } = await run('readFile', {
				fileId: corpus.current.parsed.handbook,
				options: { offset, maxLength: 1500 },
			});
			expect(error).toBeUndefined();
			text += items[0].json.content;
			offset = items[0].json.next_offset as number | null;
		}
		expect(text).toBe(DOCS.handbook.text);
	});

	test('offsets count characters (code points), not UTF-16 units', async () => {
		const { items } = await run('readFile', {
			fileId: corpus.current.parsed.emoji,
			options: { offset: 6, maxLength: 3 },
		});
		expect(items[0].json).toMatchObject({
			content: [...DOCS.emoji.text].slice(6, 9).join(''),
			length: 3,
			next_offset: 9,
		});
	});

	test('a file of another index: 404 with the API detail', async () => {
		const { error } = await run('readFile', { fileId: 'dfl-nope' });
		expect((error as unknown as { httpCode: string }).httpCode).toBe('404');
		expect(error?.message).toContain(`File dfl-nope not found in index ${corpus.current.index.id}`);
		// The probe found the index ID fine, so no other ID was tried.
		expect(bodiesTo('/api/v1/retrieval/files/read')).toHaveLength(1);
	});
});

describe('bad input fails before any request', () => {
	test.each([
		[
			'readFile',
			{ fileId: 'dfl-1', options: { offset: 1.5 } },
			'"Offset" must be a whole number of at least 0 (got 1.5) [item 0]',
		],
		[
			'readFile',
			{ fileId: 'dfl-1', indexId: byId('={{ $json.missing }}') },
			'"Index" must not be empty [item 0]',
		],
	])('%s with %j', async (operation, parameters, message) => {
		const { error } = await run(operation, parameters as INodeParameters);
		expect(error?.message).toBe(message);
		expect(emulator.current.requests).toEqual([]);
	});
});
