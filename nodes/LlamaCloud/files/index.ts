/** File (a directory file): operations are being written; see issue 3. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

export const fileOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['file'] } },
	default: 'get',
	options: [],
};
export const fileFields: INodeProperties[] = [];
export const fileCustomOperations: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> = {};
