/**
 * The API versions Kubernetes no longer serves, by kind, with the release that
 * removed each and the version to use instead: the Kubernetes "Deprecated API
 * Migration Guide" (kubernetes.io/docs/reference/using-api/deprecation-guide/,
 * "Removed APIs by release", v1.16 to v1.32). An object in one of them cannot
 * be applied to a cluster of that release or later. Data only.
 */
export interface RemovedApi {
  /** The Kubernetes minor release that stopped serving it, e.g. `1.25`. */
  readonly removedIn: string;
  /** The apiVersion to use instead; undefined when the kind itself is gone. */
  readonly replacement: string | undefined;
  /** What to do when there is no replacement. */
  readonly instead?: string;
}

const REMOVALS: ReadonlyArray<{
  readonly release: string;
  readonly apis: ReadonlyArray<
    readonly [apiVersion: string, kinds: readonly string[], replacement: string | undefined]
  >;
}> = [
  {
    release: '1.16',
    apis: [
      ['extensions/v1beta1', ['NetworkPolicy'], 'networking.k8s.io/v1'],
      ['extensions/v1beta1', ['DaemonSet', 'Deployment', 'ReplicaSet'], 'apps/v1'],
      ['apps/v1beta1', ['Deployment', 'StatefulSet', 'ReplicaSet'], 'apps/v1'],
      ['apps/v1beta2', ['DaemonSet', 'Deployment', 'StatefulSet', 'ReplicaSet'], 'apps/v1'],
    ],
  },
  {
    release: '1.22',
    apis: [
      [
        'admissionregistration.k8s.io/v1beta1',
        ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
        'admissionregistration.k8s.io/v1',
      ],
      ['apiextensions.k8s.io/v1beta1', ['CustomResourceDefinition'], 'apiextensions.k8s.io/v1'],
      ['apiregistration.k8s.io/v1beta1', ['APIService'], 'apiregistration.k8s.io/v1'],
      ['authentication.k8s.io/v1beta1', ['TokenReview'], 'authentication.k8s.io/v1'],
      [
        'authorization.k8s.io/v1beta1',
        ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'],
        'authorization.k8s.io/v1',
      ],
      ['certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], 'certificates.k8s.io/v1'],
      ['coordination.k8s.io/v1beta1', ['Lease'], 'coordination.k8s.io/v1'],
      ['extensions/v1beta1', ['Ingress'], 'networking.k8s.io/v1'],
      ['networking.k8s.io/v1beta1', ['Ingress', 'IngressClass'], 'networking.k8s.io/v1'],
      [
        'rbac.authorization.k8s.io/v1beta1',
        ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
        'rbac.authorization.k8s.io/v1',
      ],
      ['scheduling.k8s.io/v1beta1', ['PriorityClass'], 'scheduling.k8s.io/v1'],
      ['storage.k8s.io/v1beta1', ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], 'storage.k8s.io/v1'],
    ],
  },
  {
    release: '1.25',
    apis: [
      ['batch/v1beta1', ['CronJob'], 'batch/v1'],
      ['discovery.k8s.io/v1beta1', ['EndpointSlice'], 'discovery.k8s.io/v1'],
      ['events.k8s.io/v1beta1', ['Event'], 'events.k8s.io/v1'],
      ['autoscaling/v2beta1', ['HorizontalPodAutoscaler'], 'autoscaling/v2'],
      ['policy/v1beta1', ['PodDisruptionBudget'], 'policy/v1'],
      ['policy/v1beta1', ['PodSecurityPolicy'], undefined],
      ['node.k8s.io/v1beta1', ['RuntimeClass'], 'node.k8s.io/v1'],
    ],
  },
  {
    release: '1.26',
    apis: [
      [
        'flowcontrol.apiserver.k8s.io/v1beta1',
        ['FlowSchema', 'PriorityLevelConfiguration'],
        'flowcontrol.apiserver.k8s.io/v1',
      ],
      ['autoscaling/v2beta2', ['HorizontalPodAutoscaler'], 'autoscaling/v2'],
    ],
  },
  { release: '1.27', apis: [['storage.k8s.io/v1beta1', ['CSIStorageCapacity'], 'storage.k8s.io/v1']] },
  {
    release: '1.29',
    apis: [
      [
        'flowcontrol.apiserver.k8s.io/v1beta2',
        ['FlowSchema', 'PriorityLevelConfiguration'],
        'flowcontrol.apiserver.k8s.io/v1',
      ],
    ],
  },
  {
    release: '1.32',
    apis: [
      [
        'flowcontrol.apiserver.k8s.io/v1beta3',
        ['FlowSchema', 'PriorityLevelConfiguration'],
        'flowcontrol.apiserver.k8s.io/v1',
      ],
    ],
  },
];

/** What replaced PodSecurityPolicy, which was removed rather than moved. */
const POD_SECURITY_ADMISSION = 'Pod Security Admission (the pod-security.kubernetes.io labels on the namespace)';

const BY_KIND_AND_VERSION = new Map<string, RemovedApi>();
for (const { release, apis } of REMOVALS) {
  for (const [apiVersion, kinds, replacement] of apis) {
    for (const kind of kinds) {
      BY_KIND_AND_VERSION.set(
        `${kind} ${apiVersion}`,
        replacement === undefined
          ? { removedIn: release, replacement, instead: POD_SECURITY_ADMISSION }
          : { removedIn: release, replacement },
      );
    }
  }
}
// extensions/v1beta1 PodSecurityPolicy moved to policy/v1beta1, itself removed in 1.25: point past both.
BY_KIND_AND_VERSION.set('PodSecurityPolicy extensions/v1beta1', {
  removedIn: '1.16',
  replacement: undefined,
  instead: POD_SECURITY_ADMISSION,
});

/** The removal of `kind` in `apiVersion`, if Kubernetes no longer serves it. */
export function removedApi(kind: string, apiVersion: string): RemovedApi | undefined {
  return BY_KIND_AND_VERSION.get(`${kind} ${apiVersion}`);
}
