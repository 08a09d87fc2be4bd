/**
 * The retrieval corpus (test/emulator/retrieval-corpus.ts) for the tests that run the node's
 * retrieval operations: built once per test file on its emulator, which keeps its state between
 * tests (only the request log is cleared).
 */
import type { INodeParameters } from 'n8n-workflow';

import { buildCorpus, type Corpus } from '../emulator/retrieval-corpus';
import { byId, llamaCloudRunner, type LlamaCloudRunOptions, useEmulator } from './emulator';

export function useCorpus() {
	const emulator = useEmulator({ buildStepMs: 5, keepState: true });
	const corpus = {} as { current: Corpus };
	beforeAll(async () => {
		corpus.current = await buildCorpus(emulator.current);
	});
	const onIndex = llamaCloudRunner(emulator, () => ({
		resource: 'index',
		indexId: byId(corpus.current.index.id),
	}));
	/** Runs an Index operation on the corpus's index. */
	const run = (
		operation: string,
		parameters: INodeParameters,
		options: LlamaCloudRunOptions = {},
	) => onIndex({ operation, ...parameters }, options);
	/** The bodies of the requests the emulator saw to `path`. */
	const bodiesTo = (path: string) =>
		emulator.current.requests
			.filter((r) => r.path === path)
			.map((r) => r.body as Record<string, unknown>);
	return { emulator, corpus, run, bodiesTo };
}
