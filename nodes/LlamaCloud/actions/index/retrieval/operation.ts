/**
 * What the retrieval operations share: the item loop (every item's parameters are checked before
 * any request, so a bad item fails fast naming itself; then items run one after the other, each
 * giving any number of output items paired with it; continue-on-fail emits an error item for a
 * failed input item and goes on), the plan every request starts from, and list collection.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { itemRetryPolicy } from '../../../descriptions/requestOptions.description';
import { fieldError, requiredId } from '../../../helpers/validation';
import type { RetryPolicy } from '../../../transport';
import { RetrievalSession } from './client';

/** What every retrieval request needs: the index as the user named it, the body, the retry policy. */
export interface RetrievalPlan {
	indexId: string;
	body: IDataObject;
	policy: RetryPolicy;
}

/** A list (Find, Grep): how many items to collect, too. */
export interface ListPlan extends RetrievalPlan {
	limit: number;
}

type Run<Plan> = (
	plan: Plan,
	itemIndex: number,
	session: RetrievalSession,
) => Promise<IDataObject[]>;

/** The custom operation: every item's plan first, then every item's run. */
export function retrievalOperation<Plan>(
	readPlan: (ctx: IExecuteFunctions, itemIndex: number) => Plan,
	run: Run<Plan>,
): (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> {
	return async function (this: IExecuteFunctions) {
		return await runItems(this, (itemIndex) => readPlan(this, itemIndex), run);
	};
}

/** The plan for the item's "Index" and this body. */
export function planFor(
	ctx: IExecuteFunctions,
	itemIndex: number,
	body: IDataObject,
): RetrievalPlan {
	const indexId = requiredId(
		ctx.getNodeParameter('indexId', itemIndex, '', { extractValue: true }),
		ctx,
		itemIndex,
		'Index',
	);
	return { indexId, body, policy: itemRetryPolicy(ctx, itemIndex) };
}

/** Every item of a Find or Grep list, following the cursor until the plan's limit. */
export async function collectList(
	path: string,
	plan: ListPlan,
	itemIndex: number,
	session: RetrievalSession,
): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	for await (const page of session.pages<IDataObject>(
		path,
		plan.indexId,
		plan.body,
		plan.limit,
		itemIndex,
		plan.policy,
	))
		items.push(...page);
	return items;
}

async function runItems<Plan>(
	ctx: IExecuteFunctions,
	readPlan: (itemIndex: number) => Plan,
	run: Run<Plan>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const plans = items.map((_, itemIndex) => {
		try {
			return { plan: readPlan(itemIndex) };
		} catch (error) {
			return { error: error as NodeOperationError };
		}
	});
	const invalid = plans.find((p) => p.error);
	if (invalid?.error && !ctx.continueOnFail()) throw invalid.error;

	const session = new RetrievalSession(ctx);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const { plan, error } = plans[itemIndex];
		let failure: NodeApiError | NodeOperationError;
		try {
			if (error) throw error;
			for (const json of await run(plan as Plan, itemIndex, session))
				output.push({ json, pairedItem: { item: itemIndex } });
			continue;
		} catch (caught) {
			failure =
				caught instanceof NodeApiError || caught instanceof NodeOperationError
					? caught
					: new NodeOperationError(ctx.getNode(), caught as Error, { itemIndex });
		}
		if (!ctx.continueOnFail()) throw failure;
		output.push({
			json: { error: failure.message },
			error: failure,
			pairedItem: { item: itemIndex },
		});
	}
	return [output];
}

/** "Return All" / "Limit" of a list operation: how many items to collect (Infinity for all). */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	if (ctx.getNodeParameter('returnAll', itemIndex, false)) return Infinity;
	const limit = readCount(ctx, itemIndex, ctx.getNodeParameter('limit', itemIndex, 50), 'Limit');
	if (limit < 1) throw fieldError(ctx, itemIndex, '"Limit"', `must be at least 1 (got ${limit})`);
	return limit;
}

/** A whole number of at least 0 (an expression can bypass the field's minimum). */
export function readCount(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: unknown,
	field: string,
): number {
	const value = typeof raw === 'string' && raw.trim() === '' ? NaN : Number(raw);
	if (!Number.isInteger(value) || value < 0)
		throw fieldError(
			ctx,
			itemIndex,
			`"${field}"`,
			`must be a whole number of at least 0 (got ${String(raw)})`,
		);
	return value;
}
