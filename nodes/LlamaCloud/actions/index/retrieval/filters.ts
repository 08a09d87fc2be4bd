/**
 * Retrieve's filters: the "Metadata" conditions and "Metadata (JSON)" become `custom_filters`,
 * "File IDs" becomes `static_filters.parsed_directory_file_id`. Every condition is checked here,
 * so a bad one fails naming the field and the item instead of coming back as a 422.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../../../helpers/validation';

export const FILTER_OPERATORS = [
	{ name: 'Is Equal To', value: 'eq' },
	{ name: 'Is Not Equal To', value: 'ne' },
	{ name: 'Is Greater Than', value: 'gt' },
	{ name: 'Is Greater Than or Equal To', value: 'gte' },
	{ name: 'Is Less Than', value: 'lt' },
	{ name: 'Is Less Than or Equal To', value: 'lte' },
	{ name: 'Is One Of', value: 'in' },
	{ name: 'Is None Of', value: 'nin' },
] as const;

type Operator = (typeof FILTER_OPERATORS)[number]['value'];
type Scalar = string | number | boolean;
export interface Filter {
	operator: Operator;
	value: Scalar | Scalar[];
}
type CustomFilters = Record<string, Filter | Filter[]>;

const OPERATORS = new Set<string>(FILTER_OPERATORS.map((o) => o.value));
const LIST_OPERATORS = new Set<string>(['in', 'nin']);

interface Condition {
	field?: string;
	operator?: string;
	value?: unknown;
	type?: 'auto' | 'string' | 'number' | 'boolean';
}

export const filterFields: INodeProperties[] = [
	{
		displayName: 'File IDs',
		name: 'fileIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. dfl-4f1c..., dfl-9a2b...',
		description:
			'Only passages from these files, comma-separated: the file IDs results cite or Find Files returns',
	},
	{
		displayName: 'Metadata',
		name: 'metadata',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Condition',
		description:
			'Conditions on the metadata of the source files; all must hold. A condition with an empty value is left out.',
		options: [
			{
				displayName: 'Condition',
				name: 'conditions',
				values: [
					{
						displayName: 'Field',
						name: 'field',
						type: 'string',
						default: '',
						placeholder: 'e.g. department',
						description: 'Metadata key of the source files',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: [...FILTER_OPERATORS],
						default: 'eq',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. finance',
						description: 'For "Is One Of" and "Is None Of", a comma-separated list',
					},
					{
						displayName: 'Value Type',
						name: 'type',
						type: 'options',
						options: [
							{
								name: 'Automatic',
								value: 'auto',
								description: 'Numbers and true/false as such, anything else as text',
							},
							{ name: 'Text', value: 'string' },
							{ name: 'Number', value: 'number' },
							{ name: 'Boolean', value: 'boolean' },
						],
						default: 'auto',
					},
				],
			},
		],
	},
	{
		displayName: 'Metadata (JSON)',
		name: 'metadataJson',
		type: 'json',
		default: '{}',
		description:
			'Conditions as the API takes them, e.g. {"year": [{"operator": "gte", "value": 2024}], "team": {"operator": "in", "value": ["a", "b"]}}',
	},
];

/** The request's filter fields (empty when no filter is set). */
export function buildFilters(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: IDataObject,
): { custom_filters?: CustomFilters; static_filters?: IDataObject } {
	const custom: CustomFilters = {};
	const conditions = ((raw.metadata as IDataObject | undefined)?.conditions ?? []) as Condition[];
	const byField = new Map<string, Filter[]>();
	conditions.forEach((condition, n) => {
		const filter = fromCondition(ctx, itemIndex, condition, n + 1);
		if (!filter) return;
		const field = String(condition.field).trim();
		byField.set(field, [...(byField.get(field) ?? []), filter]);
	});
	for (const [field, filters] of byField) {
		if (filters.length === 1) custom[field] = filters[0];
		else if (filters.every((f) => typeof f.value === 'number')) custom[field] = filters;
		else
			throw fieldError(
				ctx,
				itemIndex,
				`"Metadata" field '${field}'`,
				'has several conditions: only numeric conditions (a range) can share a field',
			);
	}
	for (const [field, filter] of Object.entries(fromJson(ctx, itemIndex, raw.metadataJson))) {
		if (field in custom)
			throw fieldError(
				ctx,
				itemIndex,
				`"Metadata (JSON)" field '${field}'`,
				'is also set in "Metadata": set it in one place',
			);
		custom[field] = filter;
	}
	const fileIds = String(raw.fileIds ?? '')
		.split(',')
		.map((id) => id.trim())
		.filter(Boolean);
	return {
		...(Object.keys(custom).length > 0 ? { custom_filters: custom } : {}),
		...(fileIds.length > 0
			? { static_filters: { parsed_directory_file_id: { operator: 'in', value: fileIds } } }
			: {}),
	};
}

function fromCondition(
	ctx: IExecuteFunctions,
	itemIndex: number,
	condition: Condition,
	n: number,
): Filter | null {
	const where = `"Metadata" condition ${n}`;
	const text =
		condition.value === undefined || condition.value === null ? '' : String(condition.value).trim();
	// Left empty (an AI agent's $fromAI() often is): no condition.
	if (text === '') return null;
	const field = String(condition.field ?? '').trim();
	if (!field) throw fieldError(ctx, itemIndex, where, 'needs a field name');
	const operator = String(condition.operator ?? 'eq');
	if (!OPERATORS.has(operator))
		throw fieldError(ctx, itemIndex, where, `has an unknown operator '${operator}'`);
	const parse = (part: string) => parseValue(ctx, itemIndex, where, part, condition.type ?? 'auto');
	const value = LIST_OPERATORS.has(operator)
		? text
				.split(',')
				.map((part) => part.trim())
				.filter(Boolean)
				.map(parse)
		: parse(text);
	return { operator: operator as Operator, value };
}

function parseValue(
	ctx: IExecuteFunctions,
	itemIndex: number,
	where: string,
	text: string,
	type: Condition['type'],
): Scalar {
	const number = Number(text);
	const isNumber = text !== '' && Number.isFinite(number);
	const lower = text.toLowerCase();
	switch (type) {
		case 'string':
			return text;
		case 'number':
			if (!isNumber) throw fieldError(ctx, itemIndex, where, `needs a number, not '${text}'`);
			return number;
		case 'boolean':
			if (lower !== 'true' && lower !== 'false')
				throw fieldError(ctx, itemIndex, where, `needs true or false, not '${text}'`);
			return lower === 'true';
		default:
			if (isNumber) return number;
			if (lower === 'true' || lower === 'false') return lower === 'true';
			return text;
	}
}

/** "Metadata (JSON)": an object of field → {operator, value} or a list of numeric bounds. */
function fromJson(ctx: IExecuteFunctions, itemIndex: number, raw: unknown): CustomFilters {
	const where = '"Metadata (JSON)"';
	let parsed: unknown = raw ?? {};
	if (typeof parsed === 'string') {
		if (parsed.trim() === '') return {};
		try {
			parsed = JSON.parse(parsed);
		} catch (error) {
			throw fieldError(ctx, itemIndex, where, `is not valid JSON: ${(error as Error).message}`);
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
		throw fieldError(ctx, itemIndex, where, 'must be a JSON object of field: condition');
	const filters: CustomFilters = {};
	for (const [field, condition] of Object.entries(parsed as IDataObject)) {
		if (condition === null) continue;
		const list = Array.isArray(condition);
		const bounds = (list ? condition : [condition]) as unknown[];
		bounds.forEach((bound) =>
			checkFilter(ctx, itemIndex, `${where} field '${field}'`, bound, list),
		);
		filters[field] = (list ? bounds : bounds[0]) as Filter | Filter[];
	}
	return filters;
}

function checkFilter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	where: string,
	bound: unknown,
	numeric: boolean,
): void {
	const { operator, value } = (bound ?? {}) as { operator?: unknown; value?: unknown };
	if (typeof operator !== 'string' || !OPERATORS.has(operator))
		throw fieldError(
			ctx,
			itemIndex,
			where,
			`needs an "operator", one of ${[...OPERATORS].join(', ')}`,
		);
	const scalar = (v: unknown) =>
		numeric ? typeof v === 'number' : ['string', 'number', 'boolean'].includes(typeof v);
	const wantsList = LIST_OPERATORS.has(operator);
	const ok = wantsList ? Array.isArray(value) && value.every(scalar) : scalar(value);
	if (!ok)
		throw fieldError(
			ctx,
			itemIndex,
			where,
			`needs a "value" that is ${wantsList ? 'a list of ' : 'a single '}${numeric ? 'number' : 'string, number or boolean'}${wantsList ? 's' : ''} for "${operator}"`,
		);
}
