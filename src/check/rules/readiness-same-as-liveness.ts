import { resolvePort } from '../container.js';
import { sameProbe } from '../probes.js';
import type { WorkloadRule } from '../rule.js';
import { containerPhrase } from './phrases.js';

export const readinessSameAsLiveness: WorkloadRule = {
  id: 'readiness-same-as-liveness',
  severity: 'warning',
  description:
    'The livenessProbe does what the readinessProbe does on the same schedule, so a container that is only busy is restarted at the moment it leaves the endpoints, and its in-flight requests fail.',
  remediation:
    'Make the livenessProbe check only that the process is alive (a cheaper endpoint, no dependencies) and give it a higher failureThreshold than the readinessProbe.',
  help: [
    'The probes are compared after the API fills in its defaults (periodSeconds 10, timeoutSeconds 1,',
    'successThreshold 1, failureThreshold 3, initialDelaySeconds 0; httpGet path "/" and scheme HTTP:',
    'SetDefaults_Probe and SetDefaults_HTTPGetAction in kubernetes/kubernetes pkg/apis/core/v1/defaults.go) and',
    "with named ports resolved to the container's numbers, so probes written differently that run the same are",
    'identical. A readiness failure takes the pod out of the endpoints; a liveness failure restarts the container',
    '(Kubernetes documentation, "Configure Liveness, Readiness and Startup Probes"): with identical probes both',
    "happen together. kube-score's container probes check flags textually identical probes.",
  ].join(' '),
  check(subject) {
    return subject.workload.containers
      .filter(
        (container) =>
          container.readinessProbe !== undefined &&
          container.livenessProbe !== undefined &&
          sameProbe(container.readinessProbe, container.livenessProbe, (port) => resolvePort(container, port)),
      )
      .map((container) => ({
        message: `${containerPhrase(container)}: the livenessProbe is the readinessProbe (once defaulted): a container too busy to be ready is restarted as well`,
        path: container.livenessProbe?.path ?? container.path,
      }));
  },
};
