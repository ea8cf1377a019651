import { join } from 'node:path';
import { execa } from 'execa';
import { ToolError } from '../runtime/errors.js';

/** The key material of a test bed, as files in its folder. */
export interface TestbedCertificates {
  /** The CA that signed the serving certificate: what clients trust. */
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** The pair the API server signs and checks service-account tokens with. */
  readonly serviceAccountKey: string;
  readonly serviceAccountPublicKey: string;
}

export interface CertificateOptions {
  readonly signal?: AbortSignal;
  /** The openssl command. @default 'openssl' (found on PATH) */
  readonly openssl?: string;
}

// P-256 keys: generated in milliseconds (RSA 2048 takes ~100 ms each); Go accepts them for TLS and for
// service-account tokens (ES256).
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Makes a CA, a serving certificate for 127.0.0.1 (and localhost) that it
 * signs, and a service-account key pair, with the `openssl` CLI, in `dir`.
 * Valid for two days: a test bed lives minutes.
 */
export async function makeCertificates(dir: string, options: CertificateOptions = {}): Promise<TestbedCertificates> {
  const { signal } = options;
  const openssl = (args: readonly string[]) => run(options.openssl ?? 'openssl', args, signal);
  const files = {
    caCert: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPublicKey: join(dir, 'sa.pub'),
  };
  const caKey = join(dir, 'ca.key');
  await openssl([
    ...['req', '-x509', ...EC_KEY, '-keyout', caKey, '-out', files.caCert, '-days', '2', '-subj', '/CN=zdd-testbed-ca'],
    ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  ]);
  await Promise.all([
    openssl([
      ...['req', '-x509', '-CA', files.caCert, '-CAkey', caKey, ...EC_KEY],
      ...['-keyout', files.serverKey, '-out', files.serverCert, '-days', '2', '-subj', '/CN=127.0.0.1'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-addext', 'basicConstraints=critical,CA:FALSE'],
      ...['-addext', 'keyUsage=critical,digitalSignature', '-addext', 'extendedKeyUsage=serverAuth'],
    ]),
    openssl([
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-out',
      files.serviceAccountKey,
    ]).then(() => openssl(['pkey', '-in', files.serviceAccountKey, '-pubout', '-out', files.serviceAccountPublicKey])),
  ]);
  return files;
}

async function run(command: string, args: readonly string[], signal: AbortSignal | undefined): Promise<void> {
  const result = await execa(command, args, {
    reject: false,
    stdin: 'ignore',
    timeout: 30_000,
    ...(signal && { cancelSignal: signal }),
  });
  if (result.failed && (result.code === 'ENOENT' || result.originalMessage?.includes('ENOENT'))) {
    throw new ToolError(
      'openssl',
      `'${command}' is not there: the test bed makes its TLS certificates with the openssl command; install OpenSSL (e.g. the openssl package)`,
    );
  }
  if (result.isCanceled) throw signal?.reason ?? new Error('cancelled');
  if (result.failed) {
    throw new ToolError('openssl', `openssl ${args[0]} failed: ${result.shortMessage}`, String(result.stderr ?? ''));
  }
}
