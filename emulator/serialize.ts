/** Store records → API objects (only the fields the spec shows). */
import { BUILD_STATUS, type IndexBuildMetadata } from './buildState';
import type { EmulatorQuirks } from './http';
import type { Directory, DirectoryFile, Index, Page, Project, StoredFile } from './schemas';
import type {
	BlobRecord,
	DirectoryFileRecord,
	DirectoryRecord,
	IndexRecord,
	ProjectRecord,
} from './store';

export function toDirectory(d: DirectoryRecord): Directory {
	return {
		id: d.id,
		name: d.name,
		project_id: d.project_id,
		created_at: d.created_at,
		deleted_at: d.deleted_at,
		description: d.description,
		updated_at: d.updated_at,
		type: d.type,
		connector_subscription_id: d.connector_subscription_id,
		expires_at: d.expires_at,
		system_metadata: d.system_metadata,
	};
}

export function toDirectoryFile(f: DirectoryFileRecord): DirectoryFile {
	return {
		id: f.id,
		directory_id: f.directory_id,
		display_name: f.display_name,
		project_id: f.project_id,
		unique_id: f.unique_id,
		created_at: f.created_at,
		deleted_at: f.deleted_at,
		file_id: f.file_id,
		metadata: { ...f.metadata },
		updated_at: f.updated_at,
	};
}

/** Intermediate statuses under the `buildStatuses: other` variant: names no client knows. */
const OTHER_STATUS_NAMES: Record<string, string> = {
	[BUILD_STATUS.queued]: 'pending',
	[BUILD_STATUS.running]: 'syncing',
};

/**
 * `index.metadata` as the variants show it: the status (renamed, or absent while a build is in
 * progress), the failure reason, and with `detailed` the emulator's own counters and diagnostics.
 */
export function indexMetadataView(
	metadata: IndexBuildMetadata,
	quirks: Pick<EmulatorQuirks, 'buildStatuses' | 'buildMetadata'>,
): Record<string, unknown> {
	const terminal =
		metadata.status === BUILD_STATUS.ready || metadata.status === BUILD_STATUS.failed;
	const view: Record<string, unknown> =
		quirks.buildMetadata === 'detailed'
			? structuredClone(metadata)
			: metadata.status === BUILD_STATUS.failed
				? { status: metadata.status, error_message: metadata.error_message }
				: { status: metadata.status };
	if (quirks.buildMetadata === 'minimal' && metadata.status !== BUILD_STATUS.failed)
		delete view.error_message;
	if (!terminal && quirks.buildStatuses === 'absent') delete view.status;
	if (!terminal && quirks.buildStatuses === 'other')
		view.status = OTHER_STATUS_NAMES[metadata.status];
	return view;
}

export function toIndex(
	i: IndexRecord,
	quirks: Pick<EmulatorQuirks, 'buildStatuses' | 'buildMetadata'>,
): Index {
	return {
		id: i.id,
		export_config_id: i.export_config_id,
		name: i.name,
		project_id: i.project_id,
		source_directory_id: i.source_directory_id,
		sync_config_id: i.sync_config_id,
		created_at: i.created_at,
		description: i.description,
		last_exported_at: i.last_exported_at,
		last_synced_at: i.last_synced_at,
		metadata: indexMetadataView(i.metadata, quirks),
		updated_at: i.updated_at,
		output_directory_id: i.output_directory_id,
	};
}

export function toProject(p: ProjectRecord): Project {
	return {
		id: p.id,
		name: p.name,
		organization_id: p.organization_id,
		created_at: p.created_at,
		updated_at: p.updated_at,
		is_default: p.is_default,
	};
}

export function toStoredFile(b: BlobRecord): StoredFile {
	return {
		id: b.id,
		name: b.name,
		project_id: b.project_id,
		external_file_id: b.external_file_id,
		file_type: b.file_type,
		purpose: b.purpose,
		last_modified_at: b.updated_at,
		expires_at: null,
	};
}

export function toPage<R, T>(page: Page<R>, map: (record: R) => T): Page<T> {
	return {
		items: page.items.map(map),
		next_page_token: page.next_page_token,
		total_size: page.total_size,
	};
}
