import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { directory } from './actions/directory/Directory.resource';
import { file } from './actions/file/File.resource';
import { index } from './actions/index/Index.resource';
import { nodeRequestOptions } from './descriptions/requestOptions.description';
import { searchDirectories, searchFiles, searchIndexes } from './methods/listSearch';
import { BASE_URL_EXPRESSION, CREDENTIAL_TYPE } from './transport';

export class LlamaCloud implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LlamaCloud',
		name: 'llamaCloudIngest',
		icon: {
			light: 'file:../../icons/llamacloud.svg',
			dark: 'file:../../icons/llamacloud.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Manage LlamaCloud directories, files and indexes for document ingestion',
		defaults: { name: 'LlamaCloud' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		requestDefaults: {
			baseURL: BASE_URL_EXPRESSION,
			headers: { Accept: 'application/json' },
			ignoreHttpStatusErrors: true,
		},
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Directory', value: 'directory' },
					{ name: 'File', value: 'file', description: 'A file in a directory' },
					{ name: 'Index', value: 'index', description: 'A searchable index over a directory' },
				],
				default: 'directory',
			},
			// Each resource: its Operation selector, then every operation's fields (actions/).
			...directory.properties,
			...file.properties,
			...index.properties,
			// Retries; n8n's loader merges its own Request Options (Timeout, Proxy, ...) into this one.
			nodeRequestOptions,
		],
	};

	methods = {
		listSearch: { searchDirectories, searchFiles, searchIndexes },
	};

	// Operations the engine's routing cannot express (streamed, concurrent uploads; call chains).
	customOperations = {
		file: file.customOperations,
		index: index.customOperations,
	};
}
