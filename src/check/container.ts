import type { FieldPath } from '../kubernetes/object.js';
import type { Fields } from './fields.js';
import { type PreStop, readPreStop } from './pre-stop.js';
import { type PortReference, type Probe, readProbe } from './probes.js';

export interface ContainerPort {
  readonly name: string | undefined;
  readonly containerPort: number;
}

/** One container of a pod template, with what decides how it starts and stops serving. */
export interface Container {
  readonly name: string;
  readonly image: string;
  readonly ports: readonly ContainerPort[];
  readonly readinessProbe: Probe | undefined;
  readonly livenessProbe: Probe | undefined;
  readonly startupProbe: Probe | undefined;
  readonly preStop: PreStop | undefined;
  readonly path: FieldPath;
}

/** The containers of the pod spec at `podSpec` (init containers do not serve). */
export function readContainers(podSpec: Fields): Container[] {
  return podSpec.list(['containers']).map((_, index) => {
    const fields = podSpec.at(['containers', index]);
    const ports: ContainerPort[] = [];
    for (const [portIndex] of fields.list(['ports']).entries()) {
      const containerPort = fields.optionalInteger(['ports', portIndex, 'containerPort'], 1);
      if (containerPort !== undefined) ports.push({ name: fields.string(['ports', portIndex, 'name']), containerPort });
    }
    return {
      name: fields.string(['name']) ?? `containers[${index}]`,
      image: fields.string(['image']) ?? '',
      ports,
      readinessProbe: readProbe(fields.at(['readinessProbe'])),
      livenessProbe: readProbe(fields.at(['livenessProbe'])),
      startupProbe: readProbe(fields.at(['startupProbe'])),
      preStop: readPreStop(fields.at(['lifecycle', 'preStop'])),
      path: fields.path(),
    };
  });
}

/** The container port a reference means: a number as it is, a name looked up among the container's ports. */
export function findPort(container: Container, port: PortReference): ContainerPort | undefined {
  return typeof port === 'number'
    ? container.ports.find((p) => p.containerPort === port)
    : container.ports.find((p) => p.name === port);
}

/** A named port as its number when the container names it, else the reference as written. */
export function resolvePort(container: Container, port: PortReference): PortReference {
  return typeof port === 'string' ? (findPort(container, port)?.containerPort ?? port) : port;
}
