/**
 * Probes of what no public source settles (/work/shared/api/README.md), run against a LlamaCloud
 * API — the real service (`npm run verify:live`) or an emulator (test/emulator/live-probe.test.ts
 * proves each probe tells the variants apart). Everything happens in throw-away directories
 * named `verify-live-<random>`, removed at the end, whatever happened.
 *
 * Each finding names the emulator variant (emulator/variants.ts) the service behaves like, or
 * `unknown` with what was seen. Probes that would cost a lot (a 512 MB upload) or load the
 * service (provoking a rate limit) are reported as not probed.
 */
import { randomBytes } from 'node:crypto';
import { VARIANT_DEFAULTS, type VariantName } from '../../emulator/variants';

export interface Finding {
	variant: VariantName | 'documented';
	/** What was checked. */
	question: string;
	/** The variant value the service behaves like, `unknown`, or `not probed`. */
	observed: string;
	/** What was seen, briefly. */
	evidence: string;
}

export interface ProbeOptions {
	baseUrl: string;
	apiKey: string;
	projectId?: string;
	/** How long to wait for an index build. Default 5 minutes. */
	buildTimeoutMs?: number;
	/** Pause between two reads of a build. Default 2 s. */
	pollMs?: number;
	log?: (line: string) => void;
}

interface Reply {
	status: number;
	body: any;
	headers: Headers;
}

class Api {
	constructor(private readonly options: ProbeOptions) {}

	async call(
		method: string,
		path: string,
		init: { json?: unknown; form?: FormData; query?: Record<string, string | string[]> } = {},
	): Promise<Reply> {
		const url = new URL(path, this.options.baseUrl);
		for (const [key, value] of Object.entries(init.query ?? {}))
			for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
		if (this.options.projectId) url.searchParams.set('project_id', this.options.projectId);
		const headers: Record<string, string> = { authorization: `Bearer ${this.options.apiKey}` };
		let body: string | FormData | undefined;
		if (init.json !== undefined) {
			headers['content-type'] = 'application/json';
			body = JSON.stringify(init.json);
		} else if (init.form) body = init.form;
		const res = await fetch(url, { method, headers, body });
		const text = await res.text();
		let parsed: unknown = text;
		if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
		return { status: res.status, body: parsed, headers: res.headers };
	}

	/** A call that must succeed; otherwise the probe run stops with what the API said. */
	async ok(method: string, path: string, init?: Parameters<Api['call']>[2]): Promise<any> {
		const reply = await this.call(method, path, init);
		if (reply.status >= 300) {
			const detail =
				typeof reply.body === 'string' ? reply.body.slice(0, 200) : JSON.stringify(reply.body);
			throw new Error(`${method} ${path} answered ${reply.status}: ${detail}`);
		}
		return reply.body;
	}

	upload(directoryId: string, name: string, content: string, uniqueId: string): Promise<Reply> {
		const form = new FormData();
		form.append('unique_id', uniqueId);
		form.append('upload_file', new Blob([content]), name);
		return this.call('POST', `/api/v1/beta/directories/${directoryId}/files/upload`, { form });
	}
}

const DIRS = '/api/v1/beta/directories';
const files = (dir: string) => `${DIRS}/${dir}/files`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function listAll(api: Api, path: string, query: Record<string, string> = {}): Promise<any[]> {
	const items: any[] = [];
	let token: string | undefined;
	for (let page = 0; page < 100; page++) {
		const body = await api.ok('GET', path, {
			query: { ...query, ...(token ? { page_token: token } : {}) },
		});
		items.push(...body.items);
		token = body.next_page_token || undefined;
		if (!token) break;
	}
	return items;
}

/** Runs every probe; always removes what it created. */
export async function probeService(options: ProbeOptions): Promise<Finding[]> {
	const api = new Api(options);
	const log = options.log ?? (() => undefined);
	const findings: Finding[] = [];
	const add = (finding: Finding) => {
		findings.push(finding);
		log(`  ${finding.variant}: ${finding.observed} (${finding.evidence})`);
	};
	const tag = `verify-live-${randomBytes(4).toString('hex')}`;
	const created: { directories: string[]; indexes: string[] } = { directories: [], indexes: [] };
	const directory = async (suffix: string) => {
		const dir = await api.ok('POST', DIRS, { json: { name: `${tag}-${suffix}` } });
		created.directories.push(dir.id);
		return dir.id as string;
	};

	try {
		log(`Probing ${options.baseUrl} in throw-away directories ${tag}-*`);
		await api.ok('GET', '/api/v1/projects');
		const dir = await directory('files');

		// 2. A repeated unique_id.
		const first = await api.upload(dir, 'a.txt', 'first version', 'probe-a');
		if (first.status >= 300) throw new Error(`upload answered ${first.status}`);
		const again = await api.upload(dir, 'a.txt', 'second version', 'probe-a');
		const holders = (await listAll(api, files(dir), { unique_id: 'probe-a' })).length;
		add({
			variant: 'duplicateUniqueId',
			question: 'a second upload with a unique_id already in the directory',
			observed:
				again.status === 409
					? 'conflict'
					: again.status < 300 && again.body.id === first.body.id
						? 'replace'
						: again.status < 300 && holders > 1
							? 'keep_both'
							: again.status < 300
								? 'replace'
								: 'unknown',
			evidence: `${again.status}, ${holders} live file(s) with that unique_id`,
		});

		// 3. List order and page tokens: a, b, c created in that order, then a renamed.
		const order = await directory('order');
		const ids: Record<string, string> = {};
		for (const name of ['a', 'b', 'c']) {
			ids[name] = (await api.upload(order, `${name}.txt`, name, name)).body.id;
			await sleep(20);
		}
		await api.ok('PATCH', `${files(order)}/${ids.a}`, { json: { display_name: 'a-renamed' } });
		const listed = (await listAll(api, files(order), { page_size: '1' }))
			.map((f) => f.unique_id)
			.join(',');
		const orders: Record<string, string> = {
			'b,c,a': 'updated',
			'a,b,c': 'created',
			'c,b,a': 'newest_first',
		};
		add({
			variant: 'listOrder',
			question: 'the order of list items',
			observed: orders[listed] ?? 'unknown',
			evidence: `a, b, c created, a updated → ${listed}`,
		});
		const page1 = await api.ok('GET', files(order), { query: { page_size: '1' } });
		const firstId = page1.items[0]?.id;
		await api.ok('DELETE', `${files(order)}/${firstId}`);
		const page2 = await api.ok('GET', files(order), {
			query: { page_size: '1', page_token: page1.next_page_token },
		});
		const all = listed.split(',');
		const expectedNext = all[1];
		const got = page2.items[0]?.unique_id;
		add({
			variant: 'pageTokens',
			question: 'page tokens after the first page’s item is deleted',
			observed: got === expectedNext ? 'keyset' : got === all[2] ? 'offset' : 'unknown',
			evidence: `page 2 gave ${got ?? 'nothing'} (keyset would give ${expectedNext})`,
		});

		// 4. Does a soft delete bump updated_at?
		const victim = await api.upload(dir, 'gone.txt', 'gone', 'probe-gone');
		await sleep(1100);
		await api.ok('DELETE', `${files(dir)}/${victim.body.id}`);
		const deleted = (
			await listAll(api, files(dir), { include_deleted: 'true', unique_id: 'probe-gone' })
		)[0];
		add({
			variant: 'softDelete',
			question: 'whether a soft delete bumps updated_at',
			observed: !deleted
				? 'unknown'
				: deleted.updated_at !== victim.body.updated_at
					? 'touch'
					: 'keep_updated_at',
			evidence: deleted
				? `updated_at ${victim.body.updated_at} → ${deleted.updated_at}, deleted_at ${deleted.deleted_at}`
				: 'the deleted file is not listed with include_deleted=true',
		});

		// Documented points, checked while we are here.
		const emptyName = await api.call('GET', DIRS, { query: { name: '' } });
		add({
			variant: 'documented',
			question: 'an empty query value (name=) filters on the empty string',
			observed: emptyName.status === 200 && emptyName.body.items.length === 0 ? 'yes' : 'no',
			evidence: `${emptyName.status}, ${emptyName.body?.items?.length ?? '?'} item(s)`,
		});
		const clamped = await api.call('GET', DIRS, { query: { page_size: '5000' } });
		add({
			variant: 'documented',
			question: 'a page_size above the maximum is clamped (not a 422)',
			observed: clamped.status === 200 ? 'yes' : 'no',
			evidence: String(clamped.status),
		});

		// 1, 5, 7: an index over a directory with one file.
		const source = await directory('index');
		await api.upload(source, 'doc.md', '# Probe\n\nA short document.', 'doc');
		const createdIndex = await api.call('POST', '/api/v1/indexes', {
			json: { source_directory_id: source, name: `${tag}-index` },
		});
		if (createdIndex.status >= 300) throw new Error(`index create answered ${createdIndex.status}`);
		const index = createdIndex.body;
		created.indexes.push(index.id);
		const byId = await api.call('GET', `/api/v1/indexes/${index.id}`);
		const byExport = await api.call('GET', `/api/v1/indexes/${index.export_config_id}`);
		add({
			variant: 'indexIds',
			question: 'which id the index endpoints accept',
			observed:
				byId.status === 200 && byExport.status === 200
					? 'either'
					: byId.status === 200
						? 'id'
						: byExport.status === 200
							? 'export_config_id'
							: 'unknown',
			evidence: `by id ${byId.status}, by export_config_id ${byExport.status}`,
		});
		const indexPath = `/api/v1/indexes/${byId.status === 200 ? index.id : index.export_config_id}`;

		const building = (byId.status === 200 ? byId : byExport).body?.metadata?.status;
		const stillBuilding = building !== 'ready' && building !== 'failed';
		const sync = await api.call('POST', `${indexPath}/sync`);
		add({
			variant: 'syncWhileBuilding',
			question: 'a sync right after Create (its automatic first build runs)',
			observed:
				sync.status === 409
					? 'conflict'
					: sync.status === 429
						? 'rate_limited'
						: sync.status < 300 && stillBuilding
							? 'coalesce'
							: 'unknown',
			evidence: stillBuilding
				? String(sync.status)
				: `${sync.status}, but the first build had already ended (${String(building)})`,
		});
		if (sync.status === 429) {
			add({
				variant: 'retryAfter',
				question: 'whether a 429 carries Retry-After',
				observed: sync.headers.get('retry-after') ? 'seconds' : 'none',
				evidence: `Retry-After: ${sync.headers.get('retry-after') ?? 'absent'}`,
			});
		} else {
			add({
				variant: 'retryAfter',
				question: 'whether a 429 carries Retry-After',
				observed: 'not probed',
				evidence: 'provoking a rate limit would load the service',
			});
		}

		const statuses: string[] = [];
		const keys = new Set<string>();
		const deadline = Date.now() + (options.buildTimeoutMs ?? 5 * 60_000);
		let current = index;
		for (;;) {
			const status =
				current.metadata?.status === undefined ? '(none)' : String(current.metadata.status);
			if (statuses[statuses.length - 1] !== status) statuses.push(status);
			for (const key of Object.keys(current.metadata ?? {})) keys.add(key);
			if (status === 'ready' || status === 'failed' || Date.now() > deadline) break;
			await sleep(options.pollMs ?? 2000);
			current = await api.ok('GET', indexPath);
		}
		const intermediate = statuses.filter((s) => s !== 'ready' && s !== 'failed');
		add({
			variant: 'buildStatuses',
			question: 'statuses before ready/failed',
			observed: intermediate.every((s) => s === 'queued' || s === 'running')
				? 'queued_running'
				: intermediate.every((s) => s === '(none)')
					? 'absent'
					: 'other',
			evidence: statuses.join(' → '),
		});
		add({
			variant: 'buildMetadata',
			question: 'what index.metadata carries',
			observed: [...keys].every((k) => k === 'status' || k === 'error_message')
				? 'minimal'
				: 'detailed',
			evidence: `keys: ${[...keys].join(', ') || 'none'}`,
		});
		add({
			variant: 'failedBuildSyncTime',
			question: 'whether last_synced_at moves on a failed build',
			observed: 'not probed',
			evidence: 'needs a build that fails, which costs parse credits',
		});

		const removed = await api.call('DELETE', indexPath);
		if (removed.status < 300) created.indexes.pop();
		const output = await api.call('GET', `${DIRS}/${index.output_directory_id}`);
		if (output.status === 200) created.directories.push(index.output_directory_id);
		add({
			variant: 'indexDeleteCascade',
			question: 'what deleting an index removes',
			observed:
				output.status === 404
					? 'output_directory'
					: output.status === 200
						? 'index_only'
						: 'unknown',
			evidence: `delete ${removed.status}, then the output directory answers ${output.status}`,
		});
		add({
			variant: 'oversizeUpload',
			question: 'how an upload over 512 MB is refused',
			observed: 'not probed',
			evidence: 'a 512 MB upload is too costly for a probe',
		});
	} finally {
		for (const id of created.indexes)
			await api.call('DELETE', `/api/v1/indexes/${id}`).catch(() => undefined);
		for (const id of created.directories)
			await api.call('DELETE', `${DIRS}/${id}`).catch(() => undefined);
		log(
			`Removed ${created.indexes.length} index(es) and ${created.directories.length} directories`,
		);
	}
	return findings;
}

/** What the emulator does by default for a finding's question. */
export function emulatorDefault(finding: Finding): string {
	return finding.variant === 'documented' ? 'yes' : VARIANT_DEFAULTS[finding.variant];
}

/** `yes`, `NO`, or `?` when the point could not be probed or was not recognised. */
export function matchesDefault(finding: Finding): 'yes' | 'NO' | '?' {
	if (finding.observed === 'not probed' || finding.observed === 'unknown') return '?';
	return finding.observed === emulatorDefault(finding) ? 'yes' : 'NO';
}

/** The findings as a table, with the emulator's default next to each. */
export function report(findings: Finding[]): string {
	const rows = findings.map((f) => [
		f.variant === 'documented' ? f.question : f.variant,
		f.observed,
		emulatorDefault(f),
		matchesDefault(f),
		f.evidence,
	]);
	const header = ['probe', 'service', 'emulator default', 'matches', 'evidence'];
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
	const line = (cells: string[]) =>
		cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c)).join('  ');
	return [line(header), ...rows.map((r) => line(r.map(String)))].join('\n');
}
