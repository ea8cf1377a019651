import { join, resolve } from 'node:path';
import { cutText, UsageError } from '../../runtime/errors.js';
import { findOnPath, whyNotExecutable } from '../../runtime/executables.js';
import { packageRoot } from '../../runtime/package-info.js';
import { Timing } from '../../runtime/timing.js';

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
  /** How the process starts, when known (the built-in images), in nominal milliseconds. */
  readonly startup?: StartupProfile;
}

/** The sample app's folder in this package. */
export function sampleAppDir(): string {
  return join(packageRoot(), 'app');
}

/**
 * How a built-in image starts, timed from its process start: the port stays
 * closed for `bootMs` (connection refused), then every request gets
 * `warmupStatus` for `warmupMs`, then the app serves.
 */
export interface StartupProfile {
  readonly bootMs: number;
  readonly warmupMs: number;
  /** 503 (the app is not available yet) or 404 (a servlet container whose webapp is not deployed yet). */
  readonly warmupStatus: 404 | 503;
}

/**
 * The sample app (`zdd-sample-app:*`): a short boot and a 503 warm-up, like a
 * servlet container deploying its webapp. Together longer than the router's
 * reload interval, so that a pod without a readinessProbe is routed to while
 * it cannot serve, as in the seed's demo.
 */
export const SAMPLE_APP_STARTUP: StartupProfile = { bootMs: 2000, warmupMs: 6000, warmupStatus: 503 };

/**
 * The seed's `session-app:*`: JBoss Web Server 5.3 (Tomcat 9) for OpenShift
 * with a session webapp; it serves 17 s after its container starts.
 * - 5 s connection refused: the image runs `launch.sh`, which configures the
 *   server and starts `catalina.sh` (jboss-webserver-5-openshift-image,
 *   `tomcat9/image.yaml`); the JVM starts; Catalina reads server.xml.
 * - 12 s of 404 for every path: the webapp deploys; Tomcat answers 404 for a
 *   path no started context maps, and the image removes the ROOT webapp.
 *   Stock Tomcat differs here: it starts the Engine (deploying `webapps/`,
 *   `deployOnStartup="true"` in the image's server-openshift.xml) before the
 *   Connectors (`StandardService.startInternal()`), and with `bindOnInit`
 *   (default true; Tomcat 9's HTTP connector reference) its port is bound
 *   from init on, so new connections wait in the accept queue (`acceptCount`
 *   100) instead. The seed's figures point to
 *   answers, not waits: at 88.5 TPS, 37.28 % errors with 11 ms on average.
 * The 17 s are fitted to the seed, not measured on JWS: it failed for ≈ 16 s
 * (21.82 % of 1355 requests at 18.2/s) and ≈ 15 s (37.28 % of 3468 at
 * 88.5/s) per redeploy, and a DeploymentConfig stops the old pod 2 s into the
 * rollout (updatePeriodSeconds 1 + intervalSeconds 1). The split is an
 * estimate: the 18.2/s run's 144 ms average fits ≈ 3 s of refused connects,
 * each retried by the router for 3 s. Both phases end well before the seed's
 * readinessProbe starts (initialDelaySeconds 30).
 */
export const SESSION_APP_STARTUP: StartupProfile = { bootMs: 5000, warmupMs: 12000, warmupStatus: 404 };

/** How long the sample app lets in-flight requests finish after SIGTERM before it closes them (app/server.js). */
const SAMPLE_APP_SHUTDOWN_TIMEOUT_MS = 30_000;

/** The environment that gives the sample app a start-up profile, scaled like every other duration. */
function startupEnv(profile: StartupProfile, timing: Timing): Record<string, string> {
  return {
    STARTUP_DELAY_MS: String(Math.round(timing.ms(profile.bootMs))),
    WARMUP_MS: String(Math.round(timing.ms(profile.warmupMs))),
    WARMUP_STATUS: String(profile.warmupStatus),
    // The app's own drain deadline after SIGTERM (server.js, shutdown.js): a duration like the others.
    SHUTDOWN_TIMEOUT_MS: String(Math.round(timing.ms(SAMPLE_APP_SHUTDOWN_TIMEOUT_MS))),
  };
}

/**
 * The built-in mappings: the sample app's image, and the seed's image (a
 * Tomcat app in the demo) played by the sample app with the JWS start-up
 * profile, its shutdown.sh by app/shutdown.sh (shutdown.js without Node's start-up).
 */
export function builtinImageMappings(timing: Timing): ImageMapping[] {
  const app = sampleAppDir();
  const command = ['node', join(app, 'server.js')];
  // shutdown.js's protocol without Node's start-up, which the time scale cannot shorten (app/shutdown.sh).
  const shutdown = `sh ${join(app, 'shutdown.sh')}`;
  return [
    {
      image: 'zdd-sample-app:*',
      command,
      portEnv: 'PORT',
      env: { HOST: '127.0.0.1', ...startupEnv(SAMPLE_APP_STARTUP, timing) },
      startup: SAMPLE_APP_STARTUP,
      paths: { 'node /opt/app-root/src/shutdown.js': shutdown, '/opt/app-root/src': app },
    },
    {
      image: 'session-app:*',
      command,
      portEnv: 'PORT',
      env: { HOST: '127.0.0.1', ...startupEnv(SESSION_APP_STARTUP, timing) },
      startup: SESSION_APP_STARTUP,
      paths: { '/opt/jws-5.3/tomcat/bin/shutdown.sh': shutdown },
    },
  ];
}

/** The start-up profile of a built-in image; undefined for any other image (its start-up is unknown). */
export function builtinStartupProfile(image: string): StartupProfile | undefined {
  return findImageMapping(builtinImageMappings(new Timing(1)), image)?.startup;
}

/**
 * Reads `IMAGE=COMMAND ARGS…` (the `--image-command` flag); the port comes in `PORT`. The program must be
 * there to run before anything is deployed: a path (taken from the current folder) to an executable file, or
 * a name found on PATH. A path is made absolute, because pods run in folders of their own.
 */
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
  const [program = '', ...args] = command;
  return { image, command: [runnableProgram(text, program), ...args], portEnv: 'PORT' };
}

/** `program` as the pods will run it, or a UsageError naming the mapping and why it cannot run. */
function runnableProgram(mapping: string, program: string): string {
  const refuse = (why: string) =>
    new UsageError(`--image-command ${JSON.stringify(cutText(mapping, 120))}: ${why}; nothing was started`);
  // The sample app's command: the pods run this Node.js.
  if (program === 'node') return program;
  if (!program.includes('/')) {
    if (findOnPath(program) === undefined) throw refuse(`no program ${JSON.stringify(cutText(program, 60))} on PATH`);
    return program;
  }
  const path = resolve(program);
  const why = whyNotExecutable(path);
  if (why !== undefined) throw refuse(`${cutText(program, 120)} ${why}`);
  return path;
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
