/**
 * "From List" pickers: entries that tell twins apart (two indexes called "Contracts"), Upload's
 * directory picker without index output directories, and Request Options honoured.
 */
import { LlamaCloudIngest as LlamaCloud } from '../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { appProjectUrl } from '../../nodes/LlamaCloud/transport';
import { listSearch, runNode } from '../../harness/engine';
import { byId, credential, useEmulator } from '../support/emulator';

const emulator = useEmulator();
/** The same API over HTTPS with a self-signed certificate. */
const selfSigned = useEmulator({ selfSigned: true });

const search = (method: string, parameters = {}) =>
	listSearch({
		nodeType: LlamaCloud,
		method,
		parameters,
		credentials: credential(emulator.current),
	});
const createIndex = (source: string, name: string) =>
	runNode({
		type: LlamaCloud,
		credentials: credential(emulator.current),
		parameters: {
			resource: 'index',
			operation: 'create',
			sourceDirectoryId: byId(source),
			additionalFields: { name },
		},
	});

test('two indexes named alike show their source directory, creation time and ID', async () => {
	const a = emulator.current.store.createDirectory('Contracts').id;
	const b = emulator.current.store.createDirectory('Contracts archive').id;
	await createIndex(a, 'Contracts');
	await createIndex(b, 'Contracts');
	const { results } = await search('searchIndexes', { resource: 'index', operation: 'get' });
	expect(results).toHaveLength(2);
	for (const [name, source] of [
		['Contracts', a],
		['Contracts archive', b],
	] as const) {
		const index = emulator.current.store.indexes().find((i) => i.source_directory_id === source);
		const entry = results.find((r) => r.value === index?.id);
		expect(entry?.name).toMatch(
			new RegExp(
				`^Contracts · over “${name}” · \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC · idx-[0-9a-f]{8}$`,
			),
		);
	}
});

test("Upload's directory picker leaves out index output directories; the others mark them", async () => {
	const source = emulator.current.store.createDirectory('docs').id;
	await createIndex(source, 'docs index');
	const all = await search('searchDirectories', { resource: 'directory', operation: 'get' });
	const user = await search('searchUserDirectories', { resource: 'file', operation: 'upload' });
	expect(all.results.filter((r) => r.name.includes(' · index output · '))).toHaveLength(1);
	expect(user.results.map((r) => r.value)).toEqual([source]);
});

test('a picker honours Ignore SSL Issues of the Request Options', async () => {
	selfSigned.current.store.createDirectory('docs');
	const parameters = { resource: 'directory', operation: 'get' };
	const over = (requestOptions = {}) =>
		listSearch({
			nodeType: LlamaCloud,
			method: 'searchDirectories',
			parameters: { ...parameters, requestOptions },
			credentials: credential(selfSigned.current),
		});
	await expect(over()).rejects.toThrow(/TLS certificate is refused \(it is self-signed\)/);
	const { results } = await over({ allowUnauthorizedCerts: true });
	expect(results.map((r) => r.name.split(' · ')[0])).toEqual(['docs']);
});

test('the link opens the project in the web app of the credential region; none for a custom URL', () => {
	expect(appProjectUrl({ region: 'us' }, 'p-1')).toBe('https://cloud.llamaindex.ai/project/p-1');
	expect(appProjectUrl({ region: 'eu' }, 'p-1')).toBe('https://cloud.eu.llamaindex.ai/project/p-1');
	expect(appProjectUrl({ region: 'custom', baseUrl: 'http://localhost:1' }, 'p-1')).toBeUndefined();
});
