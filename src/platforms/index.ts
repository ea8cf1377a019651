import { awsAlbIp } from './aws-alb-ip.js';
import { awsNlbIp } from './aws-nlb-ip.js';
import { gatewayApi } from './gateway-api.js';
import { gkeNeg } from './gke-neg.js';
import { ingressNginx } from './ingress-nginx.js';
import { istioSidecar } from './istio-sidecar.js';
import { kubeProxy } from './kube-proxy.js';
import { PLATFORM_NAMES, type PlatformName } from './names.js';
import { openshiftRouter } from './openshift-router.js';
import { ROUTER_RELOAD_INTERVAL_SECONDS } from './openshift-router-defaults.js';
import type { PlatformProfile } from './profile.js';

export { DEFAULT_PLATFORM, isPlatformName, PLATFORM_NAMES, type PlatformName } from './names.js';

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
