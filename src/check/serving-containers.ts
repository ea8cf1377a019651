import { type Container, findPort } from './container.js';
import type { Subject } from './relations.js';

/**
 * The containers the workload's Services send requests to: those exposing a
 * Service's targetPort (by name or number). When no container declares the
 * port (a container may listen on a port it does not declare), every
 * container counts, since zdd cannot tell which one serves. None when no
 * Service selects the pods.
 */
export function servingContainers(subject: Subject): readonly Container[] {
  const { containers } = subject.workload;
  if (subject.services.length === 0) return [];
  const targets = subject.services.flatMap((service) => service.targetPorts);
  const serving = containers.filter((container) => targets.some((port) => findPort(container, port) !== undefined));
  return serving.length > 0 ? serving : containers;
}
