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
import { fieldError, requiredId } from '../../helpers/validation';
import { errorItem } from '../../transport';
import { IndexSync, type SyncPlan } from './sync/indexSync';

/** Seconds. Polling faster than every half second only loads the API. */
export const POLL_INTERVAL_RANGE = { min: 0.5, max: 3600 };
/** Seconds; a day at most. */
export const TIMEOUT_RANGE = { min: 1, max: 86_400 };

export const option: INodePropertyOptions & { value: 'sync' } = {
	name: 'Sync',
	value: 'sync',
	action: 'Sync an index',
	description:
		'Ask LlamaCloud to sync the index with its source directory, optionally waiting until the build ends',
};

export const description: INodeProperties[] = [
	indexLocator(),
	{
		displayName: 'Wait Until Built',
		name: 'waitUntilBuilt',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait for the build to end and output the index with its final build state; a failed build or a timeout fails the item. Either way, a sync LlamaCloud refuses because a build is running (for a new index, its automatic first build) is sent again once that build ends.',
		hint: 'Items naming the same index share one sync',
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: {
			minValue: POLL_INTERVAL_RANGE.min,
			maxValue: POLL_INTERVAL_RANGE.max,
			numberPrecision: 1,
		},
		default: 5,
		description:
			'Longest wait between two checks of the build state. The first checks come sooner (after a quarter second, then twice as long each time), so a quick build is seen quickly.',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: TIMEOUT_RANGE.min, maxValue: TIMEOUT_RANGE.max },
		default: 600,
		description:
			'How long to wait, for a running build that blocks the sync and (with Wait Until Built) for the build, before failing the item',
	},
];

function readPlan(ctx: IExecuteFunctions, itemIndex: number): SyncPlan {
	const indexId = requiredId(
		ctx.getNodeParameter('indexId', itemIndex, '', { extractValue: true }),
		ctx,
		itemIndex,
		'Index',
	);
	const policy = itemRetryPolicy(ctx, itemIndex);
	const wait = ctx.getNodeParameter('waitUntilBuilt', itemIndex, false) as boolean;
	const seconds = (
		name: string,
		field: string,
		range: { min: number; max: number },
		fallback: number,
	) => {
		// An expression can bypass the UI's min/max.
		const raw = ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
		const value = typeof raw === 'string' && raw.trim() === '' ? NaN : Number(raw);
		if (!Number.isFinite(value) || value < range.min || value > range.max) {
			throw fieldError(
				ctx,
				itemIndex,
				`"${field}"`,
				`must be between ${range.min} and ${range.max} seconds (got ${String(raw)})`,
			);
		}
		return Math.round(value * 1000);
	};
	return {
		indexId,
		policy,
		wait,
		pollIntervalMs: seconds('pollInterval', 'Poll Interval (Seconds)', POLL_INTERVAL_RANGE, 5),
		timeoutMs: seconds('timeout', 'Timeout (Seconds)', TIMEOUT_RANGE, 600),
	};
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
