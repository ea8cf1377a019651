import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { platformProfile } from '../platforms/index.js';
import { PLATFORM_NAMES, type PlatformName } from '../platforms/names.js';
import { SettingError } from '../runtime/errors.js';
import type {
  AppChartProps,
  GatewayRefProps,
  ResourceAmounts,
  ResourcesProps,
  ZeroDowntimeProps,
} from '../spec/app-props.js';
import { EXPOSE_KINDS, type ExposeKind, WORKLOAD_KINDS, type WorkloadKind } from '../spec/choices.js';
import { settingDefault } from '../spec/settings.js';
import { AppDeployment } from './deployment.js';
import { AppDeploymentConfig } from './deployment-config.js';
import { AppHttpRoute } from './http-route.js';
import { AppIngress } from './ingress.js';
import { hasNativeSleep, parseKubernetesVersion } from './kubernetes-version.js';
import { labelsFor, selectorFor, type Variant } from './labels.js';
import { AppPodDisruptionBudget } from './pod-disruption-budget.js';
import { DEFAULT_RESOURCES, renderPodTemplate } from './pod-template.js';
import { AppRoute } from './route.js';
import { AppService } from './service.js';
import {
  checkEnvName,
  checkHost,
  checkInteger,
  checkName,
  checkNamespace,
  checkPort,
  checkQuantity,
  checkRequestWithinLimit,
} from './setting-checks.js';
import { type ResolvedZeroDowntime, resolveZeroDowntime } from './zero-downtime.js';

/** How the app is reached from outside the cluster. */

/**
 * The settings a chart was rendered from, defaults applied and checked: what
 * other renderings of the same variant (a Helm chart's values) start from.
 */
export interface AppChartSettings {
  readonly name: string;
  readonly image: string;
  readonly port: number;
  readonly replicas: number;
  readonly env: Readonly<Record<string, string>>;
  readonly resources: Required<ResourcesProps>;
  readonly workload: WorkloadKind;
  readonly expose: ExposeKind;
  /** @default - none */
  readonly domain?: string;
  /** @default - none */
  readonly ingressClassName?: string;
  readonly platform: PlatformName;
  /** @default - none: unknown */
  readonly kubernetesVersion?: string;
  /** @default - none: not exposed through a Gateway */
  readonly gateway?: GatewayRefProps;
  /** @default - none: the default variant */
  readonly zeroDowntime?: ResolvedZeroDowntime;
}

/**
 * A chart holding one variant, objects in a fixed order (workload, Service,
 * Route/Ingress/HTTPRoute, PodDisruptionBudget) so that the two variants diff line by line.
 */
export class AppChart extends Chart {
  readonly variant: Variant;
  readonly settings: AppChartSettings;

  constructor(scope: Construct, id: string, props: AppChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const port = props.port ?? settingDefault('port');
    const replicas = props.replicas ?? settingDefault('replicas');
    const env = props.env ?? {};
    const workload = props.workload ?? settingDefault('workload');
    const expose = props.expose ?? settingDefault('expose');
    const platform = props.platform ?? settingDefault('platform');
    // Key by key: a CPU request alone keeps the default memory request.
    const resources = {
      requests: { ...DEFAULT_RESOURCES.requests, ...definedOnly(props.resources?.requests) },
      limits: { ...DEFAULT_RESOURCES.limits, ...definedOnly(props.resources?.limits) },
    };
    checkAppProps(props, { port, replicas, env, resources, workload, expose });
    const gateway = expose === 'gateway' ? checkedGateway(props.gateway) : undefined;

    const zeroDowntime =
      props.zeroDowntime &&
      resolveOnPlatform(props.zeroDowntime, { port, replicas }, platform, props.kubernetesVersion);
    this.variant = zeroDowntime ? 'zero-downtime' : 'default';
    const name = props.name;
    this.settings = {
      name,
      image: props.image,
      port,
      replicas,
      env,
      resources,
      workload,
      expose,
      domain: props.domain,
      ingressClassName: props.ingressClassName,
      platform,
      kubernetesVersion: props.kubernetesVersion,
      gateway,
      zeroDowntime,
    };
    const labels = labelsFor(name, this.variant);
    const selector = selectorFor(name);
    const host = props.domain === undefined ? undefined : `${name}.${props.domain}`;

    const template = renderPodTemplate({ labels, image: props.image, port, env, resources, zeroDowntime });
    const Workload = workload === 'deployment' ? AppDeployment : AppDeploymentConfig;
    new Workload(this, 'Workload', { name, labels, selector, replicas, template, zeroDowntime });
    new AppService(this, 'Service', { name, labels, selector, port });
    if (expose === 'route') new AppRoute(this, 'Route', { name, labels, serviceName: name, host });
    if (expose === 'ingress' && host !== undefined) {
      new AppIngress(this, 'Ingress', {
        name,
        labels,
        serviceName: name,
        host,
        ingressClassName: props.ingressClassName,
      });
    }
    if (gateway !== undefined && host !== undefined) {
      new AppHttpRoute(this, 'HTTPRoute', { name, labels, gateway, host, serviceName: name, servicePort: port });
    }
    if (zeroDowntime?.podDisruptionBudget) new AppPodDisruptionBudget(this, 'Budget', { name, labels, selector });
  }
}

/** The settings' rules that span more than one field's shape; errors name the field. */
function checkAppProps(
  props: AppChartProps,
  values: Pick<AppChartSettings, 'port' | 'replicas' | 'env' | 'workload' | 'expose'> & {
    readonly resources: {
      readonly requests: typeof DEFAULT_RESOURCES.requests;
      readonly limits: typeof DEFAULT_RESOURCES.limits;
    };
  },
): void {
  const { port, replicas, env, resources, workload, expose } = values;
  checkName('name', props.name);
  if (props.image.trim() === '' || /\s/.test(props.image)) {
    throw new SettingError('image', 'must be a container image reference without spaces', props.image);
  }
  checkPort('port', port);
  checkInteger('replicas', replicas, 1);
  for (const name of Object.keys(env)) checkEnvName(`env.${name}`, name);
  for (const kind of ['requests', 'limits'] as const) {
    for (const [resource, quantity] of Object.entries(resources[kind])) {
      if (quantity !== undefined) checkQuantity(`resources.${kind}.${resource}`, quantity);
    }
  }
  for (const resource of ['cpu', 'memory'] as const) {
    checkRequestWithinLimit(resource, resources.requests[resource], resources.limits[resource]);
  }
  if (!WORKLOAD_KINDS.includes(workload)) {
    throw new SettingError('workload', `must be one of ${WORKLOAD_KINDS.join(', ')}`, workload);
  }
  if (!EXPOSE_KINDS.includes(expose)) {
    throw new SettingError('expose', `must be one of ${EXPOSE_KINDS.join(', ')}`, expose);
  }
  if (props.domain !== undefined) checkHost('domain', props.domain);
  if (props.ingressClassName !== undefined) checkName('ingressClassName', props.ingressClassName);
  if ((expose === 'ingress' || expose === 'gateway') && props.domain === undefined) {
    throw new SettingError('domain', `is required with expose "${expose}": each variant needs a host of its own`);
  }
}

/** The zero-downtime settings, their defaults from the platform and the Kubernetes version the manifests are for. */
function resolveOnPlatform(
  props: ZeroDowntimeProps,
  app: { readonly port: number; readonly replicas: number },
  platform: PlatformName,
  kubernetesVersion: string | undefined,
): ResolvedZeroDowntime {
  if (!PLATFORM_NAMES.includes(platform)) {
    throw new SettingError('platform', `must be one of ${PLATFORM_NAMES.join(', ')}`, platform);
  }
  const version =
    kubernetesVersion === undefined ? undefined : parseKubernetesVersion('kubernetesVersion', kubernetesVersion);
  return resolveZeroDowntime(props, {
    ...app,
    platform: platformProfile(platform),
    nativeSleep: hasNativeSleep(version),
  });
}

/** The Gateway an HTTPRoute attaches to: required, its name a DNS subdomain, its namespace a DNS label. */
function checkedGateway(gateway: GatewayRefProps | undefined): GatewayRefProps {
  if (gateway?.name === undefined) {
    throw new SettingError(
      'gateway.name',
      'is required with expose "gateway": the name (and namespace) of the Gateway the HTTPRoute attaches to',
    );
  }
  if (gateway.name.includes('/')) {
    throw new SettingError(
      'gateway.name',
      "must be the Gateway's name alone: the namespace goes in gateway.namespace (on the command line, --gateway NAME/NAMESPACE)",
      gateway.name,
    );
  }
  checkHost('gateway.name', gateway.name);
  if (gateway.namespace !== undefined) checkNamespace('gateway.namespace', gateway.namespace);
  return gateway.namespace === undefined
    ? { name: gateway.name }
    : { name: gateway.name, namespace: gateway.namespace };
}

/** The keys of `amounts` that have a value: an undefined one must not hide the default below it. */
function definedOnly(amounts: ResourceAmounts | undefined): ResourceAmounts {
  return Object.fromEntries(Object.entries(amounts ?? {}).filter(([, value]) => value !== undefined));
}
