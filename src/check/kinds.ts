/**
 * Which objects zdd reads, by kind and apiVersion. Removed API versions are
 * still read (old manifests are what reviewers are handed): OpenShift 3's
 * group-less `v1` DeploymentConfig and Route, apps/v1beta1 and v1beta2,
 * extensions/v1beta1, policy/v1beta1.
 */
export type ObjectRole =
  | { readonly role: 'workload'; readonly kind: WorkloadKind }
  | { readonly role: 'service' }
  | { readonly role: 'route' }
  | { readonly role: 'ingress' }
  | { readonly role: 'pdb' }
  /** A workload kind zdd does not check (DaemonSet, Job, …). */
  | { readonly role: 'unchecked-workload' }
  /** A kind zdd reads, in an apiVersion it does not know. */
  | { readonly role: 'unknown-version'; readonly known: readonly string[] }
  | { readonly role: 'other' };

export type WorkloadKind = 'DeploymentConfig' | 'Deployment' | 'StatefulSet';

const KNOWN: ReadonlyArray<{ kind: string; versions: readonly string[]; role: ObjectRole }> = [
  {
    kind: 'DeploymentConfig',
    versions: ['apps.openshift.io/v1', 'v1'],
    role: { role: 'workload', kind: 'DeploymentConfig' },
  },
  {
    kind: 'Deployment',
    versions: ['apps/v1', 'apps/v1beta2', 'apps/v1beta1', 'extensions/v1beta1'],
    role: { role: 'workload', kind: 'Deployment' },
  },
  {
    kind: 'StatefulSet',
    versions: ['apps/v1', 'apps/v1beta2', 'apps/v1beta1'],
    role: { role: 'workload', kind: 'StatefulSet' },
  },
  { kind: 'Service', versions: ['v1'], role: { role: 'service' } },
  { kind: 'Route', versions: ['route.openshift.io/v1', 'v1'], role: { role: 'route' } },
  {
    kind: 'Ingress',
    versions: ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1'],
    role: { role: 'ingress' },
  },
  { kind: 'PodDisruptionBudget', versions: ['policy/v1', 'policy/v1beta1'], role: { role: 'pdb' } },
];

const UNCHECKED_WORKLOADS = new Set([
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Pod',
  'Job',
  'CronJob',
  'Rollout',
]);

export function roleOf(apiVersion: string, kind: string): ObjectRole {
  const known = KNOWN.find((entry) => entry.kind === kind);
  if (known)
    return known.versions.includes(apiVersion) ? known.role : { role: 'unknown-version', known: known.versions };
  return UNCHECKED_WORKLOADS.has(kind) ? { role: 'unchecked-workload' } : { role: 'other' };
}

/** API versions that current clusters no longer serve, with the version to use instead. */
export const REMOVED_VERSIONS: Readonly<Record<string, string>> = {
  'Deployment apps/v1beta1': 'apps/v1 (removed in Kubernetes 1.16)',
  'Deployment apps/v1beta2': 'apps/v1 (removed in Kubernetes 1.16)',
  'Deployment extensions/v1beta1': 'apps/v1 (removed in Kubernetes 1.16)',
  'StatefulSet apps/v1beta1': 'apps/v1 (removed in Kubernetes 1.16)',
  'StatefulSet apps/v1beta2': 'apps/v1 (removed in Kubernetes 1.16)',
  'Ingress extensions/v1beta1': 'networking.k8s.io/v1 (removed in Kubernetes 1.22)',
  'Ingress networking.k8s.io/v1beta1': 'networking.k8s.io/v1 (removed in Kubernetes 1.22)',
  'PodDisruptionBudget policy/v1beta1': 'policy/v1 (removed in Kubernetes 1.25)',
  'DeploymentConfig v1': 'apps.openshift.io/v1 (the group-less form is OpenShift 3’s legacy API)',
  'Route v1': 'route.openshift.io/v1 (the group-less form is OpenShift 3’s legacy API)',
};
