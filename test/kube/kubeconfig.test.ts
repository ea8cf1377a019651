import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { KubeconfigError } from '../../src/kube/errors.js';
import { kubeconfigYaml, parseKubeconfig, readKubeconfig } from '../../src/kube/kubeconfig.js';

const FILE = '/home/me/.kube/config';

function config(overrides: { cluster?: object; user?: object; context?: object; current?: string } = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'other', cluster: { server: 'https://10.0.0.1:6443' } },
      {
        name: 'lab',
        cluster: { server: 'https://api.lab:6443/', 'certificate-authority': 'certs/ca.crt', ...overrides.cluster },
      },
    ],
    users: [{ name: 'me', user: { token: 'sha256~abc', ...overrides.user } }],
    contexts: [
      { name: 'lab', context: { cluster: 'lab', user: 'me', namespace: 'demo', ...overrides.context } },
      { name: 'plain', context: { cluster: 'other', user: 'me' } },
    ],
    'current-context': overrides.current ?? 'lab',
  });
}

describe('parseKubeconfig', () => {
  test('the current context: server, CA file beside the kubeconfig, token, namespace', () => {
    expect(parseKubeconfig(config(), FILE)).toEqual({
      context: 'lab',
      cluster: 'lab',
      user: 'me',
      namespace: 'demo',
      server: 'https://api.lab:6443',
      ca: { file: '/home/me/.kube/certs/ca.crt' },
      token: { data: Buffer.from('sha256~abc') },
    });
  });

  test('another context, without a namespace: default', () => {
    const entry = parseKubeconfig(config(), FILE, { context: 'plain' });
    expect(entry).toMatchObject({ context: 'plain', server: 'https://10.0.0.1:6443', namespace: 'default' });
    expect(entry.ca).toBeUndefined();
  });

  test('inline base64 data, client certificates, insecure-skip-tls-verify', () => {
    const entry = parseKubeconfig(
      config({
        cluster: {
          'certificate-authority-data': Buffer.from('CA PEM').toString('base64'),
          'insecure-skip-tls-verify': true,
        },
        user: {
          token: undefined,
          'client-certificate-data': Buffer.from('CERT').toString('base64'),
          'client-key': '/keys/me.key',
        },
      }),
      FILE,
    );
    expect(entry.ca).toEqual({ data: Buffer.from('CA PEM') });
    expect(entry.cert).toEqual({ data: Buffer.from('CERT') });
    expect(entry.key).toEqual({ file: '/keys/me.key' });
    expect(entry.insecureSkipTlsVerify).toBe(true);
    expect(entry.token).toBeUndefined();
  });

  test.each([
    [
      'no current context',
      config({ current: '' }),
      'kubeconfig /home/me/.kube/config: current-context: is not set; pass a context name',
    ],
    [
      'an unknown context',
      config({ current: 'gone' }),
      'kubeconfig /home/me/.kube/config: contexts: has no entry named "gone"',
    ],
    [
      'a context without a cluster',
      config({ context: { cluster: undefined } }),
      'kubeconfig /home/me/.kube/config: contexts[lab].context.cluster: is missing',
    ],
    [
      'a server that is not a URL',
      config({ cluster: { server: 'api.lab:6443' } }),
      'kubeconfig /home/me/.kube/config: clusters[lab].cluster.server: expected an https:// URL, got "api.lab:6443"',
    ],
    [
      'an exec credential plugin',
      config({ user: { exec: { command: 'aws' } } }),
      'kubeconfig /home/me/.kube/config: users[me].user.exec: is not supported here; use a token or a client certificate',
    ],
    [
      'a certificate without its key',
      config({ user: { 'client-certificate': 'me.crt' } }),
      'kubeconfig /home/me/.kube/config: users[me].user.client-key: is missing: a client certificate needs both',
    ],
    [
      'not a mapping',
      '- a\n- b\n',
      'kubeconfig /home/me/.kube/config: the file: expected a YAML mapping with clusters, users and contexts',
    ],
  ])('%s is a KubeconfigError naming the field', (_name, text, message) => {
    const error = (() => {
      try {
        parseKubeconfig(text, FILE);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(KubeconfigError);
    expect((error as Error).message).toBe(message);
  });
});

describe('readKubeconfig', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  test('reads what kubeconfigYaml writes, and the CA file it names', () => {
    dir = mkdtempSync(join(tmpdir(), 'zdd-kubeconfig-'));
    writeFileSync(join(dir, 'ca.crt'), 'PEM');
    const file = join(dir, 'kubeconfig');
    writeFileSync(
      file,
      kubeconfigYaml({
        server: 'https://127.0.0.1:6443',
        caFile: join(dir, 'ca.crt'),
        user: 'u',
        token: 't0k',
        context: 'c',
        namespace: 'n',
      }),
    );
    expect(readKubeconfig(file)).toEqual({
      server: 'https://127.0.0.1:6443',
      namespace: 'n',
      context: 'c',
      ca: Buffer.from('PEM'),
      token: 't0k',
    });
  });

  test('a missing file, or a missing file it names, says which', () => {
    dir = mkdtempSync(join(tmpdir(), 'zdd-kubeconfig-'));
    const file = join(dir, 'kubeconfig');
    expect(() => readKubeconfig(file)).toThrow(`kubeconfig ${file}: the file: does not exist`);
    writeFileSync(
      file,
      kubeconfigYaml({ server: 'https://127.0.0.1:1', caFile: 'ca.crt', user: 'u', token: 't', context: 'c' }),
    );
    expect(() => readKubeconfig(file)).toThrow(
      `kubeconfig ${file}: clusters[c].cluster.certificate-authority: cannot read ${join(dir, 'ca.crt')}: does not exist`,
    );
  });
});
