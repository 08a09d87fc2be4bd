/**
 * Index → Find Files through n8n's real engine against the emulator: every file with the ID
 * the other operations take, the name filters, Limit and the cursor, both index IDs, bad input.
 */
import type { INodeParameters } from 'n8n-workflow';

import { DOCS } from '../../emulator/retrieval-corpus';
import { useCorpus } from '../../support/corpus';
import { byId } from '../../support/emulator';

const { emulator, corpus, run, bodiesTo } = useCorpus();

describe('Index: Find Files', () => {
	test('every file of the index, one item each, with the ID the other operations take', async () => {
		const { items, error } = await run('findFiles', { returnAll: true });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			{ file_id: corpus.current.parsed.emoji, file_name: DOCS.emoji.name },
			{ file_id: corpus.current.parsed.expenses, file_name: DOCS.expenses.name },
			{ file_id: corpus.current.parsed.handbook, file_name: DOCS.handbook.name },
			{ file_id: corpus.current.parsed.security, file_name: DOCS.security.name },
		]);
	});

	test('Name and Name Contains reach the body; empty ones are left out', async () => {
		const exact = await run('findFiles', { returnAll: true, filters: { fileName: 'handbook.md' } });
		expect(exact.items.map((i) => i.json.file_name)).toEqual(['handbook.md']);
		const part = await run('findFiles', {
			returnAll: true,
			filters: { fileNameContains: 'POLICY', fileName: '' },
		});
		expect(part.items.map((i) => i.json.file_name)).toEqual([DOCS.expenses.name]);
		expect(bodiesTo('/api/v1/retrieval/files/find')).toEqual([
			{ index_id: corpus.current.index.id, file_name: 'handbook.md', page_size: 1000 },
			{ index_id: corpus.current.index.id, file_name_contains: 'POLICY', page_size: 1000 },
		]);
	});

	test('Limit caps the items and the page size', async () => {
		const { items } = await run('findFiles', { returnAll: false, limit: 3 });
		expect(items).toHaveLength(3);
		expect(bodiesTo('/api/v1/retrieval/files/find')).toEqual([
			{ index_id: corpus.current.index.id, page_size: 3 },
		]);
	});

	test('by the export config ID too', async () => {
		const { items } = await run('findFiles', {
			returnAll: true,
			indexId: byId(corpus.current.index.export_config_id),
		});
		expect(items).toHaveLength(4);
	});
});

describe('bad input fails before any request', () => {
	test.each([['findFiles', { limit: 0 }, '"Limit" must be at least 1 (got 0) [item 0]']])(
		'%s with %j',
		async (operation, parameters, message) => {
			const { error } = await run(operation, parameters as INodeParameters);
			expect(error?.message).toBe(message);
			expect(emulator.current.requests).toEqual([]);
		},
	);
});
