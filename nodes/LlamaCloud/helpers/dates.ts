/**
 * Dates for query filters: a dateTime parameter as the ISO instant the API expects, in the
 * workflow's time zone (Intl, since published code has no luxon).
 */

const HAS_ZONE = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;
const WALL_CLOCK =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/** Offset of a time zone from UTC at an instant, in ms. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	}).formatToParts(new Date(utcMs));
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	const wall = Date.UTC(
		part('year'),
		part('month') - 1,
		part('day'),
		part('hour'),
		part('minute'),
		part('second'),
	);
	return wall - Math.floor(utcMs / 1000) * 1000;
}

/**
 * An ISO instant for a dateTime parameter. The date picker gives wall-clock time without an
 * offset, which n8n means in the workflow's time zone; values with an offset are taken as is.
 */
export function toIsoInstant(value: unknown, timeZone: string): string | undefined {
	if (Object.prototype.toString.call(value) === '[object Date]') {
		// A Date from an expression (possibly from another realm, hence no instanceof).
		const time = (value as Date).getTime();
		return Number.isNaN(time) ? undefined : new Date(time).toISOString();
	}
	const text = String(value ?? '').trim();
	if (HAS_ZONE.test(text)) {
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
	}
	const m = WALL_CLOCK.exec(text);
	if (!m) return undefined;
	const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
	const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, '0'));
	// Date.UTC rolls 2026-13-45 over into 2027: refuse values that did not survive as written.
	const check = new Date(wall);
	const asWritten = [
		check.getUTCMonth() + 1,
		check.getUTCDate(),
		check.getUTCHours(),
		check.getUTCMinutes(),
	];
	if (asWritten.join() !== [+mo, +d, +h, +mi].join()) return undefined;
	let utc = wall;
	try {
		// Two passes settle the offset around daylight-saving changes.
		utc = wall - zoneOffsetMs(wall - zoneOffsetMs(wall, timeZone), timeZone);
	} catch {
		// Unknown time zone name: read the time as UTC.
	}
	const date = new Date(utc);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
