/**
 * A plain HTTP forward proxy between the node and the emulator, for tests of the node's
 * "Proxy" Request Option: it forwards real requests (node:http only) and records them.
 */
import {
	createServer,
	request,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Front {
	url: string;
	/** "METHOD path" of every request that came through, in order. */
	seen: string[];
	close(): Promise<void>;
}

/** Forwards `req` to `target` (an http origin) and pipes the answer back. */
function forward(req: IncomingMessage, res: ServerResponse, target: URL, path: string): void {
	const upstream = request(
		{
			host: target.hostname,
			port: target.port,
			method: req.method,
			path,
			headers: { ...req.headers, host: target.host },
		},
		(answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		},
	);
	upstream.on('error', () => res.destroy());
	req.pipe(upstream);
}

async function listen(server: Server, scheme: string, seen: string[]): Promise<Front> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`,
		seen,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

/**
 * An HTTP forward proxy for http targets: requests arrive with an absolute URL
 * (`GET http://host/path`), are recorded as "METHOD http://host/path" and forwarded.
 */
export async function startForwardProxy(): Promise<Front> {
	const seen: string[] = [];
	const server = createServer((req, res) => {
		const url = req.url ?? '';
		if (!/^http:\/\//.test(url)) {
			res.writeHead(400).end('not a proxy request');
			return;
		}
		seen.push(`${req.method} ${url}`);
		const target = new URL(url);
		forward(req, res, target, `${target.pathname}${target.search}`);
	});
	return await listen(server, 'http', seen);
}
