/**
 * What the directory's listing means for the source: which file each unique ID of the source
 * has now, which unique IDs belong to files outside the mirror's scope (never touched), and
 * which files of the scope the source no longer has (to delete).
 */
import type { DirectoryFile } from '../../../helpers/interfaces';
import { inScope, type Scope } from './settings';

export interface MirrorPlan {
	/** In-scope files by unique ID: one, or several on a service that keeps both. */
	holders: Map<string, DirectoryFile[]>;
	/** Unique IDs of the source held only by files outside the scope. */
	outOfScope: Map<string, DirectoryFile>;
	/** In-scope files whose unique ID no source item has. */
	absent: DirectoryFile[];
	/** Files in scope when the directory was listed. */
	inScopeCount: number;
	/** Extra copies of a source's unique ID (deleted once the one kept is settled). */
	duplicateCount: number;
}

/** Newest first (updated_at, then id), so the copy kept of several is the latest. */
const newestFirst = (a: DirectoryFile, b: DirectoryFile) =>
	String(b.updated_at ?? '').localeCompare(String(a.updated_at ?? '')) || b.id.localeCompare(a.id);

export function planMirror(
	files: DirectoryFile[],
	sourceIds: ReadonlySet<string>,
	scope: Scope,
): MirrorPlan {
	const plan: MirrorPlan = {
		holders: new Map(),
		outOfScope: new Map(),
		absent: [],
		inScopeCount: 0,
		duplicateCount: 0,
	};
	for (const file of files) {
		if (!inScope(file, scope)) {
			if (sourceIds.has(file.unique_id)) plan.outOfScope.set(file.unique_id, file);
			continue;
		}
		plan.inScopeCount++;
		if (!sourceIds.has(file.unique_id)) {
			plan.absent.push(file);
			continue;
		}
		const held = plan.holders.get(file.unique_id) ?? [];
		held.push(file);
		plan.holders.set(file.unique_id, held);
	}
	for (const [uniqueId, held] of plan.holders) {
		held.sort(newestFirst);
		plan.duplicateCount += held.length - 1;
		// An in-scope holder wins over an out-of-scope one: that unique ID is the mirror's.
		plan.outOfScope.delete(uniqueId);
	}
	return plan;
}
