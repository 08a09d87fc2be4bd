/** Directory → Get: a failure under continue-on-fail keeps what the panel would say. */
import { LlamaCloudIngest as LlamaCloud } from '../../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { runNode } from '../../../harness/engine';
import { byId, credential, useEmulator } from '../../support/emulator';

const emulator = useEmulator();

test('a continue-on-fail item has the message as `error` and the description as `details`', async () => {
	const { items, error } = await runNode({
		type: LlamaCloud,
		credentials: credential(emulator.current),
		parameters: { resource: 'directory', operation: 'get', directoryId: byId('dir-missing') },
		continueOnFail: true,
	});
	expect(error).toBeUndefined();
	expect(items[0].json).toEqual({
		error: 'LlamaCloud API error 404 Not Found: Directory dir-missing not found [item 0]',
		details: `GET ${emulator.current.url}/api/v1/beta/directories/dir-missing.`,
	});
});
