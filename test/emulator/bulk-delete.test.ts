/**
 * POST /api/v1/beta/directories/{id}/files/bulk-delete, against openapi.json: the request bodies
 * the spec accepts get 204 and soft delete every file; bodies it rejects get FastAPI's 422; an ID
 * that is not a live file of the directory fails the whole request (assumed: all or nothing).
 */
import { startEmulator, type Emulator } from '../../emulator';
import { api, listAll, type Call } from './helpers';
import { allowNonConformingRequests } from '../support/spec';
import { specProblems } from './openapi';

// Only the bodies the spec rejects, sent on purpose; every other exchange is checked.
allowNonConformingRequests(
	'tests the 422s of bodies the spec rejects',
	(exchange) => specProblems('DirectoryFileBulkDeleteRequest', exchange.body).length > 0,
);

let emulator: Emulator;
let call: Call;
let directoryId: string;

beforeAll(async () => {
	emulator = await startEmulator();
	call = api(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => {
	emulator.reset();
	directoryId = emulator.store.createDirectory('docs').id;
});

const path = (dir = directoryId) => `/api/v1/beta/directories/${dir}/files/bulk-delete`;
const seed = (n: number) => emulator.store.seedFiles(directoryId, n).map((f) => f.id);
const live = () =>
	emulator.store
		.files(directoryId, { includeDeleted: false })
		.map((f) => f.id)
		.sort();

async function bulkDelete(body: unknown, dir = directoryId) {
	return await call('POST', path(dir), { json: body });
}

test('deletes up to 100 files in one request (204, no body); they list as deleted', async () => {
	const ids = seed(101);
	const body = { directory_file_ids: ids.slice(0, 100) };
	expect(specProblems('DirectoryFileBulkDeleteRequest', body)).toEqual([]);
	const reply = await bulkDelete(body);
	expect(reply.status).toBe(204);
	expect(reply.text).toBe('');
	expect(live()).toEqual([ids[100]]);
	const all = await listAll(call, `/api/v1/beta/directories/${directoryId}/files`, {
		include_deleted: true,
	});
	const deleted = all.filter((f) => f.deleted_at !== null);
	expect(deleted).toHaveLength(100);
	for (const file of all) expect(specProblems('DirectoryFileResponse', file)).toEqual([]);
});

test.each([
	['no ids', { directory_file_ids: [] }],
	['more than 100', { directory_file_ids: Array.from({ length: 101 }, (_, i) => `dfl-${i}`) }],
	['no field', {}],
	['not strings', { directory_file_ids: [1, 2] }],
])('a body the spec rejects (%s) answers 422 and deletes nothing', async (_, body) => {
	seed(2);
	expect(specProblems('DirectoryFileBulkDeleteRequest', body)).not.toEqual([]);
	const reply = await bulkDelete(body);
	expect(reply.status).toBe(422);
	expect(specProblems('HTTPValidationError', reply.body)).toEqual([]);
	expect(live()).toHaveLength(2);
});

test('an ID that is not a live file of the directory fails the request; nothing is deleted', async () => {
	const ids = seed(3);
	const other = emulator.store.createDirectory('other').id;
	const [foreign] = emulator.store.seedFiles(other, 1, { uniqueId: () => 'x' });
	for (const stranger of ['dfl-missing', foreign.id]) {
		const reply = await bulkDelete({ directory_file_ids: [ids[0], stranger] });
		expect(reply.status).toBe(404);
		expect(reply.body).toEqual({
			detail: `Directory file ${stranger} not found in directory ${directoryId}`,
		});
	}
	// Already deleted counts as not live.
	await call('DELETE', `/api/v1/beta/directories/${directoryId}/files/${ids[2]}`);
	expect((await bulkDelete({ directory_file_ids: [ids[0], ids[2]] })).status).toBe(404);
	expect(live()).toEqual([ids[0], ids[1]].sort());
});

test('an ID given twice counts once; an unknown directory answers 404', async () => {
	const ids = seed(2);
	expect((await bulkDelete({ directory_file_ids: [ids[0], ids[0]] })).status).toBe(204);
	expect(live()).toEqual([ids[1]]);
	const reply = await bulkDelete({ directory_file_ids: [ids[1]] }, 'dir-missing');
	expect(reply.status).toBe(404);
	expect(live()).toEqual([ids[1]]);
});
