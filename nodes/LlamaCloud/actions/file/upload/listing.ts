/**
 * One listing of a directory instead of one lookup per upload: every conflict policy looks a
 * unique ID up before sending (send.ts says why). For many uploads into one
 * directory, one listing of its live files answers all of those lookups. A directory too large
 * for that is not listed, and each upload looks its own file up as before: more than
 * FILES_PER_LOOKUP files per lookup saved (a bound on the memory the listing holds), or more
 * pages than half the lookups (a server that serves small pages).
 *
 * The listing is a snapshot: a file created meanwhile by someone else meets the API's 409,
 * after which send.ts looks it up afresh, and lookups after a lost answer never use it.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { DirectoryFile } from '../../../helpers/interfaces';
import { apiPath, LISTING_PAGE_SIZE, paginate } from '../../../transport';
import type { UploadJob } from './prepare';

/** A listing may hold this many files per lookup it saves (12 uploads: up to 6,000 files). */
const FILES_PER_LOOKUP = 500;

/** The live files of one directory by unique ID, as listed, kept up to date by our own uploads. */
export class KnownFiles {
	private readonly byUniqueId = new Map<string, DirectoryFile>();

	constructor(files: DirectoryFile[]) {
		for (const file of files) if (!file.deleted_at) this.byUniqueId.set(file.unique_id, file);
	}

	get(uniqueId: string): DirectoryFile | undefined {
		return this.byUniqueId.get(uniqueId);
	}

	created(file: DirectoryFile): void {
		this.byUniqueId.set(file.unique_id, file);
	}

	removed(uniqueId: string): void {
		this.byUniqueId.delete(uniqueId);
	}
}

/**
 * Lists each directory that at least two uploads look into, when that takes at most half as
 * many requests as their lookups and FILES_PER_LOOKUP files each. Returns the listings by
 * directory ID; a directory missing from the result was not worth listing (or could not be
 * listed: lookups then report why).
 */
export async function listForLookups(
	ctx: IExecuteFunctions,
	jobs: UploadJob[],
): Promise<Map<string, KnownFiles>> {
	const lookups = new Map<string, UploadJob[]>();
	for (const job of jobs)
		lookups.set(job.directoryId, [...(lookups.get(job.directoryId) ?? []), job]);
	const listed = new Map<string, KnownFiles>();
	for (const [directoryId, waiting] of lookups) {
		const maxPages = Math.floor(waiting.length / 2);
		if (maxPages < 1) continue;
		const maxFiles = waiting.length * FILES_PER_LOOKUP;
		const pages = paginate.call<
			IExecuteFunctions,
			Parameters<typeof paginate>,
			AsyncGenerator<DirectoryFile[]>
		>(
			ctx,
			apiPath`/api/v1/beta/directories/${directoryId}/files`,
			{},
			{
				// One more than maxFiles: a first page that full tells the directory is too large.
				pageSize: Math.min(LISTING_PAGE_SIZE, maxFiles + 1),
				itemIndex: waiting[0].itemIndex,
				policy: waiting[0].policy,
			},
		);
		const files: DirectoryFile[] = [];
		let complete = false;
		try {
			// Up to maxPages + 1: finding out that page maxPages was the last costs no request.
			for (let read = 0; read <= maxPages; read++) {
				const next = await pages.next();
				if (next.done) {
					complete = true;
					break;
				}
				files.push(...next.value);
				if (files.length > maxFiles) break;
			}
		} catch {
			// The per-upload lookups meet the same problem and report it on their own item.
			continue;
		}
		if (complete) listed.set(directoryId, new KnownFiles(files));
		else await pages.return(undefined);
	}
	return listed;
}
