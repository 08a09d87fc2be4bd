/**
 * Retrieval filters: `custom_filters` on a chunk's user metadata and `static_filters` on its
 * built-in fields. The spec's static filters are "MongoStaticFilters", so the emulator follows
 * MongoDB's semantics where the spec is silent (assumed):
 * - `ne` and `nin` also match a chunk that lacks the field; every other operator needs it.
 * - a list-valued field (string[]) matches when any element does (`ne` / `nin`: when none does).
 * - `gt` / `gte` / `lt` / `lte` compare numbers with numbers and strings with strings
 *   (code-unit order); across types nothing matches. `eq` is strict (`1` is not `"1"`).
 * - `in` / `nin` take a list; the other operators a single value (else 422).
 * - several fields, and the bounds of a numeric range, must all match.
 */
import { HttpError } from '../errors';
import type { Metadata } from '../schemas';
import type { IndexedDocument } from './documents';
import {
	LIST_OPERATORS,
	type FilterOperator,
	type NumericRangeFilter,
	type RetrieveInput,
	type StringFilter,
	type ValueFilter,
} from './schemas';

type Scalar = string | number | boolean;
type FieldValue = Metadata[string] | undefined;

/** A predicate over (document, retrieval file id), or 422 for a malformed filter. */
export type ChunkFilter = (document: IndexedDocument, fileId: string) => boolean;

export function compileFilters(input: RetrieveInput): ChunkFilter {
	const checks: ChunkFilter[] = [];
	for (const [field, filter] of Object.entries(input.custom_filters ?? {})) {
		if (filter === null) continue; // null: no filter on this field
		const bounds: Array<ValueFilter | NumericRangeFilter> = Array.isArray(filter)
			? filter
			: [filter];
		bounds.forEach((bound, i) =>
			checkShape(bound, ['custom_filters', field, ...(Array.isArray(filter) ? [i] : [])]),
		);
		const numeric = Array.isArray(filter);
		checks.push((document) =>
			bounds.every((bound) => {
				const actual = document.metadata[field];
				if (numeric && actual !== undefined && typeof actual !== 'number')
					return bound.operator === 'ne' || bound.operator === 'nin';
				return matches(actual, bound.operator, bound.value);
			}),
		);
	}
	const byFile: StringFilter | null | undefined = input.static_filters?.parsed_directory_file_id;
	if (byFile) {
		checkShape(byFile, ['static_filters', 'parsed_directory_file_id']);
		checks.push((_document, fileId) => matches(fileId, byFile.operator, byFile.value));
	}
	return (document, fileId) => checks.every((check) => check(document, fileId));
}

function checkShape(
	filter: { operator: FilterOperator; value: Scalar | Scalar[] },
	path: Array<string | number>,
): void {
	const wantsList = LIST_OPERATORS.has(filter.operator);
	if (wantsList !== Array.isArray(filter.value)) {
		throw HttpError.invalid(
			'body',
			[...path, 'value'],
			wantsList
				? `Operator '${filter.operator}' needs a list of values`
				: `Operator '${filter.operator}' needs a single value, not a list`,
		);
	}
}

function matches(actual: FieldValue, operator: FilterOperator, value: Scalar | Scalar[]): boolean {
	const negated = operator === 'ne' || operator === 'nin';
	if (actual === undefined || actual === null) return negated;
	const elements: Scalar[] = Array.isArray(actual) ? actual : [actual];
	const positive = negated ? (operator === 'ne' ? 'eq' : 'in') : operator;
	const any = elements.some((element) => compare(element, positive, value));
	return negated ? !any : any;
}

function compare(actual: Scalar, operator: FilterOperator, value: Scalar | Scalar[]): boolean {
	if (operator === 'in') return (value as Scalar[]).some((v) => v === actual);
	const expected = value as Scalar;
	if (operator === 'eq') return actual === expected;
	const comparable =
		(typeof actual === 'number' && typeof expected === 'number') ||
		(typeof actual === 'string' && typeof expected === 'string');
	if (!comparable) return false;
	switch (operator) {
		case 'gt':
			return actual > expected;
		case 'gte':
			return actual >= expected;
		case 'lt':
			return actual < expected;
		case 'lte':
			return actual <= expected;
		default:
			return false;
	}
}
