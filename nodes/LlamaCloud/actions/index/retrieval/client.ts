/**
 * The calls the retrieval operations make, robust to what no public source settles:
 * - which of an index's IDs the retrieval endpoints take (`id` or `export_config_id`): the ID
 *   the user gave is sent first; on a 404 the index is looked up and its other ID is tried.
 *   The ID that worked is remembered for the rest of the execution.
 * - which directory a result's file ID (`parsed_directory_file_id`) belongs to: the index's
 *   output directory is asked first, then its source directory.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { DirectoryFile, Index, ListPage } from '../../../helpers/interfaces';
import { apiPath, apiRequest, paginate, type RetryPolicy } from '../../../transport';

/** The spec of these lists: "typically 1000; values above this will be coerced to the maximum". */
const RETRIEVAL_PAGE_SIZE = 1000;

export const RETRIEVAL_PATHS = {
	retrieve: '/api/v1/retrieval/retrieve',
	find: '/api/v1/retrieval/files/find',
	grep: '/api/v1/retrieval/files/grep',
	read: '/api/v1/retrieval/files/read',
} as const;

/** A directory file as a result cites it; null fields when it could not be found. */
export interface CitedFile {
	id: string;
	directory_id: string | null;
	display_name: string | null;
	unique_id: string | null;
}

const isNotFound = (error: unknown) =>
	error instanceof NodeApiError && String(error.httpCode) === '404';

/** The outcome of a call, so a 404 can be looked at before it is thrown on. */
async function settle<T>(call: () => Promise<T>): Promise<{ value: T } | { failure: unknown }> {
	try {
		return { value: await call() };
	} catch (failure) {
		return { failure };
	}
}

/** What one execution of the node has learnt; shared by its items. */
export class RetrievalSession {
	private readonly workingIds = new Map<string, string>();
	private readonly indexes = new Map<string, Promise<Index | null>>();
	private readonly files = new Map<string, Promise<CitedFile>>();

	constructor(private readonly ctx: IExecuteFunctions) {}

	/** POSTs a retrieval request for the index the user named, by whichever of its IDs works. */
	async post<T>(
		path: string,
		indexId: string,
		body: IDataObject,
		itemIndex: number,
		policy: RetryPolicy,
	): Promise<T> {
		const send = async (id: string, request = body, at = path) =>
			(await apiRequest.call(this.ctx, {
				method: 'POST',
				path: at,
				body: { ...request, index_id: id },
				itemIndex,
				policy,
				// Retrieval reads; repeating it after a dropped connection changes nothing.
				idempotent: true,
			})) as T;
		const known = this.workingIds.get(indexId);
		if (known) return await send(known);
		const first = await settle(async () => await send(indexId));
		if ('value' in first) {
			this.workingIds.set(indexId, indexId);
			return first.value;
		}
		if (!isNotFound(first.failure)) throw first.failure;
		// A 404 may be about the index's ID or about a file: a one-item Find tells which.
		const probe = await settle(
			async () => await send(indexId, { page_size: 1 }, RETRIEVAL_PATHS.find),
		);
		if ('value' in probe) {
			this.workingIds.set(indexId, indexId);
			throw first.failure;
		}
		if (!isNotFound(probe.failure)) throw probe.failure;
		const index = await this.index(indexId, itemIndex, policy);
		const other = index && (index.id === indexId ? index.export_config_id : index.id);
		if (!other || other === indexId) throw first.failure;
		this.workingIds.set(indexId, other);
		return await send(other);
	}

	/** The index by either of its IDs (Get, then a scan of the list), or null. */
	index(indexId: string, itemIndex: number, policy: RetryPolicy): Promise<Index | null> {
		let found = this.indexes.get(indexId);
		if (!found) {
			found = this.lookUpIndex(indexId, itemIndex, policy);
			this.indexes.set(indexId, found);
		}
		return found;
	}

	private async lookUpIndex(
		indexId: string,
		itemIndex: number,
		policy: RetryPolicy,
	): Promise<Index | null> {
		const got = await settle(
			async () =>
				(await apiRequest.call(this.ctx, {
					method: 'GET',
					path: apiPath`/api/v1/indexes/${indexId}`,
					itemIndex,
					policy,
				})) as Index,
		);
		if ('value' in got) return got.value;
		if (!isNotFound(got.failure)) throw got.failure;
		for await (const page of paginate.call<
			IExecuteFunctions,
			Parameters<typeof paginate>,
			AsyncGenerator<Index[]>
		>(this.ctx, '/api/v1/indexes', {}, { itemIndex, policy })) {
			const index = page.find((i) => i.id === indexId || i.export_config_id === indexId);
			if (index) return index;
		}
		return null;
	}

	/** The directory file a result cites: in the index's output directory, else its source directory. */
	citedFile(
		index: Index,
		fileId: string,
		itemIndex: number,
		policy: RetryPolicy,
	): Promise<CitedFile> {
		let found = this.files.get(fileId);
		if (!found) {
			found = this.lookUpFile(index, fileId, itemIndex, policy);
			this.files.set(fileId, found);
		}
		return found;
	}

	private async lookUpFile(
		index: Index,
		fileId: string,
		itemIndex: number,
		policy: RetryPolicy,
	): Promise<CitedFile> {
		for (const directoryId of [index.output_directory_id, index.source_directory_id]) {
			const got = await settle(
				async () =>
					(await apiRequest.call(this.ctx, {
						method: 'GET',
						path: apiPath`/api/v1/beta/directories/${directoryId}/files/${fileId}`,
						itemIndex,
						policy,
					})) as DirectoryFile,
			);
			if ('value' in got)
				return {
					id: fileId,
					directory_id: got.value.directory_id,
					display_name: got.value.display_name,
					unique_id: got.value.unique_id,
				};
			if (!isNotFound(got.failure)) throw got.failure;
		}
		// Deleted since the index was built: the citation keeps its ID.
		return { id: fileId, directory_id: null, display_name: null, unique_id: null };
	}

	/** Pages of a retrieval list (Find, Grep): the cursor goes in the body. */
	async *pages<T>(
		path: string,
		indexId: string,
		body: IDataObject,
		limit: number,
		itemIndex: number,
		policy: RetryPolicy,
	): AsyncGenerator<T[]> {
		let pageToken: string | undefined;
		let left = limit;
		do {
			const page: ListPage<T> = await this.post<ListPage<T>>(
				path,
				indexId,
				{
					...body,
					page_size: Math.min(RETRIEVAL_PAGE_SIZE, left),
					...(pageToken ? { page_token: pageToken } : {}),
				},
				itemIndex,
				policy,
			);
			const items = (page.items ?? []).slice(0, left);
			left -= items.length;
			yield items;
			pageToken = page.next_page_token || undefined;
		} while (pageToken && left > 0);
	}
}
