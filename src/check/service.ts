import type { FieldPath, ManifestObject } from '../kubernetes/object.js';
import type { Fields } from './fields.js';
import type { Labels } from './label-selector.js';
import type { PortReference } from './probes.js';

/**
 * The annotation that made the endpoints controller list pods that are not ready as ready, deprecated for
 * `spec.publishNotReadyAddresses` (Kubernetes 1.11 release notes, kubernetes/kubernetes#63742) and ignored
 * from 1.24 on (kubernetes/kubernetes#108020); EndpointSlices never read it.
 */
export const TOLERATE_UNREADY_ANNOTATION = 'service.alpha.kubernetes.io/tolerate-unready-endpoints';

/** A Service: which pods it selects, which of their ports it sends to, and whether it waits for them to be ready. */
export interface Service {
  readonly object: ManifestObject;
  /** Undefined or empty: the Service selects no pods (its endpoints are managed by hand). */
  readonly selector: Labels | undefined;
  /** Each port's targetPort, defaulted to its port. */
  readonly targetPorts: readonly PortReference[];
  /** `spec.clusterIP: None`: no virtual IP; clients resolve its DNS name to the pods' addresses. */
  readonly headless: boolean;
  /** Where the Service says to send requests to pods that are not ready, if it does. */
  readonly publishesNotReady: { readonly how: 'field' | 'annotation'; readonly path: FieldPath } | undefined;
}

export function readService(fields: Fields): Service {
  const spec = fields.at(['spec']);
  const targetPorts: PortReference[] = [];
  for (const [index] of spec.list(['ports']).entries()) {
    const target =
      spec.intOrString(['ports', index, 'targetPort']) ?? spec.optionalInteger(['ports', index, 'port'], 1);
    if (target !== undefined) targetPorts.push(target);
  }
  return {
    object: fields.object,
    selector: spec.stringMap(['selector']),
    targetPorts,
    headless: spec.string(['clusterIP']) === 'None',
    publishesNotReady: publishesNotReady(fields),
  };
}

function publishesNotReady(fields: Fields): Service['publishesNotReady'] {
  if (fields.boolean(['spec', 'publishNotReadyAddresses']) === true)
    return { how: 'field', path: ['spec', 'publishNotReadyAddresses'] };
  const annotation = fields.raw(['metadata', 'annotations', TOLERATE_UNREADY_ANNOTATION]);
  // The endpoints controller read it with Go's strconv.ParseBool.
  if (typeof annotation === 'string' && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(annotation))
    return { how: 'annotation', path: ['metadata', 'annotations', TOLERATE_UNREADY_ANNOTATION] };
  return undefined;
}
