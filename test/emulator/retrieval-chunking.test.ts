/** How an index build cuts parsed text into chunks (emulator/retrieval/chunking.ts). */
import { chunkText, countTokens } from '../../emulator/retrieval/chunking';

const paragraph = (i: number, length: number) =>
	`p${i} ${'word '.repeat(Math.ceil(length / 5))}`.slice(0, length).trim();

test('chunks are spans of the text: content = slice, nothing but whitespace between them', () => {
	const text = Array.from({ length: 9 }, (_, i) => paragraph(i, 380)).join('\n\n  \n');
	const chunks = chunkText(text, 1000);
	expect(chunks.length).toBeGreaterThan(2);
	let previousEnd = 0;
	chunks.forEach((chunk, i) => {
		expect(chunk.index).toBe(i);
		expect(chunk.end - chunk.start).toBeLessThanOrEqual(1000);
		expect(text.slice(previousEnd, chunk.start).trim()).toBe('');
		expect(text[chunk.start]).not.toMatch(/\s/);
		expect(text[chunk.end - 1]).not.toMatch(/\s/);
		previousEnd = chunk.end;
	});
	expect(text.slice(previousEnd).trim()).toBe('');
});

test('paragraphs are kept whole and grouped while they fit', () => {
	const text = [paragraph(0, 300), paragraph(1, 300), paragraph(2, 300), paragraph(3, 300)].join(
		'\n\n',
	);
	const chunks = chunkText(text, 1000);
	expect(chunks.map((c) => text.slice(c.start, c.end))).toEqual([
		text.slice(0, 3 * 300 + 2 * 2),
		paragraph(3, 300),
	]);
});

test('a paragraph longer than the target is cut at spaces, hard only without one', () => {
	const long = 'lorem ipsum '.repeat(300).trim();
	const chunks = chunkText(long, 1000);
	expect(chunks.length).toBe(4);
	for (const c of chunks) {
		expect(c.end - c.start).toBeLessThanOrEqual(1000);
		expect(long.slice(c.start, c.end)).toMatch(/^lorem.*(lorem|ipsum)$/);
	}
	const solid = 'x'.repeat(2500);
	expect(chunkText(solid, 1000).map((c) => c.end - c.start)).toEqual([1000, 1000, 500]);
});

test('form feeds start pages; a chunk knows the pages it covers', () => {
	const text = `page one\fpage two\n\nstill two\f\fpage four`;
	const chunks = chunkText(text, 12);
	expect(chunks.map((c) => [text.slice(c.start, c.end), c.pageStart, c.pageEnd])).toEqual([
		['page one', 1, 1],
		['page two', 2, 2],
		['still two', 2, 2],
		['page four', 4, 4],
	]);
	const whole = chunkText(text, 1000);
	expect(whole).toHaveLength(1);
	expect(whole[0]).toMatchObject({ pageStart: 1, pageEnd: 4 });
});

test('empty and blank texts have no chunks; token counts are words and marks', () => {
	expect(chunkText('')).toEqual([]);
	expect(chunkText(' \n\n \f ')).toEqual([]);
	expect(countTokens('Hello, world: 28 days!')).toBe(7);
	expect(chunkText('Hello, world.')[0].tokenCount).toBe(4);
});
