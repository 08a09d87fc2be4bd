/**
 * `POST /api/v1/retrieval/retrieve` over one index (assumed where the spec is silent):
 * 1. candidates: chunks sharing a term with the query (engine.ts) that pass the filters;
 * 2. `score` = b / (b + 1) for the chunk's BM25+ score b: in (0, 1), higher is better, and the
 *    same chunk and query always score the same; `score_threshold` drops lower scores;
 * 3. the best `top_k` (default 10, at most 500, as the SDK documents) by score;
 * 4. rerank, unless `rerank.enabled` is false: `rerank_score` = the mean of the score and the
 *    share of the query's terms the chunk contains; results are reordered by it and cut to
 *    `rerank.top_n` when given. Without rerank, `rerank_score` is null.
 * The vector-search knobs (`num_candidates`, the pipeline weights) are validated and ignored:
 * the emulator has no embeddings.
 */
import { offsetsOf, retrievalFileId, type BuiltFile, type RetrievalFileIdMode } from './documents';
import { searchEngineFor, type ChunkHit } from './engine';
import { compileFilters } from './filters';
import type { RetrievalResult, RetrieveInput } from './schemas';

export const DEFAULT_TOP_K = 10;
export const MAX_TOP_K = 500;

export function retrieve(
	built: ReadonlyMap<string, BuiltFile>,
	input: RetrieveInput,
	mode: RetrievalFileIdMode,
): RetrievalResult[] {
	const filter = compileFilters(input);
	const hits = searchEngineFor(built).search(input.query, ({ document }) =>
		filter(document, retrievalFileId(document, mode)),
	);
	const threshold = input.score_threshold ?? null;
	const scored = hits
		.map((hit) => ({ hit, score: hit.bm25 / (hit.bm25 + 1) }))
		.filter(({ score }) => threshold === null || score >= threshold)
		.sort((a, b) => b.score - a.score || byPosition(a.hit, b.hit))
		.slice(0, Math.min(input.top_k ?? DEFAULT_TOP_K, MAX_TOP_K));

	const rerank = input.rerank?.enabled !== false;
	let ranked = scored.map(({ hit, score }) => ({
		hit,
		score,
		rerankScore: rerank ? (score + hit.coverage) / 2 : null,
	}));
	if (rerank) {
		ranked.sort((a, b) => b.rerankScore! - a.rerankScore! || b.score - a.score);
		if (input.rerank?.top_n != null) ranked = ranked.slice(0, input.rerank.top_n);
	}
	return ranked.map(({ hit, score, rerankScore }) => {
		const { document, chunk, content } = hit.entry;
		const codePoints = offsetsOf(document);
		return {
			content,
			score,
			rerank_score: rerankScore,
			metadata: { ...document.metadata },
			static_fields: {
				parsed_directory_file_id: retrievalFileId(document, mode),
				page_range_start: chunk.pageStart,
				page_range_end: chunk.pageEnd,
				chunk_start_char: codePoints.toCodePoint(chunk.start),
				chunk_end_char: codePoints.toCodePoint(chunk.end),
				chunk_index: chunk.index,
				chunk_token_count: chunk.tokenCount,
				attachments: [],
			},
		};
	});
}

/** Ties: by file name, then position in the file (stable answers for equal scores). */
function byPosition(a: ChunkHit, b: ChunkHit): number {
	const x = a.entry;
	const y = b.entry;
	if (x.document.displayName !== y.document.displayName)
		return x.document.displayName < y.document.displayName ? -1 : 1;
	if (x.document.sourceFileId !== y.document.sourceFileId)
		return x.document.sourceFileId < y.document.sourceFileId ? -1 : 1;
	return x.chunk.index - y.chunk.index;
}
