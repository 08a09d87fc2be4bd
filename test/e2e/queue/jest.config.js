// The queue-mode e2e suite (`npm run test:e2e:queue`): the real n8n 2.41 with PostgreSQL and
// Redis (scripts/services/install.sh), a main and workers. Apart from `npm run test:e2e`, which
// also runs on the oldest supported n8n, where none of this is configured the same way.
const e2e = require('../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...e2e,
	rootDir: '../../..',
	roots: ['<rootDir>/test/e2e/queue'],
	testPathIgnorePatterns: [],
	// The fault test alone uploads 2,000 files through n8n.
	testTimeout: 900_000,
	maxWorkers: 1,
};
