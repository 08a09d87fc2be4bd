/** Index: operations are being written; see issue 3. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

export const indexOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ["index"] } },
	default: 'get',
	options: [],
};
export const indexFields: INodeProperties[] = [];
export const indexCustomOperations: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> = {};
