/**
 * When Mirror may delete (as rclone sync and LangChain's indexing API guard it): never when
 * any item failed (its file would look removed), never for an empty input (a source that
 * answered nothing is not a source without files), and never more than Max Deletions.
 */
import type { MaxDeletions } from './settings';

/** Why deletions are skipped this run (they happen on a later run), or undefined. */
export function deletionsSkipped(failedItems: number, sourceItems: number): string | undefined {
	if (failedItems > 0) {
		return `${failedItems} item(s) failed: nothing was deleted, so that a file whose item failed is not taken for removed. The next run without failures deletes what the source no longer has.`;
	}
	if (sourceItems === 0) {
		return 'The input has no files: nothing was deleted (an empty source more often means a failed listing than an empty folder).';
	}
	return undefined;
}

/** Whether `planned` deletions out of `inScope` files exceed the limit; the refusal if so. */
export function overMaxDeletions(
	planned: number,
	inScope: number,
	max: MaxDeletions,
): string | undefined {
	if (planned === 0) return undefined;
	const percent = inScope === 0 ? 100 : (planned / inScope) * 100;
	const over = max.unit === 'files' ? planned > max.limit : percent > max.limit;
	if (!over) return undefined;
	const limit = max.unit === 'files' ? `${max.limit} file(s)` : `${max.limit} %`;
	return `The mirror would delete ${planned} of the ${inScope} file(s) in scope (${Math.round(percent * 10) / 10} %), more than "Max Deletions" allows (${limit})`;
}
