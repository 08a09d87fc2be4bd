/** Indexes: `/api/v1/indexes`. */
import { ok, noContent, parseInput, pathParam, type Handler } from '../http';
import type { Router } from '../router';
import { CreateIndexBody, IndexPageSchema, IndexSchema, SyncResponseSchema } from '../schemas';
import { toIndex, toPage } from '../serialize';

const INDEXES = '/api/v1/indexes';

export function addIndexRoutes(router: Router<Handler>): void {
	router.add('POST', INDEXES, async (ctx) => {
		const body = parseInput(CreateIndexBody, await ctx.json(), 'body');
		const index = ctx.app.store.createIndex(ctx.project.id, body);
		ctx.app.builder.requestSync(index); // creation starts the first build
		return ok(toIndex(index, ctx.app.quirks), IndexSchema, 201);
	});

	router.add('GET', INDEXES, async (ctx) => {
		const { page_size, page_token, ...filters } = parseInput(
			ctx.app.queries.indexes,
			ctx.query,
			'query',
		);
		const page = ctx.app.store.listIndexes(ctx.project.id, filters, {
			pageSize: page_size ?? ctx.app.defaultPageSize,
			pageToken: page_token,
		});
		return ok(
			toPage(page, (index) => toIndex(index, ctx.app.quirks)),
			IndexPageSchema,
		);
	});

	router.add('GET', `${INDEXES}/:index_id`, async (ctx) => {
		return ok(
			toIndex(ctx.app.store.getIndex(ctx.project.id, pathParam(ctx, 'index_id')), ctx.app.quirks),
			IndexSchema,
		);
	});

	router.add('DELETE', `${INDEXES}/:index_id`, async (ctx) => {
		const index = ctx.app.store.getIndex(ctx.project.id, pathParam(ctx, 'index_id'));
		ctx.app.builder.cancel(index.id);
		ctx.app.store.deleteIndex(index);
		return noContent;
	});

	router.add('POST', `${INDEXES}/:index_id/sync`, async (ctx) => {
		const index = ctx.app.store.getIndex(ctx.project.id, pathParam(ctx, 'index_id'));
		ctx.app.builder.requestSync(index, true);
		return ok({}, SyncResponseSchema, 202);
	});
}
