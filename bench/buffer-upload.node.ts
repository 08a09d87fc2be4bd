/**
 * Comparison only (never published): an upload node that buffers the whole file, the way the
 * official LlamaCloud n8n node uploads (getBinaryDataBuffer, then a Blob in a FormData sent
 * with fetch). P1 prints its memory next to ours.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

export class BufferUpload implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bench Buffer Upload',
		name: 'benchBufferUpload',
		group: ['transform'],
		version: 1,
		description: 'Uploads by reading the whole binary into memory',
		defaults: { name: 'Bench Buffer Upload' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'API Key', name: 'apiKey', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			const binary = this.helpers.assertBinaryData(i, 'data');
			const buffer = await this.helpers.getBinaryDataBuffer(i, 'data');
			const form = new FormData();
			form.append(
				'upload_file',
				new Blob([new Uint8Array(buffer)], { type: binary.mimeType }),
				binary.fileName ?? 'file',
			);
			const response = await fetch(this.getNodeParameter('url', i) as string, {
				method: 'POST',
				headers: { Authorization: `Bearer ${this.getNodeParameter('apiKey', i) as string}` },
				body: form,
			}).catch((error: Error) => {
				throw new Error(`${error.message}: ${String((error as { cause?: unknown }).cause)}`);
			});
			if (!response.ok)
				throw new Error(`Upload failed: HTTP ${response.status} ${await response.text()}`);
			out.push({
				json: (await response.json()) as INodeExecutionData['json'],
				pairedItem: { item: i },
			});
		}
		return [out];
	}
}
