import type { KubeObject } from '../kube/resources.js';

/** The restricted user's name, namespace and what it may do there. */
export const RESTRICTED_USER = 'restricted';
export const RESTRICTED_NAMESPACE = 'restricted';
export const RESTRICTED_VERBS = ['get', 'list', 'watch'] as const;

/**
 * The namespace `restricted` and a Role + RoleBinding that let the user
 * `restricted` read everything there and change nothing: what a tester needs
 * to see zdd's forbidden-verb messages against a real RBAC authorizer.
 */
export function restrictedUserObjects(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: RESTRICTED_NAMESPACE } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'read-only', namespace: RESTRICTED_NAMESPACE },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: [...RESTRICTED_VERBS] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'read-only', namespace: RESTRICTED_NAMESPACE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-only' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: RESTRICTED_USER }],
    },
  ];
}
