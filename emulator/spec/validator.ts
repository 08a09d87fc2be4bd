/**
 * Checks HTTP exchanges against LlamaCloud's published OpenAPI spec (`openapi.json` beside this
 * file, a copy of /work/shared/api/openapi.json: the contract).
 *
 * Schemas are checked by ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) with ajv-formats
 * (`uuid`, `date-time`, `uri`). This module only finds the operation, turns query strings and
 * form fields into the values their schemas describe, and reports what ajv says.
 *
 * Strict, on purpose: every object schema with declared properties and no
 * `additionalProperties` is closed, so an undeclared body field, form field or response field
 * is a violation (the real service ignores unknown request fields silently, which is how a move
 * sent as `directory_id` "succeeds" and moves nothing). Open maps (`metadata`,
 * `system_metadata`, an index's `metadata`) stay open because the spec says so.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One request and its answer, as the emulator saw them. */
export interface Exchange {
	method: string;
	/** Raw path (percent-encoding kept), without the query string. */
	path: string;
	/** Query pairs in order, values decoded, empty values kept. */
	query: Array<[string, string]>;
	/** The request's content type (without parameters), when it sent a body. */
	contentType?: string;
	/** Parsed JSON body, when one was read. */
	body?: unknown;
	/** Multipart parts, when a form was read: text fields and file parts, in order. */
	form?: { fields: Array<[string, string]>; files: Array<{ field: string; filename: string }> };
	/** Response status (0: no answer was sent, e.g. a reset). */
	status: number;
	/** Response body (parsed JSON), if any. */
	responseBody?: unknown;
	responseContentType?: string;
	/** False when the server answered before reading the body (it is then not checked). */
	bodyRead?: boolean;
}

export interface Violation {
	kind: 'request' | 'response';
	method: string;
	path: string;
	status: number;
	message: string;
}

type Json = Record<string, unknown>;

interface Parameter {
	name: string;
	in: 'query' | 'path' | 'header' | 'cookie';
	required?: boolean;
	schema: Json;
	pointer: string;
}

interface Operation {
	method: string;
	template: string;
	segments: string[];
	parameters: Parameter[];
	pointer: string;
	requestBody?: { required: boolean; contentTypes: string[] };
	responses: Record<string, { contentTypes: string[] }>;
}

/** Where an operation's pieces live in the document, as JSON pointers for ajv. */
const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

export const SPEC_PATH = join(__dirname, 'openapi.json');

/**
 * A FastAPI error for statuses the spec does not list (401, 403, 404, 409, 413, 429, 5xx): the
 * spec only documents 422, and the real service answers `{"detail": "<sentence>"}` (assumed,
 * from FastAPI's HTTPException and what the SDK's error classes read).
 */
const UNDECLARED_ERROR_SCHEMA = {
	type: 'object',
	required: ['detail'],
	properties: {
		detail: {
			anyOf: [
				{ type: 'string' },
				{ $ref: 'spec#/components/schemas/HTTPValidationError/properties/detail' },
			],
		},
	},
	additionalProperties: false,
};

export class SpecValidator {
	private readonly ajv: Ajv2020;
	private readonly operations: Operation[] = [];
	private readonly compiled = new Map<string, ValidateFunction>();

	constructor(spec: Json = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Json) {
		const document = closeObjects(structuredClone(spec)) as Json;
		// strict: false lets the OpenAPI document itself (openapi, info, paths…) and keywords
		// such as `discriminator` sit beside the schemas ajv compiles from it.
		this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
		addFormats(this.ajv);
		this.ajv.addSchema(document, 'spec');
		this.ajv.addSchema(UNDECLARED_ERROR_SCHEMA, 'undeclared-error');
		const paths = document.paths as Record<string, Record<string, Json>>;
		for (const [template, item] of Object.entries(paths)) {
			for (const [method, operation] of Object.entries(item)) {
				if (method === 'parameters') continue;
				const pointer = `/paths/${escapePointer(template)}/${method}`;
				const body = operation.requestBody as
					{ required?: boolean; content: Record<string, unknown> } | undefined;
				this.operations.push({
					method: method.toUpperCase(),
					template,
					segments: template.split('/').filter(Boolean),
					pointer,
					parameters: ((operation.parameters ?? []) as Parameter[]).map((p, i) => ({
						...p,
						pointer: `${pointer}/parameters/${i}/schema`,
					})),
					requestBody: body && {
						required: body.required === true,
						contentTypes: Object.keys(body.content),
					},
					responses: Object.fromEntries(
						Object.entries(operation.responses as Record<string, { content?: Json }>).map(
							([status, response]) => [
								status,
								{ contentTypes: Object.keys(response.content ?? {}) },
							],
						),
					),
				});
			}
		}
	}

	/** The operation a request is for, with its decoded path parameters. */
	findOperation(
		method: string,
		rawPath: string,
	): { operation: Operation; params: Record<string, string> } | undefined {
		const segments = rawPath.split('/').filter(Boolean);
		let best: { operation: Operation; params: Record<string, string>; literal: number } | undefined;
		for (const operation of this.operations) {
			if (operation.method !== method.toUpperCase()) continue;
			if (operation.segments.length !== segments.length) continue;
			const params: Record<string, string> = {};
			let literal = 0;
			let matches = true;
			for (let i = 0; i < segments.length && matches; i++) {
				const expected = operation.segments[i];
				const name = /^\{(.+)\}$/.exec(expected)?.[1];
				if (name) params[name] = safeDecode(segments[i]);
				else if (expected === segments[i]) literal++;
				else matches = false;
			}
			// `/files/upload` beats `/files/{directory_file_id}`: the most literal template wins.
			if (matches && (!best || literal > best.literal)) best = { operation, params, literal };
		}
		return best && { operation: best.operation, params: best.params };
	}

	/** What is wrong with a request, as sentences (empty: it conforms). */
	validateRequest(exchange: Exchange): string[] {
		const found = this.findOperation(exchange.method, exchange.path);
		if (!found) return [`${exchange.method} ${exchange.path} is not an operation of the spec`];
		const { operation, params } = found;
		const problems: string[] = [];

		for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
			problems.push(
				...this.check(
					parameter.pointer,
					params[parameter.name],
					`path parameter ${parameter.name}`,
				),
			);
		}

		const declared = new Map(
			operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]),
		);
		const grouped = new Map<string, string[]>();
		for (const [key, value] of exchange.query)
			grouped.set(key, [...(grouped.get(key) ?? []), value]);
		for (const [key, values] of grouped) {
			const parameter = declared.get(key);
			if (!parameter) {
				problems.push(
					`query parameter ${key} is not declared for ${operation.method} ${operation.template}`,
				);
				continue;
			}
			// Our rule, not the spec's: an empty value is a filter on "" for the service, never "no filter".
			if (values.some((v) => v === ''))
				problems.push(
					`query parameter ${key} is sent empty (the service filters on "", it does not ignore it)`,
				);
			const value = queryValue(parameter.schema, values);
			if (value === REPEATED) {
				problems.push(`query parameter ${key} is repeated but is not an array`);
				continue;
			}
			problems.push(...this.check(parameter.pointer, value, `query parameter ${key}`));
		}
		for (const parameter of declared.values()) {
			if (parameter.required && !grouped.has(parameter.name))
				problems.push(`required query parameter ${parameter.name} is missing`);
		}

		problems.push(...this.checkBody(operation, exchange));
		return problems;
	}

	/** What is wrong with a response, as sentences (empty: it conforms). */
	validateResponse(exchange: Exchange): string[] {
		if (exchange.status === 0) return [];
		const found = this.findOperation(exchange.method, exchange.path);
		if (!found) return [];
		const { operation } = found;
		const status = String(exchange.status);
		const declared = operation.responses[status];
		const where = `${operation.method} ${operation.template} → ${status}`;
		if (!declared) {
			if (exchange.status < 400) {
				const listed = Object.keys(operation.responses).join(', ');
				return [`${where}: status ${status} is not declared (the spec lists ${listed})`];
			}
			if (exchange.responseBody === undefined) return [`${where}: an error without a body`];
			// A proxy's HTML page (the emulator's `proxy_413` variant, injected 502s) is not the API's.
			if (!exchange.responseContentType?.startsWith('application/json')) return [];
			return this.check('undeclared-error', exchange.responseBody, `${where} body`, true);
		}
		if (declared.contentTypes.length === 0) {
			return exchange.responseBody === undefined ? [] : [`${where}: the spec declares no body`];
		}
		if (!exchange.responseContentType?.startsWith('application/json'))
			return [
				`${where}: content type ${exchange.responseContentType ?? 'none'}, expected application/json`,
			];
		const pointer = `${operation.pointer}/responses/${status}/content/application~1json/schema`;
		return this.check(pointer, exchange.responseBody, `${where} body`);
	}

	/** What is wrong with `value` as an instance of `#/components/schemas/<name>` (strict, like the rest). */
	validateComponent(name: string, value: unknown): string[] {
		return this.check(`/components/schemas/${name}`, value, name);
	}

	private checkBody(operation: Operation, exchange: Exchange): string[] {
		if (exchange.bodyRead === false) return [];
		const spec = operation.requestBody;
		const sent = exchange.body !== undefined || exchange.form !== undefined;
		if (!spec) return sent ? [`${operation.method} ${operation.template} takes no body`] : [];
		if (!sent) return spec.required ? ['the request body is missing'] : [];
		const type = exchange.contentType ?? '';
		if (!spec.contentTypes.includes(type))
			return [`content type ${type || 'none'}, expected ${spec.contentTypes.join(' or ')}`];
		const pointer = `${operation.pointer}/requestBody/content/${escapePointer(type)}/schema`;
		if (exchange.form) {
			const { value, repeated } = formObject(exchange.form);
			return [
				...repeated.map((name) => `form field ${name} is sent more than once`),
				...this.check(pointer, value, 'form'),
			];
		}
		return this.check(pointer, exchange.body, 'body');
	}

	private check(pointer: string, value: unknown, what: string, isId = false): string[] {
		let validate = this.compiled.get(pointer);
		if (!validate) {
			const ref = isId ? pointer : `spec#${pointer}`;
			validate = this.ajv.getSchema(ref);
			if (!validate) throw new Error(`No schema at ${ref}`);
			this.compiled.set(pointer, validate);
		}
		if (validate(value)) return [];
		return describe(validate.errors ?? [], what, value);
	}
}

const REPEATED = Symbol('repeated');

/** A query value as its schema types it: arrays from repeated keys, integers and booleans parsed. */
function queryValue(schema: Json, values: string[]): unknown {
	const types = schemaTypes(schema);
	if (types.has('array')) return values.map((v) => scalar(arrayItemTypes(schema), v));
	if (values.length > 1) return REPEATED;
	return scalar(types, values[0]);
}

function scalar(types: Set<string>, text: string): unknown {
	if ((types.has('integer') || types.has('number')) && /^-?\d+(\.\d+)?$/.test(text))
		return Number(text);
	if (types.has('boolean') && (text === 'true' || text === 'false')) return text === 'true';
	return text;
}

function schemaTypes(schema: Json): Set<string> {
	const types = new Set<string>();
	const visit = (s: Json) => {
		if (typeof s.type === 'string') types.add(s.type);
		for (const branch of [...((s.anyOf as Json[]) ?? []), ...((s.oneOf as Json[]) ?? [])])
			visit(branch);
	};
	visit(schema);
	return types;
}

function arrayItemTypes(schema: Json): Set<string> {
	const types = new Set<string>();
	const visit = (s: Json) => {
		if (s.type === 'array' && s.items) for (const t of schemaTypes(s.items as Json)) types.add(t);
		for (const branch of [...((s.anyOf as Json[]) ?? []), ...((s.oneOf as Json[]) ?? [])])
			visit(branch);
	};
	visit(schema);
	return types;
}

/** Form parts as the object the body schema describes (a file part stands as a string). */
function formObject(form: NonNullable<Exchange['form']>): { value: Json; repeated: string[] } {
	const value: Json = {};
	const repeated: string[] = [];
	const put = (name: string, v: string) => {
		if (name in value) repeated.push(name);
		value[name] = v;
	};
	for (const [name, v] of form.fields) put(name, v);
	for (const file of form.files) put(file.field, `<file ${file.filename}>`);
	return { value, repeated };
}

/** ajv's errors as sentences: where, what, and the offending value (cut short). */
function describe(errors: ErrorObject[], what: string, root: unknown): string[] {
	// An anyOf failure repeats every branch's complaint; keep the most specific ones.
	const specific = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
	const shown = (specific.length > 0 ? specific : errors).filter(
		(e) => !(e.keyword === 'type' && e.params.type === 'null'),
	);
	const list = shown.length > 0 ? shown : errors;
	const sentences = list.map((e) => {
		const at = e.instancePath ? `${what} ${e.instancePath}` : what;
		if (e.keyword === 'additionalProperties')
			return `${at}: field ${String(e.params.additionalProperty)} is not declared`;
		const value = valueAt(root, e.instancePath);
		return `${at}: ${e.message ?? e.keyword}${value === undefined ? '' : ` (got ${preview(value)})`}`;
	});
	return [...new Set(sentences)];
}

function valueAt(root: unknown, pointer: string): unknown {
	let current = root;
	for (const part of pointer.split('/').slice(1)) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
	}
	return current;
}

function preview(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** Closes every object schema that declares properties and says nothing about others. */
function closeObjects(node: unknown): unknown {
	if (Array.isArray(node)) {
		for (const item of node) closeObjects(item);
		return node;
	}
	if (node === null || typeof node !== 'object') return node;
	const schema = node as Json;
	const isObjectSchema =
		schema.properties !== undefined &&
		typeof schema.properties === 'object' &&
		(schema.type === 'object' || schema.type === undefined);
	if (isObjectSchema && !('additionalProperties' in schema)) schema.additionalProperties = false;
	for (const [key, value] of Object.entries(schema)) {
		// Property maps hold schemas by name; `examples` and `default` are data, not schemas.
		if (key === 'examples' || key === 'default' || key === 'example') continue;
		if (key === 'properties' && value && typeof value === 'object') {
			for (const child of Object.values(value as Json)) closeObjects(child);
		} else closeObjects(value);
	}
	return node;
}

let shared: SpecValidator | undefined;

/** One validator per process: compiling the spec's schemas costs a few hundred ms. */
export function specValidator(): SpecValidator {
	shared ??= new SpecValidator();
	return shared;
}
