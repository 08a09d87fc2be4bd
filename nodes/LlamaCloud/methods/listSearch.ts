/** "From List" searches of the resource locators: one API page per call, cursor passed through. */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { retryPolicyOf } from '../descriptions/requestOptions.description';
import type { Directory, DirectoryFile, Index, ListPage } from '../helpers/interfaces';
import { apiPath, apiRequest } from '../transport';

const PAGE_SIZE = 50;

async function searchPage<T>(
	ctx: ILoadOptionsFunctions,
	path: string,
	qs: IDataObject,
	paginationToken: string | undefined,
	toResult: (item: T) => { name: string; value: string },
): Promise<INodeListSearchResult> {
	const page = await apiRequest.call<
		ILoadOptionsFunctions,
		Parameters<typeof apiRequest>,
		Promise<ListPage<T>>
	>(ctx, {
		method: 'GET',
		path,
		qs: { ...qs, page_size: PAGE_SIZE, page_token: paginationToken },
		policy: retryPolicyOf(ctx),
	});
	return {
		results: (page.items ?? []).map(toResult),
		paginationToken: page.next_page_token || undefined,
	};
}

/** Case-insensitive "contains" on the current page: these lists filter by exact name only. */
const matches = (text: unknown, filter?: string) =>
	!filter ||
	String(text ?? '')
		.toLowerCase()
		.includes(filter.toLowerCase());

/** A search over a list of named objects (directories, indexes), filtered client-side. */
function searchNamed(path: string) {
	return async function (
		this: ILoadOptionsFunctions,
		filter?: string,
		paginationToken?: string,
	): Promise<INodeListSearchResult> {
		const result = await searchPage<Directory | Index>(this, path, {}, paginationToken, (item) => ({
			name: String(item.name ?? item.id),
			value: String(item.id),
		}));
		result.results = result.results.filter(
			(r) => matches(r.name, filter) || matches(r.value, filter),
		);
		return result;
	};
}

export const searchDirectories = searchNamed('/api/v1/beta/directories');

export const searchIndexes = searchNamed('/api/v1/indexes');

export async function searchFiles(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const directoryId = this.getCurrentNodeParameter('directoryId', { extractValue: true }) as
		string | undefined;
	if (!directoryId) return { results: [] };
	return await searchPage<DirectoryFile>(
		this,
		apiPath`/api/v1/beta/directories/${directoryId}/files`,
		filter ? { display_name_contains: filter } : {},
		paginationToken,
		(f) => ({ name: String(f.display_name ?? f.id), value: String(f.id) }),
	);
}
