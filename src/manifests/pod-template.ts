import { k8s } from 'cdk8s-plus-28';
import type { ResourceAmounts, ResourcesProps } from '../spec/app-props.js';
import { settingDefault } from '../spec/settings.js';
import { PORT_NAME } from './readiness-probe.js';
import type { ResolvedZeroDowntime } from './zero-downtime.js';

export const DEFAULT_RESOURCES = {
  requests: { cpu: settingDefault('resources.requests.cpu'), memory: settingDefault('resources.requests.memory') },
  limits: { cpu: settingDefault('resources.limits.cpu'), memory: settingDefault('resources.limits.memory') },
} as const satisfies Required<ResourcesProps>;

/** The container is always called this, so that the two variants differ only in what matters. */
export const CONTAINER_NAME = 'app';

export interface PodTemplateOptions {
  readonly labels: Record<string, string>;
  readonly image: string;
  readonly port: number;
  readonly env: Record<string, string>;
  readonly resources: Required<ResourcesProps>;
  /** @default - the default variant: no zero-downtime settings */
  readonly zeroDowntime?: ResolvedZeroDowntime;
}

/** A pod template in wire format (JSON keys, plain values). */
export type PodTemplateJson = Record<string, unknown>;

/**
 * The pod template both workload kinds share, as JSON: the DeploymentConfig
 * import has its own copy of every pod type, and the native sleep action is
 * newer than the k8s 1.28 types, so the template is typed with the core types
 * and handed to the workloads rendered. Pods satisfy OpenShift's restricted-v2
 * SCC and the Kubernetes "restricted" Pod Security profile; no runAsUser or
 * fsGroup is fixed because OpenShift assigns them per namespace.
 */
export function renderPodTemplate(options: PodTemplateOptions): PodTemplateJson {
  const json = k8s.toJson_PodTemplateSpec(typedTemplate(options)) as PodTemplateJson;
  const preStop = options.zeroDowntime?.preStop;
  if (preStop?.action === 'sleep') {
    const [container] = (json.spec as { containers: Array<Record<string, unknown>> }).containers;
    if (container) container.lifecycle = { preStop: { sleep: { seconds: preStop.sleepSeconds } } };
  }
  return json;
}

function typedTemplate(options: PodTemplateOptions): k8s.PodTemplateSpec {
  const zd = options.zeroDowntime;
  const env = Object.entries(options.env).map(([name, value]) => ({ name, value }));
  return {
    metadata: { labels: options.labels, annotations: zd?.podAnnotations && { ...zd.podAnnotations } },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      terminationGracePeriodSeconds: zd?.terminationGracePeriodSeconds,
      containers: [
        {
          name: CONTAINER_NAME,
          image: options.image,
          ports: [{ name: PORT_NAME, containerPort: options.port, protocol: 'TCP' }],
          env: env.length > 0 ? env : undefined,
          resources: {
            requests: quantities(options.resources.requests),
            limits: quantities(options.resources.limits),
          },
          readinessProbe: zd?.readinessProbe,
          lifecycle: zd?.preStop?.handler ? { preStop: zd.preStop.handler } : undefined,
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}

function quantities(amounts: ResourceAmounts): Record<string, k8s.Quantity> | undefined {
  const entries = Object.entries(amounts).filter(([, value]) => value !== undefined);
  return entries.length > 0
    ? Object.fromEntries(entries.map(([key, value]) => [key, k8s.Quantity.fromString(value)]))
    : undefined;
}
