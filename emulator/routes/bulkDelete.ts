/**
 * `POST /api/v1/beta/directories/{directory_id}/files/bulk-delete` (openapi.json: body
 * DirectoryFileBulkDeleteRequest, 1 to 100 `directory_file_ids`; 204, or 422).
 *
 * Assumed (the spec says only "all must belong to it"): the request is all or nothing. Every ID
 * must be a live file of the directory, else 404 naming the first that is not, and nothing is
 * deleted; an ID given twice counts once. Each file is soft deleted as a single DELETE does it.
 */
import { z } from 'zod';

import { HttpError } from '../errors';
import { noContent, parseInput, pathParam, type Handler } from '../http';
import type { Router } from '../router';
import { DIRECTORIES } from './directories';

/** DirectoryFileBulkDeleteRequest. */
export const BulkDeleteBody = z.object({
	directory_file_ids: z.array(z.string()).min(1).max(100),
});

export const BULK_DELETE = `${DIRECTORIES}/:directory_id/files/bulk-delete`;

export function addBulkDeleteRoute(router: Router<Handler>): void {
	router.add('POST', BULK_DELETE, async (ctx) => {
		const { store } = ctx.app;
		const directoryId = pathParam(ctx, 'directory_id');
		const { directory_file_ids } = parseInput(BulkDeleteBody, await ctx.json(), 'body');
		store.getDirectory(ctx.project.id, directoryId);
		const files = [...new Set(directory_file_ids)].map((id) => {
			try {
				return store.getFile(ctx.project.id, directoryId, id);
			} catch (error) {
				if (error instanceof HttpError && error.status === 404) {
					throw HttpError.notFound(`Directory file ${id} not found in directory ${directoryId}`);
				}
				throw error;
			}
		});
		for (const file of files) store.softDelete(file);
		return noContent;
	});
}
