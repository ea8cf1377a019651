import type { Diagnostic, WorkloadRule } from '../rule.js';
import { servingContainers } from '../serving-containers.js';
import { containerPhrase, seconds, trafficPhrase } from './phrases.js';

/**
 * zdd's allowance on top of the reload interval: the EndpointSlice update
 * reaching the router, and the reload itself. An allowance, not a platform number.
 */
export const ROUTER_MARGIN_SECONDS = 2;

export const preStopShorterThanRouterReload: WorkloadRule = {
  id: 'prestop-shorter-than-router-reload',
  severity: 'error',
  description:
    'The preStop hook ends before the router has dropped the pod, so requests still reach the app after it got SIGTERM.',
  remediation:
    "Make the preStop hook sleep at least the router's reload interval plus 2 s (7 s with the default 5 s interval), for example `sleep: {seconds: 10}`.",
  help: [
    "The hook must outlast the router's reload interval (--reload-interval, default 5 s: RELOAD_INTERVAL in",
    'openshift/router, IngressController spec.tuningOptions.reloadInterval on OpenShift 4) plus a margin of',
    `${ROUTER_MARGIN_SECONDS} s, zdd's allowance for the EndpointSlice update to reach the router and for the reload itself`,
    '(an allowance, not a platform number). The delay is read from `sleep N` in an exec command (through a shell or',
    'not; several sleeps in a row add up, a backgrounded one does not count) and from the native sleep action',
    '(lifecycle.preStop.sleep.seconds). A hook with no sleep zdd can read (an exec without `sleep N`, an httpGet)',
    "is taken to wait for nothing. This rule is zdd's own: none of kube-score, kube-linter, Polaris or the Kyverno",
    'policies checks how long a preStop hook keeps a pod serving.',
  ].join(' '),
  check(subject, settings) {
    const needed = settings.routerReloadIntervalSeconds + ROUTER_MARGIN_SECONDS;
    const window = `the router's reload interval (${seconds(settings.routerReloadIntervalSeconds)}) + ${seconds(ROUTER_MARGIN_SECONDS)} = ${seconds(needed)}`;
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
      });
    }
    return diagnostics;
  },
};
