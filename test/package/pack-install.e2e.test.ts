import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CompareSummary } from '../../src/results-folder/summary-file.js';
import { REPO } from '../helpers/cli.js';
import { FAST_COMPARE } from '../helpers/fast-compare.js';

/**
 * The package as a user gets it: `npm pack` of this checkout, `npm install -g` of the tarball into a prefix of
 * its own (its dependencies from the registry npm is configured with, no devDependencies, no build), and the
 * installed `zdd` run from an empty folder with no repository around it.
 */
const PACKAGE = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];
/** npm install fetches a dozen packages (and their own) on a busy two-core machine. */
const INSTALL_TIMEOUT = 600_000;
const NOT_IN_A_USERS_SHELL =
  /^(npm_package_.*|npm_lifecycle_.*|npm_config_local_prefix|npm_command|npm_execpath|npm_node_execpath|INIT_CWD|NODE_PATH)$/i;

/**
 * The environment of a user's shell: without what an enclosing `npm test` adds (its package's and script's
 * `npm_*` variables; `npm_config_local_prefix` would point npm back at this checkout), without NODE_PATH and
 * without the checkout's node_modules/.bin on PATH; npm's own configuration (`npm_config_*`, such as a
 * registry) stays. zdd keeps the suite's TMPDIR (checked to be left empty); npm gets `npmTmp`, a folder this
 * file removes.
 */
function userEnv(npmTmp?: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !NOT_IN_A_USERS_SHELL.test(name)));
  // npm run puts every node_modules/.bin above the checkout on PATH.
  const path = (env.PATH ?? '')
    .split(delimiter)
    .filter((folder) => !folder.includes(`${sep}node_modules${sep}.bin`))
    .join(delimiter);
  return { ...env, PATH: path, NO_COLOR: '1', ...(npmTmp !== undefined && { TMPDIR: npmTmp }) };
}

async function registryReachable(): Promise<boolean> {
  const ping = await execa('npm', ['ping'], { reject: false, timeout: 30_000, env: userEnv(), extendEnv: false });
  return ping.exitCode === 0;
}

const reachable = await registryReachable();
const title = `npm pack, npm install -g of the tarball, and zdd from an empty folder${reachable ? '' : ' — skipped: npm cannot reach its registry (npm ping failed)'}`;

interface PackedFile {
  readonly path: string;
}

test('prepack removes every output of the build, its incremental state included, so that the build after it writes every file', async () => {
  // An incremental build whose state outlives its outputs writes only the files changed since: a tarball packed
  // after it would lack the rest of lib/.
  const scripts = (
    JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const build = JSON.parse(await readFile(join(REPO, 'tsconfig.build.json'), 'utf8')) as {
    compilerOptions: { tsBuildInfoFile?: string; incremental?: boolean };
  };
  expect(scripts.build).toBe('tsc -p tsconfig.build.json');
  for (const output of ['lib/src', 'lib/imports', build.compilerOptions.tsBuildInfoFile]) {
    expect(scripts.prepack).toContain(`'${output}'`);
  }
  expect(scripts.prepack).toMatch(/&& npm run -s build$/);
});

describe.skipIf(!reachable)(title, () => {
  let root: string;
  /** npm's environment. */
  let env: NodeJS.ProcessEnv;
  let tarball: string;
  let packed: string[];
  let prefix: string;
  let installed: string;
  /** An empty folder with no package.json or repository above it. */
  let empty: string;

  const zdd = (args: readonly string[], timeout = 120_000) =>
    execa(join(prefix, 'bin', 'zdd'), args, { cwd: empty, env: userEnv(), extendEnv: false, reject: false, timeout });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'zdd-pack-install-'));
    await mkdir(join(root, 'npm-tmp'));
    env = userEnv(join(root, 'npm-tmp'));
    // The suite builds lib/ first (npm test); packing without scripts leaves that build alone while it runs.
    expect(existsSync(join(REPO, 'lib', 'src', 'cli', 'main.js')), 'lib/ is built (npm run build)').toBe(true);
    const pack = await execa('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', root], {
      cwd: REPO,
      env,
      extendEnv: false,
      reject: false,
      timeout: 120_000,
    });
    expect(pack.exitCode, pack.stderr).toBe(0);
    const [manifest] = JSON.parse(pack.stdout) as [{ filename: string; files: PackedFile[] }];
    tarball = join(root, manifest.filename);
    packed = manifest.files.map((file) => file.path);

    prefix = join(root, 'prefix');
    const install = await execa('npm', ['install', '-g', '--prefix', prefix, tarball, ...NPM_FLAGS], {
      cwd: root,
      env,
      extendEnv: false,
      reject: false,
      timeout: INSTALL_TIMEOUT,
    });
    expect(install.exitCode, install.stderr).toBe(0);
    installed = join(prefix, 'lib', 'node_modules', PACKAGE.name);

    empty = join(root, 'empty');
    await mkdir(empty);
  }, INSTALL_TIMEOUT + 180_000);

  afterAll(async () => {
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  test('the tarball holds the built CLI and the files it reads at run time, and no sources, tests or maps', () => {
    expect(tarball).toMatch(new RegExp(`/${PACKAGE.name}-${PACKAGE.version.replaceAll('.', '\\.')}\\.tgz$`));
    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'bin/zdd.js',
      'lib/src/cli/main.js',
      'lib/imports/route.openshift.io.js',
      'k6/rollout-load.js',
      'app/server.js',
      'testbed/build.sh',
      'testbed/k6-operator/go.mod',
    ]) {
      expect(packed, file).toContain(file);
    }
    const allowed =
      /^(package\.json|README\.md|LICENSE|bin\/|lib\/(src|imports)\/|k6\/|app\/|testbed\/(build\.sh|go\.(mod|sum)|cmd\/|tools\/|k6-operator\/(go\.(mod|sum)|tools\.go)$))/;
    expect(packed.filter((file) => !allowed.test(file))).toEqual([]);
    expect(packed.filter((file) => /\.(map|ts)$/.test(file) || file.startsWith('testbed/bin/'))).toEqual([]);
  });

  test('the installed package has its dependencies and no devDependencies', async () => {
    const modules = await readdir(join(installed, 'node_modules'));
    for (const dependency of ['cdk8s', 'yargs', 'zod']) expect(modules, dependency).toContain(dependency);
    for (const devDependency of ['typescript', 'vitest', 'tsx', '@biomejs']) {
      expect(modules, devDependency).not.toContain(devDependency);
    }
    expect(relative(REPO, empty).startsWith('..'), `${empty} is not inside ${REPO}`).toBe(true);
    expect(
      ancestors(empty).filter((folder) => existsSync(join(folder, 'package.json')) || existsSync(join(folder, '.git'))),
    ).toEqual([]);
    expect(await readdir(empty)).toEqual([]);
  });

  test('zdd synth writes what this checkout committed in dist/; zdd check audits it', async () => {
    const synth = await zdd(['synth']);
    expect(synth.exitCode, synth.stderr).toBe(0);
    expect((await readdir(join(empty, 'dist'))).sort()).toEqual([
      'default.yaml',
      'helm',
      'kustomize',
      'zero-downtime.yaml',
    ]);
    for (const file of ['default.yaml', 'zero-downtime.yaml']) {
      expect(await readFile(join(empty, 'dist', file), 'utf8'), file).toBe(
        await readFile(join(REPO, 'dist', file), 'utf8'),
      );
    }

    const good = await zdd(['check', 'dist/zero-downtime.yaml']);
    expect(good.exitCode, good.stderr).toBe(0);
    expect(good.stdout).toContain('DeploymentConfig/zero-downtime-app');
    const bad = await zdd(['check', 'dist/default.yaml']);
    expect(bad.exitCode, bad.stderr).toBe(1);
    expect(bad.stdout).toContain('readiness-probe-missing');
  }, 240_000);

  test('a short zdd compare passes, writes its results folder, and zdd report reads it', async () => {
    const compare = await zdd(['compare', '--load', 'builtin', ...FAST_COMPARE], 300_000);
    expect(compare.exitCode, /^(PASS|FAIL|INCONCLUSIVE).*$/m.exec(compare.stdout)?.[0] ?? compare.stderr).toBe(0);
    expect(compare.stdout).toContain('PASS: zero-downtime-app failed 0 of');
    const folder = /results:\s+(results\/\S+)\/\s+\(/.exec(compare.stdout)?.[1];
    expect(folder, compare.stdout).toBeDefined();
    const summary = JSON.parse(await readFile(join(empty, folder ?? '', 'summary.json'), 'utf8')) as CompareSummary;
    expect(summary.zdd.version).toBe(PACKAGE.version);
    expect(summary.variants.map((variant) => variant.failed > 0)).toEqual([true, false]);

    const report = await zdd(['report', folder ?? '']);
    expect(report.exitCode, report.stderr).toBe(0);
    expect(report.stdout).toContain('zero-downtime-app');
  }, 360_000);

  test(
    'npm exec runs zdd from the tarball too (as npx zdd does from the registry)',
    async () => {
      const cache = (
        await execa('npm', ['config', 'get', 'cache'], { env, extendEnv: false, cwd: empty })
      ).stdout.trim();
      try {
        const exec = await execa(
          'npm',
          ['exec', '--yes', '--package', tarball, ...NPM_FLAGS, '--', 'zdd', 'synth', '--stdout'],
          { cwd: empty, env, extendEnv: false, reject: false, timeout: INSTALL_TIMEOUT },
        );
        expect(exec.exitCode, exec.stderr).toBe(0);
        expect(exec.stdout).toContain('kind: DeploymentConfig');
      } finally {
        await removeNpxInstall(join(cache, '_npx'), tarball);
      }
    },
    INSTALL_TIMEOUT + 60_000,
  );
});

/** `folder` and every folder above it. */
function ancestors(folder: string): string[] {
  const parent = dirname(folder);
  return parent === folder ? [folder] : [folder, ...ancestors(parent)];
}

/**
 * npm exec installs a package into its cache's _npx/<hash>/, the hash being the first 16 hex digits of the
 * SHA-512 of the package specs (libnpmexec); that folder goes, and any other whose package.json names this
 * tarball, should npm ever hash differently.
 */
async function removeNpxInstall(npx: string, tarball: string): Promise<void> {
  const hash = createHash('sha512').update(tarball).digest('hex').slice(0, 16);
  await rm(join(npx, hash), { recursive: true, force: true });
  for (const entry of await readdir(npx).catch(() => [])) {
    const manifest = await readFile(join(npx, entry, 'package.json'), 'utf8').catch(() => '');
    if (manifest.includes(tarball)) await rm(join(npx, entry), { recursive: true, force: true });
  }
}
