/**
 * How an index sync waits for its build: Wait Until Built, Poll Interval, Timeout (Index → Sync,
 * and File → Mirror under its "Sync Index").
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../../../helpers/validation';
import { describeValue, numberInRange } from '../../../helpers/values';
import type { SyncPlan } from './indexSync';

/** Seconds. Polling faster than every half second only loads the API. */
export const POLL_INTERVAL_RANGE = { min: 0.5, max: 3600 };
/** Seconds; a day at most. */
export const TIMEOUT_RANGE = { min: 1, max: 86_400 };

/**
 * Wait Until Built, Poll Interval, Timeout; `when` adds display conditions (Mirror's "Sync Index").
 */
export function buildWaitFields(when: { [field: string]: boolean[] } = {}): INodeProperties[] {
	const shown = Object.keys(when).length ? { displayOptions: { show: when } } : {};
	return [
		{
			displayName: 'Wait Until Built',
			name: 'waitUntilBuilt',
			type: 'boolean',
			default: false,
			description:
				'Whether to wait for the build to end and output the index with its final build state; a failed build or a timeout fails the item. Either way, a sync LlamaCloud refuses because a build is running (for a new index, its automatic first build) is sent again once that build ends.',
			...(Object.keys(when).length
				? shown
				: { hint: 'Items naming the same index share one sync' }),
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
			...shown,
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: TIMEOUT_RANGE.min, maxValue: TIMEOUT_RANGE.max },
			default: 600,
			description:
				'How long to wait, for a running build that blocks the sync and (with Wait Until Built) for the build, before failing the item',
			...shown,
		},
	];
}

/** The build wait of item `itemIndex` (Wait Until Built and its bounds), checked. */
export function readBuildWait(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Pick<SyncPlan, 'wait' | 'pollIntervalMs' | 'timeoutMs'> {
	// Read even without waiting: a sync refused while a build runs waits for that build.
	const wait = ctx.getNodeParameter('waitUntilBuilt', itemIndex, false) as boolean;
	const seconds = (
		name: string,
		field: string,
		range: { min: number; max: number },
		fallback: number,
	) => {
		// An expression can bypass the UI's min/max.
		const raw = ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
		const value = numberInRange(raw, range);
		if (value === undefined) {
			throw fieldError(
				ctx,
				itemIndex,
				`"${field}"`,
				`must be between ${range.min} and ${range.max} seconds (got ${describeValue(raw)})`,
			);
		}
		return Math.round(value * 1000);
	};
	return {
		wait,
		pollIntervalMs: seconds('pollInterval', 'Poll Interval (Seconds)', POLL_INTERVAL_RANGE, 5),
		timeoutMs: seconds('timeout', 'Timeout (Seconds)', TIMEOUT_RANGE, 600),
	};
}
