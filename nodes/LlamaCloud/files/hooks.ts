/**
 * Routing hooks of the File resource: the steps the engine's declarative routing cannot
 * express on its own (lookups by unique ID, typed date filters, "Update must change something").
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import { apiPath, apiRequest, notFoundError, type ListPage } from '../transport';
import { retryPolicyOf } from '../shared/requestOptions';
import { fieldError, requiredId, requiredText } from '../shared/validation';

/** The value of a resource locator (dot path allowed), or null when the parameter is absent. */
function locatorValue(ctx: IExecuteSingleFunctions, name: string): unknown {
	// null, not undefined: with an undefined fallback n8n throws for a field left out of a collection.
	return ctx.getNodeParameter(name, null, { extractValue: true });
}

/** preSend of Update: a PATCH with nothing in it would only bump updated_at. */
export async function requireFileChange(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const updateFields = this.getNodeParameter('updateFields', {}) as IDataObject;
	const metadataInput = this.getNodeParameter('metadataInput', 'none') as string;
	if (Object.keys(updateFields ?? {}).length === 0 && metadataInput === 'none') {
		throw fieldError(
			this,
			this.getItemIndex(),
			'"Update Fields"',
			'must set at least one field',
			'Add a field to change, set Metadata, or both.',
		);
	}
	return requestOptions;
}

// ---------------------------------------------------------------------------------------------
// By unique ID: the API looks files up by directory_file_id only; the list filters by unique_id
// ---------------------------------------------------------------------------------------------

function uniqueIdOf(ctx: IExecuteSingleFunctions): string {
	return requiredText(ctx.getNodeParameter('uniqueId', ''), ctx, ctx.getItemIndex(), 'Unique ID');
}

function directoryIdOf(ctx: IExecuteSingleFunctions): string {
	return requiredId(locatorValue(ctx, 'directoryId'), ctx, ctx.getItemIndex(), 'Directory');
}

/** The live file with exactly this unique ID (exact match, whatever the filter's semantics). */
function pickByUniqueId(
	files: IDataObject[] | undefined,
	uniqueId: string,
): IDataObject | undefined {
	return (files ?? []).find((file) => file.unique_id === uniqueId);
}

function noFileMessage(
	ctx: IExecuteSingleFunctions,
	uniqueId: string,
	directoryId: string,
): string {
	return `No file with unique ID '${uniqueId}' in directory ${directoryId} [item ${ctx.getItemIndex()}]`;
}

/** preSend of Get by Unique ID: checks the unique ID and sends it as the list filter. */
export async function filterByUniqueId(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	requestOptions.qs = { ...requestOptions.qs, unique_id: uniqueIdOf(this) };
	return requestOptions;
}

/** postReceive of Get by Unique ID: the one matching file, or a 404 naming the item. */
export const expectOneFile: PostReceiveAction = async function (
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const uniqueId = uniqueIdOf(this);
	const page = (items[0]?.json ?? {}) as unknown as ListPage<IDataObject>;
	const file = pickByUniqueId(page.items, uniqueId);
	if (!file) {
		const directoryId = directoryIdOf(this);
		throw notFoundError(this, noFileMessage(this, uniqueId, directoryId), {
			method: 'GET',
			path: apiPath`/api/v1/beta/directories/${directoryId}/files`,
			itemIndex: this.getItemIndex(),
		});
	}
	return [{ json: file }];
};

/**
 * Reconciliation of Add when its answer was lost: the directory file holding the unique ID the
 * request sent, if it is the stored file the request added. Another file under that unique ID
 * means ours was not added (sending again gets the API's 409). Without a unique ID in the
 * request the API derives one, and a match could be an older copy: that cannot be told (null).
 */
export async function reconcileAdd(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<IDataObject | null | undefined> {
	const body = (requestData.options.body ?? {}) as IDataObject;
	const uniqueId = typeof body.unique_id === 'string' ? body.unique_id : '';
	if (!uniqueId) return null;
	const path = String(requestData.options.url ?? '');
	const page = await apiRequest.call<
		IExecuteSingleFunctions,
		Parameters<typeof apiRequest>,
		Promise<ListPage<IDataObject>>
	>(this, {
		method: 'GET',
		path,
		qs: { unique_id: uniqueId },
		itemIndex: this.getItemIndex(),
		policy: retryPolicyOf(this, this.getItemIndex()),
	});
	const file = pickByUniqueId(page.items, uniqueId);
	return file && file.file_id === body.file_id ? file : undefined;
}

/**
 * The directory_file_id each Delete by Unique ID resolved, by item context, for its output:
 * the DELETE answers with an empty body and postReceive does not see the request.
 */
const resolvedFileIds = new WeakMap<IExecuteSingleFunctions, string>();

/** preSend of Delete by Unique ID: finds the file's directory_file_id and points the URL at it. */
export async function resolveUniqueIdForDelete(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const itemIndex = this.getItemIndex();
	const uniqueId = uniqueIdOf(this);
	const directoryId = directoryIdOf(this);
	const path = apiPath`/api/v1/beta/directories/${directoryId}/files`;
	const page = await apiRequest.call<
		IExecuteSingleFunctions,
		Parameters<typeof apiRequest>,
		Promise<ListPage<IDataObject>>
	>(this, {
		method: 'GET',
		path,
		qs: { unique_id: uniqueId },
		itemIndex,
		policy: retryPolicyOf(this, itemIndex),
	});
	const file = pickByUniqueId(page.items, uniqueId);
	if (!file) {
		throw notFoundError(this, noFileMessage(this, uniqueId, directoryId), {
			method: 'GET',
			path,
			itemIndex,
		});
	}
	const fileId = String(file.id);
	resolvedFileIds.set(this, fileId);
	requestOptions.url = apiPath`/api/v1/beta/directories/${directoryId}/files/${fileId}`;
	return requestOptions;
}

/** postReceive of Delete: `{ deleted: true, id }`, the id being the directory file's. */
export const fileDeleted: PostReceiveAction = async function (
	this: IExecuteSingleFunctions,
): Promise<INodeExecutionData[]> {
	const id = resolvedFileIds.get(this) ?? String(locatorValue(this, 'fileId') ?? '').trim();
	return [{ json: { deleted: true, id } }];
};

// ---------------------------------------------------------------------------------------------
// Date filters
// ---------------------------------------------------------------------------------------------

const HAS_ZONE = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;
const WALL_CLOCK =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/** Offset of a time zone from UTC at an instant, in ms (Intl, since published code has no luxon). */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	}).formatToParts(new Date(utcMs));
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	const wall = Date.UTC(
		part('year'),
		part('month') - 1,
		part('day'),
		part('hour'),
		part('minute'),
		part('second'),
	);
	return wall - Math.floor(utcMs / 1000) * 1000;
}

/**
 * An ISO instant for a dateTime parameter. The date picker gives wall-clock time without an
 * offset, which n8n means in the workflow's time zone; values with an offset are taken as is.
 */
export function toIsoInstant(value: unknown, timeZone: string): string | undefined {
	if (Object.prototype.toString.call(value) === '[object Date]') {
		// A Date from an expression (possibly from another realm, hence no instanceof).
		const time = (value as Date).getTime();
		return Number.isNaN(time) ? undefined : new Date(time).toISOString();
	}
	const text = String(value ?? '').trim();
	if (HAS_ZONE.test(text)) {
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
	}
	const m = WALL_CLOCK.exec(text);
	if (!m) return undefined;
	const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
	const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, '0'));
	// Date.UTC rolls 2026-13-45 over into 2027: refuse values that did not survive as written.
	const check = new Date(wall);
	const asWritten = [
		check.getUTCMonth() + 1,
		check.getUTCDate(),
		check.getUTCHours(),
		check.getUTCMinutes(),
	];
	if (asWritten.join() !== [+mo, +d, +h, +mi].join()) return undefined;
	let utc = wall;
	try {
		// Two passes settle the offset around daylight-saving changes.
		utc = wall - zoneOffsetMs(wall - zoneOffsetMs(wall, timeZone), timeZone);
	} catch {
		// Unknown time zone name: read the time as UTC.
	}
	const date = new Date(utc);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** preSend of a dateTime filter: sends it as an ISO instant, or fails naming the field. */
export function sendDateFilter(parameter: string, query: string, field: string): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const value = this.getNodeParameter(parameter, null) as unknown;
		if (value === undefined || value === null || value === '') return requestOptions;
		const iso = toIsoInstant(value, this.getTimezone());
		if (!iso) {
			throw fieldError(
				this,
				this.getItemIndex(),
				`"${field}"`,
				'is not a valid date and time',
				`Got: ${String(value).slice(0, 100)}. Use ISO 8601, e.g. 2026-03-01T09:30:00Z.`,
			);
		}
		requestOptions.qs = { ...requestOptions.qs, [query]: iso };
		return requestOptions;
	};
}
