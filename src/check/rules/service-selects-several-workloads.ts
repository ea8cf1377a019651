import { objectName } from '../../kubernetes/object.js';
import type { Diagnostic, WorkloadRule } from '../rule.js';

export const serviceSelectsSeveralWorkloads: WorkloadRule = {
  id: 'service-selects-several-workloads',
  severity: 'warning',
  description:
    "A Service selects the pods of more than one workload: it spreads its requests over all of them, so while one rolls out, the other's pods take its requests, whatever app they run.",
  remediation:
    "Add a label that only one workload's pods carry to the Service's selector (and to that workload's pod template), or give each workload its own Service; share one only for a deliberate canary of the same app.",
  help: [
    "A Service sends requests to every ready pod whose labels include all of its selector's pairs, whichever",
    'workload made the pod (Kubernetes documentation, "Service"; the EndpointSlice controller selects pods by',
    'label alone, kubernetes/kubernetes pkg/controller/endpointslice). Two workloads that share the selected',
    "labels share the Service's requests all the time, and a rollout of one moves its share onto the other's",
    'pods. Running two workloads of the same app behind one Service is the canary pattern (Kubernetes',
    'documentation, "Managing Workloads", canary deployments); anything else is usually a selector missing a',
    'label. Only workloads in the same namespace count; an object without metadata.namespace is taken to be in any.',
  ].join(' '),
  check(subject) {
    const diagnostics: Diagnostic[] = [];
    for (const service of subject.services) {
      const workloads = subject.serviceWorkloads.get(service) ?? [];
      if (workloads.length < 2) continue;
      const names = workloads.map((workload) => objectName(workload.object));
      diagnostics.push({
        message: `${objectName(service.object)} selects the pods of ${listOf(names)}: it spreads its requests over all of them, and a rollout of one sends them to the other${workloads.length === 2 ? "'s" : "s'"} pods`,
        path: ['spec', 'selector'],
        object: service.object,
      });
    }
    return diagnostics;
  },
};

/** `a and b`, `a, b and c`. */
function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
