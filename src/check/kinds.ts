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
  | { readonly role: 'http-route' }
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
  // v1beta1 is still served by the standard channel's CRD (deprecated); v1 is GA since Gateway API v1.0.
  {
    kind: 'HTTPRoute',
    versions: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'],
    role: { role: 'http-route' },
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

/**
 * OpenShift 3's group-less forms, with the group to use instead. Not removed: `oc` still sends them (it warns
 * "Using non-groupfied API resources is deprecated and will be removed in a future release"), but `kubectl`
 * finds no such kind in the core `v1` group and refuses them. Kubernetes' own removed versions are a rule:
 * removed-api-version.
 */
export const LEGACY_OPENSHIFT_VERSIONS: Readonly<Record<string, string>> = {
  'DeploymentConfig v1': 'apps.openshift.io/v1',
  'Route v1': 'route.openshift.io/v1',
};
