/**
 * A TCP proxy on loopback that delays every byte by half a round trip in each direction, so
 * that a client on this machine meets the real service's round trip (these kernels may lack
 * netem). It forwards bytes only (TLS passes through untouched: the handshake pays its round
 * trips as on a real network) and keeps their order. A new connection also pays the TCP
 * handshake: its first bytes reach the server one round trip later than they would on an open
 * connection, as after SYN / SYN-ACK. Bandwidth is not limited.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface DelayProxyOptions {
	targetHost: string;
	targetPort: number;
	/** Round trip added to every exchange, in ms. */
	rttMs: number;
	host?: string;
}

export interface DelayProxy {
	readonly host: string;
	readonly port: number;
	/** Connections accepted so far (a client that reuses connections opens few). */
	readonly connections: number;
	close(): Promise<void>;
}

/** Above this many bytes held (queued or in the socket's buffer) the sending side is paused. */
const HIGH_WATER = 4 * 1024 * 1024;

const RESET = Symbol('reset');
type Piece = Buffer | null | typeof RESET; // null: end of stream

/** One direction of a connection: each piece goes out `delayMs` after it came in, in order. */
class DelayedPipe {
	private readonly queue: Array<{ at: number; piece: Piece }> = [];
	private queuedBytes = 0;
	private timer: NodeJS.Timeout | null = null;

	constructor(
		private readonly from: Socket,
		private readonly to: Socket,
		private readonly delayMs: number,
		/** Nothing is sent before this time (performance.now()): the TCP handshake. */
		private readonly notBefore = 0,
	) {
		from.on('data', (chunk: Buffer) => this.push(chunk));
		from.on('end', () => this.push(null));
		from.on('close', (hadError) => hadError && this.push(RESET));
		to.on('drain', () => this.resumeIfRoom());
	}

	private push(piece: Piece): void {
		const at = Math.max(performance.now(), this.notBefore) + this.delayMs;
		this.queue.push({ at, piece });
		if (Buffer.isBuffer(piece)) {
			this.queuedBytes += piece.length;
			if (this.queuedBytes + this.to.writableLength > HIGH_WATER) this.from.pause();
		}
		this.schedule();
	}

	private schedule(): void {
		if (this.timer || this.queue.length === 0) return;
		const wait = Math.max(0, this.queue[0].at - performance.now());
		this.timer = setTimeout(() => {
			this.timer = null;
			this.flush();
		}, wait);
	}

	private flush(): void {
		// Pieces due within half a millisecond go now: timers have millisecond granularity.
		const due = performance.now() + 0.5;
		while (this.queue.length > 0 && this.queue[0].at <= due) {
			const { piece } = this.queue.shift()!;
			if (piece === RESET) {
				this.to.destroy();
				this.queue.length = 0;
				return;
			}
			if (piece === null) {
				this.to.end();
				continue;
			}
			this.queuedBytes -= piece.length;
			if (!this.to.destroyed) this.to.write(piece);
		}
		this.resumeIfRoom();
		this.schedule();
	}

	private resumeIfRoom(): void {
		if (this.from.isPaused() && this.queuedBytes + this.to.writableLength <= HIGH_WATER / 2)
			this.from.resume();
	}

	stop(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.queue.length = 0;
	}
}

export async function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
	const host = options.host ?? '127.0.0.1';
	const oneWay = options.rttMs / 2;
	const open = new Set<Socket>();
	const pipes = new Set<DelayedPipe>();
	let connections = 0;

	const server: Server = createServer((client) => {
		connections++;
		const accepted = performance.now();
		const upstream = connect({ host: options.targetHost, port: options.targetPort });
		for (const socket of [client, upstream]) {
			socket.setNoDelay(true);
			socket.on('error', () => undefined); // a reset is forwarded as one (DelayedPipe), never thrown
			open.add(socket);
			socket.on('close', () => open.delete(socket));
		}
		const up = new DelayedPipe(client, upstream, oneWay, accepted + options.rttMs);
		const down = new DelayedPipe(upstream, client, oneWay);
		pipes.add(up).add(down);
		client.on('close', () => pipes.delete(up));
		upstream.on('close', () => pipes.delete(down));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, () => resolve());
	});
	return {
		host,
		port: (server.address() as AddressInfo).port,
		get connections() {
			return connections;
		},
		close: async () => {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			for (const pipe of pipes) pipe.stop();
			for (const socket of open) socket.destroy();
			await closed;
		},
	};
}
