import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { allPlatforms, PLATFORM_NAMES, platformProfile } from '../../src/platforms/index.js';
import { minimumPreStopSeconds, platformTimings } from '../../src/platforms/timings.js';
import { zdd } from '../helpers/cli.js';
import { flat } from '../helpers/terminal-text.js';

/**
 * Issue 16 through the real CLI: `zdd platforms` lists the profiles; `--platform` makes synth derive the
 * zero-downtime settings from one, check judge against it, and diff explain with its numbers.
 */

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'zdd-platforms-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: assertions walk the parsed YAML
type Loose = any;

function objects(yaml: string): Loose[] {
  return parseAllDocuments(yaml).map((document) => document.toJS());
}

function workloadOf(yaml: string): Loose {
  return objects(yaml).find((object) => object.kind === 'DeploymentConfig' || object.kind === 'Deployment');
}

async function synthPlain(name: string, args: readonly string[]) {
  const out = join(scratch, name);
  const result = await zdd(['synth', '--format', 'plain', '--out', out, ...args]);
  expect(result.exitCode, result.stderr).toBe(0);
  return {
    result,
    file: join(out, 'zero-downtime.yaml'),
    yaml: await readFile(join(out, 'zero-downtime.yaml'), 'utf8'),
  };
}

describe('zdd platforms', () => {
  test('lists every profile with its numbers and sources, within 80 columns', async () => {
    const result = await zdd(['platforms']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(PLATFORM_NAMES.length).toBeGreaterThanOrEqual(8);
    for (const line of result.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    const text = result.stdout.replace(/\s+/g, ' ');
    for (const profile of allPlatforms()) {
      const timings = platformTimings(profile);
      const row = new RegExp(
        `${profile.name}\\*? +${profile.propagation.seconds.min} +${profile.propagation.seconds.typical} +${profile.propagation.seconds.worst} +${profile.terminating.traffic} +${timings.preStopSeconds} +${timings.terminationGracePeriodSeconds}`,
      );
      expect(result.stdout).toMatch(row);
      expect(text).toContain(`${profile.name}: ${profile.title}`);
      expect(text).toContain(`draining: ${profile.draining}`.split(' ').slice(0, 6).join(' '));
      expect(profile.sources.length).toBeGreaterThan(0);
    }
    // Every source is named (an address may be broken after a slash to fit).
    const unwrapped = result.stdout.replace(/\/\n +/g, '/').replace(/\s+/g, ' ');
    for (const source of allPlatforms().flatMap((profile) => profile.sources)) expect(unwrapped).toContain(source.ref);
  });

  test('NAME shows one in full, with what each source says', async () => {
    const result = await zdd(['platforms', 'aws-alb-ip']);
    expect(result.exitCode, result.stderr).toBe(0);
    for (const line of result.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    const text = result.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('min 5 s, typical 30 s, worst 70 s');
    expect(text).toContain('preStop sleep 75 s (worst 70 s + margin 5 s, rounded up)');
    expect(text).toContain('terminationGracePeriodSeconds 105');
    expect(text).toContain('kubernetes-sigs/aws-load-balancer-controller#2366');
    expect(text).toContain('traffic stops ≥ 120 s after deregistration starts');
  });

  test('the Istio profile shows the sidecar drain annotation synth writes', async () => {
    const result = await zdd(['platforms', 'istio-sidecar']);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(
      'pod annotation proxy.istio.io/config: "terminationDrainDuration: 13s"',
    );
  });

  test('--format json: every profile, with the timings synth and check derive', async () => {
    const result = await zdd(['platforms', '--format', 'json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const { platforms } = JSON.parse(result.stdout) as { platforms: Loose[] };
    expect(platforms.map((platform) => platform.name)).toEqual([...PLATFORM_NAMES]);
    for (const platform of platforms) {
      const profile = platformProfile(platform.name);
      expect(platform.synth.preStopSeconds).toBe(platformTimings(profile).preStopSeconds);
      expect(platform.check.minimumPreStopSeconds).toBe(minimumPreStopSeconds(profile));
      expect(platform.sources.length).toBeGreaterThan(0);
    }
    expect(platforms.filter((platform) => platform.default).map((platform) => platform.name)).toEqual([
      'openshift-router',
    ]);
  });

  test('--reload-interval tunes the OpenShift router', async () => {
    const result = await zdd(['platforms', 'openshift-router', '--format', 'json', '--reload-interval', '10']);
    const platform = JSON.parse(result.stdout);
    expect(platform.propagation.seconds.worst).toBe(12);
    expect(platform.synth).toMatchObject({ preStopSeconds: 15, terminationGracePeriodSeconds: 45 });
  });

  test('an unknown name exits 2 naming the choices, without a stack trace', async () => {
    const result = await zdd(['platforms', 'heroku']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`no platform "heroku"; choose one of ${PLATFORM_NAMES.join(', ')}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('synth --platform', () => {
  test.each(PLATFORM_NAMES.map((name) => [name] as const))(
    '%s: the preStop sleep and grace period cover its worst propagation',
    async (name) => {
      const { yaml } = await synthPlain(`synth-${name}`, ['--platform', name]);
      const timings = platformTimings(platformProfile(name));
      const pod = workloadOf(yaml).spec.template;
      expect(pod.spec.terminationGracePeriodSeconds).toBe(timings.terminationGracePeriodSeconds);
      expect(pod.spec.containers[0].lifecycle.preStop.exec.command[2]).toMatch(
        new RegExp(`^sleep ${timings.preStopSeconds}; `),
      );
      const annotations = pod.metadata.annotations;
      if (name === 'istio-sidecar') {
        expect(annotations).toEqual({
          'proxy.istio.io/config': `terminationDrainDuration: ${timings.preStopSeconds}s`,
        });
      } else expect(annotations).toBeUndefined();
    },
  );

  test('openshift-router gives what dist/ holds: sleep 10, grace 40', async () => {
    const { yaml } = await synthPlain('synth-openshift', ['--platform', 'openshift-router']);
    expect(yaml).toBe(await readFile('dist/zero-downtime.yaml', 'utf8'));
  });

  test('a sleep or grace period set by hand wins over the platform', async () => {
    const { yaml } = await synthPlain('synth-by-hand', ['--platform', 'aws-alb-ip', '--prestop-sleep', '20']);
    const pod = workloadOf(yaml).spec.template.spec;
    expect(pod.containers[0].lifecycle.preStop.exec.command[2]).toMatch(/^sleep 20; /);
    expect(pod.terminationGracePeriodSeconds).toBe(50);
  });

  test('platform: in the config file, and a bad one named with its choices', async () => {
    const config = join(scratch, 'gke.yaml');
    await writeFile(config, 'platform: gke-neg\n');
    const { yaml } = await synthPlain('synth-config', ['--config', config]);
    expect(workloadOf(yaml).spec.template.spec.terminationGracePeriodSeconds).toBe(95);
    const bad = join(scratch, 'bad.yaml');
    await writeFile(bad, 'platform: heroku\n');
    const result = await zdd(['synth', '--config', bad, '--out', join(scratch, 'bad')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('platform');
    expect(result.stderr).toContain('openshift-router');
    const flag = await zdd(['synth', '--platform', 'heroku', '--out', join(scratch, 'bad')]);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toContain('--platform');
    expect(flag.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('synth --kubernetes-version', () => {
  test('1.30 and later: the native sleep action when no shutdown command needs exec', async () => {
    const { yaml } = await synthPlain('k8s-130', ['--kubernetes-version', '1.30', '--shutdown-command', '']);
    const container = workloadOf(yaml).spec.template.spec.containers[0];
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: 10 } } });
  });

  test('below 1.30, or with a shutdown command: exec', async () => {
    for (const [index, args] of [
      ['--kubernetes-version', 'v1.29.4', '--shutdown-command', ''],
      ['--kubernetes-version', '1.31'],
    ].entries()) {
      const { yaml } = await synthPlain(`k8s-exec-${index}`, args);
      expect(workloadOf(yaml).spec.template.spec.containers[0].lifecycle.preStop.exec).toBeDefined();
    }
  });

  test('a version that is not MAJOR.MINOR exits 2 naming the field and the flag', async () => {
    const result = await zdd(['synth', '--kubernetes-version', 'latest', '--out', join(scratch, 'bad-version')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('kubernetesVersion (--kubernetes-version)');
    expect(result.stderr).toContain('"latest"');
  });
});

describe('synth warns about an exec hook in a shell-less image', () => {
  test('a distroless image with exec: a warning on stderr naming the image and --prestop-action sleep', async () => {
    const image = 'gcr.io/distroless/nodejs20-debian12:nonroot';
    const { result } = await synthPlain('distroless', ['--image', image]);
    expect(result.stderr).toContain(`zdd: warning: the preStop hook runs /bin/sh -c "sleep 10" in "${image}"`);
    expect(result.stderr).toContain('--prestop-action sleep');
  });

  test('no warning with the native sleep action, or for an image that may have a shell', async () => {
    for (const [index, args] of [
      ['--image', 'gcr.io/distroless/static:nonroot', '--prestop-action', 'sleep'],
      ['--image', 'gcr.io/distroless/static:debug'],
      ['--image', 'registry.access.redhat.com/ubi9/nodejs-20'],
    ].entries()) {
      const { result } = await synthPlain(`no-warning-${index}`, args);
      expect(result.stderr, args.join(' ')).toBe('');
    }
  });
});

describe('check --platform', () => {
  test('aws-alb-ip flags the preStop that is right for the OpenShift router', async () => {
    const result = await zdd(['check', '--platform', 'aws-alb-ip', '--format', 'json', 'dist/zero-downtime.yaml']);
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    const finding = report.findings.find((f: Loose) => f.ruleId === 'prestop-shorter-than-propagation');
    expect(finding.message).toContain(
      "sleeps 10 s in its preStop hook, less than aws-alb-ip's worst propagation (70 s",
    );
    expect(finding.properties).toMatchObject({
      platform: 'aws-alb-ip',
      minimumPreStopSeconds: 70,
      preStopSeconds: 10,
    });
    expect(report.settings.platform).toBe('aws-alb-ip');
  });

  test.each(PLATFORM_NAMES.map((name) => [name] as const))(
    '%s passes the zero-downtime variant synthesized for it',
    async (name) => {
      const { file } = await synthPlain(`check-${name}`, ['--platform', name]);
      const result = await zdd(['check', '--platform', name, file]);
      expect(result.stdout).not.toContain('prestop-shorter-than-propagation');
      expect(result.exitCode, result.stdout).toBe(0);
    },
  );

  test('SARIF carries the platform and its numbers on the rule, the result and the run', async () => {
    const result = await zdd(['check', '--platform', 'gke-neg', '--format', 'sarif', 'dist/zero-downtime.yaml']);
    const [run] = JSON.parse(result.stdout).runs;
    const rule = run.tool.driver.rules.find((r: Loose) => r.id === 'prestop-shorter-than-propagation');
    expect(rule.deprecatedIds).toEqual(['prestop-shorter-than-router-reload']);
    expect(rule.properties).toMatchObject({
      platform: 'gke-neg',
      propagationSeconds: { min: 10, typical: 30, worst: 60 },
      minimumPreStopSeconds: 60,
    });
    expect(rule.properties.sources).toContain('kubernetes/ingress-gce#769');
    const found = run.results.find((r: Loose) => r.ruleId === 'prestop-shorter-than-propagation');
    expect(found.properties).toMatchObject({ platform: 'gke-neg', minimumPreStopSeconds: 60, preStopSeconds: 10 });
    expect(run.properties.platform.platform).toBe('gke-neg');
  });

  test('an unknown platform exits 2 naming the choices', async () => {
    const result = await zdd(['check', '--platform', 'heroku', 'dist/']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--platform');
    expect(result.stderr).toContain('aws-alb-ip');
  });
});

describe('diff --platform', () => {
  test("explains the preStop with the platform's numbers", async () => {
    const result = await zdd(['diff', '--platform', 'aws-alb-ip', '--prestop-sleep', '10', '--grace-period', '40']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(flat(result.stdout)).toContain(
      "preStop sleep 10 s is shorter than aws-alb-ip's 70 s worst propagation (typical 30 s): for up to 60 s it may still route requests to the pod after the sleep",
    );
  });

  test('the default platform: the router, reloading every 5 s', async () => {
    const result = await zdd(['diff']);
    expect(flat(result.stdout)).toContain(
      'keeps the old pod serving while the router, reloading every 5 s, removes it',
    );
    const alb = await zdd(['diff', '--platform', 'aws-alb-ip']);
    expect(flat(alb.stdout)).toContain(
      'preStop sleep 75 s: keeps the old pod serving while aws-alb-ip, dropping a pod within 70 s at worst, removes it',
    );
  });

  test('two files may be explained for a platform; other settings flags are still refused with files', async () => {
    const files = ['dist/default.yaml', 'dist/zero-downtime.yaml'];
    const result = await zdd(['diff', ...files, '--platform', 'kube-proxy', '--format', 'json']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).platform).toBe('kube-proxy');
    const refused = await zdd(['diff', ...files, '--platform', 'kube-proxy', '--replicas', '3']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--replicas applies to zdd');
  });
});
