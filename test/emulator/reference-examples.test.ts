/**
 * Every example response of the API reference pages, checked against LlamaCloud's OpenAPI spec
 * (the contract) with the same validator the suites use. The pages are older than the spec:
 * where an example contradicts it, the contradiction is listed below (KNOWN_DIFFERENCES) and
 * the test asserts exactly those violations, so a new one fails and a fixed page does too.
 *
 * Reads /work/shared/api when it exists (the source of truth), else the verbatim copy in
 * fixtures/api-reference (so a fresh clone runs this too); when both exist they must match.
 * The spec copy in emulator/spec/ must match the shared one too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { specValidator } from '../../emulator';
import { SPEC_PATH } from '../../emulator/spec/validator';

const SHARED = process.env.LLAMACLOUD_API_REFERENCE_DIR ?? '/work/shared/api';
const VENDORED = join(__dirname, 'fixtures', 'api-reference');
const PAGES = ['directories-and-files.md', 'indexes.md'];

/** Endpoint heading → the operation and status its example answers. */
const OPERATIONS: Record<string, { method: string; path: string; status: number }> = {
	'Create Directory': { method: 'POST', path: '/api/v1/beta/directories', status: 201 },
	'List Directories': { method: 'GET', path: '/api/v1/beta/directories', status: 200 },
	'Get Directory': { method: 'GET', path: '/api/v1/beta/directories/d', status: 200 },
	'Update Directory': { method: 'PATCH', path: '/api/v1/beta/directories/d', status: 200 },
	'Add Directory File': { method: 'POST', path: '/api/v1/beta/directories/d/files', status: 201 },
	'List Directory Files': { method: 'GET', path: '/api/v1/beta/directories/d/files', status: 200 },
	'Get Directory File': { method: 'GET', path: '/api/v1/beta/directories/d/files/f', status: 200 },
	'Update Directory File': {
		method: 'PATCH',
		path: '/api/v1/beta/directories/d/files/f',
		status: 200,
	},
	'Upload File To Directory': {
		method: 'POST',
		path: '/api/v1/beta/directories/d/files/upload',
		status: 201,
	},
	'Get Index': { method: 'GET', path: '/api/v1/indexes/i', status: 200 },
	'Create Index': { method: 'POST', path: '/api/v1/indexes', status: 201 },
	'Sync Index': { method: 'POST', path: '/api/v1/indexes/i/sync', status: 202 },
};

/** The page's examples still carry `data_source_id`, which the spec dropped (connectors replaced it). */
const DATA_SOURCE_ID = 'field data_source_id is not declared';
/** The spec requires `output_directory_id` on an index; the page's examples leave it out. */
const NO_OUTPUT_DIRECTORY = "must have required property 'output_directory_id'";

/**
 * Where the reference pages contradict the spec (the real service follows the spec): per
 * example, the violations the spec validator reports for it (by a distinctive part).
 */
const KNOWN_DIFFERENCES: Record<string, string[]> = {
	'Create Directory': [DATA_SOURCE_ID],
	'List Directories': [DATA_SOURCE_ID],
	'Get Directory': [DATA_SOURCE_ID],
	'Update Directory': [DATA_SOURCE_ID],
	'Add Directory File': [DATA_SOURCE_ID],
	'List Directory Files': [DATA_SOURCE_ID],
	'Get Directory File': [DATA_SOURCE_ID],
	'Update Directory File': [DATA_SOURCE_ID],
	'Upload File To Directory': [DATA_SOURCE_ID],
	'Get Index': [NO_OUTPUT_DIRECTORY],
	'Create Index': [NO_OUTPUT_DIRECTORY],
};
const KNOWN = [DATA_SOURCE_ID, NO_OUTPUT_DIRECTORY];

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
	expect(all.map((e) => e.endpoint).sort()).toEqual(Object.keys(OPERATIONS).sort());
});

test.each(all.map((e) => [`${e.page} › ${e.endpoint}`, e] as const))(
	'%s validates against the spec (or differs only as listed)',
	(_name, example) => {
		const operation = OPERATIONS[example.endpoint];
		const problems = specValidator().validateResponse({
			...operation,
			query: [],
			responseBody: example.json,
			responseContentType: 'application/json',
		});
		const named = problems.map((problem) => KNOWN.find((k) => problem.includes(k)) ?? problem);
		expect(named).toEqual(KNOWN_DIFFERENCES[example.endpoint] ?? []);
	},
);

(existsSync(join(SHARED, PAGES[0])) ? test : test.skip)(
	'the vendored copies match the shared reference and spec',
	() => {
		for (const page of PAGES) {
			expect(readFileSync(join(VENDORED, page), 'utf8')).toBe(
				readFileSync(join(SHARED, page), 'utf8'),
			);
		}
		expect(readFileSync(SPEC_PATH, 'utf8')).toBe(
			readFileSync(join(SHARED, 'openapi.json'), 'utf8'),
		);
	},
);
