import { LOCAL_CLUSTER_DEFAULTS, type LocalClusterSettings } from '../cluster/local/settings.js';
import { isRunId, newRunId } from '../cluster/remote/commands.js';
import { MAX_SEED, newSeed } from '../cluster/router/reload-phase.js';
import { atLeast, hostAndPort, integer, percent, positive, urlPort } from '../input/flag-checks.js';
import type { ConnectionsChoice } from '../load/connections.js';
import type { LoadKind } from '../load/load-kind.js';
import { DEFAULT_PLATFORM, isPlatformName, PLATFORM_NAMES, type PlatformName } from '../platforms/index.js';
import { cutText, UsageError } from '../runtime/errors.js';
import { givenOperatorFlags, type K6OperatorInput, type K6OperatorPlan, k6OperatorPlan } from './k6-operator-plan.js';

/** Where the variants run: the local cluster of processes, or a real cluster through oc/kubectl. */
export const TARGETS = ['local', 'cluster'] as const;
export type TargetKind = (typeof TARGETS)[number];

/** How `--target cluster` reaches the cluster and what it may do there. */
export interface ClusterPlan {
  readonly access: {
    /** `--kubeconfig`. @default - kubectl's own ($KUBECONFIG, ~/.kube/config) */
    readonly kubeconfig?: string;
    /** `--context`. @default - the current context */
    readonly context?: string;
    /** `--namespace`. @default - the context's namespace, else `default` */
    readonly namespace?: string;
  };
  /** `--route-url NAME=URL`. */
  readonly routeUrls: ReadonlyMap<string, string>;
  /** `--router-address HOST:PORT`. */
  readonly routerAddress?: string;
  /** `--cleanup`: delete what the run applied when it ends. */
  readonly cleanup: boolean;
  /** `--dry-run`: print the commands, run none. */
  readonly dryRun: boolean;
  /**
   * Labels what this run creates (`zdd/run-id`). `--run-id` names an earlier run's id: objects carrying it
   * may then exist, and the run applies over them (and `--cleanup` removes them).
   */
  readonly runId: string;
  /** `--run-id` was given (rather than a new id made). */
  readonly runIdGiven: boolean;
}

/** Every default of `zdd compare`'s plan, declared once (the flags show them in --help). */
export const COMPARE_DEFAULTS = {
  target: 'local' as TargetKind,
  rate: 50,
  warmup: 10,
  cooldown: 10,
  rounds: 1,
  maxErrorRate: 0,
  load: 'auto' as LoadKind,
  connections: 'both' as ConnectionsChoice,
  timeout: 600,
  results: 'results',
} as const;

/**
 * The highest `--rate` per variant each generator is given (`npm run bench`
 * measures what they deliver on time; the verdict checks every run).
 */
export const MAX_RATE = {
  builtin: 1000,
  // k6 keeps rate × (timeout + 1 s) VUs ready (about 250 kB each) so that a dead target cannot starve it.
  k6: 500,
} as const;

/** The run's plan, checked. Durations are nominal seconds (the time scale applies to them). */
export interface ComparePlan extends LocalClusterSettings {
  readonly target: TargetKind;
  /** `--target cluster`'s settings (empty defaults with `--target local`). */
  readonly cluster: ClusterPlan;
  /**
   * Requests per second on each variant, split evenly over the connection
   * patterns; seconds of the modelled time, like every duration here (see
   * `sentRate`).
   */
  readonly rate: number;
  readonly warmupSeconds: number;
  readonly cooldownSeconds: number;
  readonly rounds: number;
  /** The zero-downtime variant's highest acceptable error rate, 0..1, for each connection pattern. */
  readonly maxErrorRate: number;
  readonly load: LoadKind;
  /** `--load k6-operator`'s runners; present only with it. */
  readonly k6Operator?: K6OperatorPlan;
  readonly connections: ConnectionsChoice;
  /** Seconds to wait for the variants to become ready, and for each rollout. */
  readonly timeoutSeconds: number;
  /** Folder for the results; a timestamped folder is made inside it. */
  readonly resultsDir: string;
  /** Decides the local router's reload phase in each round (`--seed`; see reload-phase.ts). */
  readonly seed: number;
  /** `--require-reproduced`: a PASS whose default variant stayed within the budget is INCONCLUSIVE. */
  readonly requireReproduced: boolean;
  /** The platform in front of the pods: the local cluster emulates it (`--platform`). */
  readonly platform: PlatformName;
}

/** Raw values as the flags give them. */
export interface ComparePlanInput extends Partial<LocalClusterSettings> {
  readonly target?: string;
  readonly rate?: number;
  readonly warmup?: number;
  readonly cooldown?: number;
  readonly rounds?: number;
  /** Percent, e.g. 0.5 for 0.5 %. */
  readonly maxErrorRate?: number;
  readonly load?: LoadKind;
  /** `--parallelism` and the `--runner-*` flags. */
  readonly k6Operator?: K6OperatorInput;
  /** The config file's `k6Operator:` section, checked (`k6OperatorSection`); the flags override it. */
  readonly k6OperatorFile?: Partial<K6OperatorPlan>;
  readonly connections?: ConnectionsChoice;
  readonly timeout?: number;
  readonly results?: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  /** `NAME=URL`, repeatable. */
  readonly routeUrls?: readonly string[];
  readonly routerAddress?: string;
  readonly cleanup?: boolean;
  readonly dryRun?: boolean;
  /** `--run-id`. @default - a new one from the time and a random suffix */
  readonly runId?: string;
  /** @default - a random one */
  readonly seed?: number;
  /** @default false */
  readonly requireReproduced?: boolean;
  /** The platform the local cluster emulates: `--emulate`, else the spec's (`--platform`). @default 'openshift-router' */
  readonly platform?: PlatformName;
}

/** The most rollout rounds one run may ask for (each waits up to --timeout). */
export const MAX_ROUNDS = 100;

/** Applies the defaults and checks every value; errors name the flag. */
export function comparePlan(input: ComparePlanInput): ComparePlan {
  const target = input.target ?? COMPARE_DEFAULTS.target;
  if (!(TARGETS as readonly string[]).includes(target)) {
    throw new UsageError(
      `--target: unknown target ${JSON.stringify(cutText(target))}; available: local (real processes on 127.0.0.1), cluster (the kubeconfig's cluster, through oc or kubectl)`,
    );
  }
  checkTargetFlags(target as TargetKind, input);
  const platform = platformOf(input);
  const load = input.load ?? COMPARE_DEFAULTS.load;
  const k6Operator = operatorPlanOf(target as TargetKind, load, input.k6Operator ?? {}, input.k6OperatorFile);
  const rate = positive('--rate', input.rate ?? COMPARE_DEFAULTS.rate);
  if (rate < 1 || Math.abs(rate * 100 - Math.round(rate * 100)) > 1e-9) {
    throw new UsageError(`--rate: expected a number ≥ 1 with at most 2 decimals, got ${rate}`);
  }
  const scale = timeScale(input.timeScale ?? LOCAL_CLUSTER_DEFAULTS.timeScale);
  checkSentRate(
    rate,
    scale,
    // Each k6-operator runner is one k6 with its share of the rate, on a node of its own or not.
    k6Operator
      ? {
          max: MAX_RATE.k6 * k6Operator.parallelism,
          by: ` with ${k6Operator.parallelism} k6 runner(s)`,
          advice: `(${MAX_RATE.k6} each); raise --parallelism`,
        }
      : { max: MAX_RATE.builtin },
  );
  const rounds = integer('--rounds', input.rounds ?? COMPARE_DEFAULTS.rounds, 1);
  if (rounds > MAX_ROUNDS) throw new UsageError(`--rounds: expected at most ${MAX_ROUNDS}, got ${rounds}`);
  return {
    target: target as TargetKind,
    rate,
    warmupSeconds: atLeast('--warmup', input.warmup ?? COMPARE_DEFAULTS.warmup, 0),
    cooldownSeconds: atLeast('--cooldown', input.cooldown ?? COMPARE_DEFAULTS.cooldown, 0),
    rounds,
    maxErrorRate: percent('--max-error-rate', input.maxErrorRate ?? COMPARE_DEFAULTS.maxErrorRate) / 100,
    load,
    ...(k6Operator && { k6Operator }),
    connections: input.connections ?? COMPARE_DEFAULTS.connections,
    timeScale: scale,
    router: input.router ?? LOCAL_CLUSTER_DEFAULTS.router,
    reloadIntervalSeconds: positive(
      '--reload-interval',
      input.reloadIntervalSeconds ?? LOCAL_CLUSTER_DEFAULTS.reloadIntervalSeconds,
    ),
    reloads: input.reloads ?? LOCAL_CLUSTER_DEFAULTS.reloads,
    imageCommands: input.imageCommands ?? LOCAL_CLUSTER_DEFAULTS.imageCommands,
    timeoutSeconds: positive('--timeout', input.timeout ?? COMPARE_DEFAULTS.timeout),
    resultsDir: input.results ?? COMPARE_DEFAULTS.results,
    cluster: clusterPlan(input),
    seed: seed(input.seed),
    requireReproduced: input.requireReproduced ?? false,
    platform,
  };
}

/**
 * `--load k6-operator` runs inside a cluster; its flags mean nothing with another generator (the config file's
 * section is kept for the runs that use it).
 */
function operatorPlanOf(
  target: TargetKind,
  load: LoadKind,
  input: K6OperatorInput,
  file: Partial<K6OperatorPlan> | undefined,
): K6OperatorPlan | undefined {
  if (load !== 'k6-operator') {
    const given = givenOperatorFlags(input);
    if (given.length > 0) throw new UsageError(`${given.join(', ')}: only with --load k6-operator`);
    return undefined;
  }
  if (target !== 'cluster') {
    throw new UsageError(
      '--load k6-operator: only with --target cluster (its runners are pods of the cluster, started by grafana/k6-operator)',
    );
  }
  return k6OperatorPlan(input, file);
}

/**
 * `--platform`, checked; the OpenShift router's own flags are refused with another platform (compare and
 * `local up` alike).
 */
export function platformOf(
  input: Pick<ComparePlanInput, 'platform' | 'reloadIntervalSeconds' | 'reloads'>,
): PlatformName {
  const platform: string = input.platform ?? DEFAULT_PLATFORM;
  if (!isPlatformName(platform)) {
    throw new UsageError(
      `--platform: unknown platform ${JSON.stringify(cutText(platform))}; available: ${PLATFORM_NAMES.join(', ')}`,
    );
  }
  if (platform === 'openshift-router') return platform;
  const routerFlags = [
    [
      '--reload-interval',
      input.reloadIntervalSeconds !== undefined &&
        input.reloadIntervalSeconds !== LOCAL_CLUSTER_DEFAULTS.reloadIntervalSeconds,
    ],
    ['--router-reloads', input.reloads !== undefined && input.reloads !== LOCAL_CLUSTER_DEFAULTS.reloads],
  ] as const;
  const given = routerFlags.filter(([, isGiven]) => isGiven).map(([flag]) => flag);
  if (given.length > 0) {
    throw new UsageError(
      `${given.join(', ')}: only when the local cluster emulates openshift-router (the OpenShift router's reloads; ${platform} applies endpoint changes without them)`,
    );
  }
  return platform;
}

/**
 * Requests per real second, both variants together, that the local cluster keeps its timings under, per core of
 * this machine: the cluster (its router, every pod) shares the machine with the load. Measured on 2 cores
 * (bench/time-scale-verdicts.ts): at 200 per variant (400 in all) a run at time scale 0.1 gave the verdicts and
 * failure counts of the real-speed run; at 500 per variant latencies reached 0.9 s, and the default variant
 * failed half as often as at real speed.
 */
export const LOCAL_RATE_PER_CORE = 200;

/** A note when the local target's sent rate is beyond what this machine keeps its timings under; else undefined. */
export function localRateNote(
  plan: Pick<ComparePlan, 'rate' | 'timeScale' | 'target'>,
  cores: number,
): string | undefined {
  const total = 2 * sentRate(plan);
  if (plan.target !== 'local' || total <= LOCAL_RATE_PER_CORE * cores) return undefined;
  return `${round2(total)} requests per real second on ${cores} cores: the local cluster shares this machine with the load, and beyond about ${LOCAL_RATE_PER_CORE} per core its timings slip and its failure counts with them${plan.timeScale < 1 ? ' (--rate counts per modelled second: a lower --rate or a larger --time-scale sends fewer per real second)' : ''}`;
}

/** "50 req/s", and what that is per real second when the time scale is not 1. */
export function describeRate(plan: Pick<ComparePlan, 'rate' | 'timeScale'>): string {
  if (plan.timeScale === 1) return `${plan.rate} req/s`;
  return `${plan.rate} req/s (${round2(sentRate(plan))} per real second at time scale ${plan.timeScale})`;
}

/**
 * Requests per real second on each variant. `--rate` counts per second of
 * the modelled time, like every other duration: a run at `--time-scale 0.1`
 * sends ten times as many per real second, so that each phase of a rollout
 * (a 0.5 s outage at 0.1 is the real-speed run's 5 s) gets the same requests
 * as at real speed. With fewer, a short outage would catch none and turn a
 * FAIL into a PASS.
 */
export function sentRate(plan: Pick<ComparePlan, 'rate' | 'timeScale'>): number {
  return plan.rate / plan.timeScale;
}

/** A generator's limit on the sent rate, and what to say when a run is over it. */
export interface RateLimit {
  readonly max: number;
  /** e.g. " with k6" */
  readonly by?: string;
  /** Why, and what else to do, e.g. "(it keeps …); use --load builtin for up to 1000" */
  readonly advice?: string;
}

/** Throws a UsageError when the sent rate (`sentRate`) is over `limit`, saying how to get within it. */
export function checkSentRate(rate: number, scale: number, limit: RateLimit): void {
  const sent = rate / scale;
  if (sent <= limit.max) return;
  const by = limit.by ?? '';
  const advice = limit.advice ? ` ${limit.advice}` : '';
  if (scale === 1) {
    throw new UsageError(`--rate: at most ${limit.max} requests per second per variant${by}${advice}, got ${rate}`);
  }
  throw new UsageError(
    `--rate ${rate} at --time-scale ${scale} is ${round2(sent)} requests per real second per variant (--rate counts per modelled second, so that every phase of a rollout gets the requests it gets at real speed); at most ${limit.max} per real second are sent${by}${advice}: lower --rate to ${Math.floor(limit.max * scale * 100) / 100} or raise --time-scale to ${Math.ceil((rate / limit.max) * 100) / 100}`,
  );
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function seed(value: number | undefined): number {
  return value === undefined ? newSeed() : seedFlag(value);
}

/** `--seed`: an integer from 0 to MAX_SEED (UsageError otherwise). */
export function seedFlag(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_SEED) {
    throw new UsageError(`--seed: expected an integer from 0 to ${MAX_SEED}, got ${value}`);
  }
  return value;
}

/** A flag of one target given with the other is a mistake, not something to ignore. */
function checkTargetFlags(target: TargetKind, input: ComparePlanInput): void {
  const local: Array<[string, boolean]> = [
    ['--time-scale', input.timeScale !== undefined && input.timeScale !== LOCAL_CLUSTER_DEFAULTS.timeScale],
    ['--router', input.router !== undefined && input.router !== LOCAL_CLUSTER_DEFAULTS.router],
    [
      '--reload-interval',
      input.reloadIntervalSeconds !== undefined &&
        input.reloadIntervalSeconds !== LOCAL_CLUSTER_DEFAULTS.reloadIntervalSeconds,
    ],
    ['--router-reloads', input.reloads !== undefined && input.reloads !== LOCAL_CLUSTER_DEFAULTS.reloads],
    ['--image-command', (input.imageCommands ?? []).length > 0],
    ['--seed', input.seed !== undefined],
  ];
  const cluster: Array<[string, boolean]> = [
    ['--kubeconfig', input.kubeconfig !== undefined],
    ['--context', input.context !== undefined],
    ['--namespace', input.namespace !== undefined],
    ['--route-url', (input.routeUrls ?? []).length > 0],
    ['--router-address', input.routerAddress !== undefined],
    ['--cleanup', input.cleanup === true],
    ['--dry-run', input.dryRun === true],
    ['--run-id', input.runId !== undefined],
  ];
  const wrong = (target === 'cluster' ? local : cluster).filter(([, given]) => given).map(([flag]) => flag);
  if (wrong.length > 0) {
    const other = target === 'cluster' ? 'local' : 'cluster';
    throw new UsageError(
      `${wrong.join(', ')}: only with --target ${other} (this run's target is ${target}: ${target === 'cluster' ? 'a real cluster runs at its own pace, behind its own router' : 'no cluster is used'})`,
    );
  }
}

function clusterPlan(input: ComparePlanInput): ClusterPlan {
  const routeUrls = new Map<string, string>();
  for (const entry of input.routeUrls ?? []) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, at).trim();
    const url = entry.slice(at + 1).trim();
    if (at >= 1) urlPort('--route-url', url);
    if (at < 1 || !URL.canParse(url) || new URL(url).protocol !== 'http:') {
      throw new UsageError(`--route-url: expected NAME=http://HOST[:PORT]/, got ${JSON.stringify(cutText(entry))}`);
    }
    if (routeUrls.has(name)) throw new UsageError(`--route-url: ${name} is given twice`);
    routeUrls.set(name, url);
  }
  const address = input.routerAddress;
  if (address !== undefined) hostAndPort('--router-address', address);
  for (const [flag, value] of [
    ['--kubeconfig', input.kubeconfig],
    ['--context', input.context],
    ['--namespace', input.namespace],
  ] as const) {
    if (value !== undefined && value.trim() === '') throw new UsageError(`${flag}: expected a value, got ""`);
  }
  if (input.runId !== undefined && !isRunId(input.runId)) {
    throw new UsageError(
      `--run-id: expected a run id as zdd prints it (a label value: at most 63 letters, digits, -, _ or ., starting and ending with a letter or digit), got ${JSON.stringify(cutText(input.runId))}`,
    );
  }
  if (input.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(input.namespace)) {
    throw new UsageError(
      `--namespace: expected a Kubernetes namespace name (lower case, digits, -), got ${JSON.stringify(cutText(input.namespace))}`,
    );
  }
  return {
    access: {
      ...(input.kubeconfig !== undefined && { kubeconfig: input.kubeconfig }),
      ...(input.context !== undefined && { context: input.context }),
      ...(input.namespace !== undefined && { namespace: input.namespace }),
    },
    routeUrls,
    ...(address !== undefined && { routerAddress: address }),
    cleanup: input.cleanup ?? false,
    dryRun: input.dryRun ?? false,
    runId: input.runId ?? newRunId(),
    runIdGiven: input.runId !== undefined,
  };
}

/** See `MIN_TIME_SCALE`. */
export function timeScale(value: number): number {
  const scale = positive('--time-scale', value);
  if (scale < MIN_TIME_SCALE || scale > MAX_TIME_SCALE) {
    throw new UsageError(
      `--time-scale: expected a number from ${MIN_TIME_SCALE} to ${MAX_TIME_SCALE}, got ${value} (below ${MIN_TIME_SCALE}, a pod's own start-up, tens of milliseconds, outlasts the scaled probe periods and the router's reload interval, and the ratios that decide the outcome no longer hold)`,
    );
  }
  return scale;
}

/** The fastest profile whose ratios still hold: a 2 s probe period becomes 20 ms. */
export const MIN_TIME_SCALE = 0.01;
export const MAX_TIME_SCALE = 100;
