/** The spec check itself (emulator/spec/validator.ts): what it accepts and what it reports. */
import {
	VARIANT_DEFAULTS,
	resolveVariants,
	specValidator,
	variantEnvName,
	type Exchange,
} from '../../emulator';

const validator = specValidator();
const exchange = (over: Partial<Exchange>): Exchange => ({
	method: 'GET',
	path: '/api/v1/beta/directories',
	query: [],
	status: 200,
	...over,
});
const json = 'application/json';

describe('requests', () => {
	test('a conforming request passes', () => {
		expect(
			validator.validateRequest(
				exchange({
					method: 'PATCH',
					path: '/api/v1/beta/directories/dir-1/files/dfl-1',
					query: [['project_id', '3fa85f64-5717-4562-b3fc-2c963f66afa6']],
					contentType: json,
					body: { target_directory_id: 'dir-2', metadata: { tags: ['a'], n: null } },
				}),
			),
		).toEqual([]);
	});

	test('an undeclared body field (the old move field) is reported', () => {
		expect(
			validator.validateRequest(
				exchange({
					method: 'PATCH',
					path: '/api/v1/beta/directories/dir-1/files/dfl-1',
					contentType: json,
					body: { directory_id: 'dir-2' },
				}),
			),
		).toEqual(['body: field directory_id is not declared']);
	});

	test('undeclared, empty, repeated and badly formatted query parameters are reported', () => {
		const problems = validator.validateRequest(
			exchange({
				query: [
					['data_source_id', 'ds-1'],
					['name', ''],
					['page_size', '10'],
					['page_size', '20'],
					['project_id', 'prj-1'],
					['types', 'user'],
					['types', 'index'],
				],
			}),
		);
		expect(problems).toEqual([
			'query parameter data_source_id is not declared for GET /api/v1/beta/directories',
			'query parameter name is sent empty (the service filters on "", it does not ignore it)',
			'query parameter page_size is repeated but is not an array',
			'query parameter project_id: must match format "uuid" (got "prj-1")',
		]);
	});

	test('form fields are checked like a body; a path parameter by its format', () => {
		expect(
			validator.validateRequest(
				exchange({
					method: 'POST',
					path: '/api/v1/beta/files',
					contentType: 'multipart/form-data',
					form: {
						fields: [
							['purpose', 'user_data'],
							['note', 'x'],
						],
						files: [{ field: 'file', filename: 'a' }],
					},
				}),
			),
		).toEqual(['form: field note is not declared']);
		expect(validator.validateRequest(exchange({ path: '/api/v1/beta/files/file-1' }))).toEqual([
			'path parameter file_id: must match format "uuid" (got "file-1")',
		]);
		expect(validator.validateRequest(exchange({ path: '/api/v1/nowhere' }))).toEqual([
			'GET /api/v1/nowhere is not an operation of the spec',
		]);
	});
});

describe('responses', () => {
	test('an undeclared success status, an extra field and a bad error shape are reported', () => {
		expect(
			validator.validateResponse(
				exchange({ method: 'POST', status: 200, responseBody: {}, responseContentType: json }),
			),
		).toEqual([
			'POST /api/v1/beta/directories → 200: status 200 is not declared (the spec lists 201, 422)',
		]);
		expect(
			validator.validateResponse(
				exchange({
					responseBody: { items: [], total_size: null, extra: 1 },
					responseContentType: json,
				}),
			),
		).toEqual(['GET /api/v1/beta/directories → 200 body: field extra is not declared']);
		expect(
			validator.validateResponse(
				exchange({ status: 404, responseBody: { message: 'x' }, responseContentType: json }),
			),
		).toEqual([
			'GET /api/v1/beta/directories → 404 body: must have required property \'detail\' (got {"message":"x"})',
			'GET /api/v1/beta/directories → 404 body: field message is not declared',
		]);
	});

	test('open maps stay open (index metadata)', () => {
		expect(
			validator.validateResponse(
				exchange({
					path: '/api/v1/indexes/idx-1',
					responseBody: {
						id: 'idx-1',
						name: 'n',
						project_id: 'p',
						source_directory_id: 's',
						output_directory_id: 'o',
						sync_config_id: 'c',
						export_config_id: 'e',
						metadata: { status: 'ready', anything: { goes: true } },
					},
					responseContentType: json,
				}),
			),
		).toEqual([]);
	});
});

describe('variants', () => {
	test('environment variables set variants; options win; a bad value names the variable', () => {
		expect(variantEnvName('duplicateUniqueId')).toBe('LLAMACLOUD_EMULATOR_DUPLICATE_UNIQUE_ID');
		const env = {
			LLAMACLOUD_EMULATOR_INDEX_IDS: 'either',
			LLAMACLOUD_EMULATOR_LIST_ORDER: 'created',
		};
		expect(resolveVariants({ listOrder: 'newest_first' }, env)).toEqual({
			...VARIANT_DEFAULTS,
			indexIds: 'either',
			listOrder: 'newest_first',
		});
		expect(() => resolveVariants({}, { LLAMACLOUD_EMULATOR_PAGE_TOKENS: 'cursor' })).toThrow(
			"LLAMACLOUD_EMULATOR_PAGE_TOKENS must be one of keyset, offset; got 'cursor'",
		);
	});
});
