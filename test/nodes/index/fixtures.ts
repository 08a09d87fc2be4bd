/** What the Index operations' tests share: the emulator's settings and ways to seed it. */
import type { Emulator, RecordedRequest } from '../../../emulator';
import { PAGES_OF_100 } from '../../support/emulator';

/** Builds take a few steps of 20 ms; lists come in pages of 100. */
export const INDEX_EMULATOR = { buildStepMs: 20, ...PAGES_OF_100 };

/** Creates an index over plain HTTP (test setup, not the node under test). */
export async function createIndexDirectly(
	target: Emulator,
	body: Record<string, unknown>,
): Promise<{ id: string; output_directory_id: string; name: string }> {
	const response = await fetch(`${target.url}/api/v1/indexes`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${target.apiKey}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	expect(response.status).toBe(201);
	return (await response.json()) as { id: string; output_directory_id: string; name: string };
}

/** A source directory with `count` markdown files long enough to make several chunks each. */
export function sourceWithMarkdown(emulator: Emulator, count: number, name = 'Handbook') {
	const directory = emulator.store.createDirectory(name);
	const paragraph = (i: number, p: number) =>
		`Section ${p} of document ${i}. ${'Lorem ipsum dolor sit amet. '.repeat(20)}`;
	emulator.store.seedFiles(directory.id, count, {
		displayName: (i) => `chapter-${i}.md`,
		content: (i) => `# Chapter ${i}\n\n${[1, 2, 3, 4].map((p) => paragraph(i, p)).join('\n\n')}\n`,
	});
	return directory;
}

export const requestsTo = (
	emulator: Emulator,
	pattern: RegExp,
	method?: string,
): RecordedRequest[] =>
	emulator.requests.filter(
		(r) => pattern.test(r.path) && (method === undefined || r.method === method),
	);
