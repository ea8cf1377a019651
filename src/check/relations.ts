import type { ManifestObject } from '../kubernetes/object.js';
import type { Exposure } from './exposure.js';
import type { Inventory } from './inventory.js';
import { LabelIndex } from './label-index.js';
import { mapSelectorMatches } from './label-selector.js';
import { type PodDisruptionBudget, pdbSelects } from './pdb.js';
import type { Service } from './service.js';
import type { Workload } from './workload.js';

/** A workload and the objects that decide what its rollouts and drains do to requests. */
export interface Subject {
  readonly workload: Workload;
  /** Services whose selector its pods' labels satisfy: they send it requests. */
  readonly services: readonly Service[];
  /** Routes, Ingresses and HTTPRoutes that point at those Services. */
  readonly exposures: readonly Exposure[];
  /** PodDisruptionBudgets that guard its pods. */
  readonly pdbs: readonly PodDisruptionBudget[];
  /** For each budget: the replicas of every workload it guards (its percentages count them all). */
  readonly pdbReplicas: ReadonlyMap<PodDisruptionBudget, number>;
  /** For each of `services`: every workload whose pods it selects, this one included, in input order. */
  readonly serviceWorkloads: ReadonlyMap<Service, readonly Workload[]>;
}

/**
 * Relates each workload to its Services (a non-empty selector that is a
 * subset of the pod labels), to the Routes, Ingresses and HTTPRoutes pointing
 * at those Services by name (an HTTPRoute's backendRef may name another namespace), and to the PodDisruptionBudgets whose selector matches
 * the pod labels. Objects relate within a namespace; one without
 * `metadata.namespace` goes to whatever namespace it is applied to, so it
 * relates to any. Every list keeps the input order.
 */
export function relate(inventory: Inventory): Subject[] {
  const pods = new LabelIndex(inventory.workloads, (workload) => workload.podLabels);
  const servicesOf = new Map<Workload, Service[]>(inventory.workloads.map((workload) => [workload, []]));
  const pdbsOf = new Map<Workload, PodDisruptionBudget[]>(inventory.workloads.map((workload) => [workload, []]));

  const serviceWorkloads = new Map<Service, readonly Workload[]>();
  for (const service of inventory.services) {
    const { selector } = service;
    const selected =
      selector === undefined || Object.keys(selector).length === 0
        ? []
        : pods
            .candidates(selector)
            .filter(
              (workload) =>
                sameNamespace(service.object, workload.object) && mapSelectorMatches(selector, workload.podLabels),
            );
    serviceWorkloads.set(service, selected);
    for (const workload of selected) servicesOf.get(workload)?.push(service);
  }

  const pdbReplicas = new Map<PodDisruptionBudget, number>();
  for (const pdb of inventory.pdbs) {
    const guarded = pods
      .candidates(pdb.selector?.matchLabels ?? {})
      .filter((workload) => sameNamespace(workload.object, pdb.object) && pdbSelects(pdb, workload.podLabels));
    pdbReplicas.set(
      pdb,
      guarded.reduce((sum, workload) => sum + workload.replicas, 0),
    );
    for (const workload of guarded) pdbsOf.get(workload)?.push(pdb);
  }

  const exposuresByService = new Map<string, number[]>();
  for (const [index, exposure] of inventory.exposures.entries()) {
    for (const name of exposure.serviceNames) {
      const pointing = exposuresByService.get(name);
      if (pointing === undefined) exposuresByService.set(name, [index]);
      else pointing.push(index);
    }
  }

  return inventory.workloads.map((workload) => {
    const services = servicesOf.get(workload) ?? [];
    const exposed = new Set<number>();
    for (const service of services) {
      for (const index of exposuresByService.get(service.object.name) ?? []) {
        const exposure = inventory.exposures[index];
        if (exposure !== undefined && reaches(exposure, service)) exposed.add(index);
      }
    }
    const exposures = [...exposed].sort((a, b) => a - b).flatMap((index) => inventory.exposures[index] ?? []);
    const pdbs = pdbsOf.get(workload) ?? [];
    return { workload, services, exposures, pdbs, pdbReplicas, serviceWorkloads };
  });
}

/** Whether an exposure that names this Service reaches it: in its own namespace, or the one its reference names. */
function reaches(exposure: Exposure, service: Service): boolean {
  const namespace = exposure.serviceNamespaces?.get(service.object.name);
  if (namespace === undefined) return sameNamespace(service.object, exposure.object);
  return service.object.namespace === undefined || service.object.namespace === namespace;
}

function sameNamespace(a: ManifestObject, b: ManifestObject): boolean {
  return a.namespace === undefined || b.namespace === undefined || a.namespace === b.namespace;
}
