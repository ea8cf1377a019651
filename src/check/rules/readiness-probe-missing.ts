import type { WorkloadRule } from '../rule.js';
import { servingContainers } from '../serving-containers.js';
import { containerPhrase, trafficPhrase } from './phrases.js';

export const readinessProbeMissing: WorkloadRule = {
  id: 'readiness-probe-missing',
  severity: 'error',
  description:
    'A container that a Service sends requests to has no readinessProbe, so it gets requests as soon as its process runs, before the app can answer them.',
  remediation:
    'Add a readinessProbe to the container that succeeds only once the app answers requests, for example an httpGet on a health path of its serving port.',
  help: [
    'Without a readinessProbe the kubelet reports the container ready as soon as it runs (Kubernetes documentation,',
    '"Pod Lifecycle", container probes), the pod joins the Service\'s endpoints at once, and the router sends it',
    'requests while the app is still starting: connections are refused, or answered 404/503 until the app has',
    "deployed (the seed's default-app lost 21.82 % of its requests during one redeploy). The rule looks at the",
    "containers exposing a Service's targetPort (all containers when none declares it); a workload no Service",
    'selects gets the no-service note instead. kube-score, kube-linter and Polaris flag a missing readinessProbe too.',
  ].join(' '),
  check(subject) {
    return servingContainers(subject)
      .filter((container) => container.readinessProbe === undefined)
      .map((container) => ({
        message: `${containerPhrase(container)} has no readinessProbe: ${trafficPhrase(subject)} sends it requests as soon as its process runs`,
        path: container.path,
      }));
  },
};
