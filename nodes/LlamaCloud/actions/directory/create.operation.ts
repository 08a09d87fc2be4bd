/**
 * Directory → Create (routed): one directory per distinct request and run; with "Reuse
 * Existing", a directory of the same exact name (see helpers/reuse.ts).
 */
import type { IExecuteSingleFunctions, INodeProperties } from 'n8n-workflow';

import { bodyField, collection, reuseOption } from '../../descriptions/common.descriptions';
import type { ReuseLookup } from '../../helpers/reuse';
import { routedOperation } from '../../helpers/routedOperation';
import { requireText } from '../../helpers/validation';
import { apiPath } from '../../transport';

const reuseDirectory = (ctx: IExecuteSingleFunctions): ReuseLookup => {
	const name = String(ctx.getNodeParameter('name', '')).trim();
	return {
		path: '/api/v1/beta/directories',
		qs: { name },
		identity: name,
		matches: (directory) => directory.name === name,
		url: (existing) => apiPath`/api/v1/beta/directories/${existing.id}`,
	};
};

export const option = routedOperation({
	name: 'Create',
	value: 'create',
	action: 'Create a directory',
	description: 'Create a directory to upload files into',
	method: 'POST',
	url: '/api/v1/beta/directories',
	preSend: [
		requireText('name', 'Name'),
		requireText('additionalFields.connectorSubscriptionId', 'Connector Subscription ID', {
			optional: true,
		}),
	],
	create: { reuse: reuseDirectory },
});

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Contracts 2026',
		description: 'Human-readable name for the directory',
		routing: { send: { type: 'body', property: 'name' } },
	},
	collection('additionalFields', [
		bodyField('Description', 'description', 'description', 'Description shown to users'),
		bodyField(
			'Connector Subscription ID',
			'connectorSubscriptionId',
			'connector_subscription_id',
			'Connector subscription whose files sync into this directory (e.g. csub-abc123); leave empty for a directory you upload into',
		),
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			options: [
				{ name: 'User', value: 'user', description: 'A directory you upload files into' },
				{
					name: 'Ephemeral',
					value: 'ephemeral',
					description:
						'For batch processing: LlamaCloud sets an expiry (expires_at) after which it may clean the directory up',
				},
			],
			default: 'user',
			routing: { send: { type: 'body', property: 'type' } },
		},
	]),
	collection('options', [
		reuseOption(
			'Whether to output the existing directory with this exact name instead of creating another one (useful for scheduled pipelines)',
		),
	]),
];
