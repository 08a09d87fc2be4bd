/**
 * Class 5 of issue 14: metadata keys such as `__proto__`, `constructor` and `prototype` are
 * ordinary keys to LlamaCloud (a JSON object). Upload, Add and Update send them as given — in
 * JSON mode, from an expression, and as key/value pairs — and never drop one silently.
 */
import type { INodeParameters } from 'n8n-workflow';

import { makeBinaryItem } from '../../harness/engine';
import { byId, useHostileApi } from '../support/hostile-api';

const api = useHostileApi();

const SPECIAL = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const JSON_TEXT = `{${SPECIAL.map((key, i) => `"${key}": "v${i}"`).join(', ')}, "plain": 1}`;

/** The metadata keys of the last request that carried metadata, read off the wire. */
function sentMetadataKeys(): string[] {
	for (const request of [...api.hostile.requests].reverse()) {
		const text = request.body.toString('utf8');
		if (request.headers['content-type']?.toString().startsWith('multipart/')) {
			const match = /name="metadata"\r\n\r\n([^\r]*)\r\n/.exec(text);
			if (match) return Object.keys(JSON.parse(match[1]) as object);
		} else if (text.includes('"metadata"')) {
			return Object.keys((JSON.parse(text) as { metadata: object }).metadata);
		}
	}
	return [];
}

const expectAllKeys = (keys: string[]) => expect(keys.sort()).toEqual([...SPECIAL, 'plain'].sort());

test('Upload, JSON mode: every key is sent and stored', async () => {
	const directory = api.emulator.store.createDirectory('Meta');
	const { error, items } = await api.run(
		{
			resource: 'file',
			operation: 'upload',
			directoryId: byId(directory.id),
			metadataInput: 'json',
			metadataJson: JSON_TEXT,
		},
		{ inputItems: [makeBinaryItem('x', { fileName: 'm.txt' })], binaryDataMode: 'default' },
	);
	expect(error).toBeUndefined();
	expectAllKeys(sentMetadataKeys());
	const stored = api.emulator.store.file(String(items[0].json.id));
	expectAllKeys(Object.keys(stored?.metadata ?? {}));
	expect(Object.getPrototypeOf(stored?.metadata ?? {})).not.toBe('v0');
});

test('Update (routed), metadata from an expression: every key is sent', async () => {
	const directory = api.emulator.store.createDirectory('Meta');
	const [file] = api.emulator.store.seedFiles(directory.id, 1);
	const { error } = await api.run(
		{
			resource: 'file',
			operation: 'update',
			directoryId: byId(directory.id),
			fileId: byId(file.id),
			metadataInput: 'json',
			metadataJson: '={{ $json.meta }}',
		} as INodeParameters,
		{ inputItems: [{ json: { meta: JSON_TEXT } }] },
	);
	expect(error).toBeUndefined();
	expectAllKeys(sentMetadataKeys());
	expectAllKeys(Object.keys(api.emulator.store.file(file.id)?.metadata ?? {}));
});

test('Update, key/value pairs named constructor and __proto__: sent, not "set twice"', async () => {
	const directory = api.emulator.store.createDirectory('Meta');
	const [file] = api.emulator.store.seedFiles(directory.id, 1);
	const pair = (key: string, stringValue: string) => ({ key, type: 'string', stringValue });
	const { error } = await api.run({
		resource: 'file',
		operation: 'update',
		directoryId: byId(directory.id),
		fileId: byId(file.id),
		metadataInput: 'pairs',
		metadataPairs: {
			pair: [
				...SPECIAL.map((key, i) => pair(key, `v${i}`)),
				{ key: 'plain', type: 'number', numberValue: 1 },
			],
		},
	});
	expect(error).toBeUndefined();
	expectAllKeys(sentMetadataKeys());
});

test('a key really set twice is still refused by name', async () => {
	const directory = api.emulator.store.createDirectory('Meta');
	const [file] = api.emulator.store.seedFiles(directory.id, 1);
	const { error } = await api.run({
		resource: 'file',
		operation: 'update',
		directoryId: byId(directory.id),
		fileId: byId(file.id),
		metadataInput: 'pairs',
		metadataPairs: {
			pair: [
				{ key: 'constructor', type: 'string', stringValue: 'a' },
				{ key: 'constructor', type: 'string', stringValue: 'b' },
			],
		},
	});
	expect(error?.message).toBe('Metadata key "constructor" is set twice [item 0]');
});
