/**
 * What the File operations' tests share: the emulator on a frozen clock serving pages of 100,
 * a "Contracts" directory made before each test, and helpers to seed and inspect it.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { DirectoryRecord, Emulator, RecordedRequest } from '../../../emulator';
import { llamaCloudRunner, PAGES_OF_100, useEmulator } from '../../support/emulator';

/** The emulator's "now": frozen, so timestamps (and date filters) are exact. */
export const NOW = Date.parse('2026-02-01T00:00:00.000Z');

/** The file's emulator, a File runner and the directory made before each test. */
export function useFileTests() {
	const emulator = useEmulator({ clock: () => NOW, ...PAGES_OF_100 });
	const run = llamaCloudRunner(emulator, { resource: 'file' });
	const directory = {} as { current: DirectoryRecord };
	beforeEach(() => {
		directory.current = emulator.current.store.createDirectory('Contracts');
	});
	return { emulator, run, directory };
}

export const items = (...jsons: IDataObject[]): INodeExecutionData[] =>
	jsons.map((json) => ({ json }));

/** Requests the emulator saw, with the method and a path ending. */
export const requestsTo = (
	emulator: Emulator,
	method: string,
	pathEnd: RegExp,
): RecordedRequest[] =>
	emulator.requests.filter((r) => r.method === method && pathEnd.test(r.path));
export const DIRECTORY_FILES = /\/directories\/[^/]+\/files$/;

/**
 * Bad input fails its item before any request with a message naming field and item. Checked
 * with continue-on-fail, where the node outputs the error item itself (with no `error` object:
 * n8n would replace its JSON by the message alone, dropping the details).
 */
export function expectBadInput(item: INodeExecutionData, message: string) {
	expect(item.error).toBeUndefined();
	expect(item.json.error).toBe(message);
}

/** A file stored in the project (what "Add" takes as file_id), created through the API. */
export async function storeFile(emulator: Emulator, name = 'contract.pdf'): Promise<string> {
	const form = new FormData();
	form.append('purpose', 'user_data');
	form.append('file', new Blob([`content of ${name}`]), name);
	const response = await fetch(`${emulator.url}/api/v1/beta/files`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${emulator.apiKey}` },
		body: form,
	});
	expect(response.status).toBe(201);
	return ((await response.json()) as { id: string }).id;
}
