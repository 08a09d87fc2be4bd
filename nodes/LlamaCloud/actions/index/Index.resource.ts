/** Index: Create, Delete, Get, Get Many (routed) and Sync (a custom operation: sync.operation.ts). */
import { defineResource } from '../resource';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as sync from './sync.operation';

export const index = defineResource(
	'index',
	'get',
	{ create, delete: del, get, getAll, sync },
	{ default: 'getAll' },
);
