/**
 * File → Get Many (routed, cursor-paginated), with typed date filters: the date picker's
 * wall-clock time is sent as an ISO instant in the workflow's time zone.
 */
import type {
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
	PreSendAction,
} from 'n8n-workflow';

import {
	collection,
	includeDeletedFilter,
	queryField,
	returnAllAndLimit,
} from '../../descriptions/common.descriptions';
import { toIsoInstant } from '../../helpers/dates';
import { routedOperation } from '../../helpers/routedOperation';
import { fieldError } from '../../helpers/validation';
import { guardHook } from '../../transport';
import { fileDirectoryLocator, FILES_URL, requireDirectory } from './common';

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

const dateFilter = (
	displayName: string,
	name: string,
	query: string,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'dateTime',
	default: '',
	description,
	routing: {
		send: { preSend: [guardHook(sendDateFilter(`filters.${name}`, query, displayName))] },
	},
});

export const option = routedOperation({
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many files',
	description: 'List the files of a directory',
	method: 'GET',
	url: FILES_URL,
	list: true,
	preSend: [requireDirectory],
});

export const description: INodeProperties[] = [
	fileDirectoryLocator,
	...returnAllAndLimit(),
	collection('filters', [
		queryField(
			'Display Name',
			'displayName',
			'display_name',
			'Only files with exactly this display name',
		),
		queryField('File ID', 'fileId', 'file_id', 'Only directory files of this stored file'),
		includeDeletedFilter('files'),
		queryField(
			'Name Contains',
			'displayNameContains',
			'display_name_contains',
			'Only files whose display name contains this text',
		),
		queryField('Unique ID', 'uniqueId', 'unique_id', 'Only the file with this unique ID'),
		dateFilter(
			'Updated After',
			'updatedAfter',
			'updated_at_on_or_after',
			'Only files updated at or after this time',
		),
		dateFilter(
			'Updated Before',
			'updatedBefore',
			'updated_at_on_or_before',
			'Only files updated at or before this time',
		),
	]),
];
