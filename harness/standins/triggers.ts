import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { base } from './description';

export class ManualTriggerStandIn implements INodeType {
	description: INodeTypeDescription = { ...base('manualTrigger', 'Manual Trigger'), inputs: [] };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

/** Schedule Trigger run by hand: one item, as the real node emits per tick. */
export class ScheduleTriggerStandIn implements INodeType {
	description: INodeTypeDescription = {
		...base('scheduleTrigger', 'Schedule Trigger'),
		inputs: [],
		properties: [{ displayName: 'Rule', name: 'rule', type: 'json', default: '{}' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: { timestamp: new Date().toISOString() } }]];
	}
}
