/**
 * Request and response schemas in zod, following LlamaCloud's OpenAPI spec
 * (emulator/spec/openapi.json, the contract) and the official SDK's types
 * (`@llamaindex/llama-cloud` 2.16.0). Requests are parsed with them (so a 422 reads like
 * FastAPI's); responses are checked against them AND against the spec itself
 * (emulator/spec/validator.ts) before they are sent.
 *
 * Responses: the emulator always sends every field it knows (nullable where the spec says so).
 * Response schemas are strict so an emulator bug that leaks an internal field fails validation.
 */
import { z } from 'zod';
import type { PageSizeAboveMax } from './options';

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** Stainless writes "x" in examples for strings with a minimum length of 1. */
const NonEmpty = z.string().min(1);

/** Timestamps as the service sends them: ISO 8601, UTC, millisecond precision. */
const Timestamp = z.string().datetime({ offset: true });

/** Metadata values: the reference allows string | number | boolean; the SDK adds null and string[]. */
export const MetadataValueSchema = z.union([
	z.string(),
	z.number(),
	z.boolean(),
	z.null(),
	z.array(z.string()),
]);
const MetadataRecordSchema = z.record(z.string(), MetadataValueSchema);
export type Metadata = z.infer<typeof MetadataRecordSchema>;
/**
 * A JSON object of metadata values. Checked as a record, but the object itself is kept: zod's
 * record copy drops a "__proto__" key, which to the real service is a key like any other.
 */
export const MetadataSchema = z
	.unknown()
	.superRefine((value, ctx) => {
		const result = MetadataRecordSchema.safeParse(value);
		if (!result.success) for (const issue of result.error.issues) ctx.addIssue(issue);
	})
	.transform((value) => {
		const out: Metadata = {};
		for (const [key, entry] of Object.entries(value as Metadata)) {
			Object.defineProperty(out, key, {
				value: entry,
				enumerable: true,
				writable: true,
				configurable: true,
			});
		}
		return out;
	});

export const DIRECTORY_TYPES = ['user', 'index', 'ephemeral'] as const;
export type DirectoryType = (typeof DIRECTORY_TYPES)[number];

export const PRODUCT_TYPES = ['parse', 'extract'] as const;
export const SYNC_FREQUENCIES = ['manual', 'daily', 'on_source_change'] as const;
export const VECTOR_TARGETS = ['DEFAULT', 'DISABLED'] as const;
export const ATTACHMENT_KINDS = ['screenshots', 'items'] as const;
export const FILE_PURPOSES = [
	'user_data',
	'parse',
	'extract',
	'classify',
	'split',
	'sheet',
	'agent_app',
] as const;

// ---------------------------------------------------------------------------------------------
// Responses

export const DirectorySchema = z
	.object({
		id: z.string(),
		name: z.string(),
		project_id: z.string(),
		created_at: Timestamp.nullable(),
		deleted_at: Timestamp.nullable(),
		description: z.string().nullable(),
		updated_at: Timestamp.nullable(),
		type: z.enum(DIRECTORY_TYPES).nullable(),
		connector_subscription_id: z.string().nullable(),
		expires_at: Timestamp.nullable(),
		system_metadata: z.record(z.string(), z.unknown()).nullable(),
	})
	.strict();
export type Directory = z.infer<typeof DirectorySchema>;

export const DirectoryFileSchema = z
	.object({
		id: z.string(),
		directory_id: z.string(),
		display_name: z.string(),
		project_id: z.string(),
		unique_id: z.string(),
		created_at: Timestamp.nullable(),
		deleted_at: Timestamp.nullable(),
		file_id: z.string().nullable(),
		metadata: MetadataSchema,
		updated_at: Timestamp.nullable(),
	})
	.strict();
export type DirectoryFile = z.infer<typeof DirectoryFileSchema>;

export const IndexSchema = z
	.object({
		id: z.string(),
		export_config_id: z.string(),
		name: z.string(),
		project_id: z.string(),
		source_directory_id: z.string(),
		sync_config_id: z.string(),
		created_at: Timestamp.nullable(),
		description: z.string().nullable(),
		last_exported_at: Timestamp.nullable(),
		last_synced_at: Timestamp.nullable(),
		metadata: z.record(z.string(), z.unknown()),
		updated_at: Timestamp.nullable(),
		output_directory_id: z.string(),
	})
	.strict();
export type Index = z.infer<typeof IndexSchema>;

/** `POST /api/v1/indexes/{id}/sync` answers 202 `{}` (the spec's schema is `{}`: anything). */
export const SyncResponseSchema = z.object({}).strict();

function pageSchema<T extends z.ZodTypeAny>(item: T) {
	return z
		.object({
			items: z.array(item),
			next_page_token: z.string().nullable().optional(),
			total_size: z.number().int().nonnegative().nullable().optional(),
		})
		.strict();
}

export const DirectoryPageSchema = pageSchema(DirectorySchema);
export const DirectoryFilePageSchema = pageSchema(DirectoryFileSchema);
export const IndexPageSchema = pageSchema(IndexSchema);
export type Page<T> = { items: T[]; next_page_token: string | null; total_size: number | null };

export const ProjectSchema = z
	.object({
		id: z.string(),
		name: z.string(),
		organization_id: z.string(),
		created_at: Timestamp.nullable(),
		updated_at: Timestamp.nullable(),
		is_default: z.boolean(),
	})
	.strict();
export type Project = z.infer<typeof ProjectSchema>;
/** `GET /api/v1/projects` answers a bare array, like the real API. */
export const ProjectListSchema = z.array(ProjectSchema);

/** A stored file (FileV2, `POST /api/v1/beta/files`); its `id` is the `file_id` that "add" takes. */
export const StoredFileSchema = z
	.object({
		id: z.string().uuid(),
		name: z.string(),
		project_id: z.string().uuid(),
		external_file_id: z.string().nullable(),
		file_type: z.string().nullable(),
		purpose: z.string().nullable(),
		last_modified_at: Timestamp.nullable(),
		expires_at: Timestamp.nullable(),
	})
	.strict();
export type StoredFile = z.infer<typeof StoredFileSchema>;

export const ErrorSchema = z.object({
	detail: z.union([
		z.string(),
		z.array(
			z
				.object({
					type: z.string(),
					loc: z.array(z.union([z.string(), z.number()])),
					msg: z.string(),
				})
				.passthrough(),
		),
	]),
});

// ---------------------------------------------------------------------------------------------
// Request bodies (unknown keys are ignored, as pydantic does by default)

export const CreateDirectoryBody = z.object({
	name: NonEmpty,
	description: z.string().nullish(),
	connector_subscription_id: NonEmpty.nullish(),
	system_metadata: z.record(z.string(), z.unknown()).nullish(),
	// 'index' directories are made by index creation only.
	type: z.enum(['user', 'ephemeral']).nullish(),
});

export const UpdateDirectoryBody = z.object({
	name: NonEmpty.nullish(),
	description: z.string().nullish(),
});

export const AddFileBody = z.object({
	file_id: NonEmpty,
	display_name: NonEmpty.nullish(),
	metadata: MetadataSchema.nullish(),
	unique_id: NonEmpty.nullish(),
});

export const UpdateFileBody = z.object({
	/** The move target. The older reference's `directory_id` is no body field any more: ignored. */
	target_directory_id: NonEmpty.nullish(),
	display_name: NonEmpty.nullish(),
	metadata: MetadataSchema.nullish(),
	unique_id: NonEmpty.nullish(),
});

export const CreateIndexBody = z.object({
	source_directory_id: NonEmpty,
	name: NonEmpty.nullish(),
	description: z.string().nullish(),
	products: z
		.array(z.object({ product_config_id: NonEmpty, product_type: z.enum(PRODUCT_TYPES) }))
		.nullish(),
	// The SDK types this as a list of attachment kinds.
	store_attachments: z.array(z.enum(ATTACHMENT_KINDS)).nullish(),
	sync_frequency: z.enum(SYNC_FREQUENCIES).default('manual'),
	vector_target: z.enum(VECTOR_TARGETS).default('DEFAULT'),
});
export type CreateIndexInput = z.infer<typeof CreateIndexBody>;

/** Multipart form fields of `POST …/files/upload` (the file part is handled by the upload module). */
export const UploadFormFields = z.object({
	display_name: NonEmpty.optional(),
	external_file_id: NonEmpty.optional(),
	unique_id: NonEmpty.optional(),
	metadata: z
		.string()
		.transform((text, ctx) => {
			try {
				const value: unknown = JSON.parse(text);
				if (value && typeof value === 'object' && !Array.isArray(value)) return value;
			} catch {
				// fall through to the issue below
			}
			ctx.addIssue({
				code: 'custom',
				message: 'Value error, metadata must be a JSON object',
				params: { type: 'value_error' },
			});
			return z.NEVER;
		})
		.pipe(MetadataSchema)
		.optional(),
});

/** Multipart form fields of `POST /api/v1/beta/files`. */
export const StoredFileFormFields = z.object({
	purpose: z.enum(FILE_PURPOSES),
	external_file_id: NonEmpty.optional(),
});

// ---------------------------------------------------------------------------------------------
// Query parameters (all arrive as strings; empty values are dropped before validation)

/** UUIDs, as FastAPI parses them (`project_id=` with no value is a 422 too). */
const QueryUuid = z.string().refine((text) => UUID.test(text), {
	message: 'Input should be a valid UUID, invalid character or length',
	params: { type: 'uuid_parsing' },
});
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A path parameter the spec types as a UUID (`/api/v1/beta/files/{file_id}`). */
export const PathUuid = z.string().refine((text) => UUID.test(text), {
	message: 'Input should be a valid UUID, invalid character or length',
	params: { type: 'uuid_parsing' },
});

export const ScopeQuery = z.object({
	project_id: QueryUuid.optional(),
	organization_id: QueryUuid.optional(),
});

/** Booleans as FastAPI parses them. */
const QueryBool = z.string().transform((text, ctx) => {
	const value = text.toLowerCase();
	if (['true', '1', 'yes', 'on', 't', 'y'].includes(value)) return true;
	if (['false', '0', 'no', 'off', 'f', 'n'].includes(value)) return false;
	ctx.addIssue({
		code: 'custom',
		message: 'Input should be a valid boolean, unable to interpret input',
		params: { type: 'bool_parsing' },
	});
	return z.NEVER;
});

const QueryInt = z.string().transform((text, ctx) => {
	if (/^\s*[+-]?\d+\s*$/.test(text)) return Number(text);
	ctx.addIssue({
		code: 'custom',
		message: 'Input should be a valid integer, unable to parse string as an integer',
		params: { type: 'int_parsing' },
	});
	return z.NEVER;
});

/** ISO 8601 datetimes (offset optional, UTC assumed), turned into epoch milliseconds (fractional). */
const QueryDatetime = z.string().transform((text, ctx) => {
	const ms = parseIsoDatetime(text);
	if (ms !== null) return ms;
	ctx.addIssue({
		code: 'custom',
		message: 'Input should be a valid datetime',
		params: { type: 'datetime_parsing' },
	});
	return z.NEVER;
});

/** Parses ISO 8601 keeping sub-millisecond digits, so "on or after 12:00:00.0005" excludes 12:00:00.000. */
export function parseIsoDatetime(text: string): number | null {
	const m =
		/^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/.exec(
			text.trim(),
		);
	if (!m) return null;
	const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
	const base = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
	const check = new Date(base);
	// Date.UTC rolls over out-of-range parts (Feb 30 → Mar 2); reject those instead.
	if (
		check.getUTCDate() !== +d ||
		check.getUTCMonth() !== +mo - 1 ||
		check.getUTCHours() !== +h ||
		+mi > 59 ||
		+s > 59
	)
		return null;
	let ms = base + (frac ? Number(`0.${frac}`) * 1000 : 0);
	if (zone && zone.toUpperCase() !== 'Z') {
		const sign = zone.startsWith('-') ? -1 : 1;
		const digits = zone.slice(1).replace(':', '');
		const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
		ms -= sign * offsetMinutes * 60_000;
	}
	return ms;
}

/** Query keys that may repeat (`?types=user&types=index`); every other key keeps its last value. */
export const REPEATABLE_QUERY_KEYS = new Set(['types', 'expand']);

/**
 * List query schemas depend on the instance's page size switch (options.ts, pageSizeAboveMax),
 * so they are built per emulator.
 */
export function listQuerySchemas(maxPageSize: number, aboveMax: PageSizeAboveMax = 'clamp') {
	const size = QueryInt.pipe(z.number().int().min(1));
	const pageSizes: Record<PageSizeAboveMax, z.ZodTypeAny> = {
		serve: size,
		clamp: size.transform((n) => Math.min(n, maxPageSize)),
		reject: QueryInt.pipe(z.number().int().min(1).max(maxPageSize)),
	};
	const pageQuery = {
		page_size: (pageSizes[aboveMax] as typeof size).optional(),
		page_token: z.string().optional(),
	};
	return {
		directories: z.object({
			...pageQuery,
			name: z.string().optional(),
			type: z.enum(DIRECTORY_TYPES).optional(),
			types: z.array(z.enum(DIRECTORY_TYPES)).optional(),
			include_deleted: QueryBool.optional(),
		}),
		files: z.object({
			...pageQuery,
			display_name: z.string().optional(),
			display_name_contains: z.string().optional(),
			file_id: z.string().optional(),
			unique_id: z.string().optional(),
			include_deleted: QueryBool.optional(),
			updated_at_on_or_after: QueryDatetime.optional(),
			updated_at_on_or_before: QueryDatetime.optional(),
			// Accepted for SDK compatibility; the emulator has nothing to expand.
			expand: z.array(z.string()).optional(),
		}),
		indexes: z.object({
			...pageQuery,
			source_directory_id: z.string().optional(),
		}),
		projects: z.object({
			project_name: z.string().optional(),
		}),
	};
}
export type ListQuerySchemas = ReturnType<typeof listQuerySchemas>;
