/**
 * Where requests go and as whom: the credential type, LlamaCloud's regions (one table, read by
 * the node, the credential and its test), the checks of a custom base URL, and the
 * project/organization scope every request carries.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { redact } from './errors';

export const CREDENTIAL_TYPE = 'llamaCloudIngestApi';

/** Every context the package sends requests from. */
export type RequestContext =
	| IExecuteFunctions
	| IExecuteSingleFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IHookFunctions;

/** LlamaCloud's regions; the first is the default. A key works only in the region it was created in. */
export const REGIONS = [
	{
		name: 'US',
		value: 'us',
		baseUrl: 'https://api.cloud.llamaindex.ai',
		appUrl: 'https://cloud.llamaindex.ai',
	},
	{
		name: 'EU',
		value: 'eu',
		baseUrl: 'https://api.cloud.eu.llamaindex.ai',
		appUrl: 'https://cloud.eu.llamaindex.ai',
	},
] as const;

/**
 * Where a project opens in the LlamaCloud web app, for "open" links in pickers. UNVERIFIED
 * beyond the project page: the web app's addresses are not part of the API, and no public source
 * gives one for an Index v2 directory or index, so links go to the object's project (the
 * picker's label names the object). None for a custom base URL: its web app is unknown.
 */
export function appProjectUrl(
	credentials: ICredentialDataDecryptedObject,
	projectId: unknown,
): string | undefined {
	const region = REGIONS.find((r) => r.value === credentials.region);
	if (!region || typeof projectId !== 'string' || !projectId) return undefined;
	return `${region.appUrl}/project/${encodeURIComponent(projectId)}`;
}

/** The credential's "Region" value for a base URL of one's own (the emulator, a proxy). */
export const CUSTOM_REGION = 'custom';

export const REGION_BASE_URLS: Record<string, string> = Object.fromEntries(
	REGIONS.map((region) => [region.value, region.baseUrl]),
);

/** `$credentials.region === "eu" ? "https://…eu…" : "https://…us…"`, from the table. */
const regionChoice = REGIONS.slice(1).reduceRight(
	(otherwise: string, region) =>
		`$credentials.region === "${region.value}" ? "${region.baseUrl}" : ${otherwise}`,
	`"${REGIONS[0].baseUrl}"`,
);

/**
 * The base URL as an n8n expression, for the node's requestDefaults and the credential test:
 * the two agree. A custom base URL loses surrounding white space, trailing slashes and a
 * trailing /api/v1 (the path the API reference shows after the host: what the user means is
 * clear, and the credential test has no way to say anything but "not found" about it); the
 * node's preSend (`prepareRoutedRequest`) then validates it, naming what is wrong.
 */
export const BASE_URL_EXPRESSION = `={{$credentials.region === "${CUSTOM_REGION}" ? String($credentials.baseUrl || "").trim().replace(/\\/+$/, "").replace(/\\/api\\/v1$/i, "") : (${regionChoice})}}`;

/** The scope query of the credential test, as expressions: an undefined value is left out. */
export const SCOPE_QUERY_EXPRESSIONS = {
	project_id: '={{$credentials.projectId ? $credentials.projectId.trim() : undefined}}',
	organization_id:
		'={{$credentials.organizationId ? $credentials.organizationId.trim() : undefined}}',
};

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The API origin for a credential, or what is wrong with it (callers name the item). */
export function resolveBaseUrl(
	credentials: ICredentialDataDecryptedObject,
): { url: string } | { problem: string } {
	const region = String(credentials.region ?? REGIONS[0].value);
	if (region === CUSTOM_REGION) return checkBaseUrl(String(credentials.baseUrl ?? ''));
	const url = REGION_BASE_URLS[region];
	return url ? { url } : { problem: `Unknown region "${region}" in the LlamaCloud API credential` };
}

/** Checks a custom base URL: an http(s) origin (a trailing /api/v1 is dropped), no other path, http only locally. */
export function checkBaseUrl(raw: string): { url: string } | { problem: string } {
	const value = withoutUserInfo(
		raw
			.trim()
			.replace(/\/+$/, '')
			.replace(/\/api\/v1$/i, ''),
	);
	const hint = 'Expected an origin such as https://api.cloud.llamaindex.ai';
	const problem = (text: string) => ({ problem: `The credential's Base URL ${text}` });
	if (!value) return problem(`is empty. ${hint}`);
	if (!URL.canParse(value)) return problem(`"${value}" is not a valid URL. ${hint}`);
	const url = new URL(value);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return problem(`"${value}" must start with https:// (or http:// for localhost)`);
	}
	if (url.pathname !== '/' && url.pathname !== '')
		return problem(`"${value}" must not contain a path. ${hint}`);
	if (url.search || url.hash || url.username || url.password || /\/\/[^/]*@/.test(raw)) {
		return problem(`"${value}" must not contain a query, fragment or user info. ${hint}`);
	}
	if (url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname)) {
		return problem(`"${value}" uses plain http, which is only allowed for localhost; use https://`);
	}
	return { url: `${url.protocol}//${url.host}` };
}

/**
 * The credential test's path: with a Project ID, that project (which proves the ID, not only
 * the key: the list takes no project_id and would ignore it); without, the key's projects.
 */
export const CREDENTIAL_TEST_URL_EXPRESSION =
	'={{$credentials.projectId && String($credentials.projectId).trim() ? "/api/v1/projects/" + encodeURIComponent(String($credentials.projectId).trim()) : "/api/v1/projects"}}';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What is wrong with the credential's Project ID or Organization ID (the API takes UUIDs only). */
export function checkScope(credentials: ICredentialDataDecryptedObject): string | undefined {
	for (const [field, value] of [
		['Project ID', credentials.projectId],
		['Organization ID', credentials.organizationId],
	] as const) {
		const text = String(value ?? '').trim();
		if (text && !UUID.test(text))
			return `The credential's ${field} "${text.slice(0, 60)}" is not a UUID (LlamaCloud IDs look like 3fa85f64-5717-4562-b3fc-2c963f66afa6)`;
	}
	return undefined;
}

/** The URL as it may be shown: user info (a password, a key) replaced by "…@". */
function withoutUserInfo(value: string): string {
	return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1…@');
}

/** project_id / organization_id query parameters, only those that are set. */
export function scopeQuery(credentials: ICredentialDataDecryptedObject): IDataObject {
	const qs: IDataObject = {};
	const projectId = String(credentials.projectId ?? '').trim();
	const organizationId = String(credentials.organizationId ?? '').trim();
	if (projectId) qs.project_id = projectId;
	if (organizationId) qs.organization_id = organizationId;
	return qs;
}

/** Credentials and resolved base URL for a context; a bad base URL becomes a NodeOperationError. */
export async function connection(
	ctx: RequestContext,
	itemIndex?: number,
): Promise<{ credentials: ICredentialDataDecryptedObject; baseUrl: string }> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const resolved = resolveBaseUrl(credentials);
	const scopeProblem = checkScope(credentials);
	if ('problem' in resolved || scopeProblem) {
		// The key itself, pasted into the URL, must not come back in the message.
		const problem = redact(
			'problem' in resolved ? resolved.problem : (scopeProblem ?? ''),
			credentials.apiKey,
		);
		const item = itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
		throw new NodeOperationError(ctx.getNode(), `${problem}${item}`, { itemIndex });
	}
	return { credentials, baseUrl: resolved.url };
}
