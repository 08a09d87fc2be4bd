/**
 * What Mirror reads before it changes anything: the directory's live files (one listing, never
 * a lookup per file) and, with "Sync Index", the indexes built from the directory.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { DirectoryFile, Index } from '../../../helpers/interfaces';
import { apiPath, paginate, type RetryPolicy } from '../../../transport';

async function listAll<T extends { id: string }>(
	ctx: IExecuteFunctions,
	path: string,
	qs: Record<string, string>,
	policy: RetryPolicy,
): Promise<T[]> {
	// By id: a list whose items shift between pages (offset tokens) may repeat one.
	const byId = new Map<string, T>();
	const pages = paginate.call<IExecuteFunctions, Parameters<typeof paginate>, AsyncGenerator<T[]>>(
		ctx,
		path,
		qs,
		{ itemIndex: 0, policy },
	);
	for await (const page of pages) for (const item of page) byId.set(item.id, item);
	return [...byId.values()];
}

/** Every live file of the directory. */
export async function listLiveFiles(
	ctx: IExecuteFunctions,
	directoryId: string,
	policy: RetryPolicy,
): Promise<DirectoryFile[]> {
	const path = apiPath`/api/v1/beta/directories/${directoryId}/files`;
	const files = await listAll<DirectoryFile>(ctx, path, {}, policy);
	return files.filter((file) => !file.deleted_at);
}

/** The indexes whose source is the directory. */
export async function indexesOf(
	ctx: IExecuteFunctions,
	directoryId: string,
	policy: RetryPolicy,
): Promise<Index[]> {
	const indexes = await listAll<Index>(
		ctx,
		'/api/v1/indexes',
		{ source_directory_id: directoryId },
		policy,
	);
	// Exact match whatever the filter's semantics.
	return indexes.filter((index) => index.source_directory_id === directoryId);
}
