/** A retrieval result as the API sends it, and as Retrieve outputs it: flat, with the cited file spelt out. */
import type { IDataObject } from 'n8n-workflow';

import type { CitedFile } from './client';

export interface ApiResult {
	content: string;
	score?: number | null;
	rerank_score?: number | null;
	metadata?: IDataObject | null;
	static_fields?: {
		parsed_directory_file_id?: string | null;
		page_range_start?: number | null;
		page_range_end?: number | null;
		chunk_start_char?: number | null;
		chunk_end_char?: number | null;
		chunk_index?: number | null;
		chunk_token_count?: number | null;
		attachments?: IDataObject[];
	};
}

/** One result as the node outputs it: flat, with the cited file spelt out. */
export function citation(
	result: ApiResult,
	rank: number,
	files: Map<string, CitedFile>,
): IDataObject {
	const s = result.static_fields ?? {};
	const id = s.parsed_directory_file_id ?? null;
	const file: CitedFile | { id: null } = id
		? (files.get(id) ?? { id, directory_id: null, display_name: null, unique_id: null })
		: { id: null };
	return {
		rank,
		content: result.content,
		score: result.score ?? null,
		rerank_score: result.rerank_score ?? null,
		file: file as unknown as IDataObject,
		page_range_start: s.page_range_start ?? null,
		page_range_end: s.page_range_end ?? null,
		chunk_index: s.chunk_index ?? null,
		chunk_start_char: s.chunk_start_char ?? null,
		chunk_end_char: s.chunk_end_char ?? null,
		chunk_token_count: s.chunk_token_count ?? null,
		metadata: result.metadata ?? {},
		attachments: s.attachments ?? [],
	};
}
