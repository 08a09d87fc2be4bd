/**
 * A file's fingerprint: what tells a changed source file from an unchanged one without asking
 * LlamaCloud for the content. Either a value the source already gives (Google Drive's
 * md5Checksum, an S3 ETag, a SharePoint cTag, size + modified time), or by default a SHA-256 of
 * the content, read in chunks so memory stays flat whatever the file's size. It is stored in
 * the directory file's metadata under FINGERPRINT_KEY, so any later run, of this workflow or
 * another, compares against it (File → Mirror, and Upload's "Replace If Changed").
 */
import { createHash } from 'crypto';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DirectoryFile } from '../../../helpers/interfaces';
import { fieldError } from '../../../helpers/validation';
import type { UploadJob } from './prepare';

/** The metadata key holding the fingerprint (documented in the README). */
export const FINGERPRINT_KEY = 'source_fingerprint';

/** Content fingerprints read `sha256:<hex>`, so they never equal a field's value by chance. */
const CONTENT_PREFIX = 'sha256:';

/** Chunks read while hashing: few enough calls, little memory. */
const HASH_CHUNK_BYTES = 1024 * 1024;

export type FingerprintSpec = { from: 'content' } | { from: 'field'; value: string };

/** The fields choosing the fingerprint (Mirror; Upload shows them for "Replace If Changed"). */
export function fingerprintFields(displayOptions?: INodeProperties['displayOptions']) {
	const fields: INodeProperties[] = [
		{
			displayName: 'Fingerprint',
			name: 'fingerprint',
			type: 'options',
			options: [
				{
					name: 'Content Hash (SHA-256)',
					value: 'content',
					description: 'Hash the file content (read once per run, in chunks)',
				},
				{
					name: 'From a Field',
					value: 'field',
					description:
						'A value the source gives that changes whenever the content does, e.g. md5Checksum (Google Drive), ETag (S3), cTag (SharePoint)',
				},
			],
			default: 'content',
			description: `What tells whether a file changed: stored in the file's metadata as "${FINGERPRINT_KEY}" and compared on the next run`,
		},
		{
			displayName: 'Fingerprint Value',
			name: 'fingerprintValue',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. {{ $json.md5Checksum }}',
			description:
				'The value to compare, usually an expression. Size and modified time joined in one expression work too.',
			displayOptions: { show: { fingerprint: ['field'] } },
		},
	];
	if (!displayOptions) return fields;
	return fields.map((field) => ({
		...field,
		displayOptions: {
			...displayOptions,
			show: { ...displayOptions.show, ...field.displayOptions?.show },
		},
	}));
}

/** Reads and checks the item's fingerprint fields. */
export function readFingerprintSpec(ctx: IExecuteFunctions, itemIndex: number): FingerprintSpec {
	const from = String(ctx.getNodeParameter('fingerprint', itemIndex, 'content'));
	if (from === 'content') return { from };
	if (from !== 'field') {
		throw fieldError(ctx, itemIndex, '"Fingerprint"', `has an unknown value '${from}'`);
	}
	const raw = ctx.getNodeParameter('fingerprintValue', itemIndex, '') as unknown;
	const value =
		raw === undefined || raw === null
			? ''
			: typeof raw === 'object'
				? JSON.stringify(raw)
				: String(raw).trim();
	if (value === '') {
		throw fieldError(
			ctx,
			itemIndex,
			'"Fingerprint Value"',
			'is empty',
			'The expression gave nothing for this item: check that the field exists (Google Docs files have no md5Checksum; fall back with {{ $json.md5Checksum ?? $json.modifiedTime }}), or use "Content Hash (SHA-256)".',
		);
	}
	return { from, value };
}

/** SHA-256 of the job's content, streamed from the binary data service (or the item's base64). */
async function contentHash(ctx: IExecuteFunctions, job: UploadJob): Promise<string> {
	const hash = createHash('sha256');
	const source = job.source;
	let read = 0;
	if ('base64' in source) {
		const content = Buffer.from(source.base64, 'base64');
		hash.update(content);
		read = content.length;
	} else {
		const label = `item ${job.itemIndex}`;
		let stream: Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;
		try {
			stream = await ctx.helpers.getBinaryStream(source.binaryId, HASH_CHUNK_BYTES);
			for await (const chunk of stream as AsyncIterable<Buffer | string>) {
				const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
				hash.update(bytes);
				read += bytes.length;
			}
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			throw new NodeOperationError(
				ctx.getNode(),
				`Reading the binary data of ${label} failed: ${reason}`,
				{ itemIndex: job.itemIndex },
			);
		}
	}
	if (read !== job.file.size) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The binary data of item ${job.itemIndex} has ${read} bytes, not its recorded size (${job.file.size})`,
			{ itemIndex: job.itemIndex },
		);
	}
	return `${CONTENT_PREFIX}${hash.digest('hex')}`;
}

/** The job's fingerprint: the field's value, or the content hash (computed here). */
export async function fingerprintOf(
	ctx: IExecuteFunctions,
	job: UploadJob,
	spec: FingerprintSpec,
): Promise<string> {
	return spec.from === 'field' ? spec.value : await contentHash(ctx, job);
}

/** The fingerprint a directory file was uploaded with, if any. */
export function storedFingerprint(file: DirectoryFile): string | undefined {
	const value = file.metadata?.[FINGERPRINT_KEY];
	return typeof value === 'string' ? value : undefined;
}

function metadataOf(job: UploadJob): Record<string, unknown> {
	return job.fields.metadata ? (JSON.parse(job.fields.metadata) as Record<string, unknown>) : {};
}

/**
 * Refuses metadata that sets keys this operation sets itself (the fingerprint, the mirror's
 * tag): checked with the rest of the item, before any request.
 */
export function checkOwnKeys(ctx: IExecuteFunctions, job: UploadJob, keys: string[]): void {
	const metadata = metadataOf(job);
	for (const key of keys) {
		if (!(key in metadata)) continue;
		throw fieldError(
			ctx,
			job.itemIndex,
			`Metadata key "${key}"`,
			'is set by this operation itself',
			key === FINGERPRINT_KEY
				? 'It holds the fingerprint: remove it from the metadata.'
				: 'It holds the tag of the mirror\'s scope: remove it from the metadata, or change "Tag Key".',
		);
	}
}

/** Adds `extra` to the metadata the job's upload sends (a JSON object in a form field). */
export function addMetadata(job: UploadJob, extra: Record<string, string>): void {
	job.fields.metadata = JSON.stringify({ ...metadataOf(job), ...extra });
}
