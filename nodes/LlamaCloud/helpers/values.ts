/**
 * Reading parameter values that may come from an expression. The editor's field types and
 * limits do not hold for an expression: a text field can receive an object or an array, a
 * number field "abc", true or [3]. These readers accept what a user means (a number typed as
 * text, a number where text belongs) and say precisely what else arrived.
 */

export interface NumberRange {
	min: number;
	max: number;
	/** Whole numbers only. */
	whole?: boolean;
}

/** A value as a message shows it: "5s", true, [3], an object. */
export function describeValue(value: unknown): string {
	if (typeof value === 'string')
		return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
	if (value === null || typeof value !== 'object') return String(value);
	if (Array.isArray(value)) return 'an array';
	return 'an object';
}

/** Why a value cannot be text ("not an object"), or undefined when it can (numbers can). */
export function textProblem(value: unknown): string | undefined {
	if (value === undefined || value === null || typeof value === 'string') return undefined;
	if (typeof value === 'number') return Number.isFinite(value) ? undefined : `not ${value}`;
	if (Array.isArray(value)) return 'not an array';
	if (typeof value === 'object') return 'not an object';
	return `not a ${typeof value}`;
}

/** The number a value holds: a finite number, or text that is one; undefined otherwise. */
export function strictNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const n = Number(value.trim());
	return Number.isFinite(n) ? n : undefined;
}

/** The number if it is one within the range, else undefined. */
export function numberInRange(value: unknown, range: NumberRange): number | undefined {
	const n = strictNumber(value);
	if (n === undefined || n < range.min || n > range.max) return undefined;
	if (range.whole && !Number.isInteger(n)) return undefined;
	return n;
}

/** "a whole number from 1 to 32", "a number from 0 to 3600", "a whole number of at least 1". */
export function rangeText(range: NumberRange): string {
	const kind = range.whole ? 'a whole number' : 'a number';
	return range.max === Infinity
		? `${kind} of at least ${range.min}`
		: `${kind} from ${range.min} to ${range.max}`;
}
