/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testTimeout: 60000,
	// After each test file: the canary API key must not appear in anything the harness recorded,
	// every exchange with an emulator followed the OpenAPI spec, and the harness's binary data
	// folder is removed.
	setupFilesAfterEnv: [
		'<rootDir>/test/support/secrets.ts',
		'<rootDir>/test/support/spec.ts',
		'<rootDir>/test/support/cleanup.ts',
	],
	// Type checking is `npm run typecheck`'s job; jest only transpiles, which keeps runs fast.
	transform: {
		'^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
	},
};
