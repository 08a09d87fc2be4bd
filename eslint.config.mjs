// n8n's community-node rules in their n8n Cloud variant (`recommended`), applied to the
// published code (nodes/, credentials/) and package.json; one layout rule for the code beside it.
import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const PUBLISHED = ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'];
const DEV_ONLY = ['emulator/**/*.ts', 'harness/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'];

// An import path that enters a folder named test (`../test/x`, `../../test`, `test/support`).
const INTO_TEST = '(^|/)test(/|$)';
// The same for esquery selectors, whose regex literals cannot hold a slash.
const INTO_TEST_SELECTOR = String.raw`/(^|\x2F)test(\x2F|$)/`;
const NOT_FROM_TEST =
	'Only tests import from test/. Code that tests, scripts and benchmarks share belongs in harness/ (see harness/README.md).';

export default [
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**'] },
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tseslint.parser },
	},
	{
		// The package.json rules walk an ESTree object, which the TypeScript parser gives for JSON.
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	{ ...n8nCommunityNodesPlugin.configs.recommended, files: PUBLISHED },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		rules: { 'no-console': 'error' },
	},
	{
		// Nothing outside test/ imports from test/ (static imports, re-exports, require, import()).
		files: [...DEV_ONLY, 'nodes/**/*.ts', 'credentials/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: [{ regex: INTO_TEST, message: NOT_FROM_TEST }] },
			],
			'no-restricted-syntax': [
				'error',
				{
					selector: `CallExpression[callee.name='require'] > Literal[value=${INTO_TEST_SELECTOR}]`,
					message: NOT_FROM_TEST,
				},
				{
					selector: `ImportExpression > Literal[value=${INTO_TEST_SELECTOR}]`,
					message: NOT_FROM_TEST,
				},
			],
		},
	},
	{
		// Only the layout rule runs on dev-only code: its editor-facing disable comments (for
		// typescript-eslint's or core rules) are neither unknown nor reported as unused here.
		files: DEV_ONLY,
		plugins: { '@typescript-eslint': tseslint.plugin },
		linterOptions: { reportUnusedDisableDirectives: 'off' },
	},
];
