/** What route handlers get and return; the server (server.ts) does the I/O around them. */
import type { IncomingMessage } from 'node:http';
import type { z, ZodTypeAny } from 'zod';
import type { IndexBuilder } from './builds';
import { HttpError, type Location } from './errors';
import type { RetrievalFileIdMode } from './retrieval/documents';
import type { ListQuerySchemas } from './schemas';
import type { EmulatorStore, ProjectRecord } from './store';
import type { MultipartForm } from './uploads';
import type { EmulatorVariants } from './variants';

/** One entry of `emulator.requests`. Never holds the Authorization header or file bytes. */
export interface RecordedRequest {
	method: string;
	/** Raw path, as sent (percent-encoding kept). */
	path: string;
	/** Query parameters: a string, or an array when the key repeats. */
	query: Record<string, string | string[]>;
	/** Parsed JSON body, when the route read one. */
	body?: unknown;
	/** Multipart text fields, when the route read a form. */
	fields?: Record<string, string>;
	/** The multipart file part (name and size, no content). */
	file?: { field: string; filename: string; size: number };
	/** Response status; 0 while in progress or when the connection was reset. */
	status: number;
	/** Injected fault, if any (e.g. `status503`, `resetAfter`, `latency`). */
	fault?: string;
	/** Arrival time (ISO, from the emulator's clock). */
	at: string;
}

export interface AppContext {
	store: EmulatorStore;
	builder: IndexBuilder;
	queries: ListQuerySchemas;
	defaultPageSize: number;
	maxUploadBytes: number;
	tmpDir: string;
	/** Behaviours of servers that differ from the reference, switchable at run time. */
	quirks: EmulatorQuirks;
}

/** The variants (emulator/variants.ts) plus older switches; all can change at run time. */
export interface EmulatorQuirks extends EmulatorVariants {
	/** List Directory Files ignores its updated_at filters (see EmulatorOptions). */
	ignoreUpdatedAtFilters: boolean;
	/** Which id retrieval uses for a file (see EmulatorOptions.retrievalFileIds). */
	retrievalFileIds: RetrievalFileIdMode;
}

export interface RequestContext {
	app: AppContext;
	req: IncomingMessage;
	/** Decoded path parameters. */
	params: Record<string, string>;
	/** Query parameters (empty values dropped, repeatable keys as arrays). */
	query: Record<string, string | string[]>;
	/** The project the request acts in (from project_id / organization_id, or the default). */
	project: ProjectRecord;
	/** Reads and parses the JSON body (422 on malformed JSON). */
	json(): Promise<unknown>;
	/** Streams a multipart body (the file to a temp file). */
	form(fileField: string): Promise<MultipartForm>;
}

export interface ApiResponse {
	status: number;
	body?: unknown;
	/** Checked against the body before sending (when response validation is on). */
	schema?: ZodTypeAny;
	headers?: Record<string, string>;
	/** A non-JSON body sent as is (a proxy's error page), instead of `body`. */
	raw?: { contentType: string; text: string };
}

export type Handler = (ctx: RequestContext) => Promise<ApiResponse>;

/** Validates input, or throws the 422 FastAPI would send, located in `where`. */
export function parseInput<S extends ZodTypeAny>(
	schema: S,
	value: unknown,
	where: Location,
): z.output<S> {
	const result = schema.safeParse(value);
	if (!result.success) throw HttpError.fromZod(where, result.error);
	return result.data;
}

/** A decoded path parameter, validated as an opaque id. */
export function pathParam(ctx: RequestContext, name: string): string {
	const value = ctx.params[name];
	if (!value || value.length > 1024) throw HttpError.invalid('path', [name], 'Invalid id');
	return value;
}

export function ok(body: unknown, schema?: ZodTypeAny, status = 200): ApiResponse {
	return { status, body, schema };
}

export const noContent: ApiResponse = { status: 204 };
