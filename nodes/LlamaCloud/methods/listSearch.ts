/**
 * "From List" searches of the resource locators: one API page per call, cursor passed through.
 * The editor shows an entry's name and, on hover, its link; so the name carries what tells
 * twins apart (two indexes called "Contracts"): a short ID, the creation time and, for an
 * index, its source directory.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { retryPolicyOf } from '../descriptions/requestOptions.description';
import type { ListPage } from '../helpers/interfaces';
import { apiPath, apiRequest, appProjectUrl, CREDENTIAL_TYPE } from '../transport';

const PAGE_SIZE = 50;

type Labeller = (
	ctx: ILoadOptionsFunctions,
	items: IDataObject[],
) => Promise<Array<{ name: string; details: string[] }>>;

/** "idx-04c5e70e-af17-…" → "idx-04c5e70e": enough to tell IDs apart at a glance. */
export function shortId(id: unknown): string {
	const text = String(id ?? '');
	const match = /^([a-z]+-)?[0-9a-f]{8}/i.exec(text);
	return match ? match[0] : text.slice(0, 12);
}

/** "2026-12-01 20:32 UTC", or nothing for a missing or unreadable time. */
export function createdLabel(value: unknown): string | undefined {
	const ms = typeof value === 'string' ? Date.parse(value) : NaN;
	if (Number.isNaN(ms)) return undefined;
	return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "Contracts · over “Archive” · 2026-12-01 20:32 UTC · idx-04c5e70e". */
function entry(
	credentials: ICredentialDataDecryptedObject,
	item: IDataObject,
	label: { name: string; details: string[] },
): INodeListSearchItems {
	// What tells twins apart first: the editor cuts long names short.
	const details = [...label.details, createdLabel(item.created_at), shortId(item.id)];
	return {
		name: [label.name, ...details.filter(Boolean)].join(' · '),
		value: String(item.id),
		url: appProjectUrl(credentials, item.project_id),
	};
}

async function listPage(
	ctx: ILoadOptionsFunctions,
	path: string,
	qs: IDataObject,
	paginationToken: string | undefined,
): Promise<ListPage<IDataObject>> {
	return await apiRequest.call<
		ILoadOptionsFunctions,
		Parameters<typeof apiRequest>,
		Promise<ListPage<IDataObject>>
	>(ctx, {
		method: 'GET',
		path,
		qs: { ...qs, page_size: PAGE_SIZE, page_token: paginationToken },
		policy: retryPolicyOf(ctx),
		expect: 'page',
	});
}

/** Case-insensitive "contains" on the current page: these lists filter by exact name only. */
const contains = (text: unknown, filter?: string) =>
	!filter ||
	String(text ?? '')
		.toLowerCase()
		.includes(filter.toLowerCase());

/** A search over one list: a page, filtered client-side by name or ID, labelled. */
function search(
	path: (ctx: ILoadOptionsFunctions) => string | undefined,
	label: Labeller,
	query: (filter?: string) => IDataObject = () => ({}),
	filterLocally = true,
) {
	return async function (
		this: ILoadOptionsFunctions,
		filter?: string,
		paginationToken?: string,
	): Promise<INodeListSearchResult> {
		const listPath = path(this);
		if (!listPath) return { results: [] };
		const page = await listPage(this, listPath, query(filter), paginationToken);
		const items = (page.items ?? []).filter(
			(item) =>
				!filterLocally ||
				contains(item.name ?? item.display_name, filter) ||
				contains(item.id, filter),
		);
		const credentials = await this.getCredentials(CREDENTIAL_TYPE);
		const labels = await label(this, items);
		return {
			results: items.map((item, n) => entry(credentials, item, labels[n])),
			paginationToken: page.next_page_token || undefined,
		};
	};
}

const DIRECTORIES = '/api/v1/beta/directories';

const directoryLabels: Labeller = async (_ctx, items) =>
	items.map((d) => ({
		name: String(d.name ?? d.id),
		details: d.type === 'index' ? ['index output'] : [],
	}));

/** Names of the source directories of a page of indexes (an ID when one cannot be read). */
const indexLabels: Labeller = async (ctx, items) => {
	const ids = [...new Set(items.map((i) => String(i.source_directory_id ?? '')).filter(Boolean))];
	const names = new Map<string, string>();
	await Promise.all(
		ids.map(async (id) => {
			try {
				const directory = (await apiRequest.call(ctx, {
					method: 'GET',
					path: apiPath`/api/v1/beta/directories/${id}`,
					policy: { ...retryPolicyOf(ctx), maxTries: 1 },
				})) as IDataObject;
				if (typeof directory.name === 'string') names.set(id, directory.name);
			} catch {
				// A label only: the ID stands in for the name.
			}
		}),
	);
	return items.map((index) => {
		const source = String(index.source_directory_id ?? '');
		const over = names.has(source) ? `“${names.get(source)}”` : shortId(source);
		return { name: String(index.name ?? index.id), details: source ? [`over ${over}`] : [] };
	});
};

const fileLabels: Labeller = async (_ctx, items) =>
	items.map((f) => {
		const name = String(f.display_name ?? f.id);
		const uniqueId = typeof f.unique_id === 'string' ? f.unique_id : '';
		return { name, details: uniqueId && uniqueId !== name ? [uniqueId] : [] };
	});

export const searchDirectories = search(() => DIRECTORIES, directoryLabels);

/** Directories people upload into: index output directories hold an index's chunks. */
export const searchUserDirectories = search(
	() => DIRECTORIES,
	directoryLabels,
	() => ({
		types: 'user',
	}),
);

export const searchIndexes = search(() => '/api/v1/indexes', indexLabels);

export const searchFiles = search(
	(ctx) => {
		const directoryId = ctx.getCurrentNodeParameter('directoryId', { extractValue: true }) as
			string | undefined;
		return directoryId ? apiPath`/api/v1/beta/directories/${directoryId}/files` : undefined;
	},
	fileLabels,
	(filter) => (filter ? { display_name_contains: filter } : {}),
	false,
);
