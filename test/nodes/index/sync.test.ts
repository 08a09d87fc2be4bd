/**
 * Index → Sync: one sync per index and run, Wait Until Built that checks soon and then backs
 * off, and failed builds whose failing files reach the error and continue-on-fail items.
 */
import type { INodeParameters } from 'n8n-workflow';

import { LlamaCloudIngest as LlamaCloud } from '../../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { makeBinaryItem, runNode, type RunNodeOptions } from '../../../harness/engine';
import { byId, credential, numberedItems, useEmulator } from '../../support/emulator';

const emulator = useEmulator({ buildStepMs: 50 });

const run = (parameters: INodeParameters, options: Partial<RunNodeOptions> = {}) =>
	runNode({ type: LlamaCloud, credentials: credential(emulator.current), parameters, ...options });

async function indexOver(files: Array<{ name: string; content: string }> = []) {
	const source = emulator.current.store.createDirectory('docs').id;
	if (files.length > 0) {
		await run(
			{ resource: 'file', operation: 'upload', directoryId: byId(source) },
			{ inputItems: files.map((f) => makeBinaryItem(f.content, { fileName: f.name })) },
		);
	}
	const created = await run({
		resource: 'index',
		operation: 'create',
		sourceDirectoryId: byId(source),
	});
	await emulator.current.waitForBuilds();
	return String(created.items[0].json.id);
}

const syncs = () =>
	emulator.current.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/sync')).length;
const sync = (indexId: string, parameters: INodeParameters = {}, options = {}) =>
	run({ resource: 'index', operation: 'sync', indexId: byId(indexId), ...parameters }, options);

test('two items syncing one index send one sync; both output the index, each paired to itself', async () => {
	const indexId = await indexOver();
	const before = syncs();
	const { items, pairedItems } = await sync(indexId, {}, { inputItems: numberedItems(2) });
	expect(syncs() - before).toBe(1);
	expect(items.map((i) => i.json.id)).toEqual([indexId, indexId]);
	expect(pairedItems).toEqual([[{ item: 0 }], [{ item: 1 }]]);
});

test('Wait Until Built sees a quick build long before the poll interval (here an hour) has passed', async () => {
	const indexId = await indexOver();
	const { items, error } = await sync(indexId, {
		waitUntilBuilt: true,
		pollInterval: 3600,
		timeout: 86400,
	});
	expect(error).toBeUndefined();
	expect((items[0].json.metadata as { status: string }).status).toBe('ready');
});

describe('a failed build says which files failed and why', () => {
	const broken = [{ name: 'broken.pdf', content: 'not a pdf' }];
	// Per-file diagnostics: the emulator's `detailed` metadata (the spec promises none; with only
	// `error_message`, the reason alone is reported).
	beforeEach(() => {
		emulator.current.quirks.buildMetadata = 'detailed';
	});

	test('in the error description', async () => {
		const { error } = await sync(await indexOver(broken), { waitUntilBuilt: true });
		expect(error?.description).toMatch(
			/^Failing files \(1\): broken\.pdf \(dfl-[^)]+\): not a valid PDF .*\. Fix or remove the failing file\(s\) in source directory dir-/,
		);
	});

	test('and in the continue-on-fail item, as details', async () => {
		const { items } = await sync(
			await indexOver(broken),
			{ waitUntilBuilt: true },
			{ continueOnFail: true },
		);
		expect(items[0].json.error).toMatch(/^The build of index .* failed/);
		expect(items[0].json.details).toMatch(/^Failing files \(1\): broken\.pdf/);
	});
});
