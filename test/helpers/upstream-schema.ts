import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Service } from 'kubernetes-models/v1/Service';

/**
 * Validates objects against their kind's upstream schema: DeploymentConfig,
 * Route and pod templates against openshift/api's OpenAPI definitions (made
 * strict: unknown fields are errors, as with `kubectl --validate=strict`);
 * core and apps/v1 kinds against the Kubernetes OpenAPI schema that
 * kubernetes-models compiles.
 */
const SUBSET = new URL(
  '../../schemas/openshift/openapi.apps-v1-DeploymentConfig.route-v1-Route.subset.json',
  import.meta.url,
);

type Schema = Record<string, unknown>;

/** A schema made strict: unknown fields are errors (as with `kubectl --validate=strict`). */
export function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) out[key] = strict(value);
  if (out.format === 'int-or-string') return { anyOf: [{ type: 'integer' }, { type: 'string' }] };
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const definitions = strict((JSON.parse(readFileSync(SUBSET, 'utf8')) as { definitions: Schema }).definitions) as Schema;
// A Quantity is written as a string ("500m") or a number.
definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { anyOf: [{ type: 'string' }, { type: 'number' }] };
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'openshift', definitions });

function openshift(definition: string, object: unknown): string[] {
  const validate = ajv.getSchema(`openshift#/definitions/${definition}`);
  if (!validate) throw new Error(`no definition ${definition}`);
  return validate(object)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

function kubernetes(validate: () => void): string[] {
  try {
    validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the models take any object of their kind
type Model = new (data: any) => { validate(): void };
const MODELS: Record<string, Model> = {
  Service,
  Deployment,
  Ingress,
  PodDisruptionBudget,
};

/** Errors of one rendered object against its upstream schema (empty when valid). */
export function upstreamErrors(object: {
  kind: string;
  spec?: { template?: unknown; [field: string]: unknown };
}): string[] {
  switch (object.kind) {
    case 'DeploymentConfig':
      return openshift('com.github.openshift.api.apps.v1.DeploymentConfig', object);
    case 'Route':
      return openshift('com.github.openshift.api.route.v1.Route', object);
    default: {
      const Model = MODELS[object.kind];
      if (!Model) return [`no schema for kind ${object.kind}`];
      const template = object.spec?.template;
      return [
        ...kubernetes(() => new Model(object).validate()),
        // Strict check of the pod template, which the models let through with unknown fields.
        ...(template ? openshift('io.k8s.api.core.v1.PodTemplateSpec', template) : []),
      ];
    }
  }
}
