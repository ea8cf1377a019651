import { type ReadinessWindow, readinessWindow } from '../readiness-window.js';
import type { Diagnostic, WorkloadRule } from '../rule.js';
import { containerPhrase, seconds } from './phrases.js';

export const readinessWindowRule: WorkloadRule = {
  id: 'readiness-window',
  severity: 'info',
  description:
    'What the readinessProbe costs: the earliest and latest time after its container starts that a new pod can become ready, which sets how long each step of a rollout takes.',
  remediation:
    "Set initialDelaySeconds to about the app's usual start time (or 0 and let the probe gate readiness) and periodSeconds to a few seconds, so that new pods take requests soon after they can.",
  help: [
    'The kubelet runs no probe before initialDelaySeconds, then one every periodSeconds on its own ticker; a pod is',
    'ready after successThreshold successes in a row (Kubernetes documentation, "Configure Liveness, Readiness and',
    'Startup Probes"; the prober worker in kubernetes/kubernetes pkg/kubelet/prober). If the app answers from the',
    'first probe on: earliest = initialDelaySeconds + (successThreshold − 1) × periodSeconds, latest = earliest +',
    'periodSeconds. A startupProbe holds the readinessProbe back until it succeeds (once, after its own',
    'initialDelaySeconds, within one of its periods). Defaults: periodSeconds 10, successThreshold 1,',
    'initialDelaySeconds 0 (SetDefaults_Probe in pkg/apis/core/v1/defaults.go). minReadySeconds adds to the time',
    'until a rollout counts the pod as available. The message warns when that passes the time the controller waits',
    "for a rollout: a DeploymentConfig's timeoutSeconds (600 by default, for Rolling and Recreate alike, in",
    "openshift/origin's defaults.go; the deployer then rolls back) or a Deployment's progressDeadlineSeconds (600",
    'by default in apps/v1; the rollout is then reported failed).',
  ].join(' '),
  check(subject) {
    const diagnostics: Diagnostic[] = [];
    for (const container of subject.workload.containers) {
      const window = readinessWindow(container);
      if (window === undefined || container.readinessProbe === undefined) continue;
      const { rolloutDeadline } = subject.workload;
      const available = window.latest + subject.workload.minReadySeconds;
      const late =
        rolloutDeadline !== undefined && available >= rolloutDeadline.seconds
          ? `; that is past the rollout's ${rolloutDeadline.field} (${seconds(rolloutDeadline.seconds)}), so a slow pod fails the rollout`
          : '';
      diagnostics.push({
        message: `${containerPhrase(container)}: ${describe(window, subject.workload.minReadySeconds)}${late}`,
        path: container.readinessProbe.path,
      });
    }
    return diagnostics;
  },
};

function describe(window: ReadinessWindow, minReadySeconds: number): string {
  const range =
    window.earliest === window.latest ? seconds(window.earliest) : `${window.earliest}–${seconds(window.latest)}`;
  const available =
    minReadySeconds > 0 ? `, and available for the rollout ${seconds(minReadySeconds)} later (minReadySeconds)` : '';
  return `a new pod becomes ready ${range} after its container starts, if the app answers by then (${window.basis})${available}; each failed probe adds ${seconds(window.periodSeconds)}`;
}
