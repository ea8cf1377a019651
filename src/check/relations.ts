import type { ManifestObject } from '../kubernetes/object.js';
import type { Exposure } from './exposure.js';
import type { Inventory } from './inventory.js';
import { mapSelectorMatches } from './label-selector.js';
import { type PodDisruptionBudget, pdbSelects } from './pdb.js';
import type { Service } from './service.js';
import type { Workload } from './workload.js';

/** A workload and the objects that decide what its rollouts and drains do to requests. */
export interface Subject {
  readonly workload: Workload;
  /** Services whose selector its pods' labels satisfy: they send it requests. */
  readonly services: readonly Service[];
  /** Routes and Ingresses that point at those Services. */
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
 * subset of the pod labels), to the Routes and Ingresses pointing at those
 * Services by name, and to the PodDisruptionBudgets whose selector matches
 * the pod labels. Objects relate within a namespace; one without
 * `metadata.namespace` goes to whatever namespace it is applied to, so it
 * relates to any.
 */
export function relate(inventory: Inventory): Subject[] {
  const guarded = (pdb: PodDisruptionBudget) =>
    inventory.workloads.filter((w) => sameNamespace(w.object, pdb.object) && pdbSelects(pdb, w.podLabels));
  const pdbReplicas = new Map<PodDisruptionBudget, number>();
  for (const pdb of inventory.pdbs)
    pdbReplicas.set(
      pdb,
      guarded(pdb).reduce((sum, w) => sum + w.replicas, 0),
    );
  const selects = (service: Service, workload: Workload) =>
    sameNamespace(service.object, workload.object) &&
    service.selector !== undefined &&
    Object.keys(service.selector).length > 0 &&
    mapSelectorMatches(service.selector, workload.podLabels);
  const serviceWorkloads = new Map<Service, readonly Workload[]>();
  for (const service of inventory.services)
    serviceWorkloads.set(
      service,
      inventory.workloads.filter((workload) => selects(service, workload)),
    );
  return inventory.workloads.map((workload) => {
    const services = inventory.services.filter((service) => selects(service, workload));
    const exposures = inventory.exposures.filter((exposure) =>
      services.some(
        (service) =>
          sameNamespace(service.object, exposure.object) && exposure.serviceNames.includes(service.object.name),
      ),
    );
    const pdbs = inventory.pdbs.filter(
      (pdb) => sameNamespace(pdb.object, workload.object) && pdbSelects(pdb, workload.podLabels),
    );
    return { workload, services, exposures, pdbs, pdbReplicas, serviceWorkloads };
  });
}

function sameNamespace(a: ManifestObject, b: ManifestObject): boolean {
  return a.namespace === undefined || b.namespace === undefined || a.namespace === b.namespace;
}
