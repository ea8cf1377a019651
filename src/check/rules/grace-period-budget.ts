import type { WorkloadRule } from '../rule.js';
import { seconds } from './phrases.js';

export const gracePeriodBudget: WorkloadRule = {
  id: 'grace-period-budget',
  severity: 'error',
  description:
    "terminationGracePeriodSeconds does not cover the preStop delay plus the app's shutdown, so the kubelet SIGKILLs the app while it is still finishing requests.",
  remediation:
    "Set terminationGracePeriodSeconds to at least the preStop delay plus the app's shutdown time (--shutdown-seconds), for example 10 s of sleep + 30 s = 40.",
  help: [
    'The grace period counts from the deletion and includes the preStop hook; when it runs out the kubelet sends',
    'SIGKILL (Kubernetes documentation, "Pod Lifecycle", termination of Pods; a hook still running then gets a',
    'single 2 s extension). It defaults to 30 s (DefaultTerminationGracePeriodSeconds in kubernetes/kubernetes',
    "pkg/apis/core/types.go). The app's shutdown time is --shutdown-seconds (default 10 s, zdd's assumption to",
    "override with the app's own figure; openshift/router's HAProxy `timeout server` of 30 s is the longest a",
    "routed request may run). The preStop delay is the longest sleep zdd reads in any container's hook (0 without",
    "one). This rule is zdd's own: none of kube-score, kube-linter, Polaris or the Kyverno policies compares the",
    'grace period with the preStop hook and the shutdown.',
  ].join(' '),
  check(subject, settings) {
    const { workload } = subject;
    const delay = Math.max(0, ...workload.containers.map((container) => container.preStop?.delaySeconds ?? 0));
    const needed = delay + settings.shutdownSeconds;
    const grace = workload.terminationGracePeriodSeconds;
    if (grace >= needed) return [];
    const written = workload.gracePath.at(-1) === 'terminationGracePeriodSeconds' ? '' : ' (the default)';
    const cut = grace <= delay ? 'during the preStop hook' : `${seconds(grace - delay)} into its shutdown`;
    return [
      {
        message: `terminationGracePeriodSeconds ${grace}${written} is less than the preStop delay (${seconds(delay)}) + the app's shutdown (${seconds(settings.shutdownSeconds)}) = ${seconds(needed)}: the app is SIGKILLed ${cut}`,
        path: workload.gracePath,
      },
    ];
  },
};
