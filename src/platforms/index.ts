import { awsAlbIp } from './aws-alb-ip.js';
import { awsNlbIp } from './aws-nlb-ip.js';
import { gatewayApi } from './gateway-api.js';
import { gkeNeg } from './gke-neg.js';
import { ingressNginx } from './ingress-nginx.js';
import { istioSidecar } from './istio-sidecar.js';
import { kubeProxy } from './kube-proxy.js';
import { openshiftRouter } from './openshift-router.js';
import { ROUTER_RELOAD_INTERVAL_SECONDS } from './openshift-router-defaults.js';
import type { PlatformProfile } from './profile.js';

/** The platform zdd assumes when none is named: the one the seed document measured. */
export const DEFAULT_PLATFORM = 'openshift-router';

/** Every profile's name, in the order `zdd platforms` lists them. */
export const PLATFORM_NAMES = [
  'openshift-router',
  'ingress-nginx',
  'gateway-api',
  'kube-proxy',
  'aws-alb-ip',
  'aws-nlb-ip',
  'gke-neg',
  'istio-sidecar',
] as const;

export type PlatformName = (typeof PLATFORM_NAMES)[number];

/** What a user may tune about a platform. */
export interface PlatformTuning {
  /** The OpenShift router's reload interval. @default 5 */
  readonly reloadIntervalSeconds?: number;
}

const FIXED: Readonly<Record<Exclude<PlatformName, 'openshift-router'>, PlatformProfile>> = {
  'ingress-nginx': ingressNginx,
  'gateway-api': gatewayApi,
  'kube-proxy': kubeProxy,
  'aws-alb-ip': awsAlbIp,
  'aws-nlb-ip': awsNlbIp,
  'gke-neg': gkeNeg,
  'istio-sidecar': istioSidecar,
};

export function isPlatformName(name: string): name is PlatformName {
  return (PLATFORM_NAMES as readonly string[]).includes(name);
}

/** The profile of a platform (callers check the name with `isPlatformName` and word their own error). */
export function platformProfile(name: PlatformName, tuning: PlatformTuning = {}): PlatformProfile {
  if (name === 'openshift-router')
    return openshiftRouter(tuning.reloadIntervalSeconds ?? ROUTER_RELOAD_INTERVAL_SECONDS);
  return FIXED[name];
}

/** Every profile, in listing order. */
export function allPlatforms(tuning: PlatformTuning = {}): PlatformProfile[] {
  return PLATFORM_NAMES.map((name) => platformProfile(name, tuning));
}
