/**
 * What several File operations share: the URLs, the checks of the directory and file
 * locators, fields of Add and Update, and the lookup by unique ID (the API looks files up by
 * directory_file_id only; its list filters by unique_id).
 */
import type { IExecuteSingleFunctions, INodeProperties } from 'n8n-workflow';

import { bodyField, directoryLocator } from '../../descriptions/common.descriptions';
import { retryPolicyOf } from '../../descriptions/requestOptions.description';
import type { DirectoryFile, ListPage } from '../../helpers/interfaces';
import { pathParam } from '../../helpers/routedOperation';
import { requiredId, requiredText, requireId, requireText } from '../../helpers/validation';
import { apiPath, apiRequest, notFoundError } from '../../transport';

export const FILES_URL = `=/api/v1/beta/directories/${pathParam('directoryId')}/files`;
export const FILE_URL = `${FILES_URL}/${pathParam('fileId')}`;

export const requireDirectory = requireId('directoryId', 'Directory');
export const requireFile = requireId('fileId', 'File');
export const optionalText = (parameter: string, field: string) =>
	requireText(parameter, field, { optional: true });

/** The directory of every routed File operation (Upload has its own). */
export const fileDirectoryLocator = directoryLocator({
	description: 'The directory the file is in',
});

export const displayNameField = bodyField(
	'Display Name',
	'displayName',
	'display_name',
	"Name shown for the file; defaults to the stored file's name",
);

export const uniqueIdBodyField = bodyField(
	'Unique ID',
	'uniqueId',
	'unique_id',
	'Identifier of the file within the directory (for example a path or an external ID); it must be unique there',
);

/** The unique ID looked up by Get by Unique ID and Delete by Unique ID. */
export const uniqueIdLookup = (extra: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName: 'Unique ID',
	name: 'uniqueId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. contracts/2026/acme.pdf',
	description: 'The unique ID the file has in the directory',
	...extra,
});

/** The value of a resource locator (dot path allowed), or null when the parameter is absent. */
export function locatorValue(ctx: IExecuteSingleFunctions, name: string): unknown {
	// null, not undefined: with an undefined fallback n8n throws for a field left out of a collection.
	return ctx.getNodeParameter(name, null, { extractValue: true });
}

export function uniqueIdOf(ctx: IExecuteSingleFunctions): string {
	return requiredText(ctx.getNodeParameter('uniqueId', ''), ctx, ctx.getItemIndex(), 'Unique ID');
}

export function directoryIdOf(ctx: IExecuteSingleFunctions): string {
	return requiredId(locatorValue(ctx, 'directoryId'), ctx, ctx.getItemIndex(), 'Directory');
}

/** The live file with exactly this unique ID (exact match, whatever the filter's semantics). */
export function pickByUniqueId(
	files: DirectoryFile[] | undefined,
	uniqueId: string,
): DirectoryFile | undefined {
	return (files ?? []).find((file) => file.unique_id === uniqueId);
}

/** Lists `path` (a directory's files) filtered by the unique ID and picks the exact match. */
export async function fileByUniqueId(
	ctx: IExecuteSingleFunctions,
	path: string,
	uniqueId: string,
): Promise<DirectoryFile | undefined> {
	const itemIndex = ctx.getItemIndex();
	const page = await apiRequest.call<
		IExecuteSingleFunctions,
		Parameters<typeof apiRequest>,
		Promise<ListPage<DirectoryFile>>
	>(ctx, {
		method: 'GET',
		path,
		qs: { unique_id: uniqueId },
		itemIndex,
		policy: retryPolicyOf(ctx, itemIndex),
		expect: 'page',
	});
	return pickByUniqueId(page.items, uniqueId);
}

/** The 404 of a lookup by unique ID that found nothing, naming the item. */
export function noFileWithUniqueId(
	ctx: IExecuteSingleFunctions,
	uniqueId: string,
	directoryId: string,
) {
	return notFoundError(
		ctx,
		`No file with unique ID '${uniqueId}' in directory ${directoryId} [item ${ctx.getItemIndex()}]`,
		{
			method: 'GET',
			path: apiPath`/api/v1/beta/directories/${directoryId}/files`,
			itemIndex: ctx.getItemIndex(),
		},
	);
}
