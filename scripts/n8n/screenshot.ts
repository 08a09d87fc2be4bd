/**
 * Screenshots of the real n8n editor with headless Chromium (Debian's `chromium`; install it with
 * `apt-get install -y chromium`).
 *
 *   npm run screenshot
 *     regenerates the README images in docs/: a throw-away n8n instance (like `npm run dev`:
 *     the package, the emulator, the demo credential, examples/) is started and stopped.
 *     Needs the package built and n8n installed (`npm run build`, `npm run n8n:install`).
 *   npx tsx scripts/n8n/screenshot.ts <editor url> <out.png> [route, default /home/workflows]
 *     one page of an editor that is already running, e.g. with `npm run dev`:
 *     npx tsx scripts/n8n/screenshot.ts http://localhost:5678 /tmp/editor.png /workflow/<id>
 *
 * How it works (checked with n8n 2.41.1 and Chromium 14x):
 * - Chromium starts headless with a new empty profile and without any of its own network
 *   traffic (these machines reach only the npm registry and Debian), and opens a DevTools
 *   port, which it writes to <profile>/DevToolsActivePort.
 * - The script drives it over the DevTools protocol (CDP). Node 20 has no WebSocket, so it
 *   borrows `ws` from n8n's install in .cache/n8n.
 * - Login: the editor keeps a `browser-id` in localStorage (`n8n-browserId`) and n8n binds the
 *   auth cookie to it, so a cookie obtained elsewhere is rejected. The script therefore logs in
 *   from inside the page: POST /rest/login with that header, as the sign-in form does.
 * - Clicks are real mouse events (Input.dispatchMouseEvent) at an element's centre: the
 *   editor's dropdowns and canvas ignore synthetic DOM clicks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startEmulator } from '../../emulator/index';
import {
	demoCredential,
	DEV_OWNER,
	ensureInstalled,
	importCredentials,
	importWorkflow,
	loadWorkflow,
	makeFilesFolder,
	makeUserFolder,
	missingBuildFiles,
	n8nPaths,
	startServer,
} from '../../harness/n8n';

type Ws = {
	on(event: 'message', cb: (data: Buffer) => void): void;
	once(event: 'open' | 'error', cb: (arg?: unknown) => void): void;
	send(text: string): void;
	close(): void;
};

export interface Page {
	send(method: string, params?: object): Promise<any>;
	/** Evaluates an expression in the page (promises awaited); returns its JSON value. */
	evaluate<T = any>(expression: string): Promise<T>;
	/** Polls until a CSS selector (or an expression, when `js`) is truthy; throws after `timeoutMs`. */
	waitFor(selectorOrJs: string, opts?: { js?: boolean; timeoutMs?: number }): Promise<void>;
	/** A real mouse click at the centre of the first element matching `selector` (and `text`, if given). */
	click(selector: string, opts?: { text?: string; double?: boolean }): Promise<void>;
	/** Types text into the focused element. */
	type(text: string): Promise<void>;
	key(key: string, code?: string, keyCode?: number): Promise<void>;
	navigate(url: string): Promise<void>;
	screenshot(
		out: string,
		clip?: { x: number; y: number; width: number; height: number },
	): Promise<void>;
}

export interface Browser {
	page: Page;
	close(): Promise<void>;
}

export const VIEWPORT = { width: 1440, height: 900 };

export async function launchChromium(): Promise<Browser> {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
	const chromium: ChildProcess = spawn(
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
			'--hide-scrollbars',
			`--user-data-dir=${profile}`,
			`--window-size=${VIEWPORT.width},${VIEWPORT.height}`,
			'--remote-debugging-port=0',
			'about:blank',
		],
		{ stdio: 'ignore', detached: true }, // own process group: its helper processes go with it
	);
	let failed: Error | undefined;
	chromium.once('error', (error) => {
		failed = new Error(
			`cannot start chromium (${error.message}); install it with: apt-get install -y chromium`,
		);
	});
	const close = async () => {
		if (chromium.pid !== undefined && chromium.exitCode === null && chromium.signalCode === null) {
			const exited = new Promise((resolve) => chromium.once('exit', resolve));
			try {
				process.kill(-chromium.pid, 'SIGKILL');
			} catch {
				// already gone
			}
			await exited;
		}
		// Its helpers may still be flushing into the profile for a moment.
		fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
	};
	try {
		const portFile = path.join(profile, 'DevToolsActivePort');
		for (let i = 0; i < 200 && !failed && !fs.existsSync(portFile); i++) await sleep(100);
		if (failed) throw failed;
		if (!fs.existsSync(portFile))
			throw new Error('chromium did not open its DevTools port within 20 s');
		const port = fs.readFileSync(portFile, 'utf8').split('\n')[0];
		const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
			type: string;
			webSocketDebuggerUrl: string;
		}>;
		const target = targets.find((t) => t.type === 'page');
		if (!target) throw new Error('no page target');
		const page = await connect(target.webSocketDebuggerUrl);
		return {
			page,
			close: async () => {
				await close();
			},
		};
	} catch (error) {
		await close();
		throw error;
	}
}

async function connect(url: string): Promise<Page> {
	const WebSocket = require(path.join(n8nPaths().cacheDir, 'node_modules', 'ws')) as new (
		url: string,
	) => Ws;
	const ws = new WebSocket(url);
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
			pending.set(id, (msg) => {
				pending.delete(id);
				if (msg.error) reject(new Error(`${method}: ${JSON.stringify(msg.error)}`));
				else resolve(msg.result);
			});
			ws.send(JSON.stringify({ id, method, params }));
		});
	const evaluate = async (expression: string) => {
		const r = await send('Runtime.evaluate', {
			expression,
			awaitPromise: true,
			returnByValue: true,
		});
		if (r.exceptionDetails)
			throw new Error(
				`in the page: ${JSON.stringify(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text)}`,
			);
		return r.result?.value;
	};
	await send('Page.enable');
	await send('Emulation.setDeviceMetricsOverride', {
		...VIEWPORT,
		deviceScaleFactor: 1,
		mobile: false,
	});

	const findCentre = (selector: string, text?: string) =>
		evaluate(`(() => {
			const all = [...document.querySelectorAll(${JSON.stringify(selector)})];
			const el = all.find((e) => ${text === undefined ? 'true' : `e.textContent.trim() === ${JSON.stringify(text)}`} && e.getClientRects().length > 0);
			if (!el) return null;
			el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
			const r = el.getBoundingClientRect();
			return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
		})()`) as Promise<{ x: number; y: number } | null>;

	const page: Page = {
		send,
		evaluate,
		waitFor: async (selectorOrJs, opts = {}) => {
			const expression = opts.js
				? selectorOrJs
				: `!!document.querySelector(${JSON.stringify(selectorOrJs)})`;
			const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
			while (!(await evaluate(expression))) {
				if (Date.now() > deadline) throw new Error(`timed out waiting for ${selectorOrJs}`);
				await sleep(200);
			}
		},
		click: async (selector, opts = {}) => {
			const at = await findCentre(selector, opts.text);
			if (!at)
				throw new Error(`nothing to click: ${selector}${opts.text ? ` "${opts.text}"` : ''}`);
			await send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: at.x, y: at.y });
			for (let n = 1; n <= (opts.double ? 2 : 1); n++) {
				await send('Input.dispatchMouseEvent', {
					type: 'mousePressed',
					x: at.x,
					y: at.y,
					button: 'left',
					clickCount: n,
				});
				await send('Input.dispatchMouseEvent', {
					type: 'mouseReleased',
					x: at.x,
					y: at.y,
					button: 'left',
					clickCount: n,
				});
			}
		},
		type: async (text) => {
			await send('Input.insertText', { text });
		},
		key: async (key, code = key, keyCode) => {
			for (const type of ['keyDown', 'keyUp']) {
				await send('Input.dispatchKeyEvent', {
					type,
					key,
					code,
					windowsVirtualKeyCode: keyCode,
					nativeVirtualKeyCode: keyCode,
				});
			}
		},
		navigate: async (url) => {
			await send('Page.navigate', { url });
		},
		screenshot: async (out, clip) => {
			const shot = await send('Page.captureScreenshot', {
				format: 'png',
				...(clip ? { clip: { ...clip, scale: 1 } } : {}),
			});
			fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
			fs.writeFileSync(out, Buffer.from(shot.data as string, 'base64'));
		},
	};
	return page;
}

/** Opens the sign-in page and logs in as DEV_OWNER from inside it (see the header). */
export async function logIn(page: Page, editorUrl: string): Promise<void> {
	await page.navigate(`${editorUrl}/signin`);
	// The editor creates its browser id on load.
	await page.waitFor(`!!localStorage.getItem('n8n-browserId')`, { js: true });
	const status = await page.evaluate(`(async () => {
		const r = await fetch('/rest/login', {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': localStorage.getItem('n8n-browserId') },
			credentials: 'include',
			body: JSON.stringify(${JSON.stringify({ emailOrLdapLoginId: DEV_OWNER.email, password: DEV_OWNER.password })}),
		});
		return r.status;
	})()`);
	if (status !== 200) throw new Error(`login from the page failed: HTTP ${status}`);
}

/** Removes the editor's notification toasts (they would cover part of a shot). */
async function hideToasts(page: Page): Promise<void> {
	await page.evaluate(`document.querySelectorAll('.el-notification').forEach((n) => n.remove())`);
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One page of a running editor (the original use of this script). */
async function captureRoute(editorUrl: string, out: string, route: string): Promise<void> {
	const browser = await launchChromium();
	try {
		await logIn(browser.page, editorUrl);
		await browser.page.navigate(`${editorUrl}${route}`);
		// No single event marks "rendered": wait for canvas nodes on a workflow page (or the
		// main area of any other page), then a moment for fonts and edges.
		await browser.page.waitFor(route.startsWith('/workflow/') ? '.vue-flow__node' : 'main');
		await sleep(1500);
		await browser.page.screenshot(out);
		console.log(`wrote ${out}`);
	} finally {
		await browser.close();
	}
}

async function main(): Promise<void> {
	const [editorUrl, out, route = '/home/workflows'] = process.argv.slice(2);
	if (editorUrl) {
		if (!out) throw new Error('usage: screenshot.ts [<editor url> <out.png> [route]]');
		await captureRoute(editorUrl, out, route);
		return;
	}
	await regenerateDocs();
}

if (require.main === module) {
	main().catch((error) => {
		console.error(`screenshot: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	});
}

/** Opens a workflow and runs it from the editor; resolves once every node has succeeded. */
async function runOnCanvas(page: Page, url: string): Promise<void> {
	await page.navigate(url);
	await page.waitFor('[data-test-id="canvas-node"]');
	await sleep(1500);
	await page.click('[data-test-id="execute-workflow-button"]');
	await page.waitFor(
		`document.querySelectorAll('[data-test-id="canvas-node-status-success"]').length === document.querySelectorAll('[data-test-id="canvas-node"]').length`,
		{ js: true, timeoutMs: 120_000 },
	);
	await sleep(1500);
}

/** Which example the canvas and node shots show, and its node with the operation list. */
const CANVAS_WORKFLOW = 'llcIngestFolder';
const OPERATIONS_NODE = 'Upload files';
/** The mirror example and its Mirror node (its report in the output panel). */
const MIRROR_WORKFLOW = 'llcMirrorFolder';
const MIRROR_NODE = 'Mirror folder';

/**
 * The README images, from a throw-away instance set up like `npm run dev`:
 * - docs/workflow-canvas.png: examples/ingest-folder.json on the canvas, just run in the editor;
 * - docs/node-operations.png: the LlamaCloud node's parameters with its Operation list open;
 * - docs/credential-form.png: the "LlamaCloud API" credential, its connection test passed;
 * - docs/mirror-workflow.png, docs/mirror-node.png: examples/mirror-folder.json run in the
 *   editor, and its Mirror node with the run's report.
 */
async function regenerateDocs(): Promise<void> {
	const { repoRoot } = n8nPaths();
	ensureInstalled();
	const missing = missingBuildFiles();
	if (missing.length > 0)
		throw new Error(`build first (npm run build): missing ${missing.join(', ')}`);
	const docs = path.join(repoRoot, 'docs');

	// The emulator's URL shows in the credential form: a fixed port keeps the image stable.
	const emulator = await startEmulator({ apiKey: 'llx-screenshot-emulator-key', port: 8787 }).catch(
		async () => await startEmulator({ apiKey: 'llx-screenshot-emulator-key' }),
	);
	const uf = await makeUserFolder();
	const files = makeFilesFolder(uf.dir);
	// The mirror example's folder: the samples, as the demo's first run has them.
	fs.cpSync(
		path.join(repoRoot, 'examples', 'sample-docs'),
		path.join(files.dir, 'llamacloud-mirror'),
		{
			recursive: true,
		},
	);
	uf.env.N8N_RESTRICT_FILE_ACCESS_TO = files.dir;
	let server: Awaited<ReturnType<typeof startServer>> | undefined;
	let browser: Browser | undefined;
	try {
		await importCredentials(uf, [demoCredential(emulator)]);
		const examples = fs
			.readdirSync(path.join(repoRoot, 'examples'))
			.filter((f) => f.endsWith('.json'))
			.map((f) => loadWorkflow(path.join('examples', f), files.dir));
		await importWorkflow(uf, examples, { allowBadIds: true });
		server = await startServer(uf);
		const editor = `http://localhost:${uf.port}`;
		browser = await launchChromium();
		const { page } = browser;
		await logIn(page, editor);

		// 1. The canvas, after running the workflow in the editor: every node green, item counts.
		await runOnCanvas(page, `${editor}/workflow/${CANVAS_WORKFLOW}`);
		await page.screenshot(path.join(docs, 'workflow-canvas.png'));
		console.log('wrote docs/workflow-canvas.png');

		// 2. The node's parameters (with the run's input and output) and its Operation list.
		await page.click(`[data-test-id="canvas-node"][data-node-name="${OPERATIONS_NODE}"]`, {
			double: true,
		});
		await page.waitFor('[data-test-id="parameter-input-operation"]');
		await sleep(1000);
		await page.click('[data-test-id="parameter-input-operation"]');
		await page.waitFor('.el-select-dropdown__list');
		// The list opens scrolled to the current operation with a capped height: show all of it.
		await page.evaluate(`(() => {
			const style = document.createElement('style');
			style.textContent = '.el-select-dropdown__wrap { max-height: none !important; }';
			document.head.appendChild(style);
		})()`);
		await sleep(800);
		await hideToasts(page); // the run's "executed successfully" may still be showing
		await page.screenshot(path.join(docs, 'node-operations.png'));
		console.log('wrote docs/node-operations.png');

		// 3. The credential form, opened from the credentials list (its connection test runs).
		await page.navigate(`${editor}/home/credentials`);
		await page.waitFor('[data-test-id="resources-list-item"]', { timeoutMs: 60_000 });
		await sleep(500);
		await page.click('[data-test-id="resources-list-item"]');
		await page.waitFor('[data-test-id="credentials-config-container-test-success"]');
		await sleep(800);
		await hideToasts(page);
		await page.screenshot(path.join(docs, 'credential-form.png'));
		console.log('wrote docs/credential-form.png');

		// 4. The mirror example, run; then its Mirror node with the report in the output panel.
		await runOnCanvas(page, `${editor}/workflow/${MIRROR_WORKFLOW}`);
		await hideToasts(page);
		await page.screenshot(path.join(docs, 'mirror-workflow.png'));
		console.log('wrote docs/mirror-workflow.png');
		await page.click(`[data-test-id="canvas-node"][data-node-name="${MIRROR_NODE}"]`, {
			double: true,
		});
		await page.waitFor('[data-test-id="parameter-input-operation"]');
		await sleep(1500);
		await hideToasts(page);
		await page.screenshot(path.join(docs, 'mirror-node.png'));
		console.log('wrote docs/mirror-node.png');
	} finally {
		await browser?.close();
		await server?.stop();
		await emulator.close();
		uf.remove();
	}
}
