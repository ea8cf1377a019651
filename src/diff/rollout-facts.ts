import { isJsonObject, type JsonObject, type JsonValue } from '../json-value.js';
import type { ManifestObject } from '../manifest-object.js';
import { PLATFORM_DEFAULTS } from './platform-defaults.js';

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

/** The facts of a workload object; malformed fields count as absent, as the API server's defaults would fill them. */
export function workloadFacts(object: ManifestObject): WorkloadFacts {
  const spec = child(object.body, 'spec');
  const replicas = integer(spec.replicas) ?? 1;
  const strategyObject = child(spec, 'strategy');
  const strategy = typeof strategyObject.type === 'string' ? strategyObject.type : defaultStrategy(object.kind);
  const rolling = child(strategyObject, object.kind === 'DeploymentConfig' ? 'rollingParams' : 'rollingUpdate');
  const maxSurge = intOrString(rolling.maxSurge) ?? PLATFORM_DEFAULTS.maxSurge;
  const maxUnavailable = intOrString(rolling.maxUnavailable) ?? PLATFORM_DEFAULTS.maxUnavailable;
  const podSpec = child(child(spec, 'template'), 'spec');
  const grace = integer(podSpec.terminationGracePeriodSeconds);
  const containers = new Map<string, ContainerFacts>();
  for (const container of Array.isArray(podSpec.containers) ? podSpec.containers : []) {
    if (!isJsonObject(container)) continue;
    containers.set(String(container.name ?? containers.size), {
      readiness: probeFacts(container.readinessProbe),
      preStop: preStopFacts(child(child(container, 'lifecycle'), 'preStop')),
    });
  }
  return {
    replicas,
    strategy,
    maxSurge,
    maxUnavailable,
    surgePods: resolvePods(maxSurge, replicas, 'up'),
    unavailablePods: resolvePods(maxUnavailable, replicas, 'down'),
    gracePeriodSeconds: grace ?? PLATFORM_DEFAULTS.terminationGracePeriodSeconds,
    graceIsDefault: grace === undefined,
    containers,
  };
}

/** A count or a percentage of `replicas`, in pods, rounded as Kubernetes rounds it. */
export function resolvePods(value: number | string, replicas: number, round: 'up' | 'down'): number {
  if (typeof value === 'number') return value;
  const percent = Number(value.replace(/%$/, ''));
  if (!Number.isFinite(percent)) return 0;
  const exact = (percent * replicas) / 100;
  return round === 'up' ? Math.ceil(exact) : Math.floor(exact);
}

/** The probe's timings, defaults applied as the kubelet applies them. */
export function probeFacts(value: JsonValue | undefined): ProbeFacts | undefined {
  if (!isJsonObject(value)) return undefined;
  return {
    check: probeCheck(value),
    initialDelaySeconds: integer(value.initialDelaySeconds) ?? 0,
    periodSeconds: integer(value.periodSeconds) ?? 10,
    timeoutSeconds: integer(value.timeoutSeconds) ?? 1,
    successThreshold: integer(value.successThreshold) ?? 1,
    failureThreshold: integer(value.failureThreshold) ?? 3,
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

function preStopFacts(hook: JsonObject): PreStopFacts | undefined {
  const sleep = integer(child(hook, 'sleep').seconds);
  if (sleep !== undefined) return { sleepSeconds: sleep };
  const command = child(hook, 'exec').command;
  if (Array.isArray(command)) {
    // `/bin/sh -c "sleep 10; shutdown.sh"`: the script is the last word.
    const script = command
      .map(String)
      .slice(command[0]?.toString().endsWith('sh') ? -1 : 0)
      .join(' ');
    const match = /^\s*sleep\s+(\d+)\s*(?:;|&&)?\s*(.*)$/s.exec(script);
    if (match) return { sleepSeconds: Number(match[1]), command: match[2] === '' ? undefined : match[2] };
    return { sleepSeconds: 0, command: script };
  }
  const http = child(hook, 'httpGet');
  if (Object.keys(http).length > 0) return { sleepSeconds: 0, command: `GET ${String(http.path ?? '/')}` };
  return undefined;
}

function defaultStrategy(kind: string): string {
  return kind === 'DeploymentConfig' ? 'Rolling' : 'RollingUpdate';
}

function child(object: JsonObject, key: string): JsonObject {
  const value = object[key];
  return isJsonObject(value) ? value : {};
}

function integer(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function intOrString(value: JsonValue | undefined): number | string | undefined {
  return typeof value === 'number' || typeof value === 'string' ? value : undefined;
}
