/**
 * Errors the emulator answers with, shaped like the real service (FastAPI):
 * `{"detail": "<sentence>"}` for most errors and `{"detail": [{type, loc, msg}]}` for 422.
 */
import type { ZodError, ZodIssue } from 'zod';

export type Location = 'body' | 'query' | 'path';

/** One item of a FastAPI validation error. */
export interface ValidationDetail {
	type: string;
	loc: Array<string | number>;
	msg: string;
	ctx?: Record<string, unknown>;
}

export class HttpError extends Error {
	/** What kind of refusal this is, when a variant answers it differently (see server.ts). */
	reason?: 'upload_too_large';

	because(reason: 'upload_too_large'): this {
		this.reason = reason;
		return this;
	}

	constructor(
		readonly status: number,
		readonly detail: string | ValidationDetail[],
		readonly headers: Record<string, string> = {},
	) {
		super(
			typeof detail === 'string'
				? detail
				: detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; '),
		);
	}

	static notFound(detail: string): HttpError {
		return new HttpError(404, detail);
	}

	static conflict(detail: string): HttpError {
		return new HttpError(409, detail);
	}

	/** A 422 for one field, e.g. `HttpError.invalid('query', ['page_token'], 'Invalid page token')`. */
	static invalid(
		where: Location,
		path: Array<string | number>,
		msg: string,
		type = 'value_error',
	): HttpError {
		return new HttpError(422, [{ type, loc: [where, ...path], msg }]);
	}

	static fromZod(where: Location, error: ZodError): HttpError {
		return new HttpError(
			422,
			error.issues.map((issue) => issueToDetail(where, issue)),
		);
	}
}

/** Maps a zod issue to pydantic v2's wording, so clients parsing FastAPI errors work unchanged. */
function issueToDetail(where: Location, issue: ZodIssue): ValidationDetail {
	const loc = [where, ...issue.path];
	const detail = (type: string, msg: string): ValidationDetail => ({ type, loc, msg });
	switch (issue.code) {
		case 'invalid_type': {
			if (issue.received === 'undefined') return detail('missing', 'Field required');
			switch (issue.expected) {
				case 'string':
					return detail('string_type', 'Input should be a valid string');
				case 'number':
					return detail('float_type', 'Input should be a valid number');
				case 'integer':
					return detail('int_type', 'Input should be a valid integer');
				case 'boolean':
					return detail('bool_type', 'Input should be a valid boolean');
				case 'array':
					return detail('list_type', 'Input should be a valid list');
				case 'object':
					return issue.path.length === 0
						? detail(
								'model_attributes_type',
								'Input should be a valid dictionary or object to extract fields from',
							)
						: detail('dict_type', 'Input should be a valid dictionary');
				default:
					return detail(`${issue.expected}_type`, `Input should be a valid ${issue.expected}`);
			}
		}
		case 'too_small':
			if (issue.type === 'string') {
				const n = Number(issue.minimum);
				return detail(
					'string_too_short',
					`String should have at least ${n} character${n === 1 ? '' : 's'}`,
				);
			}
			if (issue.type === 'array')
				return detail('too_short', `List should have at least ${issue.minimum} items`);
			return detail(
				'greater_than_equal',
				`Input should be greater than or equal to ${issue.minimum}`,
			);
		case 'too_big':
			if (issue.type === 'string') {
				const n = Number(issue.maximum);
				return detail(
					'string_too_long',
					`String should have at most ${n} character${n === 1 ? '' : 's'}`,
				);
			}
			if (issue.type === 'array')
				return detail('too_long', `List should have at most ${issue.maximum} items`);
			return detail('less_than_equal', `Input should be less than or equal to ${issue.maximum}`);
		case 'invalid_enum_value': {
			const options = issue.options.map((o) => `'${String(o)}'`);
			const list =
				options.length > 1
					? `${options.slice(0, -1).join(', ')} or ${options[options.length - 1]}`
					: options[0];
			return detail('enum', `Input should be ${list}`);
		}
		case 'invalid_literal':
			return detail('literal_error', `Input should be ${JSON.stringify(issue.expected)}`);
		case 'invalid_union':
			return detail(
				'union_type',
				issue.message === 'Invalid input' ? 'Input does not match any allowed type' : issue.message,
			);
		case 'custom':
			return detail(String(issue.params?.type ?? 'value_error'), issue.message);
		default:
			return detail('value_error', issue.message);
	}
}

/** FastAPI's answer to a body that is not JSON. */
export function jsonDecodeError(error: unknown): HttpError {
	const message = error instanceof Error ? error.message : String(error);
	const position = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
	return new HttpError(422, [
		{
			type: 'json_invalid',
			loc: ['body', position],
			msg: 'JSON decode error',
			ctx: { error: message },
		},
	]);
}
