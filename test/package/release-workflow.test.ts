/**
 * .github/workflows/release.yml cannot run here (it needs GitHub's runners and OIDC), so this
 * checks what n8n's verification depends on: valid YAML, a tag trigger only, the OIDC
 * permission, a GitHub-hosted runner, the checks before publishing, and
 * `npm publish --provenance` as the last step. Every `npm run X` it uses must exist.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

const root = path.resolve(__dirname, '..', '..');
const file = path.join(root, '.github', 'workflows', 'release.yml');

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}

let workflow: any;
let steps: Step[];

beforeAll(() => {
	// `uniqueKeys` and strict parsing: a duplicated key or a tab indent is an error, as on GitHub.
	workflow = parse(fs.readFileSync(file, 'utf8'), { uniqueKeys: true, strict: true });
	const jobs = Object.values(workflow.jobs ?? {}) as Array<{ steps: Step[] }>;
	expect(jobs).toHaveLength(1);
	steps = jobs[0].steps;
});

const indexOf = (match: (s: Step) => boolean, what: string) => {
	const i = steps.findIndex(match);
	if (i < 0) throw new Error(`release.yml has no step that ${what}`);
	return i;
};
const runs = (command: RegExp) => (s: Step) => command.test(s.run ?? '');

test('runs only for a pushed version tag', () => {
	// `on` is a YAML 1.2 string key here (the yaml package does not read it as a boolean).
	expect(Object.keys(workflow.on)).toEqual(['push']);
	expect(workflow.on.push.branches).toBeUndefined();
	const [pattern] = workflow.on.push.tags as string[];
	expect(pattern).toMatch(/^v/);
});

test('may mint an OIDC token (provenance) and only read the repository', () => {
	expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
	const job = Object.values(workflow.jobs)[0] as { 'runs-on': string };
	// npm provenance is only signed on GitHub-hosted runners.
	expect(job['runs-on']).toBe('ubuntu-latest');
});

test('checks out, installs, lints, builds, tests and scans before it publishes', () => {
	const checkout = indexOf((s) => /^actions\/checkout@v\d+$/.test(s.uses ?? ''), 'checks out');
	const setup = indexOf((s) => /^actions\/setup-node@v\d+$/.test(s.uses ?? ''), 'sets up Node');
	expect(steps[setup].with).toMatchObject({ 'registry-url': 'https://registry.npmjs.org' });
	const tag = indexOf(runs(/GITHUB_REF_NAME/), 'compares the tag with the version');
	const install = indexOf(runs(/^npm ci\b/), 'runs npm ci');
	const order = [
		checkout,
		setup,
		tag,
		install,
		indexOf(runs(/^npm run lint$/), 'lints'),
		indexOf(runs(/^npm run typecheck$/), 'type-checks'),
		indexOf(runs(/^npm run build$/), 'builds'),
		indexOf(runs(/^npm test$/), 'tests'),
		indexOf(runs(/^npm run scan$/), 'scans the tarball'),
	];
	expect([...order].sort((a, b) => a - b)).toEqual(order);

	const publish = indexOf(runs(/^npm publish\b/), 'publishes');
	expect(publish).toBe(steps.length - 1);
	expect(publish).toBeGreaterThan(Math.max(...order));
	expect(steps[publish].run).toMatch(/--provenance\b/);
	expect(steps[publish].run).toMatch(/--access public\b/);
	// A token, if any, comes from the repository's secrets, never from the file.
	for (const value of Object.values(steps[publish].env ?? {}))
		expect(value).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
});

test('every npm script it runs exists in package.json', () => {
	const scripts = Object.keys(
		JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts,
	);
	const used = steps.flatMap((s) => [...(s.run ?? '').matchAll(/npm run (\S+)/g)].map((m) => m[1]));
	expect(used.length).toBeGreaterThan(0);
	expect(used.filter((s) => !scripts.includes(s))).toEqual([]);
});
