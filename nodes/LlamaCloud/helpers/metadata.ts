/**
 * File metadata: flat key/value pairs whose values keep their type (string, number, boolean,
 * null, or a list of strings: the spec's MetadataValue), entered as typed pairs or as a JSON object (usually from an expression; the fields:
 * descriptions/metadata.description.ts). Anything else is rejected before sending, naming the
 * key and the item.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { fieldError } from './validation';

type Ctx = IExecuteFunctions | IExecuteSingleFunctions;
export type Metadata = Record<string, string | number | boolean | null | string[]>;

/** What to send instead of a value LlamaCloud's flat metadata cannot hold, for that very key. */
function flatteningHint(key: string, value: unknown): string {
	if (value === null) return `Leave "${key}" out, or send an empty string.`;
	if (Array.isArray(value))
		return `LlamaCloud metadata is flat: join the values into one string ("${key}": "a, b"), or use one key per value ("${key}.0", "${key}.1").`;
	const inner = value && typeof value === 'object' ? Object.keys(value)[0] : undefined;
	return `LlamaCloud metadata is flat: flatten it into keys such as "${key}.${inner ?? 'name'}".`;
}

/**
 * An empty metadata object without a prototype: "__proto__", "constructor" or "prototype" are
 * keys like any other to LlamaCloud, and on an ordinary object the first would be swallowed.
 * (The transport sends JSON bodies as text, so axios's copy cannot drop them either.)
 */
function emptyMetadata(): Metadata {
	return Object.create(null) as Metadata;
}

function setKey(metadata: Metadata, key: string, value: Metadata[string]): void {
	Object.defineProperty(metadata, key, {
		value,
		enumerable: true,
		writable: true,
		configurable: true,
	});
}

const isStringList = (v: unknown): v is string[] =>
	Array.isArray(v) && v.every((entry) => typeof entry === 'string');

/** Checks that a value is a flat object of strings, numbers, booleans, nulls and string lists. */
export function validateMetadata(value: unknown, ctx: Ctx, itemIndex: number): Metadata {
	let parsed = value;
	if (typeof parsed === 'string') {
		const text = parsed.trim();
		if (text === '') return {};
		try {
			parsed = JSON.parse(text);
		} catch {
			throw fieldError(
				ctx,
				itemIndex,
				'"Metadata JSON"',
				'is not valid JSON',
				`Got: ${text.slice(0, 100)}`,
			);
		}
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw fieldError(ctx, itemIndex, '"Metadata JSON"', 'must be a JSON object of key/value pairs');
	}
	const out = emptyMetadata();
	for (const [key, v] of Object.entries(parsed as IDataObject)) {
		if (typeof v === 'number' && !Number.isFinite(v)) {
			throw fieldError(ctx, itemIndex, `Metadata key "${key}"`, 'must be a finite number');
		}
		const scalar =
			typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null;
		if (!scalar && !isStringList(v)) {
			const kind = Array.isArray(v)
				? 'a list with a value that is not a string'
				: typeof v === 'object'
					? 'a nested object'
					: typeof v;
			throw fieldError(
				ctx,
				itemIndex,
				`Metadata key "${key}"`,
				`is ${kind}; values must be strings, numbers, booleans, null or lists of strings`,
				flatteningHint(key, v),
			);
		}
		setKey(out, key, v as Metadata[string]);
	}
	return out;
}

/** Reads a parameter of the item at hand (each context kind has its own way). */
export type ParameterReader = (name: string, fallback: unknown) => unknown;

/** The metadata the user entered for an item, or undefined when none. */
export function metadataFromParameters(
	ctx: Ctx,
	itemIndex: number,
	get: ParameterReader,
): Metadata | undefined {
	const mode = get('metadataInput', 'none') as string;
	if (mode === 'json') return validateMetadata(get('metadataJson', '{}'), ctx, itemIndex);
	if (mode !== 'pairs') return undefined;
	const pairs = ((get('metadataPairs', {}) as IDataObject).pair ?? []) as IDataObject[];
	const out = emptyMetadata();
	pairs.forEach((pair, n) => {
		const key = String(pair.key ?? '').trim();
		if (!key) throw fieldError(ctx, itemIndex, `Metadata pair ${n + 1}`, 'has an empty key');
		if (key in out) throw fieldError(ctx, itemIndex, `Metadata key "${key}"`, 'is set twice');
		const type = String(pair.type ?? 'string');
		const value = pair[`${type}Value`];
		setKey(out, key, validateMetadata({ [key]: value }, ctx, itemIndex)[key]);
	});
	return out;
}

/** preSend: puts the item's metadata into the JSON body. */
export async function sendMetadata(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const get: ParameterReader = (name, fallback) => this.getNodeParameter(name, fallback);
	const metadata = metadataFromParameters(this, this.getItemIndex(), get);
	if (metadata !== undefined) {
		requestOptions.body = { ...((requestOptions.body as IDataObject) ?? {}), metadata };
	}
	return requestOptions;
}
