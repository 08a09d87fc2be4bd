/** fixtures/openapi.json is a verbatim copy of the shared spec (checked where the shared copy exists). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENAPI_PATH } from './openapi';

const SHARED = join(process.env.LLAMACLOUD_API_REFERENCE_DIR ?? '/work/shared/api', 'openapi.json');

(existsSync(SHARED) ? test : test.skip)('the vendored spec matches the shared one', () => {
	expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(readFileSync(SHARED, 'utf8'));
});
