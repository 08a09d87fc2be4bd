/**
 * A self-signed certificate made at run time, for serving the emulator over HTTPS (the bench's
 * stand-in for the real service). Clients trust it by its PEM: NODE_EXTRA_CA_CERTS in a child
 * process, or `ca` in a TLS option. Never written anywhere by this module.
 */
import { generate } from 'selfsigned';

export interface SelfSignedCertificate {
	/** PEM private key. */
	key: string;
	/** PEM certificate: what a client adds to its trusted CAs. */
	cert: string;
}

/**
 * ECDSA P-256 with SHA-256 (what current public CAs issue by default), valid for a day, for
 * localhost, 127.0.0.1 and ::1. It is its own CA, so trusting the certificate is enough.
 */
export async function selfSignedCertificate(): Promise<SelfSignedCertificate> {
	const notBeforeDate = new Date(Date.now() - 60_000);
	const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
		keyType: 'ec',
		curve: 'P-256',
		algorithm: 'sha256',
		notBeforeDate,
		notAfterDate: new Date(notBeforeDate.getTime() + 24 * 3_600_000),
		extensions: [
			{ name: 'basicConstraints', cA: true, critical: true },
			{ name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
			{ name: 'extKeyUsage', serverAuth: true },
			{
				name: 'subjectAltName',
				altNames: [
					{ type: 2, value: 'localhost' },
					{ type: 7, ip: '127.0.0.1' },
					{ type: 7, ip: '::1' },
				],
			},
		],
	});
	return { key: pems.private, cert: pems.cert };
}
