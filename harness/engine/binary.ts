import { Container } from '@n8n/di';
import { BinaryDataService, FileLocation } from 'n8n-core';
import type { BinaryDataConfig, ErrorReporter } from 'n8n-core';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** 'default' keeps binaries in memory (base64 in the item); 'filesystem' stores them on disk. */
export type BinaryDataMode = 'default' | 'filesystem';

// One service per test file (jest gives each file its own module registry, so its own
// Container): n8n-core's helpers (`prepareBinaryData`, `getBinaryStream`, ...) resolve it
// with `Container.get(BinaryDataService)`.
let storagePath: string | undefined;
let config: BinaryDataConfig | undefined;
let service: BinaryDataService | undefined;

const quietLogger = {
	error() {},
	warn() {},
	info() {},
	debug() {},
	scoped() {
		return quietLogger;
	},
};
const throwingReporter = {
	error(error: unknown) {
		throw error;
	},
	warn() {},
	info() {},
};

/**
 * Sets up n8n-core's real BinaryDataService in the given mode (idempotent; switching modes
 * keeps the storage folder, and `filesystem-v2:` ids stay readable in either mode because
 * the service always mounts its filesystem manager).
 *
 * n8n 2.41: the service takes its config in the constructor and `init()` has no argument;
 * the config class itself would read InstanceSettings (~/.n8n), so a plain object stands in.
 */
export async function useBinaryDataMode(mode: BinaryDataMode): Promise<BinaryDataService> {
	if (!storagePath) {
		storagePath = mkdtempSync(join(tmpdir(), 'n8n-harness-binary-'));
		const dir = storagePath;
		process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
	}
	if (!config || !service) {
		config = {
			mode,
			availableModes: ['filesystem'],
			localStoragePath: storagePath,
			signingSecret: 'harness-signing-secret',
			dbMaxFileSize: 512,
		} as unknown as BinaryDataConfig;
		service = new BinaryDataService(
			config,
			throwingReporter as unknown as ErrorReporter,
			quietLogger as never,
		);
		Container.set(BinaryDataService, service);
		await service.init();
	} else if (config.mode !== mode) {
		config.mode = mode;
		await service.init();
	}
	return service;
}

/** Deletes every stored binary (call from `afterAll` after large files). */
export function removeBinaryData(): void {
	if (storagePath) rmSync(storagePath, { recursive: true, force: true });
	storagePath = undefined;
	config = undefined;
	service = undefined;
}

export interface BinaryItemOptions {
	fileName?: string;
	mimeType?: string;
	/** binary property name, default 'data' */
	property?: string;
	json?: IDataObject;
}

function itemFor(binary: IBinaryData, { property = 'data', json = {} }: BinaryItemOptions) {
	return { json, binary: { [property]: binary } } satisfies INodeExecutionData;
}

/** Memory-mode item: the content sits base64-encoded in `binary.data`. */
export function makeBinaryItem(
	content: Buffer | string,
	options: BinaryItemOptions = {},
): INodeExecutionData {
	const buffer = Buffer.isBuffer(content) ? content : Buffer.from(content);
	const { fileName = 'file.txt', mimeType = 'text/plain' } = options;
	return itemFor(
		{
			data: buffer.toString('base64'),
			mimeType,
			fileName,
			fileExtension: fileName.includes('.') ? fileName.split('.').pop() : undefined,
			bytes: buffer.length,
		},
		options,
	);
}

/**
 * Filesystem-mode item: streams `content` (a buffer, or chunks from a possibly huge
 * generator) into the binary data service and returns an item whose binary carries only the
 * `id` (`filesystem-v2:...`). The content is never held in memory as a whole.
 */
export async function makeStoredBinaryItem(
	content: Buffer | string | Iterable<Buffer> | AsyncIterable<Buffer>,
	options: BinaryItemOptions = {},
): Promise<INodeExecutionData> {
	const svc = await useBinaryDataMode('filesystem');
	const { fileName = 'file.bin', mimeType = 'application/octet-stream' } = options;
	const body =
		typeof content === 'string' || Buffer.isBuffer(content)
			? Buffer.from(content)
			: Readable.from(content);
	const stored = await svc.store(
		FileLocation.ofCustom({ pathSegments: ['harness', 'fixtures'] }),
		body,
		{
			data: '',
			mimeType,
			fileName,
			fileExtension: fileName.includes('.') ? fileName.split('.').pop() : undefined,
		},
	);
	return itemFor(stored, options);
}

/** Yields `totalBytes` of deterministic pseudo-random data in `chunkSize` pieces. */
export function* generateBytes(totalBytes: number, chunkSize = 1024 * 1024, seed = 1) {
	// xorshift32: cheap and reproducible, so a consumer can recompute the expected hash.
	let x = seed >>> 0 || 1;
	for (let sent = 0; sent < totalBytes; sent += chunkSize) {
		const size = Math.min(chunkSize, totalBytes - sent);
		// Unpooled, so byteOffset is 0 and a Uint32Array view is aligned.
		const chunk = Buffer.allocUnsafeSlow(size);
		const words = new Uint32Array(chunk.buffer, 0, size >>> 2);
		for (let i = 0; i < words.length; i++) {
			x ^= x << 13;
			x ^= x >>> 17;
			x ^= x << 5;
			words[i] = x >>> 0;
		}
		for (let i = size - (size % 4); i < size; i++) chunk[i] = i & 0xff;
		yield chunk;
	}
}
