/**
 * Index → Retrieve: the passages of an index that best answer a query, each with its scores
 * and what a citation needs (the file, its name and unique ID, pages, position in the file).
 * A custom operation: after the retrieve call it looks up the cited files (routing sends one
 * request per item), and it finds the index by either of its IDs (retrieval/client.ts).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { collection, indexLocator } from '../../descriptions/common.descriptions';
import { fieldError, requiredText } from '../../helpers/validation';
import { type CitedFile, RETRIEVAL_PATHS, type RetrievalSession } from './retrieval/client';
import { buildFilters, filterFields } from './retrieval/filters';
import { planFor, readCount, type RetrievalPlan, retrievalOperation } from './retrieval/operation';
import { type ApiResult, citation } from './retrieval/results';

/** The API caps top_k at 500. */
export const TOP_K_RANGE = { min: 1, max: 500 };

export const option: INodePropertyOptions & { value: 'retrieve' } = {
	name: 'Retrieve',
	value: 'retrieve',
	action: 'Search an index for passages that answer a question',
	description:
		'Find the passages of the indexed documents that best match a question, with their scores and the file, pages and position each comes from',
};

export const description: INodeProperties[] = [
	indexLocator({ description: 'The index to search (its ID or its export config ID)' }),
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. How many days of paid leave do we get?',
		description: 'What to search for: a question or a few keywords',
	},
	{
		displayName: 'Top K',
		name: 'topK',
		type: 'number',
		typeOptions: { minValue: TOP_K_RANGE.min, maxValue: TOP_K_RANGE.max },
		default: 5,
		description: 'Max number of passages to return',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'One Item per Result', value: 'perResult' },
			{
				name: 'One Item With All Results',
				value: 'allResults',
				description: 'An item with the query and a "results" list',
			},
		],
		default: 'perResult',
	},
	collection('filters', filterFields),
	collection('options', [
		{
			displayName: 'Minimum Score',
			name: 'scoreThreshold',
			type: 'number',
			typeOptions: { numberPrecision: 3 },
			default: 0,
			description: 'Leave out passages scoring below this (scores lie between 0 and 1)',
		},
		{
			displayName: 'Rerank',
			name: 'rerank',
			type: 'options',
			options: [
				{
					name: 'Server Default (On)',
					value: 'default',
					description: 'Send no rerank setting: LlamaCloud reranks',
				},
				{ name: 'On', value: 'on' },
				{ name: 'Off', value: 'off', description: 'Order by the search score alone' },
			],
			default: 'default',
			description: 'Whether LlamaCloud reorders the passages with its reranker',
		},
		{
			displayName: 'Rerank Top N',
			name: 'rerankTopN',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 5,
			description: 'How many passages to keep after reranking (not with Rerank off)',
		},
		{
			displayName: 'Look Up File Names',
			name: 'lookUpFiles',
			type: 'boolean',
			default: true,
			description:
				"Whether to add each cited file's display name and unique ID (one request per distinct file)",
		},
	]),
];

interface Plan extends RetrievalPlan {
	allResults: boolean;
	lookUpFiles: boolean;
}

function readPlan(ctx: IExecuteFunctions, itemIndex: number): Plan {
	const query = requiredText(ctx.getNodeParameter('query', itemIndex, ''), ctx, itemIndex, 'Query');
	const topK = readCount(ctx, itemIndex, ctx.getNodeParameter('topK', itemIndex, 5), 'Top K');
	if (topK < TOP_K_RANGE.min || topK > TOP_K_RANGE.max)
		throw fieldError(ctx, itemIndex, '"Top K"', `must be between 1 and 500 (got ${topK})`);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = {
		query,
		top_k: topK,
		...buildFilters(ctx, itemIndex, ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject),
	};
	if (options.scoreThreshold !== undefined) {
		const threshold = Number(options.scoreThreshold);
		if (!Number.isFinite(threshold))
			throw fieldError(
				ctx,
				itemIndex,
				'"Minimum Score"',
				`must be a number (got ${String(options.scoreThreshold)})`,
			);
		body.score_threshold = threshold;
	}
	// The server reranks by default: say nothing unless the user chose.
	const rerank = String(options.rerank ?? 'default');
	const topN =
		options.rerankTopN === undefined
			? undefined
			: readCount(ctx, itemIndex, options.rerankTopN, 'Rerank Top N');
	if (topN !== undefined && topN < 1)
		throw fieldError(ctx, itemIndex, '"Rerank Top N"', `must be at least 1 (got ${topN})`);
	if (rerank === 'off') body.rerank = { enabled: false };
	else if (rerank === 'on') body.rerank = { enabled: true, ...(topN ? { top_n: topN } : {}) };
	else if (topN) body.rerank = { top_n: topN };
	return {
		...planFor(ctx, itemIndex, body),
		allResults: ctx.getNodeParameter('output', itemIndex, 'perResult') === 'allResults',
		lookUpFiles: options.lookUpFiles !== false,
	};
}

async function run(
	plan: Plan,
	itemIndex: number,
	session: RetrievalSession,
): Promise<IDataObject[]> {
	const { results } = await session.post<{ results?: ApiResult[] }>(
		RETRIEVAL_PATHS.retrieve,
		plan.indexId,
		plan.body,
		itemIndex,
		plan.policy,
	);
	const found = results ?? [];
	const files = new Map<string, CitedFile>();
	const ids = [
		...new Set(found.map((r) => r.static_fields?.parsed_directory_file_id ?? '')),
	].filter(Boolean);
	if (plan.lookUpFiles && ids.length > 0) {
		const index = await session.index(plan.indexId, itemIndex, plan.policy);
		if (index)
			for (const id of ids)
				files.set(id, await session.citedFile(index, id, itemIndex, plan.policy));
	}
	const cited = found.map((result, n) => citation(result, n + 1, files));
	if (plan.allResults) return [{ query: plan.body.query, index_id: plan.indexId, results: cited }];
	return cited.map((result) => ({ query: plan.body.query, ...result }));
}

export const execute = retrievalOperation(readPlan, run);
