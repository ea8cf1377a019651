import { SHELL_LESS_IMAGES_TEXT, shellLessFamily } from '../../kubernetes/shell-less-images.js';
import type { Diagnostic, WorkloadRule } from '../rule.js';
import { containerPhrase } from './phrases.js';

export const preStopExecNeedsShell: WorkloadRule = {
  id: 'prestop-exec-needs-shell',
  severity: 'warning',
  description:
    'The preStop hook sleeps through exec in an image that has no shell and no sleep binary, so the hook fails at once and SIGTERM follows without the pause.',
  remediation:
    'Use the native sleep action (`lifecycle.preStop.sleep.seconds`, Kubernetes 1.30 and later, OpenShift 4.17 and later) instead of exec, or an image that has a shell.',
  help: [
    'A preStop hook that fails is reported as a FailedPreStopHook event and the kubelet goes on to SIGTERM',
    `(Kubernetes documentation, "Container Lifecycle Hooks"). Images taken to have no shell: ${SHELL_LESS_IMAGES_TEXT};`,
    'other images are not flagged, since zdd cannot see inside them. The native',
    'sleep action needs nothing in the image: KEP-3960, alpha in Kubernetes 1.29, beta and on by default in 1.30,',
    'GA in 1.34.',
  ].join(' '),
  check(subject) {
    const diagnostics: Diagnostic[] = [];
    for (const container of subject.workload.containers) {
      const { preStop } = container;
      if (preStop?.execSleep === undefined) continue;
      const family = shellLessFamily(container.image);
      if (family === undefined) continue;
      const needs = preStop.execSleep === 'shell' ? 'a shell' : 'a sleep binary';
      diagnostics.push({
        message: `${containerPhrase(container)}: the preStop hook needs ${needs}, and ${JSON.stringify(container.image)} is a ${family} image, which has none: the hook fails and SIGTERM comes at once`,
        path: preStop.path,
      });
    }
    return diagnostics;
  },
};
