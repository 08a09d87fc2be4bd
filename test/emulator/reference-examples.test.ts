/**
 * Every example response of the API reference validates against the emulator's response
 * schemas. Reads /work/shared/api when it exists (the source of truth), else the verbatim copy
 * in fixtures/api-reference (so a fresh clone runs this too); when both exist they must match.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZodTypeAny } from 'zod';
import {
	DirectoryFilePageSchema,
	DirectoryFileSchema,
	DirectoryPageSchema,
	DirectorySchema,
	IndexSchema,
	SyncResponseSchema,
} from '../../emulator';

const SHARED = process.env.LLAMACLOUD_API_REFERENCE_DIR ?? '/work/shared/api';
const VENDORED = join(__dirname, 'fixtures', 'api-reference');
const PAGES = ['directories-and-files.md', 'indexes.md'];

/** Endpoint heading → schema of its response. */
const SCHEMAS: Record<string, ZodTypeAny> = {
	'Create Directory': DirectorySchema,
	'List Directories': DirectoryPageSchema,
	'Get Directory': DirectorySchema,
	'Update Directory': DirectorySchema,
	'Add Directory File': DirectoryFileSchema,
	'List Directory Files': DirectoryFilePageSchema,
	'Get Directory File': DirectoryFileSchema,
	'Update Directory File': DirectoryFileSchema,
	'Upload File To Directory': DirectoryFileSchema,
	'Get Index': IndexSchema,
	'Create Index': IndexSchema,
	'Sync Index': SyncResponseSchema,
};

interface Example {
	page: string;
	endpoint: string;
	json: unknown;
}

function examples(markdown: string, page: string): Example[] {
	const found: Example[] = [];
	let endpoint = '';
	const lines = markdown.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const heading = /^## (.+)$/.exec(lines[i]);
		if (heading) endpoint = heading[1].trim();
		if (lines[i].trim() !== '#### Response') continue;
		const start = lines.findIndex((line, j) => j > i && line.trim() === '```json');
		const end = lines.findIndex((line, j) => j > start && line.trim() === '```');
		found.push({ page, endpoint, json: JSON.parse(lines.slice(start + 1, end).join('\n')) });
	}
	return found;
}

const source = existsSync(join(SHARED, PAGES[0])) ? SHARED : VENDORED;
const all = PAGES.flatMap((page) => examples(readFileSync(join(source, page), 'utf8'), page));

test('the reference pages have an example for every endpoint with a response body', () => {
	expect(all.map((e) => e.endpoint).sort()).toEqual(Object.keys(SCHEMAS).sort());
});

test.each(all.map((e) => [`${e.page} › ${e.endpoint}`, e] as const))(
	'%s validates',
	(_name, example) => {
		const result = SCHEMAS[example.endpoint].safeParse(example.json);
		expect(result.success ? [] : result.error.issues).toEqual([]);
	},
);

(existsSync(join(SHARED, PAGES[0])) ? test : test.skip)(
	'the vendored copy matches the shared reference',
	() => {
		for (const page of PAGES) {
			expect(readFileSync(join(VENDORED, page), 'utf8')).toBe(
				readFileSync(join(SHARED, page), 'utf8'),
			);
		}
	},
);
