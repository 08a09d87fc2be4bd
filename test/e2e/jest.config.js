// The e2e suite: the real n8n (scripts/n8n/install.sh) with the built package. Kept apart from
// `npm test` (whose testMatch is *.test.ts): it needs the ~3 GB install and `npm run build`.
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	rootDir: '../..',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	// queue/ has its own project (npm run test:e2e:queue): it needs PostgreSQL and Redis.
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/queue/'],
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	// Each n8n command starts a whole n8n (seconds); a server start takes 10-30 s.
	testTimeout: 300_000,
	// Every test file runs its own n8n processes; more workers than cores only slows them all.
	maxWorkers: 2,
};
