/**
 * Validation against the published OpenAPI spec (fixtures/openapi.json, a verbatim copy of
 * /work/shared/api/openapi.json) with ajv: a response the real service's clients would reject
 * fails here, whatever the emulator's own zod schemas say.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const OPENAPI_PATH = join(__dirname, 'fixtures', 'openapi.json');
const SPEC_ID = 'openapi.json';

let ajv: Ajv2020 | undefined;

function compiler(): Ajv2020 {
	if (!ajv) {
		// strict: false — the spec carries OpenAPI annotations (examples, titles) ajv does not know.
		ajv = new Ajv2020({ strict: false, allErrors: true });
		addFormats(ajv);
		ajv.addSchema({ $id: SPEC_ID, ...JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) });
	}
	return ajv;
}

/** The problems of `value` as an instance of `#/components/schemas/<component>` ([] when valid). */
export function specProblems(component: string, value: unknown): string[] {
	const validate = compiler().getSchema(`${SPEC_ID}#/components/schemas/${component}`);
	if (!validate) throw new Error(`No schema ${component} in the spec`);
	if (validate(value)) return [];
	return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
