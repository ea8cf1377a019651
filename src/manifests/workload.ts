import type { PodTemplateJson } from './pod-template.js';
import type { ResolvedZeroDowntime } from './zero-downtime.js';

/** What a workload construct (DeploymentConfig or Deployment) is made from. */
export interface WorkloadProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly replicas: number;
  readonly template: PodTemplateJson;
  /** @default - no zero-downtime settings: the platform's rolling defaults */
  readonly zeroDowntime?: ResolvedZeroDowntime;
}

/** The workload kinds zdd can render. */
