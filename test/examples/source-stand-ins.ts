/**
 * Google Drive and AWS S3 as the mirror examples use them (list a folder, download each file),
 * in-process over a fake folder or bucket that the test changes between runs. They emit what
 * the real nodes emit for these operations (the JSON fields the examples read, a binary
 * `data`), so the examples' expressions and wiring run in the engine; the real nodes'
 * parameters are checked by the e2e suite against the installed n8n.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export interface SourceFile {
	/** Drive: the file ID; S3: the key. */
	key: string;
	name: string;
	content: string;
	/** Drive md5Checksum / S3 ETag: changes with the content. */
	checksum: string;
}

interface Kind {
	name: string;
	displayName: string;
	listOperation: string;
	listed(file: SourceFile): IDataObject;
	keyOf(json: IDataObject): string;
}

const KINDS = {
	googleDrive: {
		name: 'googleDrive',
		displayName: 'Google Drive',
		listOperation: 'search',
		listed: (file) => ({
			id: file.key,
			name: file.name,
			md5Checksum: file.checksum,
			webViewLink: `https://drive.example/${file.key}`,
		}),
		keyOf: (json) => String(json.id),
	},
	awsS3: {
		name: 'awsS3',
		displayName: 'AWS S3',
		listOperation: 'getAll',
		listed: (file) => ({
			Key: file.key,
			ETag: `"${file.checksum}"`,
			Size: String(file.content.length),
		}),
		keyOf: (json) => String(json.Key),
	},
} satisfies Record<string, Kind>;

export function sourceStandIn(kind: keyof typeof KINDS, files: () => SourceFile[]): INodeType {
	const k: Kind = KINDS[kind];
	return {
		description: {
			displayName: k.displayName,
			name: k.name,
			group: ['input'],
			version: [1, 2, 3],
			description: `${k.displayName} (test stand-in)`,
			defaults: { name: k.displayName },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [
				{ displayName: 'Resource', name: 'resource', type: 'string', default: '' },
				{ displayName: 'Operation', name: 'operation', type: 'string', default: '' },
			],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			if (this.getNodeParameter('operation', 0) === k.listOperation) {
				return [files().map((file) => ({ json: k.listed(file), pairedItem: { item: 0 } }))];
			}
			const out: INodeExecutionData[] = [];
			for (const [i, item] of this.getInputData().entries()) {
				const file = files().find((f) => f.key === k.keyOf(item.json));
				if (!file) throw new Error(`no file ${k.keyOf(item.json)}`);
				const data = await this.helpers.prepareBinaryData(Buffer.from(file.content), file.name);
				out.push({ json: item.json, binary: { data }, pairedItem: { item: i } });
			}
			return [out];
		},
	};
}
