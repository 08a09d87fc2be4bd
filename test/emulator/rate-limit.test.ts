/**
 * LlamaCloud's upload rate limit (emulator/rateLimit.ts) and HTTPS: the limiter's windows on a
 * clock the test moves, then the limit and TLS over real HTTP.
 */
import { Agent, request } from 'undici';

import { RateLimiter, startEmulator, type Emulator } from '../../emulator';
import { selfSignedCertificate } from '../../emulator/certificate';
import { rateLimitFromEnv } from '../../emulator/env';
import { api, fileForm } from './helpers';

const UPLOAD = '/api/v1/beta/directories/dir-1/files/upload';

describe('RateLimiter', () => {
	let now = 0;
	const limiter = (options = {}) =>
		new RateLimiter({ limit: 3, windowMs: 1000, ...options }, () => now);
	beforeEach(() => (now = 0));

	test('fixed window: `limit` uploads per project, then 429s until the window ends', () => {
		const rl = limiter();
		expect([1, 2, 3].map(() => rl.check('POST', UPLOAD, 'p1').ok)).toEqual([true, true, true]);
		now = 400;
		expect(rl.check('POST', UPLOAD, 'p1')).toEqual({
			ok: false,
			waitMs: 600,
			headers: { 'retry-after': '1' },
		});
		expect(rl.check('POST', UPLOAD, 'p2').ok).toBe(true); // another project has its own
		now = 1000;
		expect(rl.check('POST', UPLOAD, 'p1').ok).toBe(true); // a new window
		expect(rl.counters).toEqual({ allowed: 5, limited: 1 });
	});

	test('sliding window: at most `limit` in any window', () => {
		const rl = limiter({ window: 'sliding' });
		for (const t of [0, 400, 800]) {
			now = t;
			expect(rl.check('POST', UPLOAD, 'p').ok).toBe(true);
		}
		now = 999;
		expect(rl.check('POST', UPLOAD, 'p')).toMatchObject({ ok: false, waitMs: 1 });
		now = 1000; // the first request left the window; the one at 400 has not
		expect(rl.check('POST', UPLOAD, 'p').ok).toBe(true);
		expect(rl.check('POST', UPLOAD, 'p')).toMatchObject({ ok: false, waitMs: 400 });
	});

	test('which requests count, and what the 429 says', () => {
		const uploads = limiter({ limit: 1 });
		expect(uploads.check('POST', '/api/v1/beta/files', 'p').ok).toBe(true);
		expect(uploads.check('GET', '/api/v1/beta/directories', 'p').ok).toBe(true);
		expect(uploads.check('POST', '/api/v1/beta/directories', 'p').ok).toBe(true);
		expect(uploads.check('POST', UPLOAD, 'p').ok).toBe(false);

		const all = limiter({ limit: 1, routes: 'all', retryAfter: 'ms' });
		expect(all.check('GET', '/api/v1/projects', 'p').ok).toBe(true);
		expect(all.check('GET', '/api/v1/projects', 'p')).toMatchObject({
			headers: { 'retry-after': '1', 'retry-after-ms': '1000' },
		});
		const silent = limiter({ limit: 1, retryAfter: 'none' });
		silent.check('POST', UPLOAD, 'p');
		expect(silent.check('POST', UPLOAD, 'p')).toMatchObject({ ok: false, headers: {} });
	});

	test('off by default; configure() switches it; reset() goes back to the start options', () => {
		const off = new RateLimiter(null, () => now);
		for (let i = 0; i < 100; i++) expect(off.check('POST', UPLOAD, 'p').ok).toBe(true);
		expect(off.config).toBeNull();
		off.configure({});
		expect(off.config).toMatchObject({
			limit: 50,
			windowMs: 5000,
			routes: 'uploads',
			window: 'fixed',
		});
		off.reset();
		expect(off.config).toBeNull();
		expect(() => off.configure({ limit: 0 })).toThrow('at least 1');
	});

	test('environment variables', () => {
		expect(rateLimitFromEnv({})).toBeUndefined();
		expect(rateLimitFromEnv({ LLAMACLOUD_EMULATOR_RATE_LIMIT: 'off' })).toBeUndefined();
		expect(rateLimitFromEnv({ LLAMACLOUD_EMULATOR_RATE_LIMIT: 'documented' })).toMatchObject({
			limit: 50,
			windowMs: 5000,
		});
		expect(
			rateLimitFromEnv({
				LLAMACLOUD_EMULATOR_RATE_LIMIT: '20/60000',
				LLAMACLOUD_EMULATOR_RATE_LIMIT_ROUTES: 'all',
				LLAMACLOUD_EMULATOR_RATE_LIMIT_WINDOW: 'sliding',
				LLAMACLOUD_EMULATOR_RATE_LIMIT_RETRY_AFTER: 'none',
			}),
		).toEqual({ limit: 20, windowMs: 60000, routes: 'all', window: 'sliding', retryAfter: 'none' });
		expect(() => rateLimitFromEnv({ LLAMACLOUD_EMULATOR_RATE_LIMIT: '50 per 5s' })).toThrow(
			'LLAMACLOUD_EMULATOR_RATE_LIMIT',
		);
		expect(() =>
			rateLimitFromEnv({
				LLAMACLOUD_EMULATOR_RATE_LIMIT: 'documented',
				LLAMACLOUD_EMULATOR_RATE_LIMIT_WINDOW: 'rolling',
			}),
		).toThrow('LLAMACLOUD_EMULATOR_RATE_LIMIT_WINDOW must be one of fixed, sliding');
	});
});

describe('the limit over HTTP', () => {
	let emulator: Emulator;
	afterEach(async () => await emulator.close());

	test('uploads beyond the limit answer 429 with Retry-After and store nothing; other calls and projects pass', async () => {
		// A window far longer than the test: nothing here depends on how fast it runs.
		emulator = await startEmulator({ rateLimit: { limit: 2, windowMs: 600_000 } });
		const call = api(emulator);
		const dir = emulator.store.createDirectory('limited');
		const other = emulator.store.addProject({ name: 'Other' });
		const otherDir = emulator.store.createDirectory('other', { projectId: other.id });
		const upload = (name: string, directoryId = dir.id, query = {}) =>
			call('POST', `/api/v1/beta/directories/${directoryId}/files/upload`, {
				form: fileForm('upload_file', name, 'x'),
				query,
			});

		expect((await upload('a.txt')).status).toBe(201);
		expect((await upload('b.txt')).status).toBe(201);
		const refused = await upload('c.txt');
		expect(refused.status).toBe(429);
		expect(refused.body).toEqual({ detail: 'Too Many Requests' });
		expect(Number(refused.headers['retry-after'])).toBeGreaterThan(500);
		expect(emulator.store.files(dir.id).map((f) => f.display_name)).toEqual(['a.txt', 'b.txt']);
		expect(emulator.requests.at(-1)).toMatchObject({ status: 429, fault: 'rateLimit' });

		expect((await call('GET', `/api/v1/beta/directories/${dir.id}/files`)).status).toBe(200);
		expect((await upload('d.txt', otherDir.id, { project_id: other.id })).status).toBe(201);
		expect(emulator.rateLimit.counters).toEqual({ allowed: 3, limited: 1 });

		emulator.rateLimit.configure(null);
		expect((await upload('e.txt')).status).toBe(201);
		emulator.reset(); // back to the start options: limited again, with a fresh window
		expect(emulator.rateLimit.config).toMatchObject({ limit: 2 });
		expect(emulator.rateLimit.counters).toEqual({ allowed: 0, limited: 0 });
	});

	test('HTTPS with a self-signed certificate: trusted by its PEM, refused without it', async () => {
		const certificate = await selfSignedCertificate();
		emulator = await startEmulator({ tls: certificate });
		expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
		const trusting = new Agent({ connect: { ca: certificate.cert } });
		try {
			const reply = await request(`${emulator.url}/api/v1/projects`, {
				headers: { authorization: `Bearer ${emulator.apiKey}` },
				dispatcher: trusting,
			});
			expect(reply.statusCode).toBe(200);
			expect(await reply.body.json()).toEqual([expect.objectContaining({ is_default: true })]);
		} finally {
			await trusting.close();
		}
		const strict = new Agent();
		try {
			await expect(
				request(`${emulator.url}/api/v1/projects`, { dispatcher: strict }),
			).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
		} finally {
			await strict.close();
		}
	});
});
