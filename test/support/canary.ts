/**
 * The API key every package-level test suite uses (emulators are started with it). It must
 * never show up in anything the package returns or logs, nor arrive at an origin other than the
 * API's: test/support/secrets.ts checks every test file's recorded runs, polls, credential tests,
 * log lines and the requests that reached other origins (redirect targets) for it after all its
 * tests, in every form a server or a log could echo it in.
 */
import { findSecret, type Recorded } from '../../harness/engine/records';

export const CANARY_API_KEY = 'llx-CANARY-6f1d0c9e4b7a4e2f9a3c5d8e7b1f0a2c';

/** The key as a server could echo it: as is, base64 (Basic-auth style, tokens), base64url, URL-encoded. */
export function secretForms(secret: string): string[] {
	const bytes = Buffer.from(secret, 'utf8');
	// Base64 of the key at each of the three byte alignments, so it is found inside a longer
	// base64 text too ("user:key" encoded), without its first and last partial characters.
	const base64 = [0, 1, 2].map((shift) => {
		const text = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
		const start = Math.ceil((shift * 4) / 3);
		return text.slice(start + 1, -3);
	});
	return [
		...new Set([
			secret,
			encodeURIComponent(secret),
			...base64,
			...base64.map((b) => b.replace(/\+/g, '-').replace(/\//g, '_')),
		]),
	];
}

/** Where any form of the secret occurs in the recorded values (see findSecret). */
export function findSecretInAnyForm(secret: string, values?: readonly Recorded[]): string[] {
	return secretForms(secret).flatMap((form) =>
		findSecret(form, values).map((hit) => (form === secret ? hit : `(as ${form}) ${hit}`)),
	);
}
