/** Directory files: `/api/v1/beta/directories/{directory_id}/files`. */
import { rm } from 'node:fs/promises';
import { ok, noContent, parseInput, pathParam, type Handler } from '../http';
import type { Router } from '../router';
import {
	AddFileBody,
	DirectoryFilePageSchema,
	DirectoryFileSchema,
	UpdateFileBody,
	UploadFormFields,
} from '../schemas';
import { toDirectoryFile, toPage } from '../serialize';
import { DIRECTORIES } from './directories';

const FILES = `${DIRECTORIES}/:directory_id/files`;

export function addFileRoutes(router: Router<Handler>): void {
	router.add('POST', FILES, async (ctx) => {
		const directoryId = pathParam(ctx, 'directory_id');
		const body = parseInput(AddFileBody, await ctx.json(), 'body');
		return ok(
			toDirectoryFile(ctx.app.store.addFile(ctx.project.id, directoryId, body)),
			DirectoryFileSchema,
			201,
		);
	});

	router.add('GET', FILES, async (ctx) => {
		const directoryId = pathParam(ctx, 'directory_id');
		const {
			page_size,
			page_token,
			expand: _expand,
			...filters
		} = parseInput(ctx.app.queries.files, ctx.query, 'query');
		if (ctx.app.quirks.ignoreUpdatedAtFilters) {
			delete filters.updated_at_on_or_after;
			delete filters.updated_at_on_or_before;
		}
		const page = ctx.app.store.listFiles(ctx.project.id, directoryId, filters, {
			pageSize: page_size ?? ctx.app.defaultPageSize,
			pageToken: page_token,
		});
		return ok(toPage(page, toDirectoryFile), DirectoryFilePageSchema);
	});

	router.add('POST', `${FILES}/upload`, async (ctx) => {
		const { store } = ctx.app;
		const directoryId = pathParam(ctx, 'directory_id');
		store.getDirectory(ctx.project.id, directoryId); // 404 before reading a large body
		const form = await ctx.form('upload_file');
		const upload = form.file!;
		try {
			const fields = parseInput(UploadFormFields, form.fields, 'body');
			const directory = store.getDirectory(ctx.project.id, directoryId); // it may have gone meanwhile
			// "If unique_id or display_name are not provided, they will be derived from the file metadata."
			const uniqueId = fields.unique_id ?? fields.external_file_id ?? upload.filename;
			store.assertUniqueIdFree(directory, uniqueId);
			const blob = store.createBlob(ctx.project.id, {
				name: upload.filename,
				external_file_id: fields.external_file_id,
				purpose: 'user_data',
				size: upload.size,
				sha256: upload.sha256,
				path: upload.path,
			});
			const file = store.addOrReplace(directory, {
				file_id: blob.id,
				display_name: fields.display_name ?? upload.filename,
				unique_id: uniqueId,
				metadata: fields.metadata ?? {},
			});
			return ok(toDirectoryFile(file), DirectoryFileSchema, 201);
		} catch (error) {
			await rm(upload.path, { force: true });
			throw error;
		}
	});

	router.add('GET', `${FILES}/:directory_file_id`, async (ctx) => {
		const file = ctx.app.store.getFile(
			ctx.project.id,
			pathParam(ctx, 'directory_id'),
			pathParam(ctx, 'directory_file_id'),
		);
		return ok(toDirectoryFile(file), DirectoryFileSchema);
	});

	router.add('PATCH', `${FILES}/:directory_file_id`, async (ctx) => {
		const directoryId = pathParam(ctx, 'directory_id');
		const fileId = pathParam(ctx, 'directory_file_id');
		// Unknown keys, the older reference's `directory_id` among them, are ignored (and move nothing).
		const changes = parseInput(UpdateFileBody, await ctx.json(), 'body');
		const file = ctx.app.store.updateFile(ctx.project.id, directoryId, fileId, changes);
		return ok(toDirectoryFile(file), DirectoryFileSchema);
	});

	router.add('DELETE', `${FILES}/:directory_file_id`, async (ctx) => {
		ctx.app.store.deleteFile(
			ctx.project.id,
			pathParam(ctx, 'directory_id'),
			pathParam(ctx, 'directory_file_id'),
		);
		return noContent;
	});
}
