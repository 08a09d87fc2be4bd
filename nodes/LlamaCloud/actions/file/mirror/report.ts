/**
 * Mirror's output: one report item (counts, and the unique IDs of what was added, replaced,
 * left unchanged, deleted and what failed) and, with "Report and One Item per File", an item
 * per file after it. In a Dry Run the same, of what would happen.
 */
import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { DirectoryFile, Index } from '../../../helpers/interfaces';
import { errorItem } from '../../../transport';
import { describeScope, type MirrorSettings } from './settings';

export type Action = 'added' | 'replaced' | 'unchanged' | 'deleted';

export type Outcome =
	| {
			action: Exclude<Action, 'deleted'>;
			itemIndex: number;
			uniqueId: string;
			fingerprint: string;
			/** The file now holding the unique ID (absent in a Dry Run of an add or replace). */
			file?: DirectoryFile;
			/** The file it replaced. */
			previous?: DirectoryFile;
	  }
	| { action: 'deleted'; uniqueId: string; file: DirectoryFile; duplicate: boolean }
	| {
			action: 'failed';
			/** The input item, or none for a file of the directory that could not be deleted. */
			itemIndex?: number;
			uniqueId?: string;
			file?: DirectoryFile;
			error: NodeApiError | NodeOperationError;
	  };

export interface RunSummary {
	outcomes: Outcome[];
	/** Why nothing was deleted, when deletions were skipped or refused. */
	deletionsSkipped?: string;
	/** With "Sync Index": whether the indexes were synced (only when files changed), and their state. */
	indexSync?: { synced: boolean; indexes: Index[] };
}

const byUniqueId = (a: string, b: string) => a.localeCompare(b);

export function reportJson(settings: MirrorSettings, summary: RunSummary): IDataObject {
	const ids = (action: Action) =>
		summary.outcomes
			.filter((o) => o.action === action)
			.map((o) => (o as { uniqueId: string }).uniqueId)
			.sort(byUniqueId);
	const failed = summary.outcomes.flatMap((o) =>
		o.action === 'failed'
			? [
					{
						uniqueId: o.uniqueId ?? o.file?.unique_id ?? null,
						...(o.itemIndex === undefined ? {} : { itemIndex: o.itemIndex }),
						...(o.file ? { id: o.file.id } : {}),
						error: o.error.message,
					},
				]
			: [],
	);
	const lists = {
		added: ids('added'),
		replaced: ids('replaced'),
		unchanged: ids('unchanged'),
		deleted: ids('deleted'),
	};
	return {
		directoryId: settings.directoryId,
		scope: describeScope(settings.scope),
		dryRun: settings.dryRun,
		counts: {
			added: lists.added.length,
			replaced: lists.replaced.length,
			unchanged: lists.unchanged.length,
			deleted: lists.deleted.length,
			failed: failed.length,
		},
		...lists,
		failed,
		...(summary.deletionsSkipped ? { deletionsSkipped: summary.deletionsSkipped } : {}),
		...(summary.indexSync
			? {
					indexSync: {
						synced: summary.indexSync.synced,
						indexes: summary.indexSync.indexes.map((index) => ({
							id: index.id,
							name: index.name,
							status: (index.metadata as IDataObject | undefined)?.status ?? null,
							last_synced_at: index.last_synced_at ?? null,
						})),
					},
				}
			: {}),
	};
}

/** One item per file: its action, unique ID and directory file IDs (error items for failures). */
function fileItem(
	settings: MirrorSettings,
	outcome: Outcome,
	all: IPairedItemData[],
): INodeExecutionData {
	if (outcome.action === 'failed') {
		const item = errorItem(outcome.error, outcome.itemIndex ?? 0);
		item.json = { action: 'failed', uniqueId: outcome.uniqueId ?? null, ...item.json };
		if (outcome.itemIndex === undefined) item.pairedItem = all;
		return item;
	}
	const json: IDataObject = {
		action: outcome.action,
		uniqueId: outcome.uniqueId,
		id: outcome.file?.id ?? null,
		...(settings.dryRun ? { dryRun: true } : {}),
	};
	if (outcome.action === 'deleted') {
		if (outcome.duplicate) json.duplicate = true;
		return { json, pairedItem: all };
	}
	if (outcome.previous) json.previousId = outcome.previous.id;
	json.fingerprint = outcome.fingerprint;
	return { json, pairedItem: { item: outcome.itemIndex } };
}

export function mirrorOutput(
	settings: MirrorSettings,
	summary: RunSummary,
	itemCount: number,
): INodeExecutionData[] {
	// The report stems from every input item: the whole input is the source.
	const all = Array.from({ length: Math.max(1, itemCount) }, (_, item) => ({ item }));
	const report: INodeExecutionData = { json: reportJson(settings, summary), pairedItem: all };
	if (settings.output === 'report') return [report];
	// Input order, then the directory's files (deleted, or failed to delete) by unique ID.
	const order = (o: Outcome) =>
		'itemIndex' in o && o.itemIndex !== undefined ? o.itemIndex : Infinity;
	const name = (o: Outcome) => o.uniqueId ?? o.file?.unique_id ?? '';
	const outcomes = [...summary.outcomes].sort(
		(a, b) => order(a) - order(b) || name(a).localeCompare(name(b)),
	);
	return [report, ...outcomes.map((outcome) => fileItem(settings, outcome, all))];
}
