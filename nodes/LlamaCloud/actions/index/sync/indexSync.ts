/**
 * One item's sync: asks LlamaCloud to sync the index and, with "Wait Until Built", polls the
 * index until the build that includes this sync has ended (or the timeout passes).
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { Index } from '../../../helpers/interfaces';
import { apiRequest, type RetryPolicy } from '../../../transport';
import { resolveIndex } from '../common';
import {
	type BuildState,
	type FailedFile,
	describeBuildState,
	readBuildState,
} from '../buildState';

/** The first pause between two checks of the build; each next one doubles, up to the interval. */
const FIRST_PAUSE_MS = 250;

/** Failing files the error's description lists; the index's metadata holds them all. */
const LISTED_FAILED_FILES = 20;

export interface SyncPlan {
	indexId: string;
	/** From the item's Request Options, checked with the rest. */
	policy: RetryPolicy;
	wait: boolean;
	/** Between two reads of the index, while waiting for a build (ours, or one that blocks the sync). */
	pollIntervalMs: number;
	timeoutMs: number;
}

/**
 * A sync refused because a build runs: 409 (LlamaIndex's MCP server handles that) or 429 (some
 * clients have seen it). Neither is retried by the transport: waiting for the build is.
 */
const BUSY_STATUSES = [409, 429] as const;
const isBusy = (error: unknown) =>
	error instanceof NodeApiError && BUSY_STATUSES.some((code) => String(code) === error.httpCode);

export class IndexSync {
	/** `/api/v1/indexes/<the id this service accepts>` (see resolveIndex). */
	private path = '';

	private deadline = 0;

	/** Pauses so far, for the backoff. */
	private pauses = 0;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly plan: SyncPlan,
		private readonly itemIndex: number,
	) {}

	async run(): Promise<Index> {
		this.deadline = Date.now() + this.plan.timeoutMs;
		const found = await resolveIndex(this.ctx, this.plan.indexId, this.itemIndex, this.plan.policy);
		this.path = found.path;
		let before = found.index;
		// A build in progress (the automatic first one after Create, or another sync's) refuses
		// the sync: wait for it to end, then send the sync again.
		while (!(await this.requestSync())) {
			const waitingFor = 'the running build to end (LlamaCloud refused the sync while it runs)';
			const index = await this.poll((current) => isEnded(current), waitingFor);
			// Pause even when that build has ended, so a service that keeps refusing is not hammered.
			await this.pause(index, waitingFor);
			before = index;
		}
		// The sync answers 202 `{}`; the index (with its build state) is what the next node needs.
		if (!this.plan.wait) return await this.getIndex();
		return await this.waitForBuildAfter(readBuildState(before));
	}

	private async getIndex(): Promise<Index> {
		return (await apiRequest.call(this.ctx, {
			method: 'GET',
			path: this.path,
			itemIndex: this.itemIndex,
			policy: this.plan.policy,
		})) as Index;
	}

	/** True when the sync was accepted; false when it was refused because a build runs. */
	private async requestSync(): Promise<boolean> {
		let failure: unknown;
		try {
			// Repeating a sync is harmless (at worst one more build), so retries after a dropped connection are fine.
			await apiRequest.call(this.ctx, {
				method: 'POST',
				path: `${this.path}/sync`,
				itemIndex: this.itemIndex,
				policy: this.plan.policy,
				idempotent: true,
				notRetried: BUSY_STATUSES,
			});
			return true;
		} catch (error) {
			failure = error;
		}
		if (isBusy(failure)) return false;
		throw failure;
	}

	/**
	 * Polls until the build that includes this sync has ended: a `ready` or `failed` status
	 * reached after a build was seen in progress, or whose state differs from the one before the
	 * sync (status, metadata, last_synced_at or updated_at), so the previous build's "ready" is
	 * not mistaken for ours. Only those two statuses are stable: any other (or none) is a build
	 * in progress, whatever the service calls it.
	 */
	private async waitForBuildAfter(before: BuildState): Promise<Index> {
		let sawBuild = false;
		const index = await this.poll(
			(current) => {
				const ended = isEnded(current);
				if (!ended) sawBuild = true;
				return ended && (sawBuild || readBuildState(current).marker !== before.marker);
			},
			'the build to end',
			() => (sawBuild ? '' : ' No new build was seen since the sync request.'),
		);
		const state = readBuildState(index);
		if (state.failed) throw this.buildFailure(index, state);
		return index;
	}

	/** GETs the index until `done`, pausing the poll interval in between. */
	private async poll(
		done: (index: Index) => boolean,
		waitingFor: string,
		extraHint: () => string = () => '',
	): Promise<Index> {
		for (;;) {
			const index = await this.getIndex();
			if (done(index)) return index;
			await this.pause(index, waitingFor, extraHint());
		}
	}

	/**
	 * Sleeps before the next check, or fails once the timeout has passed (or the execution was
	 * cancelled). The first pauses are short and double up to the poll interval: a build that
	 * takes a fifth of a second is seen a quarter second later, not one whole interval later.
	 */
	private async pause(index: Index, waitingFor: string, extraHint = ''): Promise<void> {
		const remaining = this.deadline - Date.now();
		if (remaining <= 0) {
			throw new NodeOperationError(
				this.ctx.getNode(),
				`Timed out after ${this.plan.timeoutMs / 1000} s waiting for ${waitingFor} of index ${this.describeIndex(index)}; last seen state: ${describeBuildState(index)} [item ${this.itemIndex}]`,
				{
					itemIndex: this.itemIndex,
					description: `The build goes on in LlamaCloud; raise "Timeout (Seconds)" or check the index later with Get.${extraHint}`,
				},
			);
		}
		if (this.ctx.getExecutionCancelSignal()?.aborted) {
			throw new NodeOperationError(
				this.ctx.getNode(),
				'The execution was cancelled while waiting for the index build',
				{
					itemIndex: this.itemIndex,
				},
			);
		}
		const backoff = FIRST_PAUSE_MS * 2 ** this.pauses++;
		await sleep(Math.min(backoff, this.plan.pollIntervalMs, remaining));
	}

	private describeIndex(index: Index): string {
		return index.name ? `"${String(index.name)}" (${this.plan.indexId})` : this.plan.indexId;
	}

	/**
	 * A failed build: the reason and the first failing files in the message, every failing file
	 * with its reason (up to LISTED_FAILED_FILES) in the description, which the error panel and
	 * continue-on-fail items (`details`) show: a failed node outputs no index to look into.
	 */
	private buildFailure(index: Index, state: BuildState): NodeOperationError {
		const reason = state.reason ?? 'no reason given';
		const label = (file: FailedFile) =>
			`${file.name}${file.id ? ` (${file.id})` : ''}${file.error ? `: ${file.error}` : ''}`;
		// Files the reason already names are not repeated in the message.
		const others = state.failedFiles.filter(
			(file) => !(file.id ? reason.includes(file.id) : reason.includes(file.name)),
		);
		const shown = others.slice(0, 3).map(label);
		const more = others.length > shown.length ? `; and ${others.length - shown.length} more` : '';
		const heading =
			others.length < state.failedFiles.length ? 'Other failing file(s)' : 'Failing file(s)';
		const files = shown.length ? ` ${heading}: ${shown.join('; ')}${more}.` : '';
		// One paragraph: n8n's error panel runs lines together.
		const listed = state.failedFiles.slice(0, LISTED_FAILED_FILES).map(label);
		const unlisted = state.failedFiles.length - listed.length;
		const list = listed.length
			? `Failing files (${state.failedFiles.length}): ${listed.join('; ')}${unlisted > 0 ? `; and ${unlisted} more (Index → Get shows them all in metadata.diagnostics)` : ''}. `
			: '';
		return new NodeOperationError(
			this.ctx.getNode(),
			`The build of index ${this.describeIndex(index)} failed: ${reason.replace(/\.$/, '')}.${files} [item ${this.itemIndex}]`,
			{
				itemIndex: this.itemIndex,
				description: `${list}Fix or remove the failing file(s) in source directory ${String(index.source_directory_id ?? '')}, then sync again.`,
			},
		);
	}
}

/** A build has ended: `ready` or `failed` (the stable statuses), with no further sync queued. */
function isEnded(index: Index): boolean {
	const state = readBuildState(index);
	return (state.ready || state.failed) && !state.pendingSync;
}
