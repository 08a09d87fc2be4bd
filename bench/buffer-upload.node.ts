/**
 * Comparison only (never published): an upload node that buffers the whole file, the way the
 * official LlamaCloud n8n node uploads (getBinaryDataBuffer, then a Blob in a FormData sent
 * with fetch). P1 prints its memory next to ours.
 *
 * Each execution sends on connections of its own (an undici Agent closed at the end). With a
 * shared pool, the warm-up's idle keep-alive connection was picked for the measured 1 GiB
 * upload: copying 1 GiB into a Buffer, a Uint8Array and a Blob blocks the event loop for
 * seconds, past the server's 5 s keep-alive timeout, so the client never saw the server close
 * that connection and wrote into it: EPIPE (reproduced with an idle socket and a blocked loop).
 */
import { Agent, fetch, FormData } from 'undici';
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
		const dispatcher = new Agent();
		try {
			for (let i = 0; i < this.getInputData().length; i++)
				out.push(await uploadWhole(this, i, dispatcher));
		} finally {
			await dispatcher.close();
		}
		return [out];
	}
}

async function uploadWhole(
	ctx: IExecuteFunctions,
	i: number,
	dispatcher: Agent,
): Promise<INodeExecutionData> {
	const binary = ctx.helpers.assertBinaryData(i, 'data');
	const buffer = await ctx.helpers.getBinaryDataBuffer(i, 'data');
	const form = new FormData();
	form.append(
		'upload_file',
		new Blob([new Uint8Array(buffer)], { type: binary.mimeType }),
		binary.fileName ?? 'file',
	);
	const response = await fetch(ctx.getNodeParameter('url', i) as string, {
		method: 'POST',
		headers: { Authorization: `Bearer ${ctx.getNodeParameter('apiKey', i) as string}` },
		body: form,
		dispatcher,
	}).catch((error: Error) => {
		throw new Error(`${error.message}: ${String((error as { cause?: unknown }).cause)}`);
	});
	if (!response.ok)
		throw new Error(`Upload failed: HTTP ${response.status} ${await response.text()}`);
	return { json: (await response.json()) as INodeExecutionData['json'], pairedItem: { item: i } };
}
