/**
 * The Metadata fields of Add, Update and Upload (File): flat key/value pairs whose values keep
 * their type, entered as typed pairs or as a JSON object. helpers/metadata.ts reads and checks them.
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/**
 * The Metadata fields for an operation. They live at the top level (not in a collection) so
 * a JSON object can be mapped in with one expression.
 */
export function metadataFields(): INodeProperties[] {
	const when = (mode: string): IDisplayOptions => ({ show: { metadataInput: [mode] } });
	return [
		{
			displayName: 'Metadata',
			name: 'metadataInput',
			type: 'options',
			options: [
				{ name: 'None', value: 'none' },
				{ name: 'Key/Value Pairs', value: 'pairs', description: 'Enter typed key/value pairs' },
				{
					name: 'JSON',
					value: 'json',
					description: 'A flat JSON object, for example from an expression',
				},
			],
			default: 'none',
			description:
				'User-defined metadata to attach to the file: values are strings, numbers or booleans',
		},
		{
			displayName: 'Metadata Pairs',
			name: 'metadataPairs',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Metadata',
			default: {},
			displayOptions: when('pairs'),
			options: [
				{
					displayName: 'Pair',
					name: 'pair',
					values: [
						{ displayName: 'Key', name: 'key', type: 'string', default: '' },
						{
							displayName: 'Type',
							name: 'type',
							type: 'options',
							options: [
								{ name: 'String', value: 'string' },
								{ name: 'Number', value: 'number' },
								{ name: 'Boolean', value: 'boolean' },
							],
							default: 'string',
						},
						{
							displayName: 'Value',
							name: 'stringValue',
							type: 'string',
							default: '',
							displayOptions: { show: { type: ['string'] } },
						},
						{
							displayName: 'Value',
							name: 'numberValue',
							type: 'number',
							default: 0,
							displayOptions: { show: { type: ['number'] } },
						},
						{
							displayName: 'Value',
							name: 'booleanValue',
							type: 'boolean',
							default: false,
							displayOptions: { show: { type: ['boolean'] } },
						},
					],
				},
			],
		},
		{
			displayName: 'Metadata JSON',
			name: 'metadataJson',
			type: 'json',
			default: '{}',
			description: 'A flat object, e.g. {"department": "legal", "year": 2026, "public": false}',
			displayOptions: when('json'),
		},
	];
}
