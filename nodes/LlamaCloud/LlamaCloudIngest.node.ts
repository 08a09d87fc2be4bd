import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { directory } from './actions/directory/Directory.resource';
import { file } from './actions/file/File.resource';
import { index } from './actions/index/Index.resource';
import { nodeRequestOptions } from './descriptions/requestOptions.description';
import {
	searchDirectories,
	searchFiles,
	searchIndexes,
	searchUserDirectories,
} from './methods/listSearch';
import { BASE_URL_EXPRESSION, CREDENTIAL_TYPE } from './transport';

export class LlamaCloudIngest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LlamaCloud',
		name: 'llamaCloudIngest',
		icon: {
			light: 'file:../../icons/llamacloud.svg',
			dark: 'file:../../icons/llamacloud.dark.svg',
		},
		group: ['transform'],
		version: 1,
		// A string literal: n8n's verification scan reads the subtitle off the source.
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		// The node creator merges this node and its trigger into one entry that shows the
		// trigger's description; each reads right on its own too.
		description:
			'Ingest documents into LlamaCloud: upload files to directories, build and sync searchable indexes',
		defaults: { name: 'LlamaCloud' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		hints: [
			{
				// n8n runs a node once per input item: say what that means for creates and syncs.
				message:
					'This node runs once per input item. Items that ask for the same directory, index or sync share one (identical requests, or the same name with <b>Reuse Existing</b>); to run it once for all items, turn on <b>Execute Once</b> in its Settings.',
				type: 'info',
				location: 'outputPane',
				whenToDisplay: 'beforeExecution',
				displayCondition:
					'={{ $input.all().length > 1 && $parameter["resource"] !== "file" && ["create", "sync"].includes($parameter["operation"]) }}',
			},
		],
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
					{
						name: 'Directory',
						value: 'directory',
						description: 'A folder of documents to upload into and build indexes from',
					},
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
		listSearch: { searchDirectories, searchFiles, searchIndexes, searchUserDirectories },
	};

	// Operations the engine's routing cannot express (streamed, concurrent uploads; call chains).
	customOperations = {
		file: file.customOperations,
		index: index.customOperations,
	};
}
