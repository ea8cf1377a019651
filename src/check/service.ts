import type { Fields } from './fields.js';
import type { Labels } from './label-selector.js';
import type { ManifestObject } from './manifest-object.js';
import type { PortReference } from './probes.js';

/** A Service: which pods it selects and which of their ports it sends to. */
export interface Service {
  readonly object: ManifestObject;
  /** Undefined or empty: the Service selects no pods (its endpoints are managed by hand). */
  readonly selector: Labels | undefined;
  /** Each port's targetPort, defaulted to its port. */
  readonly targetPorts: readonly PortReference[];
}

export function readService(fields: Fields): Service {
  const spec = fields.at(['spec']);
  const targetPorts: PortReference[] = [];
  for (const [index] of spec.list(['ports']).entries()) {
    const target =
      spec.intOrString(['ports', index, 'targetPort']) ?? spec.optionalInteger(['ports', index, 'port'], 1);
    if (target !== undefined) targetPorts.push(target);
  }
  return { object: fields.object, selector: spec.stringMap(['selector']), targetPorts };
}
