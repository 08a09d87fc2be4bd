/**
 * File metadata: flat key/value pairs whose values keep their type (string, number, boolean),
 * entered as typed pairs or as a JSON object (usually from an expression). Anything else is
 * rejected before sending, naming the key and the item.
 */
import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { fieldError } from './validation';

type Ctx = IExecuteFunctions | IExecuteSingleFunctions;
export type Metadata = Record<string, string | number | boolean>;

/**
 * The Metadata fields for an operation. They live at the top level (not in a collection) so
 * a JSON object can be mapped in with one expression.
 */
export function metadataFields(displayOptions: IDisplayOptions): INodeProperties[] {
	const when = (mode: string): IDisplayOptions => ({
		...displayOptions,
		show: { ...displayOptions.show, metadataInput: [mode] },
	});
	return [
		{
			displayName: 'Metadata',
			name: 'metadataInput',
			type: 'options',
			options: [
				{ name: 'None', value: 'none' },
				{ name: 'Key/Value Pairs', value: 'pairs', description: 'Enter typed key/value pairs' },
				{
					name: 'JSON',
					value: 'json',
					description: 'A flat JSON object, for example from an expression',
				},
			],
			default: 'none',
			description:
				'User-defined metadata to attach to the file: values are strings, numbers or booleans',
			displayOptions,
		},
		{
			displayName: 'Metadata Pairs',
			name: 'metadataPairs',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Metadata',
			default: {},
			displayOptions: when('pairs'),
			options: [
				{
					displayName: 'Pair',
					name: 'pair',
					values: [
						{ displayName: 'Key', name: 'key', type: 'string', default: '' },
						{
							displayName: 'Type',
							name: 'type',
							type: 'options',
							options: [
								{ name: 'String', value: 'string' },
								{ name: 'Number', value: 'number' },
								{ name: 'Boolean', value: 'boolean' },
							],
							default: 'string',
						},
						{
							displayName: 'Value',
							name: 'stringValue',
							type: 'string',
							default: '',
							displayOptions: { show: { type: ['string'] } },
						},
						{
							displayName: 'Value',
							name: 'numberValue',
							type: 'number',
							default: 0,
							displayOptions: { show: { type: ['number'] } },
						},
						{
							displayName: 'Value',
							name: 'booleanValue',
							type: 'boolean',
							default: false,
							displayOptions: { show: { type: ['boolean'] } },
						},
					],
				},
			],
		},
		{
			displayName: 'Metadata JSON',
			name: 'metadataJson',
			type: 'json',
			default: '{}',
			description: 'A flat object, e.g. {"department": "legal", "year": 2026, "public": false}',
			displayOptions: when('json'),
		},
	];
}

/** Checks that a value is a flat object of strings, numbers and booleans. */
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
	const out: Metadata = {};
	for (const [key, v] of Object.entries(parsed as IDataObject)) {
		if (typeof v === 'number' && !Number.isFinite(v)) {
			throw fieldError(ctx, itemIndex, `Metadata key "${key}"`, 'must be a finite number');
		}
		if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
			const kind =
				v === null
					? 'null'
					: Array.isArray(v)
						? 'an array'
						: typeof v === 'object'
							? 'a nested object'
							: typeof v;
			throw fieldError(
				ctx,
				itemIndex,
				`Metadata key "${key}"`,
				`is ${kind}; values must be strings, numbers or booleans`,
				'LlamaCloud metadata is flat: flatten nested values into keys such as "author.name".',
			);
		}
		out[key] = v;
	}
	return out;
}

/** The metadata the user entered for an item, or undefined when none. */
export function metadataFromParameters(ctx: Ctx, itemIndex: number): Metadata | undefined {
	const get = (name: string, fallback: unknown) =>
		'getItemIndex' in ctx
			? (ctx as IExecuteSingleFunctions).getNodeParameter(name, fallback)
			: (ctx as IExecuteFunctions).getNodeParameter(name, itemIndex, fallback);
	const mode = get('metadataInput', 'none') as string;
	if (mode === 'json') return validateMetadata(get('metadataJson', '{}'), ctx, itemIndex);
	if (mode !== 'pairs') return undefined;
	const pairs = ((get('metadataPairs', {}) as IDataObject).pair ?? []) as IDataObject[];
	const out: Metadata = {};
	pairs.forEach((pair, n) => {
		const key = String(pair.key ?? '').trim();
		if (!key) throw fieldError(ctx, itemIndex, `Metadata pair ${n + 1}`, 'has an empty key');
		if (key in out) throw fieldError(ctx, itemIndex, `Metadata key "${key}"`, 'is set twice');
		const type = String(pair.type ?? 'string');
		const value = pair[`${type}Value`];
		out[key] = validateMetadata({ [key]: value }, ctx, itemIndex)[key];
	});
	return out;
}

/** preSend: puts the item's metadata into the JSON body. */
export async function sendMetadata(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const metadata = metadataFromParameters(this, this.getItemIndex());
	if (metadata !== undefined) {
		requestOptions.body = { ...((requestOptions.body as IDataObject) ?? {}), metadata };
	}
	return requestOptions;
}
