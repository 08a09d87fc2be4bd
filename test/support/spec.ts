/**
 * Jest setup (setupFilesAfterEnv): every exchange with an emulator during a test file is
 * checked against LlamaCloud's OpenAPI spec (emulator/spec/validator.ts, ajv):
 * - requests, strictly: the path and method exist, no undeclared query parameter, body field
 *   or form field, values of the declared types and formats, no empty query value;
 * - responses: the declared status and its schema (errors the spec does not list: FastAPI's
 *   `{"detail": …}`).
 * After the file's tests, any violation fails the file, listing them.
 *
 * A test file that sends non-conforming requests on purpose (the emulator's own 422 and 404
 * tests) calls `allowNonConformingRequests(reason)`: its requests are then not checked, its
 * responses still are. Responses of injected faults are the fault's and are not checked.
 */
import { observeExchanges, type ObservedExchange } from '../../emulator/exchanges';
import { specValidator } from '../../emulator/spec/validator';

/** `LLAMACLOUD_SPEC_REQUESTS=report` lists request violations without failing (while migrating). */
const requestMode = process.env.LLAMACLOUD_SPEC_REQUESTS === 'report' ? 'report' : 'enforce';

/** Exempted requests: all of them (no predicate) or those a predicate picks, with the reason. */
const exemptions: Array<{ reason: string; applies: (exchange: ObservedExchange) => boolean }> = [];
const violations: string[] = [];
let checked = 0;

/**
 * For files that send non-conforming requests on purpose: their requests (or, with a
 * predicate, the ones it picks) are not checked. Their responses still are.
 */
export function allowNonConformingRequests(
	reason: string,
	applies: (exchange: ObservedExchange) => boolean = () => true,
): void {
	exemptions.push({ reason, applies });
}

/** Violations found so far in this file (tests of the check itself read them). */
export function specViolations(): readonly string[] {
	return violations;
}

function record(exchange: ObservedExchange): void {
	checked++;
	const validator = specValidator();
	const label = `${exchange.method} ${exchange.path}${queryText(exchange)}`;
	if (!exemptions.some((exemption) => exemption.applies(exchange))) {
		for (const problem of validator.validateRequest(exchange))
			violations.push(`request ${label}: ${problem}`);
	}
	if (!exchange.fault) {
		for (const problem of validator.validateResponse(exchange))
			violations.push(`response ${label}: ${problem}`);
	}
}

function queryText(exchange: ObservedExchange): string {
	if (exchange.query.length === 0) return '';
	return `?${exchange.query.map(([k, v]) => `${k}=${v.length > 40 ? `${v.slice(0, 40)}…` : v}`).join('&')}`;
}

let stop: (() => void) | undefined;

beforeAll(() => {
	stop = observeExchanges(record);
});

afterAll(() => {
	stop?.();
	if (violations.length === 0) return;
	const unique = [...new Set(violations)];
	const requestOnly = unique.every((v) => v.startsWith('request '));
	const message = `${unique.length} exchange(s) of ${checked} do not follow the OpenAPI spec (emulator/spec/openapi.json):\n${unique.slice(0, 40).join('\n')}${unique.length > 40 ? `\n… and ${unique.length - 40} more` : ''}`;
	if (requestOnly && requestMode === 'report') {
		process.stderr.write(`[spec report] ${expect.getState().testPath ?? ''}\n${message}\n`);
		return;
	}
	throw new Error(message);
});
