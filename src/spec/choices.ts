/**
 * The settings that take one of a few values, each list declared once: the constructs, the config file's
 * schema, the flags and the Helm values read it from here. No imports, so that the CLI can declare its flags
 * without loading cdk8s or zod (a plain `zdd --help` starts in a fraction of the time).
 */

/** `workload`: the object that runs the pods. */
export type WorkloadKind = 'deploymentconfig' | 'deployment';
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['deploymentconfig', 'deployment'];

/** `expose`: how the Service is reached from outside the cluster. */
export type ExposeKind = 'route' | 'ingress' | 'gateway' | 'none';
export const EXPOSE_KINDS: readonly ExposeKind[] = ['route', 'ingress', 'gateway', 'none'];

/** `zeroDowntime.preStop.action`: an exec command (`sleep N; shutdown`) or the native sleep action. */
export type PreStopAction = 'exec' | 'sleep';
export const PRE_STOP_ACTIONS: readonly PreStopAction[] = ['exec', 'sleep'];

/** `preset`: the starting settings. */
export const PRESET_NAMES = ['default', 'seed'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** `zeroDowntime.readinessProbe.scheme`: how the probe connects. */
export type ProbeScheme = 'HTTP' | 'HTTPS';
export const PROBE_SCHEMES: readonly ProbeScheme[] = ['HTTP', 'HTTPS'];
