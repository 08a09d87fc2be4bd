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

export function compareKeys(a: SortKey, b: SortKey): number {
	if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class SortedList<T> {
	private items: T[] = [];

	constructor(private readonly keyOf: (item: T) => SortKey) {}

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

	/** Index of the first item whose key is >= key. */
	lowerBound(key: SortKey): number {
		let lo = 0;
		let hi = this.items.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (compareKeys(this.keyOf(this.items[mid]), key) < 0) lo = mid + 1;
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
			if (compareKeys(this.keyOf(this.items[mid]), key) <= 0) lo = mid + 1;
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
		if (last === undefined || compareKeys(this.keyOf(last), key) < 0) {
			this.items.push(item);
			return;
		}
		this.items.splice(this.upperBound(key), 0, item);
	}

	/** Adds many items at once (seeding 100,000 files must not cost 100,000 splices). */
	insertMany(items: T[]): void {
		for (const item of items) this.items.push(item);
		this.items.sort((a, b) => compareKeys(this.keyOf(a), this.keyOf(b)));
	}

	/** Removes an item; call it BEFORE changing the fields its key is made of. */
	remove(item: T): boolean {
		const index = this.lowerBound(this.keyOf(item));
		if (this.items[index] !== item) return false;
		this.items.splice(index, 1);
		return true;
	}

	clear(): void {
		this.items = [];
	}
}
