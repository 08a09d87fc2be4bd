/** The retrievalFileIds switch: start option, environment variable, run-time quirk, reset. */
import { startEmulator } from '../../emulator';
import { optionsFromEnv } from '../../emulator/env';
import { buildCorpus } from './retrieval-corpus';

test('LLAMACLOUD_EMULATOR_RETRIEVAL_FILE_IDS sets it; a bad value names the variable', () => {
	expect(optionsFromEnv({}).retrievalFileIds).toBeUndefined();
	expect(
		optionsFromEnv({ LLAMACLOUD_EMULATOR_RETRIEVAL_FILE_IDS: 'source' }).retrievalFileIds,
	).toBe('source');
	expect(() => optionsFromEnv({ LLAMACLOUD_EMULATOR_RETRIEVAL_FILE_IDS: 'chunk' })).toThrow(
		"LLAMACLOUD_EMULATOR_RETRIEVAL_FILE_IDS must be one of parsed, source, got 'chunk'",
	);
});

test('the start option holds until changed at run time; reset() restores it', async () => {
	const emulator = await startEmulator({ buildStepMs: 5, retrievalFileIds: 'source' });
	try {
		expect(emulator.quirks.retrievalFileIds).toBe('source');
		const corpus = await buildCorpus(emulator, ['expenses']);
		const find = async () =>
			(
				await corpus.call('POST', '/api/v1/retrieval/files/find', {
					json: { index_id: corpus.index.id },
				})
			).body.items.map((f: any) => f.file_id);
		expect(await find()).toEqual([corpus.source.expenses]);
		emulator.quirks.retrievalFileIds = 'parsed';
		expect(await find()).toEqual([corpus.parsed.expenses]);
		emulator.reset();
		expect(emulator.quirks.retrievalFileIds).toBe('source');
	} finally {
		await emulator.close();
	}
});
