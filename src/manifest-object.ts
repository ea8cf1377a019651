import type { JsonObject } from './json-value.js';

/** One Kubernetes object of a manifest: its kind and name, and the whole object as JSON. */
export interface ManifestObject {
  readonly kind: string;
  readonly name: string;
  readonly body: JsonObject;
}

/** `Kind/name`, as `oc` prints it. */
export function objectId(object: Pick<ManifestObject, 'kind' | 'name'>): string {
  return `${object.kind}/${object.name}`;
}

/** Objects rendered by cdk8s (`chart.toJson()`), which always carry a kind and a name. */
export function fromRendered(rendered: readonly JsonObject[]): ManifestObject[] {
  return rendered.map((body) => {
    const metadata = body.metadata as JsonObject | undefined;
    return { kind: String(body.kind), name: String(metadata?.name), body };
  });
}
