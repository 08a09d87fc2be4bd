/**
 * Request and response schemas of the retrieval endpoints, written from openapi.json
 * (RetrieveParams / RetrieveResult, FileFindParams / FileFindResult, FileGrepParams /
 * FileGrepResult, FileReadParams / FileReadResult). Unknown body keys are ignored (FastAPI).
 *
 * Bounds the spec does not state are the emulator's (assumed, see README): counts and offsets
 * cannot be negative, weights lie in [0, 1]; page sizes above the maximum are coerced to it,
 * as the spec says of these lists.
 */
import { z } from 'zod';
import { MetadataSchema } from '../schemas';

export const FILTER_OPERATORS = ['eq', 'ne', 'gt', 'lt', 'gte', 'lte', 'in', 'nin'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
/** Operators whose value is a list. */
export const LIST_OPERATORS: ReadonlySet<FilterOperator> = new Set(['in', 'nin']);

const Operator = z.enum(FILTER_OPERATORS);
const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/** ValueFilter: a filter on a user metadata field. */
export const ValueFilterSchema = z.object({
	operator: Operator,
	value: z.union([Scalar, z.array(Scalar)]),
});
/** NumericRangeFilter: one bound of a numeric range (a field's bounds are a list, all must hold). */
export const NumericRangeFilterSchema = z.object({
	operator: Operator,
	value: z.union([z.number(), z.array(z.number())]),
});
/** StringFilter: a filter on a built-in string field. */
export const StringFilterSchema = z.object({
	operator: Operator,
	value: z.union([z.string(), z.array(z.string())]),
});
export type ValueFilter = z.infer<typeof ValueFilterSchema>;
export type NumericRangeFilter = z.infer<typeof NumericRangeFilterSchema>;
export type StringFilter = z.infer<typeof StringFilterSchema>;

const Count = z.number().int().min(1);
const Offset = z.number().int().min(0);
const Weight = z.number().min(0).max(1);

export const RetrieveBody = z.object({
	index_id: z.string(),
	query: z.string(),
	top_k: Count.nullable().optional(),
	num_candidates: Count.nullable().optional(),
	vector_pipeline_weight: Weight.nullable().optional(),
	full_text_pipeline_weight: Weight.nullable().optional(),
	score_threshold: z.number().nullable().optional(),
	static_filters: z
		.object({ parsed_directory_file_id: StringFilterSchema.nullable().optional() })
		.nullable()
		.optional(),
	custom_filters: z
		.record(z.string(), z.union([ValueFilterSchema, z.array(NumericRangeFilterSchema), z.null()]))
		.nullable()
		.optional(),
	// RerankConfig is not nullable in the spec: leave it out for the default (enabled).
	rerank: z
		.object({ enabled: z.boolean().optional(), top_n: Count.nullable().optional() })
		.optional(),
});
export type RetrieveInput = z.infer<typeof RetrieveBody>;

const Paging = {
	page_size: Count.nullable().optional(),
	page_token: z.string().nullable().optional(),
};

export const FindBody = z.object({
	...Paging,
	index_id: z.string(),
	file_name: z.string().nullable().optional(),
	file_name_contains: z.string().nullable().optional(),
});
export type FindInput = z.infer<typeof FindBody>;

export const GrepBody = z.object({
	...Paging,
	index_id: z.string(),
	file_id: z.string(),
	pattern: z.string(),
	context_chars: Offset.nullable().optional(),
});
export type GrepInput = z.infer<typeof GrepBody>;

export const ReadBody = z.object({
	index_id: z.string(),
	file_id: z.string(),
	offset: Offset.default(0),
	max_length: Offset.nullable().optional(),
});
export type ReadInput = z.infer<typeof ReadBody>;

// ---------------------------------------------------------------------------------------------
// Responses (strict: an internal field leaking out fails validation during development)

const NullableInt = z.number().int().nullable();

export const StaticFieldsSchema = z
	.object({
		parsed_directory_file_id: z.string().nullable(),
		page_range_start: NullableInt,
		page_range_end: NullableInt,
		chunk_start_char: NullableInt,
		chunk_end_char: NullableInt,
		chunk_index: NullableInt,
		chunk_token_count: NullableInt,
		attachments: z.array(
			z.object({ type: z.string(), attachment_name: z.string(), source_id: z.string() }).strict(),
		),
	})
	.strict();

export const RetrievalResultSchema = z
	.object({
		content: z.string(),
		score: z.number().nullable(),
		rerank_score: z.number().nullable(),
		metadata: MetadataSchema.nullable(),
		static_fields: StaticFieldsSchema,
	})
	.strict();
export type RetrievalResult = z.infer<typeof RetrievalResultSchema>;

export const RetrieveResultSchema = z.object({ results: z.array(RetrievalResultSchema) }).strict();

const retrievalPage = <T extends z.ZodTypeAny>(item: T) =>
	z
		.object({
			items: z.array(item),
			next_page_token: z.string().nullable(),
			total_size: z.number().int().nullable(),
		})
		.strict();

export const FileFindEntrySchema = z
	.object({ file_id: z.string(), file_name: z.string() })
	.strict();
export const FileFindResultSchema = retrievalPage(FileFindEntrySchema);
export type FileFindEntry = z.infer<typeof FileFindEntrySchema>;

export const FileGrepMatchSchema = z
	.object({ start_char: z.number().int(), end_char: z.number().int(), content: z.string() })
	.strict();
export const FileGrepResultSchema = retrievalPage(FileGrepMatchSchema);
export type FileGrepMatch = z.infer<typeof FileGrepMatchSchema>;

export const FileReadResultSchema = z.object({ content: z.string() }).strict();

/** A page of find / grep results. total_size stays null: these requests cannot ask for it. */
export interface RetrievalPage<T> {
	items: T[];
	next_page_token: string | null;
	total_size: null;
}
