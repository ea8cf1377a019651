import { Ajv } from 'ajv';
import type { KubeObject } from '../../src/kube/resources.js';
import { defaultBinDir } from '../../src/testbed/control-plane.js';
import { readCrdFiles } from '../../src/testbed/crd-files.js';
import { gatewayApiCrd, gatewayApiCrdFiles, gatewayApiVersion } from '../../src/testbed/gateway-api-crds.js';
import { strict } from './upstream-schema.js';

/**
 * Validates objects against the Gateway API's own CRDs, as testbed/build.sh
 * copies them from the Go module sigs.k8s.io/gateway-api into testbed/bin:
 * each served version's openAPIV3Schema, made strict (unknown fields are
 * errors, as with `kubectl --validate=strict`). The CEL rules
 * (`x-kubernetes-validations`) are the API server's to run: the test bed's
 * tests apply the same objects to a real one.
 */
const FILES = gatewayApiCrdFiles(defaultBinDir());

/** True when testbed/build.sh has not copied the CRDs: the tests that need them skip then. */
export const NO_GATEWAY_API = FILES.length === 0;
export const NO_GATEWAY_API_REASON =
  'skipped: no Gateway API CRDs in testbed/bin/gateway-api; run testbed/build.sh (it copies them from sigs.k8s.io/gateway-api)';
/** The module version the CRDs are from. */
export const GATEWAY_API_VERSION = NO_GATEWAY_API ? undefined : gatewayApiVersion(defaultBinDir());

type Schema = Record<string, unknown>;

let crds: KubeObject[] | undefined;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

/** Errors of one object against its kind's CRD in the Gateway API (empty when valid). */
export function gatewayApiErrors(object: { apiVersion?: string; kind: string }, plural: string): string[] {
  crds ??= readCrdFiles(FILES);
  const crd = gatewayApiCrd(crds, plural);
  if (crd === undefined) return [`no CRD ${plural} in ${FILES.join(', ')}`];
  const spec = crd.spec as {
    group: string;
    versions: Array<{ name: string; served: boolean; schema: { openAPIV3Schema: Schema } }>;
  };
  const version = spec.versions.find((v) => `${spec.group}/${v.name}` === object.apiVersion && v.served);
  if (version === undefined) return [`${plural}: no served version ${object.apiVersion}`];
  const id = `${plural}/${version.name}`;
  const validate = ajv.getSchema(id) ?? ajv.compile({ $id: id, ...(strict(version.schema.openAPIV3Schema) as Schema) });
  return validate(object)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
