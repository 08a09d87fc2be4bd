/** Directory: Create, Delete, Get, Get Many, Update (all routed). */
import { defineResource } from '../resource';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const directory = defineResource(
	'directory',
	'create',
	{
		create,
		delete: del,
		get,
		getAll,
		update,
	},
	{ default: 'getAll' },
);
