/** Retrieval: `/api/v1/retrieval/retrieve` and `/api/v1/retrieval/files/{find,grep,read}`. */
import { HttpError } from '../errors';
import { ok, parseInput, type Handler, type RequestContext } from '../http';
import { DEFAULTS } from '../options';
import type { Router } from '../router';
import { documentFor, findFiles, grepFile, readFile, type PageLimits } from '../retrieval/files';
import { retrieve } from '../retrieval/retrieve';
import {
	FileFindResultSchema,
	FileGrepResultSchema,
	FileReadResultSchema,
	FindBody,
	GrepBody,
	ReadBody,
	RetrieveBody,
	RetrieveResultSchema,
} from '../retrieval/schemas';
import type { IndexRecord } from '../store';

const RETRIEVAL = '/api/v1/retrieval';

export function addRetrievalRoutes(router: Router<Handler>): void {
	router.add('POST', `${RETRIEVAL}/retrieve`, async (ctx) => {
		const body = parseInput(RetrieveBody, await ctx.json(), 'body');
		const index = indexOf(ctx, body.index_id);
		const results = retrieve(index.built, body, ctx.app.quirks.retrievalFileIds);
		return ok({ results }, RetrieveResultSchema);
	});

	router.add('POST', `${RETRIEVAL}/files/find`, async (ctx) => {
		const body = parseInput(FindBody, await ctx.json(), 'body');
		const index = indexOf(ctx, body.index_id);
		return ok(
			findFiles(index.built, body, ctx.app.quirks.retrievalFileIds, limits(ctx)),
			FileFindResultSchema,
		);
	});

	router.add('POST', `${RETRIEVAL}/files/grep`, async (ctx) => {
		const body = parseInput(GrepBody, await ctx.json(), 'body');
		const index = indexOf(ctx, body.index_id);
		const document = documentFor(
			index.built,
			body.file_id,
			body.index_id,
			ctx.app.quirks.retrievalFileIds,
		);
		return ok(grepFile(document, body, limits(ctx)), FileGrepResultSchema);
	});

	router.add('POST', `${RETRIEVAL}/files/read`, async (ctx) => {
		const body = parseInput(ReadBody, await ctx.json(), 'body');
		const index = indexOf(ctx, body.index_id);
		const document = documentFor(
			index.built,
			body.file_id,
			body.index_id,
			ctx.app.quirks.retrievalFileIds,
		);
		return ok(readFile(document, body), FileReadResultSchema);
	});
}

/**
 * The index, by either of its ids: both official examples retrieve with `export_config_id`,
 * the spec's example shows an `idx-` id (assumed: both are accepted here).
 */
function indexOf(ctx: RequestContext, id: string): IndexRecord {
	const index = ctx.app.store
		.allIndexes(ctx.project.id)
		.find((i) => i.id === id || i.export_config_id === id);
	if (!index) throw HttpError.notFound(`Index ${id} not found`);
	return index;
}

function limits(ctx: RequestContext): PageLimits {
	return { defaultPageSize: ctx.app.defaultPageSize, maxPageSize: DEFAULTS.maxPageSize };
}
