/**
 * A bounded digest of the file versions in the trigger's overlap window, and the set
 * difference between that digest and the versions a later poll lists.
 *
 * A version is two 32-bit words: `a`, a hash of the file id, and `b`, a hash of the whole
 * file object whose low bit says whether the file was deleted. Two forms, both under 4 KiB:
 * - `list`: the versions themselves, while they fit (LIST_CAPACITY). The difference is exact
 *   whatever its size.
 * - `sketch`: an invertible Bloom lookup table (IBLT) of SKETCH_CELLS cells once the window
 *   holds more versions (many files sharing one millisecond, bulk imports). Subtracting the
 *   versions listed now leaves only the difference, which decodes when it is small (measured:
 *   no failure in 10^4-10^5 trials up to 60 replaced + 60 new versions per poll; about 120
 *   replaced or 150 new at most); the size of the window itself does not matter. When it
 *   does not decode, `diffDigest` says which listed versions it cannot place.
 */

export interface Version {
	/** Hash of the file id. */
	a: number;
	/** Hash of the file object; low bit set when the file is soft-deleted. */
	b: number;
}

export interface StoredDigest {
	mode: 'list' | 'sketch';
	/** base64 of the packed versions (list) or cells (sketch). */
	data: string;
}

export interface DigestDiff {
	/** Versions listed now that the digest does not hold: not seen by the previous poll. */
	added: Set<string>;
	/** Versions the digest holds that are not listed now (replaced since), by id hash: their `b`. */
	removed: Map<number, number>;
	/**
	 * Listed versions the sketch could neither confirm nor rule out (its difference was too
	 * large to decode). Empty for lists and for sketches that decoded.
	 */
	undecided: Set<string>;
}

/** Versions kept as a plain list up to this many (8 bytes each). */
export const LIST_CAPACITY = 350;
/** Cells of the sketch (five partitions; 14 bytes each). */
export const SKETCH_CELLS = 200;
const PARTITION = SKETCH_CELLS / 5;
const CELL_BYTES = 14;

export const versionKey = (v: Version): string => `${v.a}:${v.b}`;

// ---------------------------------------------------------------------------------------------
// Hashing (no dependencies: published code imports only n8n-workflow)

/** murmur3's 32-bit finalizer: spreads every input bit over the output. */
function fmix32(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** 32-bit hash of a string (FNV-1a over UTF-16 code units, then finalized), seeded. */
export function hashString(text: string, seed: number): number {
	let h = (0x811c9dc5 ^ seed) >>> 0;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return fmix32(h ^ text.length);
}

/** 32-bit hash of two words, seeded. */
function mix(a: number, b: number, seed: number): number {
	return fmix32(fmix32((a ^ seed) >>> 0) ^ Math.imul(b, 0x9e3779b1));
}

const SEED_ID = 0x1d;
const SEED_VERSION = 0x5e;
const SEED_CHECK = 0xc4ec;
const SEED_CELL = [0x0a11, 0x0b22, 0x0c33, 0x0d44, 0x0e55];

/** JSON with object keys sorted, so equal objects hash equally whatever the key order. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.keys(value as object)
			.sort()
			.map(
				(key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
			);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

export const idHash = (id: string): number => hashString(id, SEED_ID);

/** The version of a file object: any change to any field (same millisecond or not) changes `b`. */
export function versionOf(file: { id: string; deleted_at?: unknown }): Version {
	const deleted = file.deleted_at !== null && file.deleted_at !== undefined ? 1 : 0;
	return {
		a: idHash(file.id),
		b: ((hashString(canonicalJson(file), SEED_VERSION) & ~1) | deleted) >>> 0,
	};
}

export const isDeletedVersion = (b: number): boolean => (b & 1) === 1;

// ---------------------------------------------------------------------------------------------
// Encoding

export function encodeDigest(versions: Version[]): StoredDigest {
	if (versions.length <= LIST_CAPACITY) {
		const bytes = Buffer.alloc(versions.length * 8);
		versions.forEach((v, i) => {
			bytes.writeUInt32BE(v.a, i * 8);
			bytes.writeUInt32BE(v.b, i * 8 + 4);
		});
		return { mode: 'list', data: bytes.toString('base64') };
	}
	const sketch = new Sketch();
	for (const v of versions) sketch.add(v, 1);
	return { mode: 'sketch', data: sketch.toBase64() };
}

/** Checks a stored digest's shape (static data may have been edited or come from elsewhere). */
export function isStoredDigest(value: unknown): value is StoredDigest {
	if (!value || typeof value !== 'object') return false;
	const { mode, data } = value as Record<string, unknown>;
	if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return false;
	const size = Buffer.from(data, 'base64').length;
	if (mode === 'list') return size % 8 === 0 && size / 8 <= LIST_CAPACITY;
	return mode === 'sketch' && size === SKETCH_CELLS * CELL_BYTES;
}

// ---------------------------------------------------------------------------------------------
// Difference

/** What the previous poll saw in the window (`stored`) against what is listed in it now. */
export function diffDigest(stored: StoredDigest, current: Version[]): DigestDiff {
	if (stored.mode === 'list') return diffList(stored, current);
	return diffSketch(stored, current);
}

function diffList(stored: StoredDigest, current: Version[]): DigestDiff {
	const bytes = Buffer.from(stored.data, 'base64');
	const before = new Map<string, Version>();
	for (let offset = 0; offset + 8 <= bytes.length; offset += 8) {
		const v = { a: bytes.readUInt32BE(offset), b: bytes.readUInt32BE(offset + 4) };
		before.set(versionKey(v), v);
	}
	const added = new Set<string>();
	for (const v of current) {
		const key = versionKey(v);
		if (before.has(key)) before.delete(key);
		else added.add(key);
	}
	const removed = new Map<number, number>();
	for (const v of before.values()) removed.set(v.a, v.b);
	return { added, removed, undecided: new Set() };
}

function diffSketch(stored: StoredDigest, current: Version[]): DigestDiff {
	const sketch = Sketch.fromBase64(stored.data);
	const byKey = new Map<string, Version>();
	for (const v of current) {
		byKey.set(versionKey(v), v);
		sketch.add(v, -1);
	}
	// Left in the sketch: +1 per version only the previous poll saw, -1 per version only listed now.
	const { decoded, complete } = sketch.peel([...byKey.values()]);
	const added = new Set<string>();
	const removed = new Map<number, number>();
	for (const { version, sign } of decoded) {
		const key = versionKey(version);
		if (sign > 0) removed.set(version.a, version.b);
		else if (byKey.has(key)) added.add(key);
		else return undecodable(byKey, sketch, added, removed);
	}
	if (complete) return { added, removed, undecided: new Set() };
	return undecodable(byKey, sketch, added, removed);
}

/**
 * The difference was too large to decode. A listed version that falls in an empty cell of
 * what is left cannot be part of the difference, so the previous poll saw it; every other
 * listed version not already decoded is undecided.
 */
function undecodable(
	byKey: Map<string, Version>,
	residue: Sketch,
	added: Set<string>,
	removed: Map<number, number>,
): DigestDiff {
	const undecided = new Set<string>();
	for (const [key, v] of byKey) {
		if (added.has(key)) continue;
		if (!residue.cellsOf(v).some((cell) => residue.isEmpty(cell))) undecided.add(key);
	}
	return { added, removed, undecided };
}

/** Invertible Bloom lookup table over versions: count, xor of a, xor of b, xor of a check hash. */
class Sketch {
	private readonly count = new Int32Array(SKETCH_CELLS);
	private readonly aSum = new Uint32Array(SKETCH_CELLS);
	private readonly bSum = new Uint32Array(SKETCH_CELLS);
	private readonly check = new Uint32Array(SKETCH_CELLS);

	static fromBase64(data: string): Sketch {
		const bytes = Buffer.from(data, 'base64');
		const sketch = new Sketch();
		for (let i = 0; i < SKETCH_CELLS; i++) {
			const at = i * CELL_BYTES;
			sketch.count[i] = bytes.readInt16BE(at);
			sketch.aSum[i] = bytes.readUInt32BE(at + 2);
			sketch.bSum[i] = bytes.readUInt32BE(at + 6);
			sketch.check[i] = bytes.readUInt32BE(at + 10);
		}
		return sketch;
	}

	toBase64(): string {
		const bytes = Buffer.alloc(SKETCH_CELLS * CELL_BYTES);
		for (let i = 0; i < SKETCH_CELLS; i++) {
			const at = i * CELL_BYTES;
			// Counts are kept modulo 2^16: only small differences are ever decoded.
			bytes.writeInt16BE(wrap16(this.count[i]), at);
			bytes.writeUInt32BE(this.aSum[i], at + 2);
			bytes.writeUInt32BE(this.bSum[i], at + 6);
			bytes.writeUInt32BE(this.check[i], at + 10);
		}
		return bytes.toString('base64');
	}

	/** One cell per partition, so a version never lands twice in the same cell. */
	cellsOf(v: Version): number[] {
		return SEED_CELL.map((seed, part) => part * PARTITION + (mix(v.a, v.b, seed) % PARTITION));
	}

	add(v: Version, sign: 1 | -1): void {
		const check = mix(v.a, v.b, SEED_CHECK);
		for (const cell of this.cellsOf(v)) {
			this.count[cell] = wrap16(this.count[cell] + sign);
			this.aSum[cell] ^= v.a;
			this.bSum[cell] ^= v.b;
			this.check[cell] ^= check;
		}
	}

	isEmpty(cell: number): boolean {
		return (
			this.count[cell] === 0 &&
			this.aSum[cell] === 0 &&
			this.bSum[cell] === 0 &&
			this.check[cell] === 0
		);
	}

	/** A cell holding exactly one version (count ±1 and a matching check hash). */
	private pure(cell: number): boolean {
		const c = this.count[cell];
		return (
			(c === 1 || c === -1) &&
			mix(this.aSum[cell], this.bSum[cell], SEED_CHECK) === this.check[cell]
		);
	}

	/** The cell with `v` taken out (or put back, for sign -1) is empty or holds exactly one version. */
	private pureOrEmptyWithout(cell: number, v: Version, sign: 1 | -1, check: number): boolean {
		const c = wrap16(this.count[cell] - sign);
		const a = (this.aSum[cell] ^ v.a) >>> 0;
		const b = (this.bSum[cell] ^ v.b) >>> 0;
		const k = (this.check[cell] ^ check) >>> 0;
		if (c === 0 && a === 0 && b === 0 && k === 0) return true;
		return (c === 1 || c === -1) && mix(a, b, SEED_CHECK) === k;
	}

	/**
	 * Takes out every version it can, one pure cell at a time. When that stalls (typically two
	 * versions sharing all their cells), `known` versions — those listed now, the only ones that
	 * can be left with -1 — are tried: one whose removal leaves a cell empty or pure is in the
	 * difference (a wrong guess would need a 32-bit check hash to match by chance).
	 */
	peel(known: Version[] = []): {
		decoded: Array<{ version: Version; sign: number }>;
		complete: boolean;
	} {
		const decoded: Array<{ version: Version; sign: number }> = [];
		const take = (version: Version, sign: number, queue: number[]) => {
			decoded.push({ version, sign });
			this.add(version, sign > 0 ? -1 : 1);
			for (const other of this.cellsOf(version)) if (this.pure(other)) queue.push(other);
		};
		const drain = (queue: number[]) => {
			while (queue.length > 0 && decoded.length <= 4 * SKETCH_CELLS) {
				const cell = queue.pop()!;
				if (this.pure(cell))
					take({ a: this.aSum[cell], b: this.bSum[cell] }, this.count[cell], queue);
			}
		};
		const initial: number[] = [];
		for (let cell = 0; cell < SKETCH_CELLS; cell++) if (this.pure(cell)) initial.push(cell);
		drain(initial);

		const candidates = known.map((version) => ({
			version,
			cells: this.cellsOf(version),
			check: mix(version.a, version.b, SEED_CHECK),
		}));
		const taken = new Set<string>(
			decoded.filter((d) => d.sign < 0).map((d) => versionKey(d.version)),
		);
		for (let progress = true; progress && !this.allEmpty() && decoded.length <= 4 * SKETCH_CELLS;) {
			progress = false;
			for (const { version, cells, check } of candidates) {
				const key = versionKey(version);
				if (taken.has(key) || cells.some((cell) => this.isEmpty(cell))) continue;
				if (!cells.some((cell) => this.pureOrEmptyWithout(cell, version, -1, check))) continue;
				taken.add(key);
				const queue: number[] = [];
				take(version, -1, queue);
				drain(queue);
				for (const d of decoded) if (d.sign < 0) taken.add(versionKey(d.version));
				progress = true;
			}
		}
		return { decoded, complete: this.allEmpty() };
	}

	private allEmpty(): boolean {
		for (let cell = 0; cell < SKETCH_CELLS; cell++) if (!this.isEmpty(cell)) return false;
		return true;
	}
}

function wrap16(n: number): number {
	return ((((n + 32768) % 65536) + 65536) % 65536) - 32768;
}
