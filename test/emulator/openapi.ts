/**
 * Component-level checks against the published OpenAPI spec (emulator/spec/openapi.json, a
 * verbatim copy of /work/shared/api/openapi.json), with the validator every suite's exchange
 * check uses (emulator/spec/validator.ts): a response the real service's clients would reject
 * fails here, whatever the emulator's own zod schemas say.
 */
import { specValidator } from '../../emulator';

/** The problems of `value` as an instance of `#/components/schemas/<component>` ([] when valid). */
export function specProblems(component: string, value: unknown): string[] {
	return specValidator().validateComponent(component, value);
}
