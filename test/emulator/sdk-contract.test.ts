/**
 * Contract: the official SDK (`@llamaindex/llama-cloud`, unmodified) as a client of the emulator.
 * If the emulator drifts from the shapes and paths the SDK was generated from, this fails.
 */
import LlamaCloud, {
	AuthenticationError,
	ConflictError,
	NotFoundError,
	UnprocessableEntityError,
	toFile,
} from '@llamaindex/llama-cloud';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	BUILD_STATUS,
	isTerminalBuildStatus,
	readBuildStatus,
	startEmulator,
	type Emulator,
} from '../../emulator';
import { allowNonConformingRequests } from '../support/spec';

allowNonConformingRequests(
	'the error-mapping test sends an empty name on purpose to get a 422',
	(exchange) => (exchange.body as { name?: unknown } | undefined)?.name === '',
);

let emulator: Emulator;
let client: LlamaCloud;
let scratch: string;

beforeAll(async () => {
	emulator = await startEmulator({ buildStepMs: 10 });
	client = new LlamaCloud({ baseURL: emulator.url, apiKey: emulator.apiKey, maxRetries: 0 });
	scratch = mkdtempSync(join(tmpdir(), 'sdk-contract-'));
});
afterAll(async () => {
	await emulator.close();
	rmSync(scratch, { recursive: true, force: true });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
	const items: T[] = [];
	for await (const item of iterable) items.push(item);
	return items;
}

test('projects.list returns the key’s projects', async () => {
	const projects = await client.projects.list();
	expect(projects).toEqual([
		expect.objectContaining({
			id: emulator.defaultProjectId,
			is_default: true,
			organization_id: expect.any(String),
		}),
	]);
	expect((await client.projects.get(emulator.defaultProjectId)).id).toBe(emulator.defaultProjectId);
});

test('directories: create, list (auto-pagination), get, update, delete', async () => {
	const created = await client.beta.directories.create({
		name: 'sdk-dir',
		description: 'made by the SDK',
	});
	expect(created).toMatchObject({
		name: 'sdk-dir',
		description: 'made by the SDK',
		project_id: emulator.defaultProjectId,
		type: 'user',
	});
	for (let i = 0; i < 4; i++) await client.beta.directories.create({ name: `sdk-extra-${i}` });

	const firstPage = await client.beta.directories.list({ page_size: 2 });
	expect(firstPage.items).toHaveLength(2);
	expect(firstPage.hasNextPage()).toBe(true);
	const all = await collect(client.beta.directories.list({ page_size: 2 }));
	expect(all.map((d) => d.id)).toContain(created.id);
	expect(all).toHaveLength(5);
	expect(await collect(client.beta.directories.list({ name: 'sdk-dir' }))).toHaveLength(1);
	expect(await collect(client.beta.directories.list({ type: 'index' }))).toHaveLength(0);

	expect((await client.beta.directories.get(created.id)).name).toBe('sdk-dir');
	const updated = await client.beta.directories.update(created.id, { name: 'sdk-dir-2' });
	expect(updated.name).toBe('sdk-dir-2');
	await client.beta.directories.delete(created.id);
	await expect(client.beta.directories.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
});

test('files.create (stored file) then directories.files: add, list, get, update, move, delete, upload', async () => {
	const dir = await client.beta.directories.create({ name: 'sdk-files' });
	const other = await client.beta.directories.create({ name: 'sdk-files-target' });

	const stored = await client.files.create({
		file: await toFile(Buffer.from('# Hello\n\nfrom the SDK'), 'hello.md'),
		purpose: 'user_data',
	});
	expect(stored).toMatchObject({
		id: expect.stringMatching(/^[0-9a-f-]{36}$/),
		name: 'hello.md',
		project_id: emulator.defaultProjectId,
	});
	expect(emulator.store.blob(stored.id)!.size).toBe(Buffer.byteLength('# Hello\n\nfrom the SDK'));

	const added = await client.beta.directories.files.add(dir.id, {
		file_id: stored.id,
		metadata: { team: 'sdk', tags: ['a', 'b'] },
	});
	expect(added).toMatchObject({
		directory_id: dir.id,
		display_name: 'hello.md',
		unique_id: 'hello.md',
		file_id: stored.id,
		metadata: { team: 'sdk', tags: ['a', 'b'] },
	});

	const diskFile = join(scratch, 'report.txt');
	writeFileSync(diskFile, 'uploaded from disk');
	const uploaded = await client.beta.directories.files.upload(dir.id, {
		upload_file: createReadStream(diskFile),
		unique_id: 'report-1',
		metadata: JSON.stringify({ source: 'disk' }),
	});
	expect(uploaded).toMatchObject({
		display_name: 'report.txt',
		unique_id: 'report-1',
		metadata: { source: 'disk' },
	});
	expect(emulator.store.blob(uploaded.file_id!)!.size).toBe('uploaded from disk'.length);
	for (let i = 0; i < 3; i++) {
		await client.beta.directories.files.upload(dir.id, {
			upload_file: await toFile(Buffer.from(`n${i}`), `n${i}.txt`),
		});
	}

	const listed = await collect(client.beta.directories.files.list(dir.id, { page_size: 2 }));
	expect(listed).toHaveLength(5);
	expect(
		await collect(client.beta.directories.files.list(dir.id, { unique_id: 'report-1' })),
	).toEqual([uploaded]);
	expect(
		await collect(client.beta.directories.files.list(dir.id, { display_name_contains: 'N1' })),
	).toHaveLength(1);
	expect(
		await collect(
			client.beta.directories.files.list(dir.id, {
				updated_at_on_or_after: '2000-01-01T00:00:00Z',
				updated_at_on_or_before: '2999-01-01T00:00:00Z',
			}),
		),
	).toHaveLength(5);

	expect(await client.beta.directories.files.get(added.id, { directory_id: dir.id })).toEqual(
		added,
	);
	const renamed = await client.beta.directories.files.update(added.id, {
		directory_id: dir.id,
		display_name: 'Hello',
	});
	expect(renamed.display_name).toBe('Hello');
	const moved = await client.beta.directories.files.update(added.id, {
		directory_id: dir.id,
		target_directory_id: other.id,
	});
	expect(moved.directory_id).toBe(other.id);

	await client.beta.directories.files.delete(added.id, { directory_id: other.id });
	await expect(
		client.beta.directories.files.get(added.id, { directory_id: other.id }),
	).rejects.toBeInstanceOf(NotFoundError);
	const withDeleted = await collect(
		client.beta.directories.files.list(other.id, { include_deleted: true }),
	);
	expect(withDeleted[0].deleted_at).toEqual(expect.any(String));
});

test('indexes: create, get, list (auto-pagination), sync, delete', async () => {
	const source = await client.beta.directories.create({ name: 'sdk-index-source' });
	await client.beta.directories.files.upload(source.id, {
		upload_file: await toFile(Buffer.from('Some text.\n\nMore text.'), 'doc.md'),
	});
	const index = await client.beta.indexes.create({
		source_directory_id: source.id,
		description: 'via SDK',
		products: [{ product_config_id: 'cfg', product_type: 'parse' }],
		store_attachments: ['screenshots'],
		sync_frequency: 'manual',
		vector_target: 'DEFAULT',
	});
	expect(index).toMatchObject({
		name: 'sdk-index-source',
		source_directory_id: source.id,
		output_directory_id: expect.any(String),
	});
	for (let i = 0; i < 2; i++)
		await client.beta.indexes.create({ source_directory_id: source.id, name: `extra-${i}` });

	const all = await collect(client.beta.indexes.list({ page_size: 1 }));
	expect(all.length).toBeGreaterThanOrEqual(3);
	expect(
		(await collect(client.beta.indexes.list({ source_directory_id: source.id }))).map((i) => i.id),
	).toContain(index.id);

	let current = await client.beta.indexes.get(index.id);
	for (let i = 0; i < 500 && !isTerminalBuildStatus(readBuildStatus(current.metadata)); i++) {
		await new Promise((r) => setTimeout(r, 10));
		current = await client.beta.indexes.get(index.id);
	}
	expect(readBuildStatus(current.metadata)).toBe(BUILD_STATUS.ready);
	expect(current.last_synced_at).toEqual(expect.any(String));

	expect(await client.beta.indexes.sync(index.id)).toEqual({});
	await emulator.waitForBuilds();
	await client.beta.indexes.delete(index.id);
	await expect(client.beta.indexes.get(index.id)).rejects.toBeInstanceOf(NotFoundError);
});

test('errors map to the SDK’s error classes with the API’s detail', async () => {
	const unauthenticated = new LlamaCloud({
		baseURL: emulator.url,
		apiKey: 'llx-wrong',
		maxRetries: 0,
	});
	await expect(unauthenticated.beta.directories.list().then((p) => p.items)).rejects.toBeInstanceOf(
		AuthenticationError,
	);

	const invalid = await client.beta.directories.create({ name: '' }).catch((e: unknown) => e);
	expect(invalid).toBeInstanceOf(UnprocessableEntityError);
	expect((invalid as UnprocessableEntityError).error).toEqual({
		detail: [expect.objectContaining({ loc: ['body', 'name'] })],
	});

	const dir = await client.beta.directories.create({ name: 'conflicts' });
	await client.beta.directories.files.upload(dir.id, {
		upload_file: await toFile(Buffer.from('x'), 'same.txt'),
	});
	const conflict = await client.beta.directories.files
		.upload(dir.id, { upload_file: await toFile(Buffer.from('y'), 'same.txt') })
		.catch((e: unknown) => e);
	expect(conflict).toBeInstanceOf(ConflictError);
	expect((conflict as ConflictError).error).toEqual({
		detail: `A file with unique_id 'same.txt' already exists in directory ${dir.id}`,
	});
});

test('with retries on, the SDK rides over injected 503/429 (Retry-After honoured)', async () => {
	const retrying = new LlamaCloud({
		baseURL: emulator.url,
		apiKey: emulator.apiKey,
		maxRetries: 2,
	});
	emulator.faults.script([
		{ kind: 'status', status: 503, retryAfterSeconds: 0 },
		{ kind: 'status', status: 429, retryAfterSeconds: 0 },
	]);
	const created = await retrying.beta.directories.create({ name: 'after-retries' });
	expect(created.name).toBe('after-retries');
	expect(emulator.faults.counters).toMatchObject({ status503: 1, status429: 1 });
	emulator.faults.reset();
});
