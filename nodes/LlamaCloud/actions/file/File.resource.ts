/**
 * File (a directory file): Add, Delete, Get, Get by Unique ID, Get Many, Update (routed),
 * Upload and Mirror (custom operations: upload.operation.ts, mirror.operation.ts).
 */
import { defineResource } from '../resource';
import * as add from './add.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getByUniqueId from './getByUniqueId.operation';
import * as mirror from './mirror.operation';
import * as update from './update.operation';
import * as upload from './upload.operation';

export const file = defineResource(
	'file',
	'upload',
	{
		add,
		delete: del,
		get,
		getAll,
		getByUniqueId,
		mirror,
		update,
		upload,
	},
	{ default: 'getAll', omit: ['mirror', 'upload'] },
);
