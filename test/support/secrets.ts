/**
 * Jest setup (setupFilesAfterEnv): after all tests of a file, the canary API key must appear
 * nowhere in what that file's harness runs produced — output items, errors (message,
 * description, cause, context, serialized form), poll results, credential test results — nor
 * in anything logged or reported through n8n's Logger, LoggerProxy or ErrorReporter, nor in any
 * request that reached an origin other than the API's (test/support/hostile-server.ts records
 * those as 'foreign-request': redirect targets). It is looked for as is and in the encoded forms
 * a server could echo it in (canary.ts). A file that records nothing passes trivially.
 */
import { recorded } from '../../harness/engine/records';
import { CANARY_API_KEY, findSecretInAnyForm } from './canary';

afterAll(() => {
	const hits = findSecretInAnyForm(CANARY_API_KEY);
	if (hits.length > 0) {
		throw new Error(
			`The canary API key leaked into ${hits.length} recorded value(s) of this test file (of ${recorded().length}):\n${hits.slice(0, 10).join('\n')}`,
		);
	}
});
