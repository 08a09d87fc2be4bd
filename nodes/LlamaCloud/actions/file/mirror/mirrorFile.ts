/**
 * One source file of the mirror: its fingerprint against the in-scope file(s) holding its unique
 * ID. Same fingerprint: left alone. Different: replaced, the old file kept until the new one is
 * in (send.ts replaceFile). None: uploaded. In a Dry Run only the decision.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DirectoryFile } from '../../../helpers/interfaces';
import {
	addMetadata,
	FINGERPRINT_KEY,
	fingerprintOf,
	storedFingerprint,
} from '../upload/fingerprint';
import type { UploadJob } from '../upload/prepare';
import { createFile, findByUniqueId, replaceFile } from '../upload/send';
import type { Outcome } from './report';
import { inScope, type MirrorSettings } from './settings';
import { outOfScopeError } from './sources';

export interface FileResult {
	outcome: Extract<Outcome, { itemIndex: number; fingerprint: string }>;
	/** Other in-scope copies of the unique ID (a service that keeps both): to delete. */
	extras: DirectoryFile[];
}

export async function mirrorFile(
	ctx: IExecuteFunctions,
	job: UploadJob,
	held: DirectoryFile[],
	settings: MirrorSettings,
): Promise<FileResult> {
	const fingerprint = await fingerprintOf(ctx, job, job.fingerprint ?? { from: 'content' });
	const base = { itemIndex: job.itemIndex, uniqueId: job.uniqueId, fingerprint };
	// Of several copies, keep one that is already up to date, else the newest (plan.ts).
	const current = held.find((file) => storedFingerprint(file) === fingerprint) ?? held[0];
	const extras = held.filter((file) => file !== current);
	if (current && storedFingerprint(current) === fingerprint) {
		return { outcome: { ...base, action: 'unchanged', file: current }, extras };
	}
	if (settings.dryRun) {
		const action = current ? 'replaced' : 'added';
		return { outcome: { ...base, action, previous: current }, extras };
	}
	addMetadata(job, { [FINGERPRINT_KEY]: fingerprint });
	if (current) {
		const file = await replaceFile(ctx, job, current);
		return { outcome: { ...base, action: 'replaced', file, previous: current }, extras };
	}
	const created = await createFile(ctx, job, job.uniqueId);
	if ('file' in created)
		return { outcome: { ...base, action: 'added', file: created.file }, extras };

	// 409: a file with this unique ID arrived after the listing. Treat it as if listed.
	const holder = await findByUniqueId(ctx, job, job.uniqueId);
	if (!holder) {
		throw new NodeOperationError(
			ctx.getNode(),
			`LlamaCloud reports unique ID '${job.uniqueId}' as taken, but no file with it can be found [item ${job.itemIndex}]`,
			{ itemIndex: job.itemIndex, description: 'Run the mirror again.' },
		);
	}
	if (!inScope(holder, settings.scope)) throw outOfScopeError(ctx, job, holder, settings);
	if (storedFingerprint(holder) === fingerprint) {
		return { outcome: { ...base, action: 'unchanged', file: holder }, extras };
	}
	const file = await replaceFile(ctx, job, holder);
	return { outcome: { ...base, action: 'replaced', file, previous: holder }, extras };
}
