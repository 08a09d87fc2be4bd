/**
 * An array kept sorted by a `(ms, id)` key, the keyset that list pagination walks.
 *
 * Lists are sorted once, at insert time, so a page costs a binary search plus the scan of the
 * page instead of a sort of the whole directory per request.
 */

/** A sort key: a timestamp in ms, ties broken by id. */
export interface SortKey {
	ms: number;
	id: string;
}

export class SortedList<T> {
	private items: T[] = [];

	/** `msOf` / `idOf` read an item's key without allocating (binary searches run on every page). */
	constructor(
		private readonly msOf: (item: T) => number,
		private readonly idOf: (item: T) => string,
	) {}

	get length(): number {
		return this.items.length;
	}

	at(index: number): T {
		return this.items[index];
	}

	/** A copy, in order. */
	toArray(): T[] {
		return this.items.slice();
	}

	keyOf(item: T): SortKey {
		return { ms: this.msOf(item), id: this.idOf(item) };
	}

	private compareTo(item: T, key: SortKey): number {
		const ms = this.msOf(item);
		if (ms !== key.ms) return ms < key.ms ? -1 : 1;
		const id = this.idOf(item);
		return id < key.id ? -1 : id > key.id ? 1 : 0;
	}

	/** Index of the first item whose key is >= key. */
	lowerBound(key: SortKey): number {
		let lo = 0;
		let hi = this.items.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.compareTo(this.items[mid], key) < 0) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/** Index of the first item whose key is > key. */
	upperBound(key: SortKey): number {
		let lo = 0;
		let hi = this.items.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.compareTo(this.items[mid], key) <= 0) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/** Index of the first item with ms >= the given (possibly fractional) ms. */
	firstAtOrAfter(ms: number): number {
		return this.lowerBound({ ms: Math.ceil(ms), id: '' });
	}

	/** Index just past the last item with ms <= the given (possibly fractional) ms. */
	endAtOrBefore(ms: number): number {
		return this.lowerBound({ ms: Math.floor(ms) + 1, id: '' });
	}

	insert(item: T): void {
		const key = this.keyOf(item);
		const last = this.items[this.items.length - 1];
		// New and updated items usually carry the newest timestamp: append without searching.
		if (last === undefined || this.compareTo(last, key) < 0) {
			this.items.push(item);
			return;
		}
		this.items.splice(this.upperBound(key), 0, item);
	}

	/** Adds many items at once (seeding 100,000 files must not cost 100,000 splices). */
	insertMany(items: T[]): void {
		for (const item of items) this.items.push(item);
		const { msOf, idOf } = this;
		this.items.sort((a, b) => {
			const am = msOf(a);
			const bm = msOf(b);
			if (am !== bm) return am - bm;
			const ai = idOf(a);
			const bi = idOf(b);
			return ai < bi ? -1 : ai > bi ? 1 : 0;
		});
	}

	/** Removes an item; call it BEFORE changing the fields its key is made of. */
	remove(item: T): boolean {
		const index = this.lowerBound(this.keyOf(item));
		if (this.items[index] !== item) return false;
		this.items.splice(index, 1);
		return true;
	}
}
