/**
 * The emulator's state: projects, directories, directory files, stored files (blobs) and
 * indexes, with the rules of the API (scoping, uniqueness, soft delete) enforced here so the
 * HTTP handlers stay thin. Methods throw HttpError with the detail the client should see.
 *
 * Every list is kept sorted by its pagination key (directories and indexes by
 * (created_at, id) per project, files by (updated_at, id) per directory), so a page is a
 * binary search plus a scan, never a sort of the whole store.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { BUILD_STATUS, type IndexBuildMetadata } from './buildState';
import { HttpError } from './errors';
import type { EmulatorQuirks } from './http';
import { ID_PREFIX, newId, stampOf, type Stamp } from './ids';
import type { ProjectSeed } from './options';
import { pageInOrder, paginate, type Ordered, type PageOptions } from './pagination';
import type { BuiltFile } from './retrieval/documents';
import type { CreateIndexInput, DirectoryType, Metadata, Page } from './schemas';
import { SortedList, type SortKey } from './sortedList';

// ---------------------------------------------------------------------------------------------
// Records (API field names; the extra camelCase fields are internal sort keys)

export interface ProjectRecord {
	id: string;
	name: string;
	organization_id: string;
	is_default: boolean;
	created_at: string;
	updated_at: string;
}

export interface DirectoryRecord {
	id: string;
	project_id: string;
	name: string;
	description: string | null;
	connector_subscription_id: string | null;
	system_metadata: Record<string, unknown> | null;
	type: DirectoryType;
	created_at: string;
	updated_at: string;
	deleted_at: string | null;
	expires_at: string | null;
	createdMs: number;
}

export interface DirectoryFileRecord {
	id: string;
	directory_id: string;
	project_id: string;
	display_name: string;
	unique_id: string;
	file_id: string | null;
	metadata: Metadata;
	created_at: string;
	updated_at: string;
	deleted_at: string | null;
	updatedMs: number;
}

/** A stored file: what `POST /api/v1/beta/files` and uploads create; `file_id` points here. */
export interface BlobRecord {
	id: string;
	project_id: string;
	name: string;
	external_file_id: string | null;
	purpose: string | null;
	file_type: string | null;
	/** Bytes, as received. */
	size: number;
	/** Hex sha256 of the content, computed while streaming it to disk. */
	sha256: string;
	/** Content on disk (uploads) … */
	path: string | null;
	/** … or in memory (seeded files, index chunks). */
	content: Buffer | null;
	created_at: string;
	updated_at: string;
}

export interface IndexRecord {
	id: string;
	project_id: string;
	name: string;
	description: string | null;
	source_directory_id: string;
	output_directory_id: string;
	export_config_id: string;
	sync_config_id: string;
	products: Array<{ product_config_id: string; product_type: string }> | null;
	store_attachments: string[] | null;
	sync_frequency: string;
	vector_target: string;
	metadata: IndexBuildMetadata;
	last_synced_at: string | null;
	last_exported_at: string | null;
	created_at: string;
	updated_at: string;
	createdMs: number;
	/**
	 * Per source directory-file id: what the last successful build produced from it. Replaced
	 * (never mutated) by each build that changes something, so readers can cache by identity.
	 */
	built: ReadonlyMap<string, BuiltFile>;
}

/** An upload being streamed to disk (tests watch its size grow to prove nothing is buffered). */
export interface ActiveUpload {
	field: string;
	filename: string;
	path: string;
	bytes: number;
}

export interface SeedFilesOptions {
	/** File content: the same for all (one shared stored file), or per file. Default `Seed file\n`. */
	content?: string | Buffer | ((i: number) => string | Buffer);
	displayName?: (i: number) => string;
	uniqueId?: (i: number) => string;
	metadata?: (i: number) => Metadata;
	/** updated_at (= created_at) in ms: one for all, or per file. Default the clock's now. */
	updatedAtMs?: number | ((i: number) => number);
}

export interface DirectoryFilters {
	name?: string;
	type?: DirectoryType;
	types?: DirectoryType[];
	include_deleted?: boolean;
}

export interface FileFilters {
	display_name?: string;
	display_name_contains?: string;
	file_id?: string;
	unique_id?: string;
	include_deleted?: boolean;
	updated_at_on_or_after?: number;
	updated_at_on_or_before?: number;
}

/** What a new directory file is made of. */
export interface NewFileFields {
	file_id: string | null;
	display_name: string;
	unique_id: string;
	metadata: Metadata;
}

/** How long an ephemeral directory lives before it is "eligible for cleanup" (assumed). */
const EPHEMERAL_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface PageRequest {
	pageSize: number;
	pageToken?: string;
}

// Sort keys: directories and indexes by (created_at, id), files by (updated_at, id).
const idOf = (record: { id: string }) => record.id;
const directoryList = () => new SortedList<DirectoryRecord>((d) => d.createdMs, idOf);
const indexList = () => new SortedList<IndexRecord>((i) => i.createdMs, idOf);
const fileKey = (f: DirectoryFileRecord): SortKey => ({ ms: f.updatedMs, id: f.id });

/** Files of one directory: sorted for paging, plus the unique_id → live files map. */
class DirectoryFiles {
	readonly sorted = new SortedList<DirectoryFileRecord>((f) => f.updatedMs, idOf);
	/**
	 * Non-deleted files by unique_id: uniqueness checks and unique_id lookups in O(1). One file
	 * per unique_id, unless the `keep_both` variant lets a directory hold several.
	 */
	private readonly byUniqueId = new Map<string, DirectoryFileRecord[]>();
	/** Number of non-deleted files. */
	liveCount = 0;

	holders(uniqueId: string): DirectoryFileRecord[] {
		return this.byUniqueId.get(uniqueId) ?? [];
	}

	addLive(file: DirectoryFileRecord): void {
		const holders = this.byUniqueId.get(file.unique_id);
		if (holders) holders.push(file);
		else this.byUniqueId.set(file.unique_id, [file]);
		this.liveCount++;
	}

	removeLive(file: DirectoryFileRecord): void {
		const holders = this.byUniqueId.get(file.unique_id);
		const at = holders?.indexOf(file) ?? -1;
		if (!holders || at < 0) return;
		holders.splice(at, 1);
		if (holders.length === 0) this.byUniqueId.delete(file.unique_id);
		this.liveCount--;
	}
}

/** The `created` / `newest_first` list orders (files keep no created key of their own). */
const createdOrder = (reverse: boolean): Ordered<{ created_at: string; id: string }> => ({
	keyOf: (item) => ({ ms: Date.parse(item.created_at), id: item.id }),
	reverse,
});

function fileTypeOf(name: string): string | null {
	const dot = name.lastIndexOf('.');
	return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : null;
}

function conflict(uniqueId: string, directoryId: string): HttpError {
	return HttpError.conflict(
		`A file with unique_id '${uniqueId}' already exists in directory ${directoryId}`,
	);
}

export class EmulatorStore {
	private indexesByExportConfig = new Map<string, IndexRecord>();
	private projects = new Map<string, ProjectRecord>();
	private organizations = new Set<string>();
	private defaultProjectId = '';
	private directories = new Map<string, DirectoryRecord>();
	private directoriesByProject = new Map<string, SortedList<DirectoryRecord>>();
	private files = new Map<string, DirectoryFileRecord>();
	private filesByDirectory = new Map<string, DirectoryFiles>();
	private blobs = new Map<string, BlobRecord>();
	private indexes = new Map<string, IndexRecord>();
	private indexesByProject = new Map<string, SortedList<IndexRecord>>();
	private uploads = new Set<ActiveUpload>();

	/** Called after the files of a directory change (index builds `on_source_change` listen). */
	onFilesChanged: (directoryId: string) => void = () => undefined;

	/** The constructor's projects with their ids fixed, so reset() gives the same projects back. */
	private readonly projectSeeds: ProjectSeed[];

	constructor(
		private readonly clock: () => number,
		projects: ProjectSeed[] = [],
		/** The variants in force (shared with the server, changeable at run time). */
		private readonly quirks: EmulatorQuirks,
	) {
		const organization = randomUUID();
		const seeds = projects.length > 0 ? projects : [{ name: 'Default', is_default: true }];
		this.projectSeeds = seeds.map((seed) => ({
			organization_id: organization,
			...seed,
			id: seed.id ?? randomUUID(),
		}));
		this.seedProjects();
	}

	now(): Stamp {
		return stampOf(this.clock());
	}

	/** Back to the constructor's projects and nothing else; returns the paths of on-disk blobs to delete. */
	clear(): string[] {
		const paths = [...this.blobs.values()].flatMap((b) => (b.path ? [b.path] : []));
		this.projects.clear();
		this.organizations.clear();
		this.directories.clear();
		this.directoriesByProject.clear();
		this.files.clear();
		this.filesByDirectory.clear();
		this.blobs.clear();
		this.indexes.clear();
		this.indexesByExportConfig.clear();
		this.indexesByProject.clear();
		this.seedProjects();
		return paths;
	}

	// -------------------------------------------------------------------------------------------
	// Projects and scope

	private seedProjects(): void {
		this.defaultProjectId = '';
		for (const seed of this.projectSeeds) this.addProject(seed);
	}

	addProject(seed: ProjectSeed = {}): ProjectRecord {
		const now = this.now();
		const id = seed.id ?? randomUUID();
		if (this.projects.has(id)) throw new Error(`Project ${id} already exists`);
		const project: ProjectRecord = {
			id,
			name: seed.name ?? `Project ${this.projects.size + 1}`,
			organization_id: seed.organization_id ?? this.defaultProject?.organization_id ?? randomUUID(),
			is_default: false,
			created_at: now.iso,
			updated_at: now.iso,
		};
		this.projects.set(id, project);
		this.organizations.add(project.organization_id);
		this.directoriesByProject.set(id, directoryList());
		this.indexesByProject.set(id, indexList());
		if (!this.defaultProjectId || seed.is_default) {
			const previous = this.projects.get(this.defaultProjectId);
			if (previous) previous.is_default = false;
			this.defaultProjectId = id;
			project.is_default = true;
		}
		return project;
	}

	get defaultProject(): ProjectRecord | undefined {
		return this.projects.get(this.defaultProjectId);
	}

	listProjects(): ProjectRecord[] {
		return [...this.projects.values()];
	}

	/**
	 * The project a request acts in: `project_id` if given (it must exist and, when
	 * `organization_id` is given too, belong to it), else the default project of the
	 * organization, else the key's default project.
	 */
	resolveScope(projectId?: string, organizationId?: string): ProjectRecord {
		if (organizationId !== undefined && !this.organizations.has(organizationId)) {
			throw HttpError.notFound(`Organization ${organizationId} not found`);
		}
		if (projectId !== undefined) {
			const project = this.projects.get(projectId);
			if (!project) throw HttpError.notFound(`Project ${projectId} not found`);
			if (organizationId !== undefined && project.organization_id !== organizationId) {
				throw new HttpError(
					403,
					`Project ${projectId} does not belong to organization ${organizationId}`,
				);
			}
			return project;
		}
		const fallback = this.defaultProject!;
		if (organizationId === undefined || fallback.organization_id === organizationId)
			return fallback;
		return this.listProjects().find((p) => p.organization_id === organizationId)!;
	}

	// -------------------------------------------------------------------------------------------
	// Directories

	createDirectory(
		projectId: string,
		input: {
			name: string;
			description?: string | null;
			connector_subscription_id?: string | null;
			system_metadata?: Record<string, unknown> | null;
			type?: DirectoryType | null;
		},
	): DirectoryRecord {
		const now = this.now();
		const directory: DirectoryRecord = {
			id: newId(ID_PREFIX.directory),
			project_id: projectId,
			name: input.name,
			description: input.description ?? null,
			connector_subscription_id: input.connector_subscription_id ?? null,
			system_metadata: input.system_metadata ?? null,
			type: input.type ?? 'user',
			created_at: now.iso,
			updated_at: now.iso,
			deleted_at: null,
			// Assumed: "eligible for cleanup" after a day; the emulator never removes them.
			expires_at: input.type === 'ephemeral' ? stampOf(now.ms + EPHEMERAL_LIFETIME_MS).iso : null,
			createdMs: now.ms,
		};
		this.directories.set(directory.id, directory);
		this.directoriesByProject.get(projectId)!.insert(directory);
		this.filesByDirectory.set(directory.id, new DirectoryFiles());
		return directory;
	}

	getDirectory(projectId: string, id: string): DirectoryRecord {
		const directory = this.directories.get(id);
		if (!directory || directory.project_id !== projectId)
			throw HttpError.notFound(`Directory ${id} not found`);
		return directory;
	}

	listDirectories(
		projectId: string,
		filters: DirectoryFilters,
		page: PageRequest,
	): Page<DirectoryRecord> {
		const types =
			filters.types?.length || filters.type
				? new Set([...(filters.types ?? []), ...(filters.type ? [filters.type] : [])])
				: null;
		const active = filters.name !== undefined || types !== null || !filters.include_deleted;
		return this.page({
			kind: 'directories',
			list: this.directoriesByProject.get(projectId)!,
			pageSize: page.pageSize,
			pageToken: page.pageToken,
			filter: active
				? (d) =>
						(filters.include_deleted || d.deleted_at === null) &&
						(filters.name === undefined || d.name === filters.name) &&
						(types === null || types.has(d.type))
				: undefined,
		});
	}

	updateDirectory(
		projectId: string,
		id: string,
		patch: { name?: string | null; description?: string | null },
	): DirectoryRecord {
		const directory = this.getDirectory(projectId, id);
		if (patch.name != null) directory.name = patch.name;
		// An explicit null clears the description; an absent key leaves it.
		if (patch.description !== undefined) directory.description = patch.description;
		directory.updated_at = this.now().iso;
		return directory;
	}

	/** Permanent, with the directory's files; refused for an index's output directory. */
	deleteDirectory(projectId: string, id: string): void {
		const directory = this.getDirectory(projectId, id);
		const owner = [...this.indexes.values()].find((i) => i.output_directory_id === id);
		if (owner) {
			throw HttpError.conflict(
				`Directory ${id} is the output directory of index ${owner.id}; delete the index instead`,
			);
		}
		this.removeDirectory(directory);
	}

	private removeDirectory(directory: DirectoryRecord): void {
		const files = this.filesByDirectory.get(directory.id);
		if (files) for (const file of files.sorted.toArray()) this.files.delete(file.id);
		this.filesByDirectory.delete(directory.id);
		this.directoriesByProject.get(directory.project_id)!.remove(directory);
		this.directories.delete(directory.id);
		this.onFilesChanged(directory.id);
	}

	// -------------------------------------------------------------------------------------------
	// Directory files

	private filesOf(directoryId: string): DirectoryFiles {
		return this.filesByDirectory.get(directoryId)!;
	}

	/** `POST …/files`: a directory entry for an existing stored file. */
	addFile(
		projectId: string,
		directoryId: string,
		input: {
			file_id: string;
			display_name?: string | null;
			unique_id?: string | null;
			metadata?: Metadata | null;
		},
	): DirectoryFileRecord {
		const directory = this.getDirectory(projectId, directoryId);
		const blob = this.getBlob(projectId, input.file_id);
		return this.addOrReplace(directory, {
			file_id: blob.id,
			display_name: input.display_name ?? blob.name,
			// "If not provided, will use the file's external_file_id or name."
			unique_id: input.unique_id ?? blob.external_file_id ?? blob.name,
			metadata: input.metadata ?? {},
		});
	}

	/**
	 * Throws the 409 a new file with this unique_id would get under the `conflict` variant
	 * (uploads check before storing the bytes).
	 */
	assertUniqueIdFree(directory: DirectoryRecord, uniqueId: string): void {
		if (this.quirks.duplicateUniqueId !== 'conflict') return;
		if (this.filesOf(directory.id).holders(uniqueId).length > 0)
			throw conflict(uniqueId, directory.id);
	}

	/**
	 * A new file (add, upload) under the `duplicateUniqueId` variant: a taken unique_id answers
	 * 409 (`conflict`), updates the live file holding it in place, keeping its id (`replace`), or
	 * is ignored and a second file is made (`keep_both`).
	 */
	addOrReplace(directory: DirectoryRecord, fields: NewFileFields): DirectoryFileRecord {
		const holder = this.filesOf(directory.id).holders(fields.unique_id).at(-1);
		if (holder && this.quirks.duplicateUniqueId === 'replace') {
			return this.rewrite(holder, () => {
				holder.file_id = fields.file_id;
				holder.display_name = fields.display_name;
				holder.metadata = fields.metadata;
			});
		}
		return this.insertFile(directory, fields);
	}

	insertFile(
		directory: DirectoryRecord,
		fields: NewFileFields,
		at: Stamp = this.now(),
	): DirectoryFileRecord {
		const files = this.filesOf(directory.id);
		if (files.holders(fields.unique_id).length > 0 && this.quirks.duplicateUniqueId !== 'keep_both')
			throw conflict(fields.unique_id, directory.id);
		const file: DirectoryFileRecord = {
			id: newId(ID_PREFIX.directoryFile),
			directory_id: directory.id,
			project_id: directory.project_id,
			display_name: fields.display_name,
			unique_id: fields.unique_id,
			file_id: fields.file_id,
			metadata: fields.metadata,
			created_at: at.iso,
			updated_at: at.iso,
			deleted_at: null,
			updatedMs: at.ms,
		};
		this.files.set(file.id, file);
		files.sorted.insert(file);
		files.addLive(file);
		this.onFilesChanged(directory.id);
		return file;
	}

	/** Changes a live file in place and bumps its updated_at (its list position follows). */
	private rewrite(file: DirectoryFileRecord, change: () => void): DirectoryFileRecord {
		const files = this.filesOf(file.directory_id);
		files.sorted.remove(file); // before its key (updated_at) changes
		files.removeLive(file);
		change();
		this.touch(file);
		files.sorted.insert(file);
		files.addLive(file);
		this.onFilesChanged(file.directory_id);
		return file;
	}

	/** A non-deleted file of a directory (soft-deleted files answer 404 here; list them instead). */
	getFile(projectId: string, directoryId: string, fileId: string): DirectoryFileRecord {
		this.getDirectory(projectId, directoryId);
		const file = this.files.get(fileId);
		if (!file || file.directory_id !== directoryId || file.deleted_at !== null) {
			throw HttpError.notFound(`Directory file ${fileId} not found`);
		}
		return file;
	}

	listFiles(
		projectId: string,
		directoryId: string,
		filters: FileFilters,
		page: PageRequest,
	): Page<DirectoryFileRecord> {
		this.getDirectory(projectId, directoryId);
		const files = this.filesOf(directoryId);
		const { sorted } = files;
		// The list is sorted by updated_at, so the updated_at filters are a binary search.
		const start =
			filters.updated_at_on_or_after === undefined
				? 0
				: sorted.firstAtOrAfter(filters.updated_at_on_or_after);
		const end =
			filters.updated_at_on_or_before === undefined
				? sorted.length
				: sorted.endAtOrBefore(filters.updated_at_on_or_before);
		const contains = filters.display_name_contains?.toLowerCase();
		const needsFilter =
			!filters.include_deleted ||
			filters.display_name !== undefined ||
			contains !== undefined ||
			filters.file_id !== undefined ||
			filters.unique_id !== undefined;
		const filter = needsFilter
			? (f: DirectoryFileRecord) =>
					(filters.include_deleted || f.deleted_at === null) &&
					(filters.unique_id === undefined || f.unique_id === filters.unique_id) &&
					(filters.display_name === undefined || f.display_name === filters.display_name) &&
					(contains === undefined || f.display_name.toLowerCase().includes(contains)) &&
					(filters.file_id === undefined || f.file_id === filters.file_id)
			: undefined;

		// Fast path for "the live files with this unique_id" (upsert flows ask it per file).
		if (filters.unique_id !== undefined && !filters.include_deleted) {
			const hits = new Set(
				files.holders(filters.unique_id).filter((hit) => {
					const index = sorted.lowerBound(fileKey(hit));
					return index >= start && index < end && filter!(hit);
				}),
			);
			const range = [...hits].map((hit) => sorted.lowerBound(fileKey(hit)));
			return this.page({
				kind: 'files',
				list: sorted,
				pageSize: page.pageSize,
				pageToken: page.pageToken,
				filter: (f) => hits.has(f),
				start: range.length ? Math.min(...range) : 0,
				end: range.length ? Math.max(...range) + 1 : 0,
			});
		}

		return this.page({
			kind: 'files',
			list: sorted,
			pageSize: page.pageSize,
			pageToken: page.pageToken,
			filter,
			start,
			end,
		});
	}

	/**
	 * One page of a list: the sorted list's own keyset by default, or every match sorted and cut
	 * the way the `listOrder` / `pageTokens` variants say.
	 */
	private page<T extends { id: string; created_at: string }>(options: PageOptions<T>): Page<T> {
		const { listOrder, pageTokens } = this.quirks;
		if (listOrder === 'updated' && pageTokens === 'keyset') return paginate(options);
		const all = paginate({ ...options, pageSize: Infinity, pageToken: undefined }).items;
		const order: Ordered<T> =
			listOrder === 'updated'
				? { keyOf: (item) => options.list.keyOf(item), reverse: false }
				: createdOrder(listOrder === 'newest_first');
		return pageInOrder(all, order, {
			kind: options.kind,
			pageSize: options.pageSize,
			pageToken: options.pageToken,
			tokens: pageTokens,
		});
	}

	/**
	 * `PATCH …/files/{id}`: rename, re-key, replace metadata, or move to another directory. A
	 * unique_id another live file of the target holds answers 409, unless the `keep_both`
	 * variant lets both be.
	 */
	updateFile(
		projectId: string,
		directoryId: string,
		fileId: string,
		patch: {
			target_directory_id?: string | null;
			display_name?: string | null;
			unique_id?: string | null;
			metadata?: Metadata | null;
		},
	): DirectoryFileRecord {
		const file = this.getFile(projectId, directoryId, fileId);
		const target = patch.target_directory_id
			? this.getDirectory(projectId, patch.target_directory_id)
			: this.directories.get(directoryId)!;
		const uniqueId = patch.unique_id ?? file.unique_id;
		const taken = this.filesOf(target.id)
			.holders(uniqueId)
			.some((holder) => holder !== file);
		if (taken && this.quirks.duplicateUniqueId !== 'keep_both') throw conflict(uniqueId, target.id);

		const from = this.filesOf(directoryId);
		const to = this.filesOf(target.id);
		from.sorted.remove(file); // before its key (updated_at) changes
		from.removeLive(file);
		if (patch.display_name != null) file.display_name = patch.display_name;
		if (patch.metadata != null) file.metadata = patch.metadata; // replaces the user layer
		file.unique_id = uniqueId;
		file.directory_id = target.id;
		this.touch(file);
		to.sorted.insert(file);
		to.addLive(file);
		this.onFilesChanged(directoryId);
		if (target.id !== directoryId) this.onFilesChanged(target.id);
		return file;
	}

	/** Soft delete: sets deleted_at, frees the unique_id, bumps updated_at (unless a variant says not). */
	deleteFile(projectId: string, directoryId: string, fileId: string): void {
		this.softDelete(this.getFile(projectId, directoryId, fileId));
	}

	softDelete(file: DirectoryFileRecord): void {
		const files = this.filesOf(file.directory_id);
		files.removeLive(file);
		if (this.quirks.softDelete === 'touch') {
			files.sorted.remove(file);
			this.touch(file);
			file.deleted_at = file.updated_at;
			files.sorted.insert(file);
		} else {
			file.deleted_at = this.now().iso; // updated_at and the list position stay
		}
		this.onFilesChanged(file.directory_id);
	}

	private touch(file: DirectoryFileRecord): void {
		const now = this.now();
		file.updated_at = now.iso;
		file.updatedMs = now.ms;
	}

	/** Live files of a directory, in list order (what an index build reads). */
	liveFiles(directoryId: string): DirectoryFileRecord[] {
		const files = this.filesByDirectory.get(directoryId);
		return files ? files.sorted.toArray().filter((f) => f.deleted_at === null) : [];
	}

	// -------------------------------------------------------------------------------------------
	// Stored files (blobs)

	createBlob(
		projectId: string,
		input: {
			name: string;
			external_file_id?: string | null;
			purpose?: string | null;
			size: number;
			sha256: string;
			path?: string | null;
			content?: Buffer | null;
		},
		at: Stamp = this.now(),
	): BlobRecord {
		const blob: BlobRecord = {
			// Stored files are addressed by UUID (`/api/v1/beta/files/{file_id}` is a uuid in the spec).
			id: randomUUID(),
			project_id: projectId,
			name: input.name,
			external_file_id: input.external_file_id ?? null,
			purpose: input.purpose ?? null,
			file_type: fileTypeOf(input.name),
			size: input.size,
			sha256: input.sha256,
			path: input.path ?? null,
			content: input.content ?? null,
			created_at: at.iso,
			updated_at: at.iso,
		};
		this.blobs.set(blob.id, blob);
		return blob;
	}

	/** An in-memory blob (index chunks, seeded files). */
	createBlobFromContent(projectId: string, name: string, content: Buffer, at?: Stamp): BlobRecord {
		const sha256 = createHash('sha256').update(content).digest('hex');
		return this.createBlob(
			projectId,
			{ name, size: content.length, sha256, content, purpose: 'user_data' },
			at,
		);
	}

	getBlob(projectId: string, id: string): BlobRecord {
		const blob = this.blobs.get(id);
		if (!blob || blob.project_id !== projectId) throw HttpError.notFound(`File ${id} not found`);
		return blob;
	}

	findBlob(id: string): BlobRecord | undefined {
		return this.blobs.get(id);
	}

	openBlob(blob: BlobRecord): Readable {
		if (blob.path) return createReadStream(blob.path);
		return Readable.from(blob.content ? [blob.content] : []);
	}

	trackUpload(upload: ActiveUpload): () => void {
		this.uploads.add(upload);
		return () => this.uploads.delete(upload);
	}

	activeUploads(): ActiveUpload[] {
		return [...this.uploads].map((u) => ({ ...u }));
	}

	// -------------------------------------------------------------------------------------------
	// Indexes

	createIndex(projectId: string, input: CreateIndexInput): IndexRecord {
		const source = this.getDirectory(projectId, input.source_directory_id);
		const name = input.name ?? source.name;
		const output = this.createDirectory(projectId, {
			name: `${name} (index output)`,
			description: `Parsed files of ${source.id}, written by index builds`,
			type: 'index',
		});
		const now = this.now();
		const index: IndexRecord = {
			id: newId(ID_PREFIX.index),
			project_id: projectId,
			name,
			description: input.description ?? null,
			source_directory_id: source.id,
			output_directory_id: output.id,
			export_config_id: newId(ID_PREFIX.exportConfig),
			sync_config_id: newId(ID_PREFIX.syncConfig),
			products: input.products ?? null,
			store_attachments: input.store_attachments ?? null,
			sync_frequency: input.sync_frequency,
			vector_target: input.vector_target,
			metadata: {
				status: BUILD_STATUS.queued,
				error_message: null,
				diagnostics: [],
				pending_sync: false,
				build_number: 0,
				queued_at: null,
				started_at: null,
				finished_at: null,
				files_total: 0,
				files_parsed: 0,
				files_unchanged: 0,
				files_failed: 0,
				files_removed: 0,
				chunks_total: 0,
				diagnostics_truncated: false,
			},
			last_synced_at: null,
			last_exported_at: null,
			created_at: now.iso,
			updated_at: now.iso,
			createdMs: now.ms,
			built: new Map(),
		};
		this.indexes.set(index.id, index);
		this.indexesByExportConfig.set(index.export_config_id, index);
		this.indexesByProject.get(projectId)!.insert(index);
		return index;
	}

	/** An index by the id the `indexIds` variant accepts: its id, its export_config_id, or either. */
	getIndex(projectId: string, id: string): IndexRecord {
		const mode = this.quirks.indexIds;
		const index =
			(mode !== 'export_config_id' ? this.indexes.get(id) : undefined) ??
			(mode !== 'id' ? this.indexesByExportConfig.get(id) : undefined);
		if (!index || index.project_id !== projectId) throw HttpError.notFound(`Index ${id} not found`);
		return index;
	}

	findIndex(id: string): IndexRecord | undefined {
		return this.indexes.get(id);
	}

	listIndexes(
		projectId: string,
		filters: { source_directory_id?: string },
		page: PageRequest,
	): Page<IndexRecord> {
		const source = filters.source_directory_id;
		return this.page({
			kind: 'indexes',
			list: this.indexesByProject.get(projectId)!,
			pageSize: page.pageSize,
			pageToken: page.pageToken,
			filter: source === undefined ? undefined : (i) => i.source_directory_id === source,
		});
	}

	indexesWithSource(directoryId: string): IndexRecord[] {
		return [...this.indexes.values()].filter((i) => i.source_directory_id === directoryId);
	}

	/** Merges build metadata and bumps updated_at. */
	updateIndexMetadata(
		index: IndexRecord,
		patch: Partial<IndexBuildMetadata>,
		extra: Partial<Pick<IndexRecord, 'last_synced_at' | 'last_exported_at'>> = {},
	): void {
		index.metadata = { ...index.metadata, ...patch };
		Object.assign(index, extra);
		index.updated_at = this.now().iso;
	}

	/**
	 * Deletes the index, and its output directory unless the `indexDeleteCascade` variant keeps
	 * it (then it is an ordinary directory, deletable like any other).
	 */
	deleteIndex(index: IndexRecord): void {
		this.indexes.delete(index.id);
		this.indexesByExportConfig.delete(index.export_config_id);
		this.indexesByProject.get(index.project_id)!.remove(index);
		const output = this.directories.get(index.output_directory_id);
		if (output && this.quirks.indexDeleteCascade === 'output_directory')
			this.removeDirectory(output);
	}

	// -------------------------------------------------------------------------------------------
	// Inspection and seeding (tests, benchmarks)

	allDirectories(projectId?: string): DirectoryRecord[] {
		if (projectId) return this.directoriesByProject.get(projectId)?.toArray() ?? [];
		return [...this.directoriesByProject.values()].flatMap((list) => list.toArray());
	}

	findDirectory(id: string): DirectoryRecord | undefined {
		return this.directories.get(id);
	}

	/** Files of a directory in list order, deleted ones included unless asked otherwise. */
	allFiles(directoryId: string, includeDeleted = true): DirectoryFileRecord[] {
		const list = this.filesByDirectory.get(directoryId)?.sorted.toArray() ?? [];
		return includeDeleted ? list : list.filter((f) => f.deleted_at === null);
	}

	findFile(id: string): DirectoryFileRecord | undefined {
		return this.files.get(id);
	}

	allBlobs(): BlobRecord[] {
		return [...this.blobs.values()];
	}

	allIndexes(projectId?: string): IndexRecord[] {
		if (projectId) return this.indexesByProject.get(projectId)?.toArray() ?? [];
		return [...this.indexesByProject.values()].flatMap((list) => list.toArray());
	}

	/** Inserts `count` files without HTTP (one sort for all, not one insert each). */
	seedFiles(
		directoryId: string,
		count: number,
		options: SeedFilesOptions = {},
	): DirectoryFileRecord[] {
		const directory = this.directories.get(directoryId);
		if (!directory) throw new Error(`Directory ${directoryId} not found`);
		const files = this.filesOf(directoryId);
		const pad = (i: number) => String(i).padStart(Math.max(6, String(count).length), '0');
		const displayName = options.displayName ?? ((i: number) => `seed-${pad(i)}.txt`);
		const uniqueId = options.uniqueId ?? displayName;
		const content = options.content ?? 'Seed file\n';
		// A shared content makes one blob for all files: 100,000 files stay cheap.
		const shared =
			typeof content === 'function'
				? null
				: this.createBlobFromContent(directory.project_id, 'seed.txt', Buffer.from(content));
		const now = this.now();

		const created: DirectoryFileRecord[] = [];
		const seen = new Set<string>();
		let at = now;
		for (let i = 0; i < count; i++) {
			const unique = uniqueId(i);
			if (files.holders(unique).length > 0 || seen.has(unique))
				throw new Error(`seedFiles: unique_id '${unique}' already exists in ${directoryId}`);
			seen.add(unique);
			const ms =
				typeof options.updatedAtMs === 'function'
					? options.updatedAtMs(i)
					: (options.updatedAtMs ?? now.ms);
			if (ms !== at.ms) at = stampOf(ms); // most seeds share one timestamp: format it once
			const name = displayName(i);
			const blob =
				shared ??
				this.createBlobFromContent(
					directory.project_id,
					name,
					Buffer.from((content as (i: number) => string | Buffer)(i)),
					at,
				);
			const file: DirectoryFileRecord = {
				id: newId(ID_PREFIX.directoryFile),
				directory_id: directoryId,
				project_id: directory.project_id,
				display_name: name,
				unique_id: unique,
				file_id: blob.id,
				metadata: options.metadata?.(i) ?? {},
				created_at: at.iso,
				updated_at: at.iso,
				deleted_at: null,
				updatedMs: at.ms,
			};
			this.files.set(file.id, file);
			files.addLive(file);
			created.push(file);
		}
		files.sorted.insertMany(created);
		this.onFilesChanged(directoryId);
		return created;
	}
}

/** Deletes blob files left on disk (best effort: the temp folder goes away on close anyway). */
export async function removeFiles(paths: string[]): Promise<void> {
	await Promise.all(paths.map((p) => rm(p, { force: true })));
}
