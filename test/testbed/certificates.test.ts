import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, expect, test } from 'vitest';
import { ToolError } from '../../src/runtime/errors.js';
import { makeCertificates } from '../../src/testbed/certificates.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

test('a serving certificate for 127.0.0.1 that the CA verifies, and a service-account key pair', async () => {
  dir = mkdtempSync(join(tmpdir(), 'zdd-certs-'));
  const certs = await makeCertificates(dir);
  const verify = await execa('openssl', ['verify', '-CAfile', certs.caCert, certs.serverCert], { reject: false });
  expect(verify.stdout).toBe(`${certs.serverCert}: OK`);
  const text = (await execa('openssl', ['x509', '-in', certs.serverCert, '-noout', '-text'])).stdout;
  expect(text).toContain('IP Address:127.0.0.1');
  expect(text).toContain('TLS Web Server Authentication');
  // The public key is the private key's.
  const derived = (await execa('openssl', ['pkey', '-in', certs.serviceAccountKey, '-pubout'])).stdout;
  expect(readFileSync(certs.serviceAccountPublicKey, 'utf8').trim()).toBe(derived.trim());
});

test('without openssl: a ToolError that says to install it', async () => {
  dir = mkdtempSync(join(tmpdir(), 'zdd-certs-'));
  const error = await makeCertificates(dir, { openssl: '/nonexistent/openssl' }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ToolError);
  expect((error as Error).message).toBe(
    "'/nonexistent/openssl' is not there: the test bed makes its TLS certificates with the openssl command; install OpenSSL (e.g. the openssl package)",
  );
});
