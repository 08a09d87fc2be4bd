/**
 * File → Upload honours the node's Request Options like routed requests do (Ignore SSL Issues,
 * Proxy), and reports failures the same way: the URL, the request, the item, what to change.
 * Self-signed: the emulator over HTTPS with a certificate made at run time.
 */
import type { INodeParameters } from 'n8n-workflow';

import { LlamaCloudIngest as LlamaCloud } from '../../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { makeBinaryItem, runNode } from '../../../harness/engine';
import type { Emulator } from '../../../emulator';
import { byId, credential, useEmulator } from '../../support/emulator';
import { startForwardProxy } from '../../support/network';

const emulator = useEmulator();
/** The same API over HTTPS with a self-signed certificate. */
const selfSigned = useEmulator({ selfSigned: true });

const ignoreSsl = { requestOptions: { allowUnauthorizedCerts: true } };
const file = (name = 'a.txt') => makeBinaryItem('hello', { fileName: name });
const upload = (
	target: { current: Emulator },
	parameters: INodeParameters,
	continueOnFail = false,
) =>
	runNode({
		type: LlamaCloud,
		credentials: credential(target.current),
		parameters: { resource: 'file', operation: 'upload', ...parameters },
		inputItems: [file()],
		continueOnFail,
	});

test('with Ignore SSL Issues, an upload to a self-signed endpoint goes through', async () => {
	const dir = selfSigned.current.store.createDirectory('docs').id;
	const { error } = await upload(selfSigned, { directoryId: byId(dir), ...ignoreSsl });
	expect(error).toBeUndefined();
	expect(selfSigned.current.store.files(dir)).toHaveLength(1);
});

test('without it, the upload fails naming the certificate, the URL, the item and the setting', async () => {
	const { url, store } = selfSigned.current;
	const dir = store.createDirectory('docs').id;
	const { error } = await upload(selfSigned, { directoryId: byId(dir) });
	expect(error?.message).toBe(
		`Could not connect to LlamaCloud at ${url}: its TLS certificate is refused (it is self-signed) [item 0]`,
	);
	// Upload looks the unique ID up first (what the API does with a taken one is not public).
	expect(error?.description).toContain(
		`GET ${url}/api/v1/beta/directories/${dir}/files. TLS error DEPTH_ZERO_SELF_SIGNED_CERT.`,
	);
	expect(error?.description).toContain('"Ignore SSL Issues (Insecure)"');
	expect(store.files(dir)).toHaveLength(0);
});

test('an upload goes through the Proxy of the Request Options', async () => {
	const proxy = await startForwardProxy();
	try {
		const dir = emulator.current.store.createDirectory('docs').id;
		const { error } = await upload(emulator, {
			directoryId: byId(dir),
			requestOptions: { proxy: proxy.url },
		});
		expect(error).toBeUndefined();
		expect(proxy.seen).toContain(
			`POST ${emulator.current.url}/api/v1/beta/directories/${dir}/files/upload`,
		);
	} finally {
		await proxy.close();
	}
});

test('a Proxy without a port is refused before anything is sent, naming the setting', async () => {
	const dir = emulator.current.store.createDirectory('docs').id;
	const { error } = await upload(emulator, {
		directoryId: byId(dir),
		requestOptions: { proxy: 'http://proxy' },
	});
	expect(error?.message).toBe(
		`"Proxy" in the node's Request Options is not a valid proxy URL (got http://proxy) [item 0]`,
	);
	expect(emulator.current.requests).toHaveLength(0);
});

test('a continue-on-fail item keeps the request and URL as details', async () => {
	const { items } = await upload(emulator, { directoryId: byId('dir-missing') }, true);
	expect(items[0].json.error).toBe(
		'LlamaCloud API error 404 Not Found: Directory dir-missing not found [item 0]',
	);
	expect(items[0].json.details).toContain(
		`${emulator.current.url}/api/v1/beta/directories/dir-missing`,
	);
});
