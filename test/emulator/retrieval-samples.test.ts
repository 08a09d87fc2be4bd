/**
 * The demo's sample documents (examples/sample-docs): each question a reader would ask finds
 * the document that answers it first, with rerank on (the default) and off.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator';
import { api, fileForm, waitForIndex, type Call } from './helpers';

const SAMPLES = join(__dirname, '..', '..', 'examples', 'sample-docs');

let emulator: Emulator;
let call: Call;
let indexId: string;
const nameOf = new Map<string, string>();

beforeAll(async () => {
	emulator = await startEmulator({ buildStepMs: 5 });
	call = api(emulator);
	const dir = (await call('POST', '/api/v1/beta/directories', { json: { name: 'samples' } })).body;
	for (const name of readdirSync(SAMPLES)) {
		await call('POST', `/api/v1/beta/directories/${dir.id}/files/upload`, {
			form: fileForm('upload_file', name, readFileSync(join(SAMPLES, name))),
		});
	}
	const created = await call('POST', '/api/v1/indexes', { json: { source_directory_id: dir.id } });
	const index = await waitForIndex(call, created.body.id);
	indexId = index.export_config_id;
	for (const f of emulator.store.files(index.output_directory_id)) nameOf.set(f.id, f.display_name);
});
afterAll(() => emulator.close());

test.each([
	['How many days of paid leave do we get?', 'employee-handbook.md'],
	['What are the core working hours?', 'employee-handbook.md'],
	['How much can I spend on meals while travelling?', 'expense-policy.md'],
	['Which expenses are not reimbursed?', 'expense-policy.md'],
	['Who do I tell about a lost device or a suspicious email?', 'security-guidelines.txt'],
	['When must operating system updates be installed?', 'security-guidelines.txt'],
	['Who is my onboarding buddy?', 'onboarding-checklist.md'],
])('%s → %s first', async (query, expected) => {
	for (const rerank of [undefined, { enabled: false }]) {
		const reply = await call('POST', '/api/v1/retrieval/retrieve', {
			json: { index_id: indexId, query, top_k: 3, ...(rerank ? { rerank } : {}) },
		});
		expect(reply.status).toBe(200);
		const ranked = reply.body.results.map((r: any) =>
			nameOf.get(r.static_fields.parsed_directory_file_id),
		);
		expect(ranked[0]).toBe(expected);
	}
});
