/** File → Add: metadata LlamaCloud cannot hold is refused with a hint for the key at fault. */
import { LlamaCloudIngest as LlamaCloud } from '../../../nodes/LlamaCloud/LlamaCloudIngest.node';
import { runNode } from '../../../harness/engine';
import { byId, credential, useEmulator } from '../../support/emulator';

const emulator = useEmulator();

test.each([
	['a nested object', '{"owner": {"team": "legal"}}', 'flatten it into keys such as "owner.team"'],
	[
		'a list with a value that is not a string',
		'{"tags": ["a", 2]}',
		'join the values into one string ("tags": "a, b")',
	],
])('metadata that is %s gets a hint naming its key', async (_kind, metadataJson, hint) => {
	const { error } = await runNode({
		type: LlamaCloud,
		credentials: credential(emulator.current),
		parameters: {
			resource: 'file',
			operation: 'add',
			directoryId: byId('dir-x'),
			storageFileId: 'f',
			metadataInput: 'json',
			metadataJson,
		},
	});
	expect(error?.description).toContain(hint);
	expect(emulator.current.requests).toHaveLength(0);
});
