import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { directoryLocator } from './descriptions/common.descriptions';
import { searchDirectories } from './methods/listSearch';
import { retryPolicyOf, triggerRequestOptions } from './descriptions/requestOptions.description';
import type { DirectoryFile } from './helpers/interfaces';
import { apiPath, CREDENTIAL_TYPE, LISTING_PAGE_SIZE, paginate } from './transport';
import { DEFAULT_LATE_ARRIVAL_SECONDS, LATE_ARRIVAL_RANGE, readSettings } from './trigger/settings';
import {
	type FileEvent,
	latestVersions,
	type ListedFile,
	listFromMs,
	planPoll,
	readState,
	stateAfter,
	toIso,
	toListedFile,
	updatedMsOf,
} from './trigger/cursor';

const HOUR = 3_600_000;
/**
 * How far back the first poll and "Fetch Test Event" look before listing everything. Only a
 * search strategy: the cursor is always a server timestamp, never this machine's clock.
 */
const LOOKBACKS_MS = [HOUR, 24 * HOUR, 30 * 24 * HOUR];

export class LlamaCloudIngestTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LlamaCloud Trigger',
		name: 'llamaCloudIngestTrigger',
		icon: {
			light: 'file:../../icons/llamacloud.svg',
			dark: 'file:../../icons/llamacloud.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		// "new, updated files", from the events' values.
		subtitle:
			'={{ ($parameter["events"] || []).map((e) => ({ created: "new", updated: "updated", deleted: "deleted" })[e] || e).join(", ") + " files" }}',
		// The node creator shows this on the entry it merges with the LlamaCloud node: it reads
		// right there and here.
		description:
			'Ingest documents into LlamaCloud and build searchable indexes, or start a workflow when files change in a directory',
		defaults: { name: 'LlamaCloud Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			directoryLocator({ description: 'The directory to watch' }),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['created', 'updated'],
				description:
					'Which changes start the workflow. Each item is the directory file plus an "event" field: created, updated or deleted.',
				options: [
					{ name: 'New File', value: 'created', description: 'A file appeared in the directory' },
					{
						name: 'Updated File',
						value: 'updated',
						description: 'A file was renamed, re-keyed or got new metadata',
					},
					{
						name: 'Deleted File',
						value: 'deleted',
						description: 'A file was deleted (the item is the deleted file)',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Display Name Contains',
						name: 'displayNameContains',
						type: 'string',
						default: '',
						placeholder: 'e.g. invoice',
						description:
							'Only files whose current display name contains this text (case-insensitive)',
					},
					{
						displayName: 'Emit Existing Files on First Activation',
						name: 'emitExisting',
						type: 'boolean',
						default: false,
						description:
							'Whether the first poll after activation emits every file already in the directory as a new file. Off: the first poll only records where the directory is.',
					},
					{
						displayName: 'Find Deletions By',
						name: 'findDeletionsBy',
						type: 'options',
						default: 'fullScan',
						description:
							'How a poll finds deleted files, when "Deleted File" is among the events. Whether LlamaCloud changes updated_at when it deletes a file is not documented (npm run verify:live tells).',
						options: [
							{
								name: 'Full Scan',
								value: 'fullScan',
								description:
									'Each poll reads the whole directory (about one request per 100 files), so a deletion is seen whatever it does to updated_at',
							},
							{
								name: 'Updated At',
								value: 'updatedAt',
								description:
									'Each poll reads only what changed since the last one. Faster, but misses deletions if the service leaves updated_at alone when it deletes.',
							},
						],
					},
					{
						displayName: 'Late Arrival Window (Seconds)',
						name: 'lateArrivalSeconds',
						type: 'number',
						typeOptions: { minValue: LATE_ARRIVAL_RANGE.min, maxValue: LATE_ARRIVAL_RANGE.max },
						default: DEFAULT_LATE_ARRIVAL_SECONDS,
						description:
							'How long after its updated_at timestamp a change may take to show up in listings. Each poll re-reads this much before the last change it saw and skips what it already emitted.',
					},
				],
			},
			triggerRequestOptions,
		],
	};

	methods = {
		listSearch: { searchDirectories },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const { directoryId, events, nameFilter, windowMs, emitExisting, findDeletionsBy } =
			readSettings(this);
		const wanted = (file: ListedFile, event: FileEvent) =>
			events.includes(event) &&
			(!nameFilter ||
				String(file.json.display_name ?? '')
					.toLowerCase()
					.includes(nameFilter));

		if (this.getMode() === 'manual') return await fetchTestEvents(this, directoryId, wanted);

		const staticData = this.getWorkflowStaticData('node');
		const { state: previous, problem } = readState(staticData, directoryId);
		if (problem) {
			this.logger.warn(
				`LlamaCloud Trigger: the saved position (${problem}) cannot be trusted, so the trigger starts over from the directory as it is now; changes since the last good poll may not be emitted`,
			);
		}
		// A soft delete may leave updated_at alone: then only a listing of everything shows it.
		const fullScan = events.includes('deleted') && findDeletionsBy !== 'updatedAt';

		// Nothing below touches the static data until the whole listing has succeeded: an API
		// error leaves the saved cursor as it was and emits nothing.
		let emitted: Array<{ file: ListedFile; event: FileEvent }>;
		let next;
		if (previous) {
			const fromMs = listFromMs(previous, windowMs);
			// A server that ignores updated_at_on_or_after answers with the whole directory:
			// what is older than the bound was settled by earlier polls.
			const { files, serverStartMs } = fullScan
				? await listFiles(this, directoryId, undefined, fromMs)
				: await listFiles(this, directoryId, fromMs, fromMs);
			const plan = planPoll(previous, files, directoryId, windowMs, serverStartMs);
			if (plan.undecided > 0) {
				this.logger.warn(
					`LlamaCloud Trigger: ${plan.undecided} file(s) changed in the late-arrival window could not be matched against the previous poll and are emitted again to avoid missing them`,
				);
			}
			emitted = plan.events;
			next = plan.state;
		} else {
			// First activation (or another directory): record where the directory is.
			const { files, serverStartMs, fromMs } =
				emitExisting || fullScan
					? await listFiles(this, directoryId, undefined)
					: await listNewest(this, directoryId, windowMs);
			const minMs = fromMs === undefined ? undefined : fromMs + windowMs;
			next = stateAfter(files, directoryId, windowMs, 0, { serverStartMs, minMs });
			emitted = emitExisting
				? files
						.filter((f) => f.deletedMs === null)
						.map((file) => ({ file, event: 'created' as const }))
				: [];
		}

		// n8n saves the workflow when static data changes: only write a cursor that moved.
		if (JSON.stringify(staticData.cursor) !== JSON.stringify(next))
			staticData.cursor = next as unknown as IDataObject;

		const items = emitted
			.filter(({ file, event }) => wanted(file, event))
			.map(({ file, event }) => ({ json: { ...file.json, event } }));
		return items.length > 0 ? [items] : null;
	}
}

/**
 * How far before the `Date` of a listing's first answer its snapshot may have been taken: the
 * header has whole seconds and is written when the answer is sent, possibly by a proxy whose
 * clock differs a little from the one that stamps `updated_at`.
 */
const SERVER_CLOCK_MARGIN_MS = 2000;

/** What a listing returned: one entry per file, and what it tells about the server's clock. */
interface Listing {
	files: ListedFile[];
	/** Older files than asked for came back: the server ignored the filter. */
	filterIgnored: boolean;
	/** The server's clock a little before the listing began, from its first answer's `Date`. */
	serverStartMs?: number;
	/** The lower bound the listing asked for (absent: everything). */
	fromMs?: number;
}

/**
 * Every file (soft-deleted ones included) with updated_at >= fromMs, or all files; one entry
 * per id. `dropBeforeMs` drops files whose last change (updated_at, or a later deleted_at) is
 * older: what a server that ignores the filter sends anyway, or what a full scan reads.
 */
async function listFiles(
	ctx: IPollFunctions,
	directoryId: string,
	fromMs: number | undefined,
	dropBeforeMs?: number,
): Promise<Listing> {
	const qs: IDataObject = { include_deleted: true };
	if (fromMs !== undefined) qs.updated_at_on_or_after = toIso(fromMs);
	const files: ListedFile[] = [];
	let filterIgnored = false;
	let serverStartMs: number | undefined;
	const onPageHeaders = (headers: IDataObject, page: number) => {
		const date = page === 0 ? Date.parse(String(headers.date ?? '')) : NaN;
		if (!Number.isNaN(date)) serverStartMs = date - SERVER_CLOCK_MARGIN_MS;
	};
	const path = apiPath`/api/v1/beta/directories/${directoryId}/files`;
	const pages = paginate.call<
		IPollFunctions,
		Parameters<typeof paginate>,
		AsyncGenerator<DirectoryFile[]>
	>(ctx, path, qs, { pageSize: LISTING_PAGE_SIZE, policy: retryPolicyOf(ctx), onPageHeaders });
	for await (const page of pages) {
		for (const json of page) {
			const updatedMs = updatedMsOf(json);
			if (fromMs !== undefined && updatedMs < fromMs) filterIgnored = true;
			const file = toListedFile(json, updatedMs);
			if (dropBeforeMs !== undefined && file.updatedMs < dropBeforeMs) continue;
			files.push(file);
		}
	}
	// A server that ignored the filter listed everything: the listing has no lower bound,
	// unless older changes were dropped (a poll, or a full scan looking for deletions).
	const bound = dropBeforeMs ?? (filterIgnored ? undefined : fromMs);
	return { files: latestVersions(files), filterIgnored, serverStartMs, fromMs: bound };
}

/**
 * The newest files of the directory, enough to place the cursor: the last change and every
 * file in the late-arrival window before it. Looks back an hour, a day, a month, then lists
 * everything, so an idle large directory costs one full listing once, an active one a page.
 */
async function listNewest(
	ctx: IPollFunctions,
	directoryId: string,
	windowMs: number,
): Promise<Listing> {
	for (const lookback of LOOKBACKS_MS) {
		const listing = await listFiles(ctx, directoryId, Date.now() - lookback);
		// Older files than asked for: the filter was ignored and this is the whole directory.
		if (listing.filterIgnored) return listing;
		const newest = listing.files.reduce((max, f) => Math.max(max, f.updatedMs), -Infinity);
		if (listing.files.length > 0 && newest - windowMs >= (listing.fromMs ?? -Infinity))
			return listing;
	}
	return await listFiles(ctx, directoryId, undefined);
}

/**
 * Manual "Fetch Test Event": the most recent file for each chosen event, so the user sees the
 * item shape. There is no previous poll to compare with, so the event is read off the file:
 * deleted_at set → deleted; created_at equal to updated_at → created; else updated. The saved
 * cursor is not read or written.
 */
async function fetchTestEvents(
	ctx: IPollFunctions,
	directoryId: string,
	wanted: (file: ListedFile, event: FileEvent) => boolean,
): Promise<INodeExecutionData[][] | null> {
	const eventOf = (f: ListedFile): FileEvent =>
		f.deletedMs !== null ? 'deleted' : f.createdMs === f.updatedMs ? 'created' : 'updated';
	for (const lookback of [...LOOKBACKS_MS, undefined]) {
		const fromMs = lookback === undefined ? undefined : Date.now() - lookback;
		const { files, filterIgnored } = await listFiles(ctx, directoryId, fromMs);
		const newest = new Map<FileEvent, ListedFile>();
		// latestVersions sorts by updated_at: the last match per event is the most recent one.
		for (const file of files) if (wanted(file, eventOf(file))) newest.set(eventOf(file), file);
		if (newest.size > 0) {
			const latest = [...newest.values()].sort((x, y) => y.updatedMs - x.updatedMs);
			return [latest.map((file) => ({ json: { ...file.json, event: eventOf(file) } }))];
		}
		if (filterIgnored) break; // that was everything
	}
	return null;
}
