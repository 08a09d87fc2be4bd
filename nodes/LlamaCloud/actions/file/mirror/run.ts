/**
 * One run of File → Mirror, in the order that keeps the directory safe:
 * 1. check every item and the settings (nothing sent yet);
 * 2. list the directory once, and with "Sync Index" find its indexes;
 * 3. refuse the run, before any change, when it would delete more than "Max Deletions";
 * 4. per source file, through the pool: fingerprint, then leave, replace or upload;
 * 5. delete what the source no longer has, unless an item failed or the input is empty;
 * 6. sync the indexes when something changed; output the report.
 * Without continue-on-fail the first failure stops the run (uploads under way finish) and its
 * error says what was done before it. With it, failures are reported and the run goes on.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { DirectoryFile, Index } from '../../../helpers/interfaces';
import { errorItem } from '../../../transport';
import { IndexSync } from '../../index/sync/indexSync';
import { runPool } from '../upload/pool';
import type { UploadJob } from '../upload/prepare';
import { itemError, settle } from '../upload/settle';
import { deleteFiles } from './deletions';
import { indexesOf, listLiveFiles } from './lookups';
import { mirrorFile } from './mirrorFile';
import { planMirror, type MirrorPlan } from './plan';
import { mirrorOutput, type Outcome, type RunSummary } from './report';
import { deletionsSkipped, overMaxDeletions } from './safety';
import { readSettings, type MirrorSettings } from './settings';
import {
	duplicateError,
	duplicateIds,
	isPlaceholder,
	outOfScopeError,
	prepareSource,
} from './sources';

type Failure = NodeApiError | NodeOperationError;

/** "2 added, 1 replaced, 5 unchanged, 0 deleted": what a stopped run had done. */
function progress(outcomes: Outcome[]): string {
	const count = (action: Outcome['action']) => outcomes.filter((o) => o.action === action).length;
	return `${count('added')} added, ${count('replaced')} replaced, ${count('unchanged')} unchanged, ${count('deleted')} deleted`;
}

/** Adds what the run had done to the error that stopped it. */
function stoppedBy(error: Failure, outcomes: Outcome[], what = 'The mirror stopped here'): Failure {
	const done = `${what}; done before: ${progress(outcomes)}.`;
	error.description = error.description ? `${error.description} ${done}` : done;
	return error;
}

/** What a failure of a source item is reported with. */
const sourceOf = (job: UploadJob) => ({ itemIndex: job.itemIndex, uniqueId: job.uniqueId });

class MirrorRun {
	readonly outcomes: Outcome[] = [];

	private readonly continueOnFail: boolean;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly settings: MirrorSettings,
	) {
		this.continueOnFail = ctx.continueOnFail();
	}

	get failures(): number {
		return this.outcomes.filter((o) => o.action === 'failed').length;
	}

	/** Records a failure; without continue-on-fail, throws it. */
	fail(error: unknown, at: { itemIndex?: number; uniqueId?: string; file?: DirectoryFile }) {
		const failure = itemError(this.ctx, error, at.itemIndex ?? 0);
		this.outcomes.push({ action: 'failed', ...at, error: failure });
		if (!this.continueOnFail) throw stoppedBy(failure, this.outcomes);
	}

	/** 1. Every item checked; the good ones as uploads. */
	async sources(indexes: number[]): Promise<UploadJob[]> {
		const jobs: UploadJob[] = [];
		for (const itemIndex of indexes) {
			const prepared = await settle(prepareSource(this.ctx, itemIndex, this.settings));
			if (prepared.ok) jobs.push(prepared.value);
			else this.fail(prepared.error, { itemIndex });
		}
		const duplicates = duplicateIds(jobs);
		for (const job of jobs.filter((j) => duplicates.has(j.uniqueId))) {
			const items = duplicates.get(job.uniqueId) ?? [];
			this.fail(duplicateError(this.ctx, job, items), sourceOf(job));
		}
		return jobs.filter((job) => !duplicates.has(job.uniqueId));
	}

	/** 4. The source files, through the pool; returns the extra copies to delete. */
	async files(jobs: UploadJob[], plan: MirrorPlan): Promise<DirectoryFile[]> {
		const extras: DirectoryFile[] = [];
		const cancelled = () => this.ctx.getExecutionCancelSignal()?.aborted === true;
		await runPool(
			jobs.length,
			this.settings.concurrency,
			async (n) => {
				const job = jobs[n];
				const held = plan.holders.get(job.uniqueId) ?? [];
				const result = await settle(mirrorFile(this.ctx, job, held, this.settings));
				if (!result.ok) return this.fail(result.error, sourceOf(job));
				this.outcomes.push(result.value.outcome);
				extras.push(...result.value.extras);
			},
			cancelled,
		);
		if (cancelled()) {
			throw stoppedBy(
				new NodeOperationError(this.ctx.getNode(), 'The execution was cancelled', {
					itemIndex: 0,
				}),
				this.outcomes,
				'Nothing was deleted',
			);
		}
		return extras;
	}

	/** 5. Deletions (or, in a Dry Run, what would be deleted). */
	async deletions(absent: DirectoryFile[], extras: DirectoryFile[]): Promise<void> {
		const doomed = [...absent, ...extras];
		const duplicate = new Set(extras);
		const deleted = (file: DirectoryFile): Outcome => ({
			action: 'deleted',
			uniqueId: file.unique_id,
			file,
			duplicate: duplicate.has(file),
		});
		if (this.settings.dryRun) {
			this.outcomes.push(...doomed.map(deleted));
			return;
		}
		const result = await deleteFiles(this.ctx, this.settings, doomed);
		this.outcomes.push(...result.deleted.map(deleted));
		for (const { file, error } of result.failed) {
			this.fail(error, { uniqueId: file.unique_id, file });
		}
	}

	/** 6. Sync (and wait for) the directory's indexes. */
	async sync(indexes: Index[]): Promise<Index[]> {
		const synced: Index[] = [];
		for (const index of indexes) {
			const plan = { indexId: index.id, policy: this.settings.policy, ...this.settings.sync! };
			const result = await settle(new IndexSync(this.ctx, plan, 0).run());
			if (result.ok) synced.push(result.value);
			else {
				const failure = itemError(this.ctx, result.error, 0);
				if (!this.continueOnFail)
					throw stoppedBy(failure, this.outcomes, 'The mirror itself is done');
				this.outcomes.push({ action: 'failed', error: failure });
			}
		}
		return synced;
	}
}

/** The whole-run failures (settings, listing, a refused deletion): no item of their own. */
function runFailure(
	ctx: IExecuteFunctions,
	error: unknown,
	itemCount: number,
): INodeExecutionData[][] {
	const failure = itemError(ctx, error, 0);
	if (!ctx.continueOnFail()) throw failure;
	const item = errorItem(failure, 0);
	item.pairedItem = Array.from({ length: Math.max(1, itemCount) }, (_, i) => ({ item: i }));
	return [[item]];
}

export async function runMirror(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	let settings: MirrorSettings;
	try {
		settings = readSettings(ctx);
	} catch (error) {
		return runFailure(ctx, error, items.length);
	}
	const run = new MirrorRun(ctx, settings);
	const sourceItems = items.every(isPlaceholder) ? [] : items.map((_, i) => i);
	let jobs = await run.sources(sourceItems);

	let files: DirectoryFile[];
	let indexes: Index[] = [];
	try {
		files = await listLiveFiles(ctx, settings.directoryId, settings.policy);
		if (settings.sync && !settings.dryRun) {
			indexes = await indexesOf(ctx, settings.directoryId, settings.policy);
			if (indexes.length === 0) {
				throw new NodeOperationError(
					ctx.getNode(),
					`"Sync Index" is on, but no index is built from directory ${settings.directoryId}`,
					{
						itemIndex: 0,
						description:
							'Nothing was changed. Create an index over the directory (Index → Create), or turn off "Sync Index".',
					},
				);
			}
		}
	} catch (error) {
		return runFailure(ctx, error, items.length);
	}
	const plan = planMirror(files, new Set(jobs.map((job) => job.uniqueId)), settings.scope);
	for (const job of jobs.filter((j) => plan.outOfScope.has(j.uniqueId))) {
		run.fail(
			outOfScopeError(ctx, job, plan.outOfScope.get(job.uniqueId)!, settings),
			sourceOf(job),
		);
	}
	jobs = jobs.filter((job) => !plan.outOfScope.has(job.uniqueId));

	const summary: RunSummary = { outcomes: run.outcomes };
	let skipped = deletionsSkipped(run.failures, sourceItems.length);
	const refusal = skipped
		? undefined
		: overMaxDeletions(
				plan.absent.length + plan.duplicateCount,
				plan.inScopeCount,
				settings.maxDeletions,
			);
	if (refusal && !settings.dryRun) {
		const names = plan.absent.map((file) => file.unique_id).sort();
		const shown = names.slice(0, 20);
		const more =
			plan.absent.length > shown.length ? ` and ${plan.absent.length - shown.length} more` : '';
		const error = new NodeOperationError(ctx.getNode(), `${refusal}: nothing was changed`, {
			itemIndex: 0,
			description: `Files it would delete: ${shown.join(', ')}${more}. If the source is complete, raise "Max Deletions" (or run once with a higher limit); a Dry Run shows the whole plan.`,
		});
		return runFailure(ctx, error, items.length);
	}

	const extras = await run.files(jobs, plan);
	skipped ??= deletionsSkipped(run.failures, sourceItems.length) ?? refusal;
	if (skipped) summary.deletionsSkipped = skipped;
	else await run.deletions(plan.absent, extras);

	const changed = run.outcomes.some((o) => ['added', 'replaced', 'deleted'].includes(o.action));
	if (settings.sync && !settings.dryRun) {
		summary.indexSync = changed
			? { synced: true, indexes: await run.sync(indexes) }
			: { synced: false, indexes };
	}
	return [mirrorOutput(settings, summary, items.length)];
}
