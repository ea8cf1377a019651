import { z } from 'zod';
import { EXPOSE_KINDS, PRE_STOP_ACTIONS, PRESET_NAMES, WORKLOAD_KINDS } from './choices.js';

/**
 * The shape of one settings layer: a preset, a config file, or the CLI flags.
 * Every field is optional; layers are merged in that order. The rules that
 * relate fields to each other (preStop shorter than the grace period, probe on
 * an exposed port, …) live with the constructs that render them.
 */
const intOrString = z.union([z.number(), z.string()]);
const amounts = z.strictObject({ cpu: z.string(), memory: z.string() }).partial();

const readinessProbe = z
  .strictObject({
    path: z.string(),
    port: intOrString,
    scheme: z.enum(['HTTP', 'HTTPS']),
    initialDelaySeconds: z.number(),
    timeoutSeconds: z.number(),
    periodSeconds: z.number(),
    successThreshold: z.number(),
    failureThreshold: z.number(),
  })
  .partial();

const preStop = z
  .strictObject({ action: z.enum(PRE_STOP_ACTIONS), sleepSeconds: z.number(), shutdownCommand: z.string() })
  .partial();

const zeroDowntime = z
  .strictObject({
    readinessProbe: z.union([z.literal(false), readinessProbe]),
    preStop: z.union([z.literal(false), preStop]),
    terminationGracePeriodSeconds: z.number(),
    rolling: z.strictObject({ maxSurge: intOrString, maxUnavailable: intOrString }).partial(),
    podDisruptionBudget: z.boolean(),
  })
  .partial();

export const specLayerSchema = z
  .strictObject({
    preset: z.enum(PRESET_NAMES),
    names: z.strictObject({ default: z.string(), zeroDowntime: z.string() }).partial(),
    image: z.string(),
    port: z.number(),
    replicas: z.number(),
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)),
    resources: z.strictObject({ requests: amounts, limits: amounts }).partial(),
    workload: z.enum(WORKLOAD_KINDS),
    expose: z.enum(EXPOSE_KINDS),
    domain: z.string(),
    ingressClassName: z.string(),
    zeroDowntime,
  })
  .partial();

/** One layer of settings, as written in a config file. */
export type SpecLayer = z.output<typeof specLayerSchema>;
