/**
 * The platforms' names, apart from their profiles: the settings table and the CLI's flags need only the names,
 * so that `zdd --help` loads no profile. `index.ts` re-exports them with the profiles.
 */

/** The platform zdd assumes when none is named: the one the seed document measured. */
export const DEFAULT_PLATFORM: PlatformName = 'openshift-router';

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

export function isPlatformName(name: string): name is PlatformName {
  return (PLATFORM_NAMES as readonly string[]).includes(name);
}
