import type { WorkloadRule } from '../rule.js';
import { replicasPhrase } from './phrases.js';

export const singleReplica: WorkloadRule = {
  id: 'single-replica',
  severity: 'info',
  description:
    'Fewer than 2 replicas: a rollout can still be seamless (a new pod is ready before the old one goes), but a node drain, an eviction or a crash leaves no pod serving.',
  remediation:
    'Run at least 2 replicas, with a PodDisruptionBudget of maxUnavailable 1, if the app must stay up through node drains.',
  help: [
    'Replicas default to 1 for Deployments and StatefulSets (SetDefaults_Deployment, SetDefaults_StatefulSet in',
    'kubernetes/kubernetes) and to 0 for a DeploymentConfig, whose spec.replicas is a plain int32 in',
    'openshift/api. A drain evicts the only pod before its replacement is ready elsewhere (Kubernetes',
    'documentation, "Disruptions"); a PodDisruptionBudget cannot help one replica without blocking the drain.',
    "Information only: the rollout rules judge the rollout itself (the seed's custom-app rolls out with 0 errors",
    'on one replica).',
  ].join(' '),
  check(subject) {
    const { workload } = subject;
    if (workload.replicas >= 2) return [];
    const unset = workload.replicasWritten ? '' : ` (spec.replicas is left out: the ${workload.kind} default)`;
    const consequence =
      workload.replicas === 0 ? 'no pod runs' : 'a node drain or a crash leaves no pod serving until it is replaced';
    return [{ message: `${replicasPhrase(workload.replicas)}${unset}: ${consequence}`, path: ['spec', 'replicas'] }];
  },
};
