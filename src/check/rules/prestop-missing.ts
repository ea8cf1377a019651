import type { WorkloadRule } from '../rule.js';
import { servingContainers } from '../serving-containers.js';
import { containerPhrase, trafficPhrase } from './phrases.js';

export const preStopMissing: WorkloadRule = {
  id: 'prestop-missing',
  severity: 'error',
  description:
    'A container that a Service sends requests to has no preStop hook, so it gets SIGTERM at once when its pod is deleted, while the router still sends it requests.',
  remediation:
    'Add a lifecycle.preStop hook that waits longer than the router\'s reload interval, for example `sleep: {seconds: 10}` (Kubernetes 1.30 and later) or `exec: {command: ["/bin/sh", "-c", "sleep 10"]}`.',
  help: [
    "Deleting a pod starts two things at once: its removal from the Service's endpoints and its termination",
    '(Kubernetes documentation, "Pod Lifecycle", termination of Pods); the kubelet sends SIGTERM when the preStop',
    'hook ends, at once without one. The OpenShift router applies endpoint changes at most once per reload',
    'interval, 5 s by default (RELOAD_INTERVAL in openshift/router; IngressController',
    'spec.tuningOptions.reloadInterval on OpenShift 4), so an app that stops listening at SIGTERM is still routed',
    "to for up to that long. The rule looks at the containers exposing a Service's targetPort.",
  ].join(' '),
  check(subject) {
    return servingContainers(subject)
      .filter((container) => container.preStop === undefined)
      .map((container) => ({
        message: `${containerPhrase(container)} has no preStop hook: it gets SIGTERM as soon as its pod is deleted, while ${trafficPhrase(subject)} may still send it requests`,
        path: container.path,
      }));
  },
};
