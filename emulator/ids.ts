/** Opaque ids and timestamps. */
import { randomUUID } from 'node:crypto';

/** Id prefixes make ids recognisable in logs; clients must still treat ids as opaque strings. */
export const ID_PREFIX = {
	directory: 'dir',
	directoryFile: 'dfl',
	file: 'file',
	index: 'idx',
	exportConfig: 'exp',
	syncConfig: 'syn',
} as const;

export function newId(prefix: (typeof ID_PREFIX)[keyof typeof ID_PREFIX]): string {
	return `${prefix}-${randomUUID()}`;
}

/** A moment as the store keeps it: integer ms for sorting, ISO text for responses. */
export interface Stamp {
	ms: number;
	iso: string;
}

export function stampOf(ms: number): Stamp {
	const whole = Math.floor(ms);
	return { ms: whole, iso: new Date(whole).toISOString() };
}
