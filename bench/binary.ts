/** Binary items for the bench children, in n8n's filesystem binary data service. */
import { FileLocation } from 'n8n-core';
import type { INodeExecutionData } from 'n8n-workflow';

import { useBinaryDataMode } from '../harness/engine';

/** A file on disk as a binary item, copied into the service (never held in memory). */
export async function storedFileItem(
	filePath: string,
	fileName = 'big.bin',
): Promise<INodeExecutionData> {
	const service = await useBinaryDataMode('filesystem');
	const binary = await service.copyBinaryFile(
		FileLocation.ofCustom({ pathSegments: ['bench'] }),
		{ data: '', mimeType: 'application/octet-stream', fileName },
		filePath,
	);
	return { json: {}, binary: { data: binary } };
}
