/**
 * One item's upload: the multipart POST (streamed, retried with a fresh body per attempt,
 * reconciled by unique ID when the outcome is unknown) and what "If a File with This Unique
 * ID Exists" asks for when the unique ID is taken.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, randomString } from 'n8n-workflow';

import type { DirectoryFile, ListPage } from '../../../helpers/interfaces';
import {
	apiPath,
	apiRequest,
	type ApiRequest,
	followsPossiblyAppliedAttempt,
} from '../../../transport';
import {
	BinaryReadError,
	bufferedBody,
	multipartLayout,
	streamedBody,
	type BinaryStream,
} from './multipart';
import { addMetadata, FINGERPRINT_KEY, fingerprintOf, storedFingerprint } from './fingerprint';
import type { UploadJob } from './prepare';

/** Chunks read from the binary data service: large enough for throughput, small in memory. */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Files up to this size are read whole instead of streamed: the memory is about that of one
 * stream chunk, without a stream's per-file cost (it adds up over many small files).
 */
const READ_WHOLE_BYTES = 256 * 1024;

/** Keep Both tries "name (2).ext", "name (3).ext", ... up to this many copies. */
const MAX_COPIES = 100;

/** Where a request goes and whose it is: an upload's job, or the like (Mirror's deletions). */
type RequestTarget = Pick<UploadJob, 'directoryId' | 'itemIndex' | 'policy'>;

/** A request of the job's item, with that item's retry policy. */
async function request<T>(
	ctx: IExecuteFunctions,
	job: RequestTarget,
	options: Omit<ApiRequest, 'itemIndex' | 'policy'>,
): Promise<T> {
	return (await apiRequest.call(ctx, {
		...options,
		itemIndex: job.itemIndex,
		policy: job.policy,
	})) as T;
}

function filesPath(job: RequestTarget): string {
	return apiPath`/api/v1/beta/directories/${job.directoryId}/files`;
}

function isConflict(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '409';
}

function isNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '404';
}

/** The live file holding `uniqueId` in the job's directory, if any. */
export async function findByUniqueId(
	ctx: IExecuteFunctions,
	job: UploadJob,
	uniqueId: string,
): Promise<DirectoryFile | undefined> {
	const page = await request<ListPage<DirectoryFile>>(ctx, job, {
		method: 'GET',
		path: filesPath(job),
		qs: { unique_id: uniqueId, page_size: 10 },
		expect: 'page',
	});
	// Exact match whatever the filter's semantics.
	return (page.items ?? []).find((file) => file.unique_id === uniqueId && !file.deleted_at);
}

/** Deletes one directory file; one already gone is what was wanted. */
export async function deleteFile(
	ctx: IExecuteFunctions,
	job: RequestTarget,
	fileId: string,
): Promise<void> {
	let failure: unknown;
	try {
		await request(ctx, job, {
			method: 'DELETE',
			path: apiPath`/api/v1/beta/directories/${job.directoryId}/files/${fileId}`,
		});
	} catch (error) {
		failure = error;
	}
	// Already gone is what we wanted.
	if (failure !== undefined && !isNotFound(failure)) throw failure;
}

async function renameFile(
	ctx: IExecuteFunctions,
	job: UploadJob,
	fileId: string,
	uniqueId: string,
): Promise<DirectoryFile> {
	return await request<DirectoryFile>(ctx, job, {
		method: 'PATCH',
		path: apiPath`/api/v1/beta/directories/${job.directoryId}/files/${fileId}`,
		body: { unique_id: uniqueId },
	});
}

export type CreateResult = { file: DirectoryFile } | { conflict: true };

async function readSmallBinary(
	ctx: IExecuteFunctions,
	job: UploadJob,
	property: string,
	label: string,
): Promise<Buffer> {
	let content: Buffer | undefined;
	let reason = '';
	try {
		content = await ctx.helpers.getBinaryDataBuffer(job.itemIndex, property);
	} catch (error) {
		reason = error instanceof Error ? error.message : String(error);
	}
	if (!content) throw new BinaryReadError(`Reading the binary data of ${label} failed: ${reason}`);
	if (content.length !== job.file.size) {
		throw new BinaryReadError(
			`The binary data of ${label} has ${content.length} bytes, not its recorded size (${job.file.size})`,
		);
	}
	return content;
}

/**
 * POSTs the file under `uniqueId`. Each attempt gets a fresh body (a new stream from the
 * binary data service); streams of failed attempts are closed. A 409 (unique ID taken) is
 * returned, not thrown. When the connection drops after sending, the transport asks
 * `reconcile` whether the file arrived, so it is never sent twice; a 409 that follows such an
 * attempt is looked up the same way.
 */
export async function createFile(
	ctx: IExecuteFunctions,
	job: UploadJob,
	uniqueId: string,
): Promise<CreateResult> {
	const layout = multipartLayout({ ...job.fields, unique_id: uniqueId }, job.file, 'upload_file');
	const label = `item ${job.itemIndex}`;
	const open: Array<{ destroy(): unknown }> = [];
	const closeAll = () => {
		for (const stream of open.splice(0)) stream.destroy();
	};
	const source = job.source;
	let body: () => Promise<BinaryStream | Buffer>;
	if ('base64' in source) {
		body = async () => bufferedBody(layout, Buffer.from(source.base64, 'base64'));
	} else if (job.file.size <= READ_WHOLE_BYTES) {
		body = async () =>
			bufferedBody(layout, await readSmallBinary(ctx, job, source.property, label));
	} else {
		body = async () => {
			closeAll();
			const file = await ctx.helpers.getBinaryStream(source.binaryId, READ_CHUNK_BYTES);
			open.push(file);
			const stream = streamedBody(layout, file, job.file.size, label);
			open.push(stream);
			return stream;
		};
	}

	let result: DirectoryFile | undefined;
	let failure: unknown;
	try {
		result = await request<DirectoryFile>(ctx, job, {
			method: 'POST',
			path: `${filesPath(job)}/upload`,
			body,
			// The transport adds the body's transfer time (Content-Length) to the node's Timeout.
			headers: layout.headers,
			idempotent: false,
			reconcile: async () => await findByUniqueId(ctx, job, uniqueId),
		});
	} catch (error) {
		failure = error;
	} finally {
		closeAll();
	}
	if (failure !== undefined) {
		if (!isConflict(failure)) throw failure;
		// A 409 after an attempt the server may have carried out (a 503 after storing, a timeout
		// whose upload landed after the check) is most likely this very upload: reconciled, it is
		// neither stored twice (Keep Both) nor reported as someone else's (Skip).
		if (followsPossiblyAppliedAttempt(failure)) {
			const own = await findByUniqueId(ctx, job, uniqueId);
			if (own) return { file: own };
		}
		return { conflict: true };
	}
	return { file: result as DirectoryFile };
}

/**
 * Replace, in the order that never loses data: (1) upload the new content under a temporary
 * unique ID (if that fails, the old file is untouched); (2) delete the old file (if that fails,
 * the temporary file is removed again, the old one stays); (3) give the new file the unique ID.
 * Only a failure of step 3, after retries, leaves the new content under the temporary ID, and
 * the error says so. The temporary ID is random, so two replaces of the same file never touch
 * each other's uploads; the last one to rename wins.
 */
export async function replaceFile(
	ctx: IExecuteFunctions,
	job: UploadJob,
	existing: DirectoryFile,
): Promise<DirectoryFile> {
	const tempId = `${job.uniqueId}~replacing-${randomString(8)}`;
	const created = await createFile(ctx, job, tempId);
	if ('conflict' in created) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Temporary unique ID '${tempId}' is taken [item ${job.itemIndex}]`,
			{
				itemIndex: job.itemIndex,
			},
		);
	}
	const temp = created.file;

	let deleteFailure: unknown;
	try {
		await deleteFile(ctx, job, existing.id);
	} catch (error) {
		deleteFailure = error;
	}
	if (deleteFailure !== undefined) {
		await deleteFile(ctx, job, temp.id).catch(() => undefined);
		throw deleteFailure;
	}

	let renameFailure: unknown;
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const renamed = await renameFile(ctx, job, temp.id, job.uniqueId);
			job.known?.created(renamed);
			return renamed;
		} catch (error) {
			renameFailure = error;
		}
		if (!isConflict(renameFailure)) break;
		// Another writer took the unique ID meanwhile: Replace means ours wins.
		const holder = await findByUniqueId(ctx, job, job.uniqueId);
		if (holder && holder.id !== temp.id) await deleteFile(ctx, job, holder.id);
	}
	const reason = renameFailure instanceof Error ? renameFailure.message : String(renameFailure);
	throw new NodeOperationError(
		ctx.getNode(),
		`The new content of '${job.uniqueId}' was uploaded but could not be given its unique ID [item ${job.itemIndex}]`,
		{
			itemIndex: job.itemIndex,
			description: `The old file was removed; the new one is file ${temp.id} with unique ID '${tempId}'. Rename it, or delete it and re-run this item. Cause: ${reason}`,
		},
	);
}

/** "report.pdf" → "report (2).pdf"; "a/b" → "a/b (2)". */
export function numberedUniqueId(uniqueId: string, n: number): string {
	const slash = uniqueId.lastIndexOf('/');
	const dot = uniqueId.lastIndexOf('.');
	// A dot that starts the base name (".env") is not an extension.
	if (dot > slash + 1) return `${uniqueId.slice(0, dot)} (${n})${uniqueId.slice(dot)}`;
	return `${uniqueId} (${n})`;
}

/** Keep Both: the first free "name (n).ext" unique ID, n from 2; the old file is untouched. */
async function keepBoth(ctx: IExecuteFunctions, job: UploadJob): Promise<DirectoryFile> {
	for (let n = 2; n < 2 + MAX_COPIES; n++) {
		const candidate = numberedUniqueId(job.uniqueId, n);
		// Looking first costs a small GET (or nothing, from the listing); a 409 would cost
		// sending the whole file.
		if (await lookUp(ctx, job, candidate)) continue;
		const created = await createFile(ctx, job, candidate);
		if ('file' in created) {
			job.known?.created(created.file);
			return created.file;
		}
	}
	throw new NodeOperationError(
		ctx.getNode(),
		`'${job.uniqueId}' already has ${MAX_COPIES} copies in the directory [item ${job.itemIndex}]`,
		{
			itemIndex: job.itemIndex,
			description: 'Use "Replace" or "Skip", or give the files distinct unique IDs.',
		},
	);
}

/** A look-up before sending: from the directory's listing when there is one (listing.ts). */
async function lookUp(
	ctx: IExecuteFunctions,
	job: UploadJob,
	uniqueId: string,
): Promise<DirectoryFile | undefined> {
	return job.known ? job.known.get(uniqueId) : await findByUniqueId(ctx, job, uniqueId);
}

/**
 * Uploads one item; the output JSON is the API's directory file (plus `skipped: true` for Skip,
 * and for Replace If Changed when the fingerprint is the same).
 */
export async function uploadOne(ctx: IExecuteFunctions, job: UploadJob): Promise<IDataObject> {
	// The new file carries its fingerprint, so the next run can compare against it.
	const fingerprint = job.fingerprint && (await fingerprintOf(ctx, job, job.fingerprint));
	if (fingerprint) addMetadata(job, { [FINGERPRINT_KEY]: fingerprint });
	// Every choice looks first. What the API does with a unique ID that is taken is not public
	// (409, replacing the old file, or keeping both): only a lookup keeps Skip from replacing or
	// duplicating, and makes a file found after a dropped connection ours.
	let existing = await lookUp(ctx, job, job.uniqueId);
	// A 409 (the holder may be newer than the listing) is looked up afresh; one whose holder is
	// gone by the time we look (deleted meanwhile): try again, a little.
	for (let attempt = 0; attempt < 3 && !existing; attempt++) {
		const created = await createFile(ctx, job, job.uniqueId);
		if ('file' in created) {
			job.known?.created(created.file);
			return created.file;
		}
		existing = await findByUniqueId(ctx, job, job.uniqueId);
	}
	if (!existing) {
		throw new NodeOperationError(
			ctx.getNode(),
			`LlamaCloud reports unique ID '${job.uniqueId}' as taken, but no file with it can be found [item ${job.itemIndex}]`,
			{ itemIndex: job.itemIndex },
		);
	}
	switch (job.onConflict) {
		case 'replace':
			return await replaceFile(ctx, job, existing);
		case 'replaceIfChanged':
			if (storedFingerprint(existing) === fingerprint) return { ...existing, skipped: true };
			return await replaceFile(ctx, job, existing);
		case 'keepBoth':
			return await keepBoth(ctx, job);
		default:
			return { ...existing, skipped: true };
	}
}
