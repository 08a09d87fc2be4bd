/** Index: Create, Delete, Get, Get Many (routed); Sync, Retrieve, Find Files, Grep File, Read File (custom operations). */
import { defineResource } from '../resource';
import * as create from './create.operation';
import * as findFiles from './findFiles.operation';
import * as grepFile from './grepFile.operation';
import * as readFile from './readFile.operation';
import * as retrieve from './retrieve.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as sync from './sync.operation';

export const index = defineResource(
	'index',
	'get',
	{ create, delete: del, findFiles, get, getAll, grepFile, readFile, retrieve, sync },
	{ default: 'retrieve' },
);
