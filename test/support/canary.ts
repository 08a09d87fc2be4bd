/**
 * The API key every package-level test suite uses (emulators are started with it). It must
 * never show up in anything the package returns or logs: test/support/secrets.ts checks every
 * test file's recorded runs, polls, credential tests and log lines for it after all its tests.
 */
export const CANARY_API_KEY = 'llx-CANARY-6f1d0c9e4b7a4e2f9a3c5d8e7b1f0a2c';
