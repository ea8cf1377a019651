import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { packageRoot } from '../../package-info.js';
import type { Timing } from './timing.js';

/**
 * How a container image runs as a local process. Only mapped images run, and
 * exec commands from manifests (hooks, probes) run only for mapped images,
 * with the container paths they name rewritten to local ones.
 */
export interface ImageMapping {
  /** An image reference; a trailing `*` matches any rest (`zdd-sample-app:*`). */
  readonly image: string;
  /** The local command that stands for the container (its `command`/`args` are not used). */
  readonly command: readonly string[];
  /** The environment variable that tells the process which port to listen on. */
  readonly portEnv: string;
  /** Environment before the manifest's own (the manifest wins). */
  readonly env?: Readonly<Record<string, string>>;
  /** Container paths → local paths or commands, rewritten in exec commands. */
  readonly paths?: Readonly<Record<string, string>>;
}

/** The sample app's folder in this package. */
export function sampleAppDir(): string {
  return join(packageRoot(), 'app');
}

/**
 * The sample app's boot (port closed) and warm-up (503) phases, like a servlet
 * container deploying its webapp. Together longer than the router's reload
 * interval, so that a pod without a readinessProbe is routed to while it
 * cannot serve, as in the seed's demo.
 */
export const SAMPLE_APP_BOOT_MS = 2000;
export const SAMPLE_APP_WARMUP_MS = 6000;

/**
 * The built-in mappings: the sample app's image, and the seed's image (a Tomcat
 * app in the demo) played by the sample app, its shutdown.sh by shutdown.js.
 * The app's boot and warm-up are scaled like every other duration.
 */
export function builtinImageMappings(timing: Timing): ImageMapping[] {
  const app = sampleAppDir();
  const env = {
    HOST: '127.0.0.1',
    STARTUP_DELAY_MS: String(Math.round(timing.ms(SAMPLE_APP_BOOT_MS))),
    WARMUP_MS: String(Math.round(timing.ms(SAMPLE_APP_WARMUP_MS))),
  };
  const command = ['node', join(app, 'server.js')];
  const shutdown = `node ${join(app, 'shutdown.js')}`;
  return [
    { image: 'zdd-sample-app:*', command, portEnv: 'PORT', env, paths: { '/opt/app-root/src': app } },
    {
      image: 'session-app:*',
      command,
      portEnv: 'PORT',
      env,
      paths: { '/opt/jws-5.3/tomcat/bin/shutdown.sh': shutdown },
    },
  ];
}

/** Reads `IMAGE=COMMAND ARGS…` (the `--image-command` flag); the port comes in `PORT`. */
export function parseImageMapping(text: string): ImageMapping {
  const at = text.indexOf('=');
  const image = text.slice(0, at).trim();
  const command = text
    .slice(at + 1)
    .trim()
    .split(/\s+/)
    .filter((part) => part !== '');
  if (at < 1 || image === '' || command.length === 0) {
    throw new UsageError(
      `--image-command: expected IMAGE=COMMAND (e.g. "shop:*=node server.js"), got ${JSON.stringify(text)}`,
    );
  }
  return { image, command, portEnv: 'PORT' };
}

/** The mapping for `image`; user mappings come first so they can replace the built-in ones. */
export function findImageMapping(mappings: readonly ImageMapping[], image: string): ImageMapping | undefined {
  return mappings.find((mapping) =>
    mapping.image.endsWith('*') ? image.startsWith(mapping.image.slice(0, -1)) : image === mapping.image,
  );
}

/**
 * An exec command from a manifest as a local command: container paths
 * rewritten, and `sleep N` in shell scripts scaled with the cluster's timing.
 */
export function localExecCommand(command: readonly string[], mapping: ImageMapping, timing: Timing): string[] {
  const paths = Object.entries(mapping.paths ?? {});
  return command.map((part, index) => {
    let local = part;
    for (const [from, to] of paths) local = local.split(from).join(to);
    const isScript = index > 0 && command[index - 1] === '-c';
    if (isScript && timing.scale !== 1) {
      local = local.replace(
        /\bsleep\s+(\d+(?:\.\d+)?)\b/g,
        (_, seconds: string) => `sleep ${round(Number(seconds) * timing.scale)}`,
      );
    }
    return index === 0 && local === 'node' ? process.execPath : local;
  });
}

function round(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
