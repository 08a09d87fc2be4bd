/**
 * Screenshots of the real n8n editor with headless Chromium (Debian's `chromium`; install it with
 * `apt-get install -y chromium`). A sketch for docs/README images, not part of the tests.
 *
 *   npx tsx scripts/n8n/screenshot.ts <editor url> <out.png> [path, default /home/workflows]
 *   e.g. with `npm run dev` running:
 *   npx tsx scripts/n8n/screenshot.ts http://localhost:5678 docs/editor.png /workflow/<id>
 *
 * How it works (checked with n8n 2.41.1 and Chromium 156):
 * - Chromium starts headless with a new empty profile and without any of its own network
 *   traffic (these machines reach only the npm registry and Debian), and opens a DevTools
 *   port, which it writes to <profile>/DevToolsActivePort.
 * - The script drives it over the DevTools protocol (CDP). Node 20 has no WebSocket, so it
 *   borrows `ws` from n8n's install in .cache/n8n.
 * - Login: the editor keeps a `browser-id` in localStorage (`n8n-browserId`) and n8n binds the
 *   auth cookie to it, so a cookie obtained elsewhere is rejected. The script therefore logs in
 *   from inside the page: POST /rest/login with that header, as the sign-in form does.
 * - `chromium --screenshot=<file> <url>` alone is enough for pages without login (/signin).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { DEV_OWNER, n8nPaths } from '../../test/e2e/n8n';

type Ws = {
	on(event: 'message', cb: (data: Buffer) => void): void;
	once(event: 'open' | 'error', cb: (arg?: unknown) => void): void;
	send(text: string): void;
	close(): void;
};

async function main(): Promise<void> {
	const [editorUrl, out, route = '/home/workflows'] = process.argv.slice(2);
	if (!editorUrl || !out) throw new Error('usage: screenshot.ts <editor url> <out.png> [route]');

	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
	const chromium = spawn(
		'chromium',
		[
			'--headless',
			'--no-sandbox', // running as root in a container
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage',
			`--user-data-dir=${profile}`,
			'--window-size=1440,900',
			'--remote-debugging-port=0',
			'about:blank',
		],
		{ stdio: 'ignore', detached: true }, // own process group: its helper processes go with it
	);
	try {
		const portFile = path.join(profile, 'DevToolsActivePort');
		for (let i = 0; i < 100 && !fs.existsSync(portFile); i++) await sleep(100);
		const port = fs.readFileSync(portFile, 'utf8').split('\n')[0];
		const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ type: string; webSocketDebuggerUrl: string }>;
		const page = targets.find((t) => t.type === 'page');
		if (!page) throw new Error('no page target');

		const WebSocket = require(path.join(n8nPaths().cacheDir, 'node_modules', 'ws')) as new (url: string) => Ws;
		const ws = new WebSocket(page.webSocketDebuggerUrl);
		await new Promise((resolve, reject) => {
			ws.once('open', resolve);
			ws.once('error', reject);
		});
		let nextId = 0;
		const pending = new Map<number, (msg: { result?: any; error?: unknown }) => void>();
		ws.on('message', (data) => {
			const msg = JSON.parse(data.toString()) as { id?: number; result?: any; error?: unknown };
			if (msg.id !== undefined) pending.get(msg.id)?.(msg);
		});
		const send = (method: string, params: object = {}) =>
			new Promise<any>((resolve, reject) => {
				const id = ++nextId;
				pending.set(id, (msg) => (msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result)));
				ws.send(JSON.stringify({ id, method, params }));
			});
		const evaluate = async (expression: string) =>
			(await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })).result?.value;

		await send('Page.enable');
		await send('Page.navigate', { url: `${editorUrl}/signin` });
		await sleep(3000); // the editor creates its browser id on load
		const status = await evaluate(`(async () => {
			const browserId = localStorage.getItem('n8n-browserId') ?? '';
			const r = await fetch('/rest/login', {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'browser-id': browserId },
				credentials: 'include',
				body: JSON.stringify(${JSON.stringify({ emailOrLdapLoginId: DEV_OWNER.email, password: DEV_OWNER.password })}),
			});
			return r.status;
		})()`);
		if (status !== 200) throw new Error(`login from the page failed: HTTP ${status}`);

		await send('Page.navigate', { url: `${editorUrl}${route}` });
		// No single event marks "rendered": wait for canvas nodes on a workflow page (or give any
		// other page a few seconds), then a moment for fonts and edges.
		const selector = route.startsWith('/workflow/') ? '.vue-flow__node' : 'main';
		for (let i = 0; i < 120 && !(await evaluate(`!!document.querySelector(${JSON.stringify(selector)})`)); i++) await sleep(250);
		await sleep(1500);
		const shot = await send('Page.captureScreenshot', { format: 'png' });
		fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
		fs.writeFileSync(out, Buffer.from(shot.data as string, 'base64'));
		console.log(`wrote ${out}`);
		ws.close();
	} finally {
		const exited = new Promise((resolve) => chromium.once('exit', resolve));
		process.kill(-chromium.pid!, 'SIGKILL');
		await exited;
		// Its helpers may still be flushing into the profile for a moment.
		fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error) => {
	console.error(`screenshot: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
