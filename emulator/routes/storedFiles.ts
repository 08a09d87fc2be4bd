/** Stored files: `/api/v1/beta/files` (their id is the `file_id` that "add directory file" takes). */
import { rm } from 'node:fs/promises';
import { ok, parseInput, pathParam, type Handler } from '../http';
import type { Router } from '../router';
import { PathUuid, StoredFileFormFields, StoredFileSchema } from '../schemas';
import { toStoredFile } from '../serialize';

export function addStoredFileRoutes(router: Router<Handler>): void {
	router.add('POST', '/api/v1/beta/files', async (ctx) => {
		const form = await ctx.form('file');
		const upload = form.file!;
		try {
			const fields = parseInput(StoredFileFormFields, form.fields, 'body');
			const blob = ctx.app.store.createBlob(ctx.project.id, {
				name: upload.filename,
				external_file_id: fields.external_file_id,
				purpose: fields.purpose,
				size: upload.size,
				sha256: upload.sha256,
				path: upload.path,
			});
			return ok(toStoredFile(blob), StoredFileSchema, 201);
		} catch (error) {
			await rm(upload.path, { force: true });
			throw error;
		}
	});

	router.add('GET', '/api/v1/beta/files/:file_id', async (ctx) => {
		// The spec types this path parameter as a UUID: anything else is FastAPI's 422.
		const id = parseInput(PathUuid, pathParam(ctx, 'file_id'), 'path');
		return ok(toStoredFile(ctx.app.store.getBlob(ctx.project.id, id)), StoredFileSchema);
	});
}
