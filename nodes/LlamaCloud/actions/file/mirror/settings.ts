/**
 * Mirror's run-wide settings (read from the first item: all items together are one source, so
 * they share one directory, scope and safety limits), checked before any request.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { itemRetryPolicy } from '../../../descriptions/requestOptions.description';
import type { DirectoryFile } from '../../../helpers/interfaces';
import { fieldError, requiredId, requiredText } from '../../../helpers/validation';
import type { RetryPolicy } from '../../../transport';
import { readBuildWait } from '../../index/sync/buildWait';
import { concurrencyOf } from '../upload/prepare';

export type Scope =
	| { kind: 'directory' }
	| { kind: 'prefix'; prefix: string }
	| { kind: 'tag'; key: string; value: string };

export interface MaxDeletions {
	limit: number;
	unit: 'files' | 'percent';
}

export interface MirrorSettings {
	directoryId: string;
	scope: Scope;
	dryRun: boolean;
	maxDeletions: MaxDeletions;
	output: 'report' | 'reportAndFiles';
	/** Sync the directory's indexes when the run changed files (undefined: off). */
	sync?: { wait: boolean; pollIntervalMs: number; timeoutMs: number };
	concurrency: number;
	/** Item 0's Request Options: the listing, deletions and the sync are the run's, not an item's. */
	policy: RetryPolicy;
}

/** Max Deletions' defaults; mirror.operation.ts repeats them as literals (the scanner reads those). */
export const DEFAULT_MAX_DELETIONS: MaxDeletions = { limit: 50, unit: 'percent' };

function readScope(ctx: IExecuteFunctions): Scope {
	const kind = String(ctx.getNodeParameter('scope', 0, 'directory'));
	if (kind === 'directory') return { kind };
	if (kind === 'prefix') {
		const prefix = String(ctx.getNodeParameter('scopePrefix', 0, '') ?? '');
		if (prefix.trim() === '') throw fieldError(ctx, 0, '"Unique ID Prefix"', 'must not be empty');
		return { kind, prefix };
	}
	if (kind === 'tag') {
		const key = requiredText(ctx.getNodeParameter('scopeTagKey', 0, ''), ctx, 0, 'Tag Key');
		const value = requiredText(ctx.getNodeParameter('scopeTagValue', 0, ''), ctx, 0, 'Tag Value');
		return { kind, key, value };
	}
	throw fieldError(ctx, 0, '"Scope"', `has an unknown value '${kind}'`);
}

function readMaxDeletions(ctx: IExecuteFunctions): MaxDeletions {
	const raw = ctx.getNodeParameter('maxDeletions', 0, DEFAULT_MAX_DELETIONS.limit) as unknown;
	const unit = String(ctx.getNodeParameter('maxDeletionsUnit', 0, DEFAULT_MAX_DELETIONS.unit));
	if (unit !== 'files' && unit !== 'percent') {
		throw fieldError(ctx, 0, '"Max Deletions In"', `has an unknown value '${unit}'`);
	}
	const limit = typeof raw === 'string' && raw.trim() === '' ? NaN : Number(raw);
	const max = unit === 'percent' ? 100 : Infinity;
	if (!Number.isFinite(limit) || limit < 0 || limit > max) {
		throw fieldError(
			ctx,
			0,
			'"Max Deletions"',
			`must be a number from 0 to ${unit === 'percent' ? '100 (percent)' : 'any number of files'} (got ${String(raw)})`,
		);
	}
	return { limit, unit };
}

export function readSettings(ctx: IExecuteFunctions): MirrorSettings {
	const directoryId = requiredId(
		ctx.getNodeParameter('directoryId', 0, '', { extractValue: true }),
		ctx,
		0,
		'Directory',
	);
	const output = String(ctx.getNodeParameter('output', 0, 'report'));
	if (output !== 'report' && output !== 'reportAndFiles') {
		throw fieldError(ctx, 0, '"Output"', `has an unknown value '${output}'`);
	}
	const syncIndex = ctx.getNodeParameter('syncIndex', 0, false) as boolean;
	return {
		directoryId,
		scope: readScope(ctx),
		dryRun: ctx.getNodeParameter('dryRun', 0, false) as boolean,
		maxDeletions: readMaxDeletions(ctx),
		output,
		sync: syncIndex ? readBuildWait(ctx, 0) : undefined,
		concurrency: concurrencyOf(ctx),
		policy: itemRetryPolicy(ctx, 0),
	};
}

/** Whether a directory file belongs to the mirror: only those may be replaced or deleted. */
export function inScope(file: DirectoryFile, scope: Scope): boolean {
	if (scope.kind === 'directory') return true;
	if (scope.kind === 'prefix') return file.unique_id.startsWith(scope.prefix);
	const tag = file.metadata?.[scope.key];
	return tag === scope.value || (Array.isArray(tag) && tag.includes(scope.value));
}

/** "the whole directory", "unique IDs starting with 'hr/'", "files tagged team = hr". */
export function describeScope(scope: Scope): string {
	if (scope.kind === 'directory') return 'the whole directory';
	if (scope.kind === 'prefix') return `unique IDs starting with '${scope.prefix}'`;
	return `files whose metadata "${scope.key}" is '${scope.value}'`;
}
