/**
 * Mirror's deletions: `POST .../files/bulk-delete`, up to 100 files a request. A service that
 * refuses a batch (no such endpoint, an ID it will not take, the batch's all-or-nothing rule)
 * gets that batch as single deletes, where a file already gone counts as deleted.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { DirectoryFile } from '../../../helpers/interfaces';
import { apiPath, apiRequest, type RetryPolicy } from '../../../transport';
import { runPool } from '../upload/pool';
import { deleteFile } from '../upload/send';
import { itemError, settle } from '../upload/settle';

/** The spec's limit for one bulk delete. */
export const BULK_DELETE_MAX = 100;

export interface DeletionResult {
	deleted: DirectoryFile[];
	failed: Array<{ file: DirectoryFile; error: ReturnType<typeof itemError> }>;
}

/** Answers after which single deletes may still work; others (auth, limits) would fail them too. */
function singlesMayWork(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	const status = Number(error.httpCode);
	return status >= 400 && status < 500 && ![401, 402, 403, 429].includes(status);
}

export async function deleteFiles(
	ctx: IExecuteFunctions,
	target: { directoryId: string; policy: RetryPolicy; concurrency: number },
	files: DirectoryFile[],
): Promise<DeletionResult> {
	const result: DeletionResult = { deleted: [], failed: [] };
	const request = { directoryId: target.directoryId, itemIndex: 0, policy: target.policy };
	for (let start = 0; start < files.length; start += BULK_DELETE_MAX) {
		const batch = files.slice(start, start + BULK_DELETE_MAX);
		const bulk = await settle(
			apiRequest.call(ctx, {
				method: 'POST',
				path: apiPath`/api/v1/beta/directories/${target.directoryId}/files/bulk-delete`,
				body: { directory_file_ids: batch.map((file) => file.id) },
				itemIndex: 0,
				policy: target.policy,
				// Deleting twice deletes nothing more; a retry after a dropped answer is harmless.
				idempotent: true,
			}),
		);
		if (bulk.ok) {
			result.deleted.push(...batch);
			continue;
		}
		if (!singlesMayWork(bulk.error)) {
			const error = itemError(ctx, bulk.error, 0);
			result.failed.push(...batch.map((file) => ({ file, error })));
			continue;
		}
		await runPool(batch.length, target.concurrency, async (n) => {
			const single = await settle(deleteFile(ctx, request, batch[n].id));
			if (single.ok) result.deleted.push(batch[n]);
			else result.failed.push({ file: batch[n], error: itemError(ctx, single.error, 0) });
		});
	}
	return result;
}
