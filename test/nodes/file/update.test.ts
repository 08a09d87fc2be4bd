/**
 * File → Update through n8n's real engine against the emulator over HTTP: name, unique ID,
 * metadata and directory changes; nothing to change or bad values refused before any request.
 */
import { byId } from '../../support/emulator';
import { expectBadInput, items, requestsTo, useFileTests } from './fixtures';

const { emulator, run, directory } = useFileTests();

describe('Update', () => {
	test('changes display name, unique ID and metadata, keeping value types', async () => {
		const [file] = emulator.current.store.seedFiles(directory.current.id, 1);
		const { items: out, error } = await run({
			operation: 'update',
			directoryId: byId(directory.current.id),
			fileId: byId(file.id),
			updateFields: { displayName: 'Renamed', uniqueId: 'new-key' },
			metadataInput: 'json',
			metadataJson: '{"pages": 12, "signed": true, "owner": "ada"}',
		});
		expect(error).toBeUndefined();
		expect(out[0].json).toMatchObject({
			id: file.id,
			display_name: 'Renamed',
			unique_id: 'new-key',
			metadata: { pages: 12, signed: true, owner: 'ada' },
		});
		expect(emulator.current.store.file(file.id)?.metadata).toStrictEqual({
			pages: 12,
			signed: true,
			owner: 'ada',
		});
		expect(requestsTo(emulator.current, 'PATCH', /./)[0].body).toEqual({
			display_name: 'Renamed',
			unique_id: 'new-key',
			metadata: { pages: 12, signed: true, owner: 'ada' },
		});
	});

	test('moves a file to another directory (body target_directory_id)', async () => {
		const [file] = emulator.current.store.seedFiles(directory.current.id, 1);
		const target = emulator.current.store.createDirectory('Archive');
		const { items: out, error } = await run({
			operation: 'update',
			directoryId: byId(directory.current.id),
			fileId: byId(file.id),
			updateFields: { targetDirectoryId: byId(target.id) },
		});
		expect(error).toBeUndefined();
		expect(out[0].json.directory_id).toBe(target.id);
		expect(emulator.current.store.files(target.id).map((f) => f.id)).toEqual([file.id]);
		expect(
			emulator.current.store.files(directory.current.id, { includeDeleted: false }),
		).toHaveLength(0);
		// The spec's move field (a body `directory_id` would answer 200 and move nothing).
		expect(requestsTo(emulator.current, 'PATCH', /./)[0].body).toEqual({
			target_directory_id: target.id,
		});
	});

	test('metadata alone is a change', async () => {
		const [file] = emulator.current.store.seedFiles(directory.current.id, 1);
		const { items: out, error } = await run({
			operation: 'update',
			directoryId: byId(directory.current.id),
			fileId: byId(file.id),
			metadataInput: 'pairs',
			metadataPairs: { pair: [{ key: 'score', type: 'number', numberValue: 0.5 }] },
		});
		expect(error).toBeUndefined();
		expect(out[0].json.metadata).toStrictEqual({ score: 0.5 });
	});

	test('an update that changes nothing fails before any request', async () => {
		const [file] = emulator.current.store.seedFiles(directory.current.id, 1);
		emulator.current.clearRequests();
		const { items: out } = await run(
			{
				operation: 'update',
				directoryId: byId(directory.current.id),
				fileId: byId(file.id),
				updateFields: {},
			},
			{ continueOnFail: true },
		);
		expectBadInput(out[0], '"Update Fields" must set at least one field [item 0]');
		expect(emulator.current.requests).toHaveLength(0);
	});

	test.each([
		[{ displayName: '  ' }, '"Display Name" must not be empty [item 0]'],
		[{ uniqueId: '' }, '"Unique ID" must not be empty [item 0]'],
		[{ targetDirectoryId: byId(' ') }, '"Move to Directory" must not be empty [item 0]'],
	])('blank update field %j fails before any request', async (updateFields, message) => {
		const { items: out } = await run(
			{
				operation: 'update',
				directoryId: byId(directory.current.id),
				fileId: byId('dfl-1'),
				updateFields,
			},
			{ continueOnFail: true },
		);
		expectBadInput(out[0], message);
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('metadata with a nested value is rejected before sending', async () => {
		const { items: out } = await run(
			{
				operation: 'update',
				directoryId: byId(directory.current.id),
				fileId: byId('dfl-1'),
				metadataInput: 'json',
				metadataJson: '={{ $json.meta }}',
			},
			{ inputItems: items({ meta: { a: 1, b: { c: 2 } } }), continueOnFail: true },
		);
		expect(out[0].json.error).toBe(
			'Metadata key "b" is a nested object; values must be strings, numbers, booleans, null or lists of strings [item 0]',
		);
		expect(emulator.current.requests).toHaveLength(0);
	});

	test('moving onto a taken unique ID is a 409 with the API detail', async () => {
		// A service that refuses a taken unique ID (what it does is not public: variant duplicateUniqueId).
		emulator.current.quirks.duplicateUniqueId = 'conflict';
		const [file] = emulator.current.store.seedFiles(directory.current.id, 1, {
			uniqueId: () => 'shared',
		});
		const target = emulator.current.store.createDirectory('Archive');
		emulator.current.store.seedFiles(target.id, 1, { uniqueId: () => 'shared' });
		const { error } = await run({
			operation: 'update',
			directoryId: byId(directory.current.id),
			fileId: byId(file.id),
			updateFields: { targetDirectoryId: byId(target.id) },
		});
		expect(error?.message).toBe(
			`LlamaCloud API error 409 Conflict: A file with unique_id 'shared' already exists in directory ${target.id} [item 0]`,
		);
	});
});
