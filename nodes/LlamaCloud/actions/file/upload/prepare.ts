/**
 * Reads and checks everything an item's upload needs before any request is sent: parameters,
 * the binary property, the file's size against the limit.
 */
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { itemRetryPolicy } from '../../../descriptions/requestOptions.description';
import { metadataFromParameters } from '../../../helpers/metadata';
import { fieldError, optionalText, requiredId, requiredText } from '../../../helpers/validation';
import { describeValue, numberInRange, rangeText } from '../../../helpers/values';
import type { RetryPolicy } from '../../../transport';
import {
	checkOwnKeys,
	FINGERPRINT_KEY,
	readFingerprintSpec,
	type FingerprintSpec,
} from './fingerprint';
import type { KnownFiles } from './listing';
import type { MultipartFile } from './multipart';

export type OnConflict = 'skip' | 'replace' | 'replaceIfChanged' | 'keepBoth';
const ON_CONFLICT: OnConflict[] = ['skip', 'replace', 'replaceIfChanged', 'keepBoth'];

export const DEFAULT_MAX_FILE_SIZE_MB = 512;
export const DEFAULT_CONCURRENCY = 5;
export const MAX_CONCURRENCY = 32;
const MB = 1024 * 1024;

export interface UploadJob {
	itemIndex: number;
	directoryId: string;
	/** The unique ID the file gets: the parameter, else what the API would derive itself. */
	uniqueId: string;
	onConflict: OnConflict;
	/** "Replace If Changed" (and Mirror): how the file's fingerprint is found. */
	fingerprint?: FingerprintSpec;
	/** Text fields of the form (unique_id is added per request). */
	fields: { display_name: string; external_file_id?: string; metadata?: string };
	file: MultipartFile;
	/** Where the content is: the binary data service (streamed) or the item itself (memory mode). */
	source: { binaryId: string; property: string } | { base64: string };
	/** From the item's Request Options, checked with the rest. */
	policy: RetryPolicy;
	/** The directory's files as listed once for all uploads (listing.ts), when it was worth it. */
	known?: KnownFiles;
}

function isBinaryData(value: unknown): value is IBinaryData {
	if (!value || typeof value !== 'object') return false;
	const { id, data } = value as IDataObject;
	return (typeof id === 'string' && id !== '') || typeof data === 'string';
}

function formatSize(bytes: number): string {
	if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`;
	if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${bytes} bytes`;
}

/** A name the binary data carries (always text there), or undefined when blank. */
function storedText(value: unknown): string | undefined {
	const text = typeof value === 'string' ? value.trim() : '';
	return text === '' ? undefined : text;
}

/** The binary property of the item, or an error naming the property and the item. */
function binaryOf(ctx: IExecuteFunctions, itemIndex: number, property: string): IBinaryData {
	const item = ctx.getInputData()[itemIndex];
	const field = `"Input Binary Field" '${property}'`;
	const binaries = item?.binary ?? {};
	const names = Object.keys(binaries);
	const value = binaries[property];
	if (value === undefined) {
		const inJson = item?.json && Object.prototype.hasOwnProperty.call(item.json, property);
		throw fieldError(
			ctx,
			itemIndex,
			field,
			names.length === 0 ? 'not found: the item has no binary data' : 'not found in the item',
			inJson
				? `'${property}' is a JSON field of the item, not a file. Binary properties of the item: ${names.join(', ') || 'none'}.`
				: names.length === 0
					? 'The previous node must output a file, e.g. Read/Write Files from Disk or HTTP Request with the response as a file.'
					: `Binary properties of the item: ${names.join(', ')}.`,
		);
	}
	if (!isBinaryData(value)) {
		throw fieldError(
			ctx,
			itemIndex,
			field,
			'is not a file',
			'It holds neither binary data nor a reference to stored binary data.',
		);
	}
	return value;
}

/**
 * Everything needed to upload item `itemIndex`, checked; throws before any request on bad input.
 * `onConflict` stands in for the parameter (Mirror has none: it always replaces if changed).
 */
export async function prepareUpload(
	ctx: IExecuteFunctions,
	itemIndex: number,
	overrides: { onConflict?: OnConflict } = {},
): Promise<UploadJob> {
	const param = (name: string, fallback: unknown) =>
		ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	const directoryId = requiredId(
		ctx.getNodeParameter('directoryId', itemIndex, '', { extractValue: true }),
		ctx,
		itemIndex,
		'Directory',
	);
	const property = requiredText(
		param('binaryPropertyName', 'data'),
		ctx,
		itemIndex,
		'Input Binary Field',
	);
	const onConflict = overrides.onConflict ?? (String(param('onConflict', 'skip')) as OnConflict);
	if (!ON_CONFLICT.includes(onConflict)) {
		throw fieldError(
			ctx,
			itemIndex,
			'"If a File with This Unique ID Exists"',
			`has an unknown value '${onConflict}'`,
		);
	}
	const additional = (param('additionalFields', {}) ?? {}) as IDataObject;
	const options = (param('options', {}) ?? {}) as IDataObject;

	// A text field's value, refused by name when an expression made it an object or array.
	const text = (value: unknown, field: string) =>
		optionalText(value, ctx, itemIndex, field) || undefined;

	const maxMb =
		options.maxFileSizeMb === undefined
			? DEFAULT_MAX_FILE_SIZE_MB
			: numberInRange(options.maxFileSizeMb, { min: Number.MIN_VALUE, max: Infinity });
	if (maxMb === undefined) {
		throw fieldError(
			ctx,
			itemIndex,
			'"Max File Size (MB)"',
			`must be a number above 0 (got ${describeValue(options.maxFileSizeMb)})`,
		);
	}

	const binary = binaryOf(ctx, itemIndex, property);
	let size: number;
	let storedName: string | undefined;
	let storedMime: string | undefined;
	let source: UploadJob['source'];
	if (binary.id) {
		// Stored outside the item (filesystem, database, S3): size and names from the service.
		let metadata: { fileName?: string; mimeType?: string; fileSize: number } | undefined;
		let reason = '';
		try {
			metadata = await ctx.helpers.getBinaryMetadata(binary.id);
		} catch (error) {
			reason = error instanceof Error ? error.message : String(error);
		}
		if (!metadata || !Number.isFinite(Number(metadata.fileSize))) {
			throw fieldError(
				ctx,
				itemIndex,
				`"Input Binary Field" '${property}'`,
				'refers to binary data that could not be read',
				`Binary data ID ${binary.id}${reason ? `: ${reason}` : ''}`,
			);
		}
		size = Number(metadata.fileSize);
		storedName = metadata.fileName;
		storedMime = metadata.mimeType;
		source = { binaryId: binary.id, property };
	} else {
		size = Buffer.byteLength(binary.data, 'base64');
		source = { base64: binary.data };
	}

	const fileName =
		text(options.fileName, 'File Name') ??
		storedText(binary.fileName) ??
		storedText(storedName) ??
		(binary.fileExtension ? `${property}.${binary.fileExtension}` : property);
	const mimeType =
		text(options.mimeType, 'MIME Type') ??
		storedText(binary.mimeType) ??
		storedText(storedMime) ??
		'application/octet-stream';

	const limit = Math.floor(maxMb * MB);
	if (size > limit) {
		throw fieldError(
			ctx,
			itemIndex,
			`File '${fileName}'`,
			`is ${formatSize(size)} (${size} bytes), over the upload limit of ${maxMb} MB`,
			'LlamaCloud accepts files up to 512 MB. Raise "Max File Size (MB)" in the options only if your plan allows larger files.',
		);
	}

	const externalFileId = text(additional.externalFileId, 'External File ID');
	const metadata = metadataFromParameters(ctx, itemIndex, param);
	const job: UploadJob = {
		itemIndex,
		directoryId,
		// As the API derives it when none is sent: unique_id, else external_file_id, else the file
		// name. Sending it explicitly lets conflicts and reconciliation look up exactly that ID.
		uniqueId: text(param('uniqueId', ''), 'Unique ID') ?? externalFileId ?? fileName,
		onConflict,
		fields: {
			display_name: text(additional.displayName, 'Display Name') ?? fileName,
			external_file_id: externalFileId,
			metadata: metadata === undefined ? undefined : JSON.stringify(metadata),
		},
		file: { fileName, mimeType, size },
		source,
		policy: itemRetryPolicy(ctx, itemIndex),
	};
	if (onConflict === 'replaceIfChanged') {
		job.fingerprint = readFingerprintSpec(ctx, itemIndex);
		checkOwnKeys(ctx, job, [FINGERPRINT_KEY]);
	}
	return job;
}

/** The "Concurrency" option (node-wide: read from the first item), checked. */
export function concurrencyOf(ctx: IExecuteFunctions): number {
	const value = ctx.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY) as unknown;
	const range = { min: 1, max: MAX_CONCURRENCY, whole: true };
	const n = numberInRange(value, range);
	if (n === undefined) {
		throw fieldError(
			ctx,
			0,
			'"Concurrency"',
			`must be ${rangeText(range)} (got ${describeValue(value)})`,
		);
	}
	return n;
}
