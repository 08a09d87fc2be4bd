import { createReadStream, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { base } from './description';

const MIME_TYPES: Record<string, string> = {
	'.md': 'text/markdown',
	'.markdown': 'text/markdown',
	'.txt': 'text/plain',
	'.pdf': 'application/pdf',
	'.json': 'application/json',
	'.csv': 'text/csv',
	'.html': 'text/html',
};

/** `*`, `?` and `{a,b}` in the last path segment, as the examples use them. */
function globToRegExp(pattern: string): RegExp {
	let source = '';
	for (const char of pattern) {
		if (char === '*') source += '[^/]*';
		else if (char === '?') source += '[^/]';
		else if (char === '{') source += '(?:';
		else if (char === '}') source += ')';
		else if (char === ',') source += '|';
		else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
	}
	return new RegExp(`^${source}$`);
}

export class ReadWriteFileStandIn implements INodeType {
	description: INodeTypeDescription = {
		...base('readWriteFile', 'Read/Write Files from Disk'),
		properties: [
			{ displayName: 'File(s) Selector', name: 'fileSelector', type: 'string', default: '' },
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const selector = this.getNodeParameter('fileSelector', 0) as string;
		const directory = path.dirname(selector);
		const matcher = globToRegExp(path.basename(selector));
		let names: string[];
		try {
			names = readdirSync(directory)
				.filter((name) => matcher.test(name))
				.sort();
		} catch (error) {
			throw new NodeOperationError(
				this.getNode(),
				`Cannot read ${directory}: ${(error as Error).message}`,
			);
		}
		const output: INodeExecutionData[] = [];
		for (const name of names) {
			const filePath = path.join(directory, name);
			if (!statSync(filePath).isFile()) continue;
			const extension = path.extname(name).toLowerCase();
			const binary = await this.helpers.prepareBinaryData(
				createReadStream(filePath),
				filePath,
				MIME_TYPES[extension] ?? 'application/octet-stream',
			);
			output.push({
				json: {
					fileName: name,
					directory,
					fileExtension: extension.slice(1),
					mimeType: binary.mimeType,
				},
				binary: { data: binary },
				pairedItem: { item: 0 },
			});
		}
		return [output];
	}
}
