/**
 * What `npm pack` ships: only the built package (dist/) and the three files npm always adds
 * or that users read (README.md, LICENSE, package.json); every file n8n loads is in it.
 * Needs `npm run build` (CI builds before `npm test`).
 */
import { assertBuilt, n8nEntryFiles, packedFiles } from '../../scripts/package/pack';

const TOP_LEVEL = ['LICENSE', 'README.md', 'package.json'];

let files: string[];

beforeAll(() => {
	assertBuilt();
	files = packedFiles();
});

test('the tarball holds dist/, README.md, LICENSE and package.json, nothing else', () => {
	const outside = files.filter((f) => !f.startsWith('dist/') && !TOP_LEVEL.includes(f));
	expect(outside).toEqual([]);
	expect(files).toEqual(expect.arrayContaining(TOP_LEVEL));
});

test('every node and credential that package.json lists for n8n is in it, with icons and codex', () => {
	expect(n8nEntryFiles().length).toBeGreaterThanOrEqual(3);
	expect(files).toEqual(expect.arrayContaining(n8nEntryFiles()));
	expect(files.filter((f) => /^dist\/icons\/.+\.svg$/.test(f)).length).toBeGreaterThanOrEqual(2);
	expect(files.filter((f) => /^dist\/nodes\/.+\.node\.json$/.test(f)).length).toBe(
		n8nEntryFiles().filter((f) => f.endsWith('.node.js')).length,
	);
});

test('no sources, tests, emulator, scripts or local state leak into dist/', () => {
	const leaked = files.filter(
		(f) =>
			/^dist\/(test|emulator|scripts|bench|examples|docs|harness)\//.test(f) ||
			(/\.ts$/.test(f) && !/\.d\.ts$/.test(f)) ||
			/(^|\/)(\.env|\.npmrc|node_modules\/)/.test(f),
	);
	expect(leaked).toEqual([]);
});
