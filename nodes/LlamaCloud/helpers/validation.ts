/**
 * Checks run before any request, so bad input fails with a message that names the field and
 * the item instead of a 422 from the API (or, worse, a request that half-succeeds).
 */
import type {
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	PreSendAction,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeValue, numberInRange, rangeText, textProblem } from './values';

type Ctx = IExecuteFunctions | IExecuteSingleFunctions;

/** A NodeOperationError whose message says which field of which item is wrong. */
export function fieldError(
	ctx: Ctx,
	itemIndex: number,
	field: string,
	problem: string,
	description?: string,
) {
	return new NodeOperationError(ctx.getNode(), `${field} ${problem} [item ${itemIndex}]`, {
		itemIndex,
		description,
	});
}

/**
 * The trimmed text of an optional string parameter ('' when absent). An expression can hand an
 * object or an array to a text field: refused by name rather than sent as "[object Object]".
 */
export function optionalText(value: unknown, ctx: Ctx, itemIndex: number, field: string): string {
	const problem = textProblem(value);
	if (problem) throw fieldError(ctx, itemIndex, `"${field}"`, `must be text, ${problem}`);
	return value === undefined || value === null ? '' : String(value).trim();
}

/** The trimmed text of a required string parameter; empty or whitespace is an error. */
export function requiredText(value: unknown, ctx: Ctx, itemIndex: number, field: string): string {
	const text = optionalText(value, ctx, itemIndex, field);
	if (!text) throw fieldError(ctx, itemIndex, `"${field}"`, 'must not be empty');
	return text;
}

/** preSend of an optional text field (dot path allowed): text or nothing, never an object. */
export function requireTextValue(parameter: string, field: string): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		optionalText(this.getNodeParameter(parameter, null), this, this.getItemIndex(), field);
		return requestOptions;
	};
}

/** preSend of Limit: a whole number of at least 1, whatever an expression made of it. */
export function requireLimit(parameter: string, field: string): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const value = this.getNodeParameter(parameter, null) as unknown;
		const range = { min: 1, max: Infinity, whole: true };
		if (numberInRange(value, range) === undefined) {
			throw fieldError(
				this,
				this.getItemIndex(),
				`"${field}"`,
				`must be ${rangeText(range)} (got ${describeValue(value)})`,
				'Or turn on "Return All".',
			);
		}
		return requestOptions;
	};
}

/**
 * The trimmed ID a parameter holds. Besides being non-blank, an ID cannot be "." or "..":
 * URL parsing would resolve it (percent-encoded or not) and send the request to another route.
 */
export function requiredId(value: unknown, ctx: Ctx, itemIndex: number, field: string): string {
	const id = requiredText(value, ctx, itemIndex, field);
	if (id === '.' || id === '..') {
		throw fieldError(
			ctx,
			itemIndex,
			`"${field}"`,
			`'${id}' is not a valid ID`,
			'IDs cannot be "." or "..".',
		);
	}
	return id;
}

/** preSend: a resource locator (dot path allowed) must hold a usable ID; optional ones may be absent. */
export function requireId(
	parameter: string,
	field: string,
	{ optional = false } = {},
): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		// null, not undefined: with an undefined fallback n8n throws for a field left out of a collection.
		const value = this.getNodeParameter(parameter, null, { extractValue: true }) as unknown;
		if (optional && (value === undefined || value === null)) return requestOptions;
		requiredId(value, this, this.getItemIndex(), field);
		return requestOptions;
	};
}

/** preSend: the parameter (dot path allowed) must hold non-blank text when present. */
export function requireText(
	parameter: string,
	field: string,
	{ optional = false } = {},
): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		// null, not undefined: with an undefined fallback n8n throws for a field left out of a collection.
		const value = this.getNodeParameter(parameter, null) as unknown;
		if (optional && (value === undefined || value === null)) return requestOptions;
		requiredText(value, this, this.getItemIndex(), field);
		return requestOptions;
	};
}

/** preSend: an Update must change something. */
export function requireSomeField(parameter: string, field: string): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const value = this.getNodeParameter(parameter, {}) as Record<string, unknown>;
		if (!value || Object.keys(value).length === 0) {
			throw fieldError(this, this.getItemIndex(), `"${field}"`, 'must set at least one field');
		}
		return requestOptions;
	};
}
