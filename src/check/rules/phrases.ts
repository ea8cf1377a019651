import { objectName } from '../../kubernetes/object.js';
import type { Container } from '../container.js';
import type { Subject } from '../relations.js';

/** `container "app"`. */
export function containerPhrase(container: Container): string {
  return `container ${JSON.stringify(container.name)}`;
}

/** `Service/web (Route/web)`: what sends the workload requests. */
export function trafficPhrase(subject: Subject): string {
  const services = subject.services.map((service) => objectName(service.object)).join(', ');
  const exposures = subject.exposures.map((exposure) => objectName(exposure.object)).join(', ');
  return exposures === '' ? services : `${services} (${exposures})`;
}

/** `1 replica`, `3 replicas`. */
export function replicasPhrase(count: number): string {
  return `${count} replica${count === 1 ? '' : 's'}`;
}

/** `4 s`; fractions as written (`0.5 s`). */
export function seconds(value: number): string {
  return `${Number.isInteger(value) ? value : Number(value.toFixed(3))} s`;
}
