/**
 * Full-text ranking of an index's chunks with MiniSearch (BM25+), standing in for the real
 * service's hybrid (vector + full-text) search. One engine per successful build, built on the
 * first query after it and cached by the identity of `index.built` (a build replaces the map).
 *
 * Terms: MiniSearch's Unicode tokenizer, lower-cased, English stop words dropped, and plurals
 * and possessives folded ("policies" → "policy", "employee's" → "employee"), applied to
 * chunks and queries alike. No fuzzy or prefix matching, so results are easy to predict.
 */
import MiniSearch from 'minisearch';
import type { Chunk } from './chunking';
import type { BuiltFile, IndexedDocument } from './documents';

export interface ChunkEntry {
	id: number;
	document: IndexedDocument;
	chunk: Chunk;
	content: string;
}

export interface ChunkHit {
	entry: ChunkEntry;
	/** BM25+ score (unbounded, > 0). */
	bm25: number;
	/** Share of the query's distinct terms the chunk contains, in [0, 1]. */
	coverage: number;
}

const STOP_WORDS = new Set(
	(
		'a an and are as at be been but by can could did do does for from had has have how i if in ' +
		'into is it its me my no not of on or our should so than that the their them then there ' +
		'these they this those to was we were what when where which who whom why will with would ' +
		'you your'
	).split(' '),
);

const tokenize: (text: string) => string[] = MiniSearch.getDefault('tokenize');

/** A search term, or null for a word that should not count (stop word, empty). */
export function processTerm(raw: string): string | null {
	let term = raw.toLowerCase().replace(/['’]s$/, '');
	if (term === '' || STOP_WORDS.has(term)) return null;
	// Harman's "S" stemmer: plurals fold onto their singular, nothing else is touched.
	if (term.length > 3 && /ies$/.test(term) && !/[ae]ies$/.test(term))
		return `${term.slice(0, -3)}y`;
	if (term.length > 3 && /es$/.test(term) && !/[aeo]es$/.test(term)) return term.slice(0, -1);
	if (term.length > 3 && /s$/.test(term) && !/(us|ss)$/.test(term)) return term.slice(0, -1);
	return term;
}

export class ChunkSearch {
	private readonly entries: ChunkEntry[] = [];
	private readonly mini = new MiniSearch<{ id: number; content: string }>({
		fields: ['content'],
		tokenize,
		processTerm,
	});

	constructor(built: ReadonlyMap<string, BuiltFile>) {
		for (const { document } of built.values()) {
			for (const chunk of document.chunks) {
				const content = document.text.slice(chunk.start, chunk.end);
				this.entries.push({ id: this.entries.length, document, chunk, content });
			}
		}
		this.mini.addAll(this.entries.map(({ id, content }) => ({ id, content })));
	}

	/** Every chunk that shares a term with the query and passes `accept`, best first. */
	search(query: string, accept: (entry: ChunkEntry) => boolean): ChunkHit[] {
		const queryTerms = new Set(tokenize(query).flatMap((word) => processTerm(word) ?? []));
		if (queryTerms.size === 0) return [];
		const results = this.mini.search(query, {
			combineWith: 'OR',
			filter: (result) => accept(this.entries[result.id as number]),
		});
		return results.map((result) => ({
			entry: this.entries[result.id as number],
			bm25: result.score,
			coverage: new Set(result.queryTerms).size / queryTerms.size,
		}));
	}
}

const engines = new WeakMap<ReadonlyMap<string, BuiltFile>, ChunkSearch>();

/** The engine over what the last successful build of an index produced. */
export function searchEngineFor(built: ReadonlyMap<string, BuiltFile>): ChunkSearch {
	let engine = engines.get(built);
	if (!engine) {
		engine = new ChunkSearch(built);
		engines.set(built, engine);
	}
	return engine;
}
