import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import {
	BASE_URL_EXPRESSION,
	CUSTOM_REGION,
	REGIONS,
	CREDENTIAL_TEST_URL_EXPRESSION,
	SCOPE_QUERY_EXPRESSIONS,
} from '../nodes/LlamaCloud/transport/connection';

/**
 * Bearer key for LlamaCloud plus where it lives (region or custom base URL) and, optionally,
 * which project/organization every request is scoped to.
 *
 * The type name is deliberately not `llamaCloudApi` / `llamaParseApi` (the official package's),
 * so both packages can be installed side by side.
 */
export class LlamaCloudIngestApi implements ICredentialType {
	name = 'llamaCloudIngestApi';

	displayName = 'LlamaCloud API';

	icon: Icon = { light: 'file:../icons/llamacloud.svg', dark: 'file:../icons/llamacloud.dark.svg' };

	documentationUrl = 'https://docs.cloud.llamaindex.ai/';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'llx-...',
			description:
				'A LlamaCloud API key, from the LlamaCloud web app under API Keys. Keys belong to one region and one project.',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				...REGIONS.map(({ name, value, baseUrl }) => ({ name, value, description: baseUrl })),
				{ name: 'Custom Base URL', value: CUSTOM_REGION },
			],
			default: REGIONS[0].value,
			description:
				'Where the key was created. A key used in the wrong region is rejected with 401.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: REGIONS[0].baseUrl,
			required: true,
			displayOptions: { show: { region: [CUSTOM_REGION] } },
			description:
				'Origin of the API, e.g. https://api.cloud.llamaindex.ai (a trailing /api/v1 is dropped). Plain http is allowed only for localhost (for example the bundled emulator).',
			hint: 'If the connection test reports ECONNREFUSED, nothing accepts connections at this host and port; ENOTFOUND: the host name does not resolve.',
		},
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6',
			description:
				"Optional, a UUID. Sent as project_id on every request; leave empty to use the key's default project.",
		},
		{
			displayName: 'Organization ID',
			name: 'organizationId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6',
			description: 'Optional, a UUID. Sent as organization_id on every request.',
		},
	];

	// Only the key is applied here: a generic credential sends every qs entry, even an empty
	// one (project_id=), so the node adds the scope itself when it is set (transport/connection.ts).
	// The generic form (not a function) is what makes n8n offer "Custom API Call" and the HTTP
	// Request node this credential. The key is trimmed: one pasted with a space or line break
	// around it still works.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{String($credentials.apiKey ?? "").trim()}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			// The node's own expression: both trim a custom base URL and drop trailing slashes.
			baseURL: BASE_URL_EXPRESSION,
			// With a Project ID: GET that project, so the test proves the ID too.
			url: CREDENTIAL_TEST_URL_EXPRESSION,
			method: 'GET',
			// The key goes to this origin only: a redirect is not followed (the test then fails).
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			// Resolved like requestDefaults: an undefined value is left out of the query string.
			qs: { organization_id: SCOPE_QUERY_EXPRESSIONS.organization_id },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The API key was rejected (401 Unauthorized). Check "API Key". With Region US or EU, also check "Region": a key works only in the region where it was created.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The API key has no access to this project or organization. Check the Project ID and Organization ID, or leave them empty to use the key’s default project.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Not found (404). If set, check "Project ID" and "Organization ID": they must exist for this key. With a custom Base URL, check it is the API origin (e.g. https://api.cloud.llamaindex.ai, no path).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 422,
					message:
						'The Project ID or Organization ID is not a valid UUID (for example 3fa85f64-5717-4562-b3fc-2c963f66afa6).',
				},
			},
		],
	};
}
