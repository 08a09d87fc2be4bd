/**
 * The API objects the package reads, written once from LlamaCloud's OpenAPI spec (the
 * contract: /api/v1/beta/directories, .../files, /api/v1/indexes). What the spec requires is
 * required here; the rest is optional. test/types/api-objects.test.ts checks that the
 * official SDK's response types fit these. Type aliases, not interfaces: they fit n8n's item
 * JSON (IDataObject) as they are.
 */

/** An ISO 8601 date-time as the API writes it. */
export type Timestamp = string;

/** Metadata values a directory file can carry (MetadataValue in the spec). */
export type MetadataValue = string | number | boolean | null | string[];

export type Directory = {
	id: string;
	project_id: string;
	name: string;
	description?: string | null;
	/** "user" for uploads, "index" for an index's output, "ephemeral" for temporary ones. */
	type?: 'user' | 'index' | 'ephemeral' | null;
	connector_subscription_id?: string | null;
	expires_at?: Timestamp | null;
	system_metadata?: { [key: string]: unknown } | null;
	created_at?: Timestamp | null;
	updated_at?: Timestamp | null;
	deleted_at?: Timestamp | null;
};

export type PresignedUrl = {
	url: string;
	expires_at: Timestamp;
	form_fields?: { [key: string]: string } | null;
};

/** A file in a directory (DirectoryFileResponse). */
export type DirectoryFile = {
	/** The directory file's ID (what Get, Update and Delete take). */
	id: string;
	project_id: string;
	directory_id: string;
	/** Unique within the directory: a path or an external ID. */
	unique_id: string;
	display_name: string;
	/** The stored file (Files API) this directory file points at. */
	file_id?: string | null;
	metadata?: { [key: string]: MetadataValue };
	download_url?: PresignedUrl | null;
	created_at?: Timestamp | null;
	updated_at?: Timestamp | null;
	/** Set when the file was removed; listings with include_deleted show such files. */
	deleted_at?: Timestamp | null;
};

/** A searchable index over a source directory (IndexResponse). */
export type Index = {
	id: string;
	name: string;
	project_id: string;
	source_directory_id: string;
	output_directory_id: string;
	sync_config_id: string;
	export_config_id: string;
	description?: string | null;
	last_synced_at?: Timestamp | null;
	last_exported_at?: Timestamp | null;
	/** Build state and diagnostics: an open schema (see actions/index/buildState.ts). */
	metadata?: { [key: string]: unknown };
	created_at?: Timestamp | null;
	updated_at?: Timestamp | null;
};

/** One page of a cursor-paginated list (DirectoryQueryResponse, IndexQueryResponse, ...). */
export type ListPage<T> = {
	items: T[];
	/** Absent, null or empty on the last page. */
	next_page_token?: string | null;
	total_size?: number | null;
};
