/**
 * Character offsets as the real service counts them: it is written in Python, whose strings
 * index code points, while JavaScript strings index UTF-16 code units. The two differ only
 * after a character outside the BMP (an emoji, say), so texts without one take the fast path.
 */
export class CodePointOffsets {
	/** UTF-16 indices where a surrogate pair starts, ascending. */
	private readonly pairs: number[] = [];

	constructor(readonly text: string) {
		for (let i = 0; i < text.length - 1; i++) {
			const code = text.charCodeAt(i);
			if (code >= 0xd800 && code <= 0xdbff) {
				const next = text.charCodeAt(i + 1);
				if (next >= 0xdc00 && next <= 0xdfff) this.pairs.push(i++);
			}
		}
	}

	/** Length in code points. */
	get length(): number {
		return this.text.length - this.pairs.length;
	}

	/** A UTF-16 index → code point index. */
	toCodePoint(unit: number): number {
		return unit - countBelow(this.pairs, unit);
	}

	/** A code point index → UTF-16 index (clamped to the text). */
	toUnit(codePoint: number): number {
		if (codePoint >= this.length) return this.text.length;
		let unit = codePoint;
		// Each pair before the position adds one unit; walk the (few) pairs in order.
		for (const pair of this.pairs) {
			if (pair >= unit) break;
			unit++;
		}
		return unit;
	}
}

/** How many sorted values are below `value`. */
export function countBelow(sorted: readonly number[], value: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (sorted[mid] < value) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
