/**
 * Everything the harness hands back to tests or that the engine and the package log, kept per
 * test file (jest gives each file its own module registry), so a check after all tests can
 * look for secrets in it (test/support/secrets.ts).
 *
 * Recorded: every workflow run (items, errors with their cause/context chains), poll results
 * and errors, credential test results, and every call to n8n's Logger / LoggerProxy and
 * ErrorReporter (the package logs through `this.logger`, the engine through LoggerProxy);
 * additional-data.ts installs the recorders.
 */
// No n8n imports here: the secrets check loads this file in every test file, harness or not.

export interface Recorded {
	/** what produced it: 'run', 'poll', 'poll-error', 'credential-test', 'log:warn', 'report:error', ... */
	kind: string;
	value: unknown;
}

const records: Recorded[] = [];

export function record(kind: string, value: unknown): void {
	records.push({ kind, value });
}

/** What was recorded so far in this test file. */
export function recorded(): readonly Recorded[] {
	return records;
}

/**
 * Every string reachable from a value: own properties enumerable or not (an Error's message,
 * stack and cause), array entries, Map/Set contents, in any depth, cycles visited once. What a
 * JSON or log serializer could print is a subset of it.
 */
export function reachableStrings(value: unknown, limit = 2_000_000): string[] {
	const out: string[] = [];
	const seen = new Set<object>();
	const stack: unknown[] = [value];
	while (stack.length > 0 && out.length < limit) {
		const current = stack.pop();
		if (typeof current === 'string') {
			out.push(current);
			continue;
		}
		if (Buffer.isBuffer(current)) {
			// Bodies kept as bytes would print as text.
			if (current.length <= 1024 * 1024) out.push(current.toString('utf8'));
			continue;
		}
		if (current === null || (typeof current !== 'object' && typeof current !== 'function'))
			continue;
		if (typeof current === 'function') continue;
		if (seen.has(current)) continue;
		seen.add(current);
		if (ArrayBuffer.isView(current)) continue;
		if (current instanceof Map) {
			for (const [k, v] of current) stack.push(k, v);
			continue;
		}
		if (current instanceof Set) {
			for (const v of current) stack.push(v);
			continue;
		}
		for (const key of Reflect.ownKeys(current)) {
			if (typeof key === 'string') out.push(key);
			let child: unknown;
			try {
				child = (current as Record<string | symbol, unknown>)[key];
			} catch {
				continue; // a getter that throws
			}
			stack.push(child);
		}
		// What a serializer would call (NodeError's toJSON builds a new object).
		const toJSON = (current as { toJSON?: unknown }).toJSON;
		if (typeof toJSON === 'function') {
			try {
				stack.push(toJSON.call(current));
			} catch {
				// not serializable: nothing a serializer would print either
			}
		}
	}
	return out;
}

/** Where a secret occurs in the recorded values: one line per hit, empty when none. */
export function findSecret(secret: string, values: readonly Recorded[] = records): string[] {
	const hits: string[] = [];
	for (const { kind, value } of values) {
		for (const text of reachableStrings(value)) {
			if (text.includes(secret)) {
				const at = text.indexOf(secret);
				hits.push(
					`${kind}: …${text.slice(Math.max(0, at - 80), at)}<SECRET>${text.slice(at + secret.length, at + secret.length + 40)}…`,
				);
				break;
			}
		}
	}
	return hits;
}
