import { isJsonObject, type JsonObject, type JsonValue } from '../input/json-value.js';
import { isCountOrPercent, resolveRolling, statefulSetUnavailable } from '../kubernetes/count-or-percent.js';
import {
  defaultReplicas,
  defaultStrategyType,
  PROBE_DEFAULTS,
  rollingDefaults,
  STATEFUL_SET_MAX_UNAVAILABLE_DEFAULT,
  TERMINATION_GRACE_PERIOD_DEFAULT,
  withRolloutDefaults,
} from '../kubernetes/defaults.js';
import type { ManifestObject } from '../kubernetes/object.js';
import { preStopSleep } from '../kubernetes/pre-stop.js';

/** A workload's settings that decide what a rollout does, defaults applied. */
export interface WorkloadFacts {
  readonly replicas: number;
  /** `Rolling`/`RollingUpdate`, or `Recreate`. */
  readonly strategy: string;
  readonly maxSurge: number | string;
  readonly maxUnavailable: number | string;
  /** maxSurge in pods (rounded up, as Kubernetes does). */
  readonly surgePods: number;
  /** maxUnavailable in pods (rounded down). */
  readonly unavailablePods: number;
  readonly gracePeriodSeconds: number;
  readonly graceIsDefault: boolean;
  readonly containers: ReadonlyMap<string, ContainerFacts>;
}

export interface ContainerFacts {
  /** @default - no readinessProbe */
  readonly readiness?: ProbeFacts;
  /** @default - no preStop hook */
  readonly preStop?: PreStopFacts;
}

export interface ProbeFacts {
  /** `GET /healthz on port 8080`, `TCP port 8080`, `exec cat /ready`. */
  readonly check: string;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
}

export interface PreStopFacts {
  /** Seconds the hook waits before anything else: `sleep N` in an exec command, or the native sleep action. */
  readonly sleepSeconds: number;
  /** What runs after the sleep, if anything. @default - nothing */
  readonly command?: string;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'DeploymentConfig', 'StatefulSet', 'ReplicaSet', 'DaemonSet']);

export function isWorkload(object: ManifestObject): boolean {
  return WORKLOAD_KINDS.has(object.kind);
}

/**
 * The facts of a workload object, with the API's defaults (the model's
 * `withRolloutDefaults`); malformed fields count as absent, as the API server's defaults would fill them.
 */
export function workloadFacts(object: ManifestObject): WorkloadFacts {
  const defaulted = withRolloutDefaults({ ...wellTyped(object.value as JsonObject, object.kind), kind: object.kind });
  const spec = child(defaulted as JsonObject, 'spec');
  const replicas = integer(spec.replicas) ?? defaultReplicas(object.kind);
  const stateful = object.kind === 'StatefulSet';
  const strategyObject = child(spec, stateful ? 'updateStrategy' : 'strategy');
  const strategy =
    typeof strategyObject.type === 'string' ? strategyObject.type : defaultStrategyType(object.kind, object.apiVersion);
  const rolling = child(strategyObject, object.kind === 'DeploymentConfig' ? 'rollingParams' : 'rollingUpdate');
  // A Recreate strategy has no rolling parameters: the defaults are said for them, as before.
  const fallback = rollingDefaults(object.kind, object.apiVersion, { maxSurge: undefined, maxUnavailable: undefined });
  // A StatefulSet replaces pods one by one (or maxUnavailable at a time): it never surges.
  const maxSurge = stateful ? 0 : (countOrPercent(rolling.maxSurge) ?? fallback.maxSurge.value);
  const maxUnavailable = stateful
    ? (countOrPercent(rolling.maxUnavailable) ?? STATEFUL_SET_MAX_UNAVAILABLE_DEFAULT)
    : (countOrPercent(rolling.maxUnavailable) ?? fallback.maxUnavailable.value);
  const counts = stateful
    ? { surge: 0, unavailable: statefulSetUnavailable(maxUnavailable, replicas, replicas) }
    : resolveRolling(maxSurge, maxUnavailable, replicas);
  const podSpec = child(child(spec, 'template'), 'spec');
  const grace = integer(podSpec.terminationGracePeriodSeconds);
  const containers = new Map<string, ContainerFacts>();
  for (const container of Array.isArray(podSpec.containers) ? podSpec.containers : []) {
    if (!isJsonObject(container)) continue;
    containers.set(String(container.name ?? containers.size), {
      readiness: probeFacts(container.readinessProbe),
      preStop: preStopFacts(child(container, 'lifecycle').preStop),
    });
  }
  return {
    replicas,
    strategy,
    maxSurge,
    maxUnavailable,
    surgePods: counts.surge,
    unavailablePods: counts.unavailable,
    gracePeriodSeconds: grace ?? TERMINATION_GRACE_PERIOD_DEFAULT,
    graceIsDefault: grace === undefined,
    containers,
  };
}

/** The object with malformed rollout fields left out, so that defaulting fills them as the API server would. */
function wellTyped(value: JsonObject, kind: string): JsonObject {
  const spec = child(value, 'spec');
  const strategy = child(spec, 'strategy');
  const field = kind === 'DeploymentConfig' ? 'rollingParams' : 'rollingUpdate';
  const params: JsonObject = { ...child(strategy, field) };
  for (const key of ['maxSurge', 'maxUnavailable']) {
    if (params[key] !== undefined && countOrPercent(params[key]) === undefined) delete params[key];
  }
  const cleanStrategy: JsonObject = { ...strategy, [field]: params };
  if (typeof strategy.type !== 'string') delete cleanStrategy.type;
  const cleanSpec: JsonObject = { ...spec, strategy: cleanStrategy };
  if (integer(spec.replicas) === undefined) delete cleanSpec.replicas;
  return { ...value, spec: cleanSpec };
}

/** The probe's timings, defaults applied as the kubelet applies them. */
export function probeFacts(value: JsonValue | undefined): ProbeFacts | undefined {
  if (!isJsonObject(value)) return undefined;
  return {
    check: probeCheck(value),
    initialDelaySeconds: integer(value.initialDelaySeconds) ?? PROBE_DEFAULTS.initialDelaySeconds,
    periodSeconds: integer(value.periodSeconds) ?? PROBE_DEFAULTS.periodSeconds,
    timeoutSeconds: integer(value.timeoutSeconds) ?? PROBE_DEFAULTS.timeoutSeconds,
    successThreshold: integer(value.successThreshold) ?? PROBE_DEFAULTS.successThreshold,
    failureThreshold: integer(value.failureThreshold) ?? PROBE_DEFAULTS.failureThreshold,
  };
}

function probeCheck(probe: JsonObject): string {
  const http = child(probe, 'httpGet');
  if (Object.keys(http).length > 0) {
    return `${http.scheme === 'HTTPS' ? 'HTTPS ' : ''}GET ${String(http.path ?? '/')} on port ${String(http.port)}`;
  }
  const tcp = child(probe, 'tcpSocket');
  if (Object.keys(tcp).length > 0) return `a TCP connect to port ${String(tcp.port)}`;
  const command = child(probe, 'exec').command;
  if (Array.isArray(command)) return `\`${command.join(' ')}\``;
  return 'the probe';
}

/** What the hook does before SIGTERM, read by the model's one preStop reader. */
function preStopFacts(hook: JsonValue | undefined): PreStopFacts | undefined {
  const read = preStopSleep(hook);
  if (read === undefined) return undefined;
  if (read.how === 'native') return { sleepSeconds: read.seconds };
  if (read.how === 'unknown')
    return read.command === undefined ? undefined : { sleepSeconds: 0, command: read.command };
  return { sleepSeconds: read.seconds, command: read.after };
}

function child(object: JsonObject, key: string): JsonObject {
  const value = object[key];
  return isJsonObject(value) ? value : {};
}

function integer(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function countOrPercent(value: JsonValue | undefined): number | string | undefined {
  return (typeof value === 'number' || typeof value === 'string') && isCountOrPercent(value) ? value : undefined;
}
