import { allPlatforms } from '../../platforms/index.js';
import { ROUTER_UPDATE_SECONDS } from '../../platforms/openshift-router.js';
import type { PlatformProfile } from '../../platforms/profile.js';
import { minimumPreStopSeconds } from '../../platforms/timings.js';
import { platformProperties } from '../platform-properties.js';
import type { Diagnostic, WorkloadRule } from '../rule.js';
import { servingContainers } from '../serving-containers.js';
import { checkedPlatform } from '../settings.js';
import { containerPhrase, seconds, trafficPhrase } from './phrases.js';

/** Each platform's threshold, from the profiles (default tuning), for the rule's help. */
const THRESHOLDS = allPlatforms()
  .map((profile) => `${profile.name} ${seconds(minimumPreStopSeconds(profile))}`)
  .join(', ');

export const preStopShorterThanPropagation: WorkloadRule = {
  id: 'prestop-shorter-than-propagation',
  formerIds: ['prestop-shorter-than-router-reload'],
  severity: 'error',
  description:
    'The preStop hook ends before the platform in front of the pods (--platform) has stopped sending them requests, so requests still reach the app after it got SIGTERM.',
  remediation:
    "Make the preStop hook sleep at least the platform's worst propagation (the message names it; `zdd platforms` lists every platform's), for example the sleep `zdd synth --platform NAME` writes.",
  help: [
    'Deleting a pod removes it from the endpoints and starts its termination at the same time; whatever sends the',
    'requests (--platform, default openshift-router) acts on the endpoint change only after its propagation, so the',
    "hook must keep the pod serving for the platform's worst propagation. The thresholds, from the platform profiles",
    `(src/platforms/, each number with its sources: \`zdd platforms NAME\`): ${THRESHOLDS}. On openshift-router it is the`,
    "router's reload interval (--reload-interval, default 5 s: RELOAD_INTERVAL in openshift/router, IngressController",
    "spec.tuningOptions.reloadInterval on OpenShift 4) plus 2 s, zdd's allowance for the EndpointSlice update to reach",
    "the router and for the reload itself. synth adds the profile's margin on top. The delay is read from `sleep N` in an exec",
    'command (through a shell or not; several sleeps in a row add up, a backgrounded one does not count) and from the',
    'native sleep action (lifecycle.preStop.sleep.seconds). A hook with no sleep zdd can read (an exec without `sleep',
    "N`, an httpGet) is taken to wait for nothing. This rule was called prestop-shorter-than-router-reload. It is zdd's",
    'own: none of kube-score, kube-linter, Polaris or the Kyverno policies checks how long a preStop hook keeps a pod',
    'serving.',
  ].join(' '),
  properties: (settings) => platformProperties(checkedPlatform(settings)),
  check(subject, settings) {
    const profile = checkedPlatform(settings);
    const needed = minimumPreStopSeconds(profile);
    const window = propagationPhrase(profile);
    const diagnostics: Diagnostic[] = [];
    for (const container of servingContainers(subject)) {
      const { preStop } = container;
      if (preStop === undefined) continue; // prestop-missing says so
      if (preStop.delaySeconds !== undefined && preStop.delaySeconds >= needed) continue;
      const what =
        preStop.delaySeconds === undefined
          ? `has no sleep zdd can read in its preStop hook (${preStop.description}), so SIGTERM may come at once, not after ${window}`
          : `sleeps ${seconds(preStop.delaySeconds)} in its preStop hook, less than ${window}`;
      diagnostics.push({
        message: `${containerPhrase(container)} ${what}: ${trafficPhrase(subject)} may still send it requests after SIGTERM`,
        path: preStop.path,
        properties: {
          platform: profile.name,
          minimumPreStopSeconds: needed,
          ...(preStop.delaySeconds === undefined ? {} : { preStopSeconds: preStop.delaySeconds }),
        },
      });
    }
    return diagnostics;
  },
};

/**
 * `the router's reload interval (5 s) + 2 s = 7 s on openshift-router`, `aws-alb-ip's worst propagation (120 s;
 * typical 30 s)`: the threshold, with where it comes from.
 */
function propagationPhrase(profile: PlatformProfile): string {
  const { typical, worst } = profile.propagation.seconds;
  if (profile.name === 'openshift-router') {
    const interval = worst - ROUTER_UPDATE_SECONDS;
    return `the router's reload interval (${seconds(interval)}) + ${seconds(ROUTER_UPDATE_SECONDS)} = ${seconds(worst)} on ${profile.name}`;
  }
  return `${profile.name}'s worst propagation (${seconds(worst)}; typical ${seconds(typical)}; zdd platforms ${profile.name})`;
}
