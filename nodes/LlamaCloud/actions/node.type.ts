/**
 * Every resource and its operations, as the values workflows store. The operation modules,
 * the resources' operation lists and the fields' display conditions are typed by this map, so
 * a value misspelt anywhere fails to compile.
 */
import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	directory: 'create' | 'delete' | 'get' | 'getAll' | 'update';
	file: 'add' | 'delete' | 'get' | 'getAll' | 'getByUniqueId' | 'mirror' | 'update' | 'upload';
	index:
		| 'create'
		| 'delete'
		| 'findFiles'
		| 'get'
		| 'getAll'
		| 'grepFile'
		| 'readFile'
		| 'retrieve'
		| 'sync';
};

export type LlamaCloudType = AllEntities<NodeMap>;

export type Resource = LlamaCloudType['resource'];

export type OperationOf<R extends Resource> = Extract<LlamaCloudType, { resource: R }>['operation'];
