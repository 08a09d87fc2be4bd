/**
 * The trigger's parameters, checked once per poll — so a value that cannot work fails at
 * activation (n8n runs a poll then), clearly and naming the option, instead of making every
 * later poll throw or the trigger go silent. Expressions can hand any type to any field.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeValue, numberInRange, rangeText, textProblem } from '../helpers/values';
import { FILE_EVENTS, type FileEvent, MAX_WINDOW_MS } from './cursor';

export const DEFAULT_LATE_ARRIVAL_SECONDS = 5;
export const LATE_ARRIVAL_RANGE = { min: 0, max: MAX_WINDOW_MS / 1000 };

export interface TriggerSettings {
	directoryId: string;
	events: FileEvent[];
	/** Lower-cased "Display Name Contains", '' for none. */
	nameFilter: string;
	windowMs: number;
	emitExisting: boolean;
	/** How deletions are found: a full listing every poll, or updated_at (if deletes bump it). */
	findDeletionsBy: 'fullScan' | 'updatedAt';
}

export function readSettings(ctx: IPollFunctions): TriggerSettings {
	const fail = (message: string) => new NodeOperationError(ctx.getNode(), message);
	const text = (value: unknown, field: string): string => {
		const problem = textProblem(value);
		if (problem) throw fail(`"${field}" must be text, ${problem}`);
		return value === undefined || value === null ? '' : String(value).trim();
	};

	const directoryId = text(
		ctx.getNodeParameter('directoryId', '', { extractValue: true }),
		'Directory',
	);
	if (!directoryId) throw fail('Choose a directory to watch ("Directory")');

	// A single event name from an expression is a list of one.
	const raw = ctx.getNodeParameter('events', []) as unknown;
	const list = typeof raw === 'string' ? raw.split(',').map((e) => e.trim()) : raw;
	if (!Array.isArray(list))
		throw fail(`"Events" must be a list of events (got ${describeValue(raw)})`);
	const unknown = list.find((e) => !FILE_EVENTS.includes(e as FileEvent));
	if (unknown !== undefined && unknown !== '') {
		throw fail(
			`"Events" has an unknown value ${describeValue(unknown)}; choose from ${FILE_EVENTS.join(', ')}`,
		);
	}
	const events = list.filter((e): e is FileEvent => FILE_EVENTS.includes(e as FileEvent));
	if (events.length === 0) throw fail('Choose at least one event ("Events")');

	const options = (ctx.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const nameFilter = text(options.displayNameContains, 'Display Name Contains').toLowerCase();

	const lateArrival = options.lateArrivalSeconds ?? DEFAULT_LATE_ARRIVAL_SECONDS;
	const seconds = numberInRange(lateArrival, LATE_ARRIVAL_RANGE);
	if (seconds === undefined) {
		throw fail(
			`"Late Arrival Window (Seconds)" must be ${rangeText(LATE_ARRIVAL_RANGE)} (got ${describeValue(lateArrival)})`,
		);
	}

	const existing = options.emitExisting ?? false;
	if (typeof existing !== 'boolean' && existing !== 'true' && existing !== 'false') {
		throw fail(
			`"Emit Existing Files on First Activation" must be true or false (got ${describeValue(existing)})`,
		);
	}
	const findDeletionsBy = options.findDeletionsBy ?? 'fullScan';
	if (findDeletionsBy !== 'fullScan' && findDeletionsBy !== 'updatedAt') {
		throw fail(
			`"Find Deletions By" has an unknown value ${describeValue(findDeletionsBy)}; choose fullScan or updatedAt`,
		);
	}
	return {
		directoryId,
		findDeletionsBy,
		events,
		nameFilter,
		windowMs: Math.round(seconds * 1000),
		emitExisting: existing === true || existing === 'true',
	};
}
