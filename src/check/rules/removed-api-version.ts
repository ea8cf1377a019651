import { objectName } from '../../kubernetes/object.js';
import { removedApi } from '../removed-apis.js';
import type { ObjectRule } from '../rule.js';

export const removedApiVersion: ObjectRule = {
  id: 'removed-api-version',
  scope: 'object',
  severity: 'error',
  description:
    'An object is written in an API version that Kubernetes no longer serves: applying it to a current cluster fails, whatever else it says.',
  remediation:
    'Change the apiVersion to the one the finding names (kubectl convert -f FILE --output-version GROUP/VERSION rewrites the object), then review the defaults that changed with it.',
  help: [
    'The API versions, the release that stopped serving each and their replacements are those of the Kubernetes',
    '"Deprecated API Migration Guide" (kubernetes.io/docs/reference/using-api/deprecation-guide/, Removed APIs by',
    'release): extensions/v1beta1, apps/v1beta1 and apps/v1beta2 workloads in 1.16; extensions/v1beta1 and',
    'networking.k8s.io/v1beta1 Ingress, the v1beta1 RBAC, CRD, webhook, storage and scheduling kinds in 1.22;',
    'policy/v1beta1 PodDisruptionBudget and PodSecurityPolicy, batch/v1beta1 CronJob and autoscaling/v2beta1 in',
    '1.25; autoscaling/v2beta2 in 1.26; the flowcontrol betas in 1.26, 1.29 and 1.32. The API server answers such',
    'an object with "no matches for kind". zdd still reads it (its relations and the other rules are judged as',
    'written), because old manifests are what reviewers are handed. The guide lists the defaults that change',
    "with the version (a Deployment's maxSurge and maxUnavailable were 1 in extensions/v1beta1, 25 % in apps/v1).",
  ].join(' '),
  check(object) {
    const removed = removedApi(object.kind, object.apiVersion);
    if (removed === undefined) return [];
    const use =
      removed.replacement === undefined
        ? `the kind is gone: use ${removed.instead ?? 'its successor'}`
        : `use ${removed.replacement}`;
    return [
      {
        message: `${objectName(object)} is written in apiVersion ${object.apiVersion}, which Kubernetes ${removed.removedIn} and later no longer serve: applying it fails; ${use}`,
        path: ['apiVersion'],
        object,
      },
    ];
  },
};
