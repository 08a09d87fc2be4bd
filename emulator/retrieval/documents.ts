/**
 * What an index build keeps of each source file for retrieval: the parsed text and its chunks,
 * with the file's names and user metadata as they were when it was parsed. The search engine
 * (engine.ts) and the file tools (files.ts) read only this, never the live directories, so an
 * index answers from its last successful build, as the real service does between syncs.
 */
import type { Metadata } from '../schemas';
import type { Chunk } from './chunking';
import { CodePointOffsets } from './codePoints';

export interface IndexedDocument {
	/** Directory file id (`dfl-…`) in the index's source directory. */
	sourceFileId: string;
	/** Directory file id (`dfl-…`) of the parsed file in the index's output directory. */
	parsedFileId: string;
	displayName: string;
	uniqueId: string;
	/** The source file's user metadata at parse time (what custom_filters match on). */
	metadata: Metadata;
	/** The parsed text: what Read File returns and chunk offsets point into. */
	text: string;
	chunks: Chunk[];
}

/** What one successful build produced from one source file. */
export interface BuiltFile {
	/** `<file_id>|<updated_at ms>` of the source file: unchanged files are not parsed again. */
	version: string;
	document: IndexedDocument;
}

/**
 * Which id the retrieval endpoints use for a file (`static_fields.parsed_directory_file_id`,
 * Find's `file_id`, the `file_id` Grep and Read take). The public material does not settle it:
 * - `parsed`: the parsed file in the index's output directory ("ID of the parsed file");
 * - `source`: the directory file that was parsed, in the source directory.
 */
export const RETRIEVAL_FILE_ID_MODES = ['parsed', 'source'] as const;
export type RetrievalFileIdMode = (typeof RETRIEVAL_FILE_ID_MODES)[number];

export function retrievalFileId(document: IndexedDocument, mode: RetrievalFileIdMode): string {
	return mode === 'source' ? document.sourceFileId : document.parsedFileId;
}

const offsets = new WeakMap<IndexedDocument, CodePointOffsets>();

/** Code point ↔ UTF-16 offsets of a document's text (computed once per document). */
export function offsetsOf(document: IndexedDocument): CodePointOffsets {
	let found = offsets.get(document);
	if (!found) offsets.set(document, (found = new CodePointOffsets(document.text)));
	return found;
}
