/** Directories: `/api/v1/beta/directories`. */
import { ok, noContent, parseInput, pathParam, type Handler } from '../http';
import type { Router } from '../router';
import {
	CreateDirectoryBody,
	DirectoryPageSchema,
	DirectorySchema,
	UpdateDirectoryBody,
} from '../schemas';
import { toDirectory, toPage } from '../serialize';

export const DIRECTORIES = '/api/v1/beta/directories';

export function addDirectoryRoutes(router: Router<Handler>): void {
	router.add('POST', DIRECTORIES, async (ctx) => {
		const body = parseInput(CreateDirectoryBody, await ctx.json(), 'body');
		return ok(
			toDirectory(ctx.app.store.createDirectory(ctx.project.id, body)),
			DirectorySchema,
			201,
		);
	});

	router.add('GET', DIRECTORIES, async (ctx) => {
		const { page_size, page_token, ...filters } = parseInput(
			ctx.app.queries.directories,
			ctx.query,
			'query',
		);
		const page = ctx.app.store.listDirectories(ctx.project.id, filters, {
			pageSize: page_size ?? ctx.app.defaultPageSize,
			pageToken: page_token,
		});
		return ok(toPage(page, toDirectory), DirectoryPageSchema);
	});

	router.add('GET', `${DIRECTORIES}/:directory_id`, async (ctx) => {
		return ok(
			toDirectory(ctx.app.store.getDirectory(ctx.project.id, pathParam(ctx, 'directory_id'))),
			DirectorySchema,
		);
	});

	router.add('PATCH', `${DIRECTORIES}/:directory_id`, async (ctx) => {
		const id = pathParam(ctx, 'directory_id');
		const body = parseInput(UpdateDirectoryBody, await ctx.json(), 'body');
		return ok(
			toDirectory(ctx.app.store.updateDirectory(ctx.project.id, id, body)),
			DirectorySchema,
		);
	});

	router.add('DELETE', `${DIRECTORIES}/:directory_id`, async (ctx) => {
		ctx.app.store.deleteDirectory(ctx.project.id, pathParam(ctx, 'directory_id'));
		return noContent;
	});
}
