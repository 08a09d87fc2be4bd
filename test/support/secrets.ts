/**
 * Jest setup (setupFilesAfterEnv): after all tests of a file, the canary API key must appear
 * nowhere in what that file's harness runs produced — output items, errors (message,
 * description, cause, context, serialized form), poll results, credential test results — nor
 * in anything logged or reported through n8n's Logger, LoggerProxy or ErrorReporter.
 * A file that does not use the harness records nothing and passes trivially.
 */
import { findSecret, recorded } from '../harness/records';
import { CANARY_API_KEY } from './canary';

afterAll(() => {
	const hits = findSecret(CANARY_API_KEY);
	if (hits.length > 0) {
		throw new Error(
			`The canary API key leaked into ${hits.length} recorded value(s) of this test file (of ${recorded().length}):\n${hits.slice(0, 10).join('\n')}`,
		);
	}
});
