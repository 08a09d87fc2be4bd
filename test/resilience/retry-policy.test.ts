/**
 * The transport's pure parts: reading Retry-After, backoff with jitter, the timeout of an
 * upload, paths an ID could redirect, and where a region sends requests. The behaviour they
 * drive is tested through the engine in faults.test.ts and r1-ingest.test.ts.
 */
import {
	backoffMs,
	DEFAULT_RETRY_POLICY,
	effectiveTimeoutMs,
	resolveBaseUrl,
	retryAfterMs,
	unsafePathSegment,
} from '../../nodes/LlamaCloud/transport';

const NOW = Date.parse('2026-03-01T09:00:00.000Z');

describe('retryAfterMs', () => {
	test.each([
		['Retry-After in seconds', { 'retry-after': '3' }, 3000],
		['fractional seconds', { 'Retry-After': '0.5' }, 500],
		['zero', { 'retry-after': '0' }, 0],
		['an HTTP date', { 'retry-after': new Date(NOW + 7000).toUTCString() }, 7000],
		['an HTTP date in the past', { 'retry-after': new Date(NOW - 7000).toUTCString() }, 0],
		['retry-after-ms wins over Retry-After', { 'retry-after-ms': '250', 'retry-after': '9' }, 250],
		['header names in any case, values as arrays', { 'Retry-After-Ms': ['120'] }, 120],
		[
			'an invalid retry-after-ms falls back to Retry-After',
			{ 'retry-after-ms': 'soon', 'retry-after': '2' },
			2000,
		],
	])('%s', (_name, headers, expected) => {
		expect(retryAfterMs(headers, NOW)).toBe(expected);
	});

	test.each([
		['no headers', undefined],
		['no such header', { 'content-type': 'application/json' }],
		['blank', { 'retry-after': '  ' }],
		['garbage', { 'retry-after': 'later, maybe' }],
	])('%s: none', (_name, headers) => {
		expect(retryAfterMs(headers, NOW)).toBeUndefined();
	});
});

describe('backoffMs', () => {
	const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 500, maxDelayMs: 16_000 };

	test('doubles per attempt, with jitter between half and all of the cap', () => {
		for (const [attempt, cap] of [
			[1, 500],
			[2, 1000],
			[3, 2000],
			[4, 4000],
			[5, 8000],
		]) {
			expect(backoffMs(attempt, policy, undefined, () => 0)).toBe(cap / 2);
			expect(backoffMs(attempt, policy, undefined, () => 0.999999)).toBe(cap);
		}
	});

	test('never exceeds maxDelayMs', () => {
		expect(backoffMs(30, policy, undefined, () => 0.999999)).toBe(16_000);
	});

	test('jitter spreads concurrent retries', () => {
		const delays = new Set(Array.from({ length: 50 }, () => backoffMs(3, policy)));
		expect(delays.size).toBeGreaterThan(10);
		for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(1000);
	});

	test('a server hint is honoured: never less, at most 10 % (and 1 s) more', () => {
		expect(backoffMs(1, policy, 2000, () => 0)).toBe(2000);
		expect(backoffMs(1, policy, 2000, () => 0.999999)).toBe(2200);
		expect(backoffMs(1, policy, 60_000, () => 0.999999)).toBe(61_000);
		expect(backoffMs(4, policy, 0, () => 0.7)).toBe(0);
	});
});

describe('effectiveTimeoutMs', () => {
	test('a JSON request gets the Timeout as set', () => {
		expect(effectiveTimeoutMs({ ...DEFAULT_RETRY_POLICY, timeoutMs: 10_000 })).toBe(10_000);
	});

	test('a body of known length gets its transfer time at 256 KiB/s on top: a 512 MB upload fits by default', () => {
		const bytes = 512 * 1024 * 1024;
		const timeout = effectiveTimeoutMs(DEFAULT_RETRY_POLICY, bytes);
		expect(timeout).toBe(300_000 + 2_048_000);
		// Even at 256 KiB/s the whole file is sent before the timeout runs out.
		expect(timeout).toBeGreaterThan((bytes / (256 * 1024)) * 1000);
	});
});

describe('unsafePathSegment: IDs that would send a request elsewhere', () => {
	test.each([
		['/api/v1/beta/directories/..', '..'],
		['/api/v1/beta/directories/./files', '.'],
		['/api/v1/beta/directories/%2E%2E/files', '%2E%2E'],
		['/api/v1/beta/directories/.%2e', '.%2e'],
		['/api/v1/beta/directories//files', ''],
		['/api/v1/beta/directories/', ''],
	])('%s', (path, segment) => {
		expect(unsafePathSegment(path)).toBe(segment);
	});

	test.each([
		'/api/v1/beta/directories',
		'/api/v1/beta/directories/dir-1/files',
		'/api/v1/beta/directories/a%2Fb',
		'/api/v1/beta/directories/..%2Ffiles',
		'/api/v1/beta/directories/...',
		'/api/v1/beta/directories/x%3Fy%23z',
	])('%s is safe', (path) => {
		expect(unsafePathSegment(path)).toBeUndefined();
	});
});

describe('regions', () => {
	test.each([
		['us', 'https://api.cloud.llamaindex.ai'],
		['eu', 'https://api.cloud.eu.llamaindex.ai'],
	])('%s → %s', (region, url) => {
		expect(resolveBaseUrl({ region })).toEqual({ url });
	});

	test('an unknown region is refused with a message', () => {
		expect(resolveBaseUrl({ region: 'mars' })).toEqual({
			problem: 'Unknown region "mars" in the LlamaCloud API credential',
		});
	});
});
