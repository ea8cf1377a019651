import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  applicableDeploymentConfigCrd,
  LIST_MAP_KEY_DEFAULTS,
  listMapKeysWithoutDefault,
  parseCrd,
} from '../../src/testbed/crds.js';
import { REPO } from '../helpers/cli.js';

const DC_CRD = readFileSync(join(REPO, 'schemas/openshift/apps.openshift.io_deploymentconfigs.crd.yaml'), 'utf8');
const POD_SPEC =
  'spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.template.properties.spec.properties';

describe('applicableDeploymentConfigCrd', () => {
  test('the codegen-only CRD has four list-map keys without a default, the derived one none', () => {
    const original = listMapKeysWithoutDefault(parseCrd(DC_CRD, 'dc'));
    expect(original.map((key) => key.path).sort()).toEqual([
      `${POD_SPEC}.containers.items.properties.ports.items.properties.protocol`,
      `${POD_SPEC}.ephemeralContainers.items.properties.ports.items.properties.protocol`,
      `${POD_SPEC}.imagePullSecrets.items.properties.name`,
      `${POD_SPEC}.initContainers.items.properties.ports.items.properties.protocol`,
    ]);
    expect(listMapKeysWithoutDefault(applicableDeploymentConfigCrd(DC_CRD))).toEqual([]);
  });

  test('adds default TCP to each ports[].protocol and "" to imagePullSecrets[].name, and changes nothing else', () => {
    const original = parseCrd(DC_CRD, 'dc');
    const derived = applicableDeploymentConfigCrd(DC_CRD);
    const podSpec = (crd: object) =>
      (crd as { spec: { versions: Array<{ schema: { openAPIV3Schema: Schema } }> } }).spec.versions[0]?.schema
        .openAPIV3Schema.properties?.spec?.properties?.template?.properties?.spec?.properties as Record<string, Schema>;
    const spec = podSpec(derived);
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      expect(spec[list]?.items?.properties?.ports?.items?.properties?.protocol?.default).toBe('TCP');
    }
    expect(spec.imagePullSecrets?.items?.properties?.name?.default).toBe('');

    // Remove exactly those four defaults: what is left is the original, byte for byte as JSON.
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      delete spec[list]?.items?.properties?.ports?.items?.properties?.protocol?.default;
    }
    delete spec.imagePullSecrets?.items?.properties?.name?.default;
    expect(JSON.stringify(derived)).toBe(JSON.stringify(original));
  });

  test('serialised, it is too big for client-side apply: the last-applied annotation would exceed 256 KiB', () => {
    expect(JSON.stringify(applicableDeploymentConfigCrd(DC_CRD)).length).toBeGreaterThan(256 * 1024);
  });

  test('a list-map key whose default is not known is an error naming it, not a half-fixed CRD', () => {
    const text = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: { name: deploymentconfigs.apps.openshift.io }',
      'spec:',
      '  versions:',
      '    - schema:',
      '        openAPIV3Schema:',
      '          properties:',
      '            volumes:',
      '              type: array',
      '              x-kubernetes-list-type: map',
      '              x-kubernetes-list-map-keys: [mountPath]',
      '              items: { type: object, properties: { mountPath: { type: string } } }',
    ].join('\n');
    expect(() => applicableDeploymentConfigCrd(text, 'dc.yaml')).toThrow(
      'dc.yaml: spec.versions[0].schema.openAPIV3Schema.properties.volumes.items.properties.mountPath: list-map key "volumes[].mountPath" has no default and none is known for it',
    );
    expect(Object.keys(LIST_MAP_KEY_DEFAULTS)).toEqual(['ports[].protocol', 'imagePullSecrets[].name']);
  });

  test('another CRD, or not a CRD, is refused', () => {
    const route = readFileSync(join(REPO, 'schemas/openshift/route.openshift.io_routes.crd.yaml'), 'utf8');
    expect(() => applicableDeploymentConfigCrd(route, 'route.yaml')).toThrow(
      'route.yaml: expected the CRD deploymentconfigs.apps.openshift.io, got "routes.route.openshift.io"',
    );
    expect(() => parseCrd('kind: ConfigMap\n', 'cm.yaml')).toThrow('cm.yaml: expected a CustomResourceDefinition');
  });
});

interface Schema {
  default?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
}
