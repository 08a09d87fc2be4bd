/**
 * Index → Sync, a custom operation rather than a routed one: routing sends one request per
 * item and outputs its response, while "Wait Until Built" is a chain (sync, then GET the index
 * with pauses until the build ends) whose output is the last GET. A postReceive hook could host
 * the loop, but the parameter checks would then run per item after earlier items' requests
 * (routing fires all items' requests together); here every item is checked before any request.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { deepCopy, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { indexLocator } from '../../descriptions/common.descriptions';
import { itemRetryPolicy } from '../../descriptions/requestOptions.description';
import { requiredId } from '../../helpers/validation';
import { errorItem } from '../../transport';
import { buildWaitFields, readBuildWait } from './sync/buildWait';
import { IndexSync, type SyncPlan } from './sync/indexSync';

export const option: INodePropertyOptions & { value: 'sync' } = {
	name: 'Sync',
	value: 'sync',
	action: 'Sync an index',
	description:
		'Ask LlamaCloud to sync the index with its source directory, optionally waiting until the build ends',
};

export const description: INodeProperties[] = [indexLocator(), ...buildWaitFields()];

function readPlan(ctx: IExecuteFunctions, itemIndex: number): SyncPlan {
	const indexId = requiredId(
		ctx.getNodeParameter('indexId', itemIndex, '', { extractValue: true }),
		ctx,
		itemIndex,
		'Index',
	);
	return { indexId, policy: itemRetryPolicy(ctx, itemIndex), ...readBuildWait(ctx, itemIndex) };
}

/** The custom operation: every item's parameters are checked first, then items sync one after the other. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const plans = items.map((_, itemIndex) => {
		try {
			return readPlan(this, itemIndex);
		} catch (error) {
			return error as NodeOperationError;
		}
	});
	const invalid = plans.find((plan): plan is NodeOperationError => plan instanceof Error);
	if (invalid && !this.continueOnFail()) throw invalid;

	const output: INodeExecutionData[] = [];
	// Items syncing the same index the same way share one sync (an Index → Create before this
	// node often passes one item per uploaded file, all with the same index).
	const synced = new Map<string, IDataObject>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const plan = plans[itemIndex];
		let failure: NodeApiError | NodeOperationError;
		try {
			if (plan instanceof Error) throw plan;
			const key = JSON.stringify([plan.indexId, plan.wait]);
			const index = synced.get(key) ?? (await new IndexSync(this, plan, itemIndex).run());
			synced.set(key, index);
			output.push({ json: deepCopy(index), pairedItem: { item: itemIndex } });
			continue;
		} catch (error) {
			failure =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
		if (!this.continueOnFail()) throw failure;
		output.push(errorItem(failure, itemIndex));
	}
	return [output];
}
