import { type ManifestObject, objectName } from '../kubernetes/object.js';
import { type Exposure, readHttpRoute, readIngress, readRoute } from './exposure.js';
import { Fields } from './fields.js';
import { LEGACY_OPENSHIFT_VERSIONS, roleOf } from './kinds.js';
import type { Note } from './note.js';
import { type PodDisruptionBudget, readPodDisruptionBudget } from './pdb.js';
import { readService, type Service } from './service.js';
import { readWorkload, type Workload } from './workload.js';

/** Every object read, sorted into what zdd checks and what it relates them to. */
export interface Inventory {
  readonly workloads: readonly Workload[];
  readonly services: readonly Service[];
  readonly exposures: readonly Exposure[];
  readonly pdbs: readonly PodDisruptionBudget[];
  /** Objects of other kinds, as `Kind/name`. */
  readonly others: readonly string[];
  readonly notes: readonly Note[];
}

export function takeInventory(objects: readonly ManifestObject[]): Inventory {
  const workloads: Workload[] = [];
  const services: Service[] = [];
  const exposures: Exposure[] = [];
  const pdbs: PodDisruptionBudget[] = [];
  const others: string[] = [];
  const notes: Note[] = [];
  for (const object of objects) {
    const note = (message: string) => notes.push({ location: object.location, object: objectName(object), message });
    const fields = new Fields(object, notes);
    const role = roleOf(object.apiVersion, object.kind);
    const grouped = LEGACY_OPENSHIFT_VERSIONS[`${object.kind} ${object.apiVersion}`];
    if (grouped !== undefined)
      note(
        `apiVersion ${object.apiVersion} is OpenShift 3's group-less form: oc still accepts it (with a deprecation warning), kubectl does not; use ${grouped}`,
      );
    switch (role.role) {
      case 'workload':
        workloads.push(readWorkload(fields, role.kind));
        break;
      case 'service':
        services.push(readService(fields));
        break;
      case 'route':
        exposures.push(readRoute(fields));
        break;
      case 'ingress':
        exposures.push(readIngress(fields));
        break;
      case 'http-route':
        exposures.push(readHttpRoute(fields));
        break;
      case 'pdb':
        pdbs.push(readPodDisruptionBudget(fields));
        break;
      case 'unchecked-workload':
        note(`not checked: zdd checks DeploymentConfigs, Deployments and StatefulSets, not ${object.kind}s`);
        break;
      case 'unknown-version':
        note(
          `not checked: apiVersion ${JSON.stringify(object.apiVersion)} is not one zdd knows for a ${object.kind} (${role.known.join(', ')})`,
        );
        break;
      case 'other':
        others.push(objectName(object));
        break;
    }
  }
  return { workloads, services, exposures, pdbs, others, notes };
}
