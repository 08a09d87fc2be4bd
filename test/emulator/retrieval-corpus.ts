/** A small corpus the retrieval tests ask questions of, built through the HTTP API. */
import { api, fileForm, waitForIndex, type Call } from './helpers';
import type { Emulator } from '../../emulator';

/** Paragraphs long enough to need several ~1000-character chunks, each naming its number. */
export function longText(paragraphs: number, word: string): string {
	return Array.from(
		{ length: paragraphs },
		(_, i) =>
			`Section ${i}: ${`${word} `.repeat(8)}${'filler text about nothing much '.repeat(25)}`,
	).join('\n\n');
}

export const DOCS = {
	expenses: {
		name: 'expense-policy.md',
		text: '# Expense policy\n\nMeals while travelling are reimbursed up to 45 EUR a day.\n\nSubmit receipts within 30 days.',
		metadata: { department: 'finance', year: 2024, tags: ['policy', 'money'], public: true },
	},
	security: {
		name: 'security-guidelines.txt',
		text: 'Security guidelines\n\nReport lost devices to security within one hour.\n\nLock your screen.',
		metadata: { department: 'it', year: 2023, public: true },
	},
	handbook: {
		name: 'handbook.md',
		// Three pages (form feeds), several chunks: "vacation" only on page 3.
		text: `${longText(2, 'welcome')}\f${longText(2, 'benefits')}\fVacation: everyone gets 28 days of paid vacation.`,
		metadata: { department: 'hr', year: 2025, tags: ['policy'] },
	},
	emoji: {
		name: 'emoji notes.md',
		text: 'Party 🎉 time: the 🎉 emoji marks a celebration.',
		metadata: {},
	},
} as const;

export type DocKey = keyof typeof DOCS;

export interface Corpus {
	call: Call;
	sourceDirectoryId: string;
	index: { id: string; export_config_id: string; output_directory_id: string };
	/** Source directory file ids. */
	source: Record<DocKey, string>;
	/** Parsed file ids (output directory). */
	parsed: Record<DocKey, string>;
}

export async function buildCorpus(emulator: Emulator, keys = Object.keys(DOCS) as DocKey[]) {
	const call = api(emulator);
	const dir = (await call('POST', '/api/v1/beta/directories', { json: { name: 'corpus' } })).body;
	const source = {} as Record<DocKey, string>;
	for (const key of keys) {
		const doc = DOCS[key];
		const reply = await call('POST', `/api/v1/beta/directories/${dir.id}/files/upload`, {
			form: fileForm('upload_file', doc.name, doc.text, {
				metadata: JSON.stringify(doc.metadata),
			}),
		});
		if (reply.status >= 300) throw new Error(`upload answered ${reply.status}: ${reply.text}`);
		source[key] = reply.body.id;
	}
	const created = await call('POST', '/api/v1/indexes', { json: { source_directory_id: dir.id } });
	if (created.status >= 300)
		throw new Error(`create index answered ${created.status}: ${created.text}`);
	// The id the path takes follows the emulator's `indexIds` variant (the variant matrix runs it).
	const pathId =
		emulator.quirks.indexIds === 'export_config_id'
			? created.body.export_config_id
			: created.body.id;
	const index = await waitForIndex(call, pathId);
	if (index.metadata.status !== 'ready') throw new Error(`build ${index.metadata.status}`);
	const parsed = {} as Record<DocKey, string>;
	for (const file of emulator.store.files(index.output_directory_id, { includeDeleted: false })) {
		const key = keys.find((k) => source[k] === file.metadata.source_file_id);
		if (key) parsed[key] = file.id;
	}
	return { call, sourceDirectoryId: dir.id, index, source, parsed } satisfies Corpus;
}
