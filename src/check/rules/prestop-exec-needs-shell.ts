import type { Diagnostic, WorkloadRule } from '../rule.js';
import { containerPhrase } from './phrases.js';

/** Image families known to ship no shell and no `sleep`, with the tags that add one. */
const SHELLLESS_IMAGES: ReadonlyArray<{ readonly name: string; readonly test: (image: string) => boolean }> = [
  { name: 'distroless', test: (image) => /(^|\/)distroless\//.test(image) && !/:debug/.test(image) },
  { name: 'Chainguard', test: (image) => /^cgr\.dev\/chainguard\//.test(image) && !/:[^/]*-dev\b/.test(image) },
  { name: 'Ubuntu chiseled', test: (image) => /chiseled/.test(image) },
  { name: 'scratch', test: (image) => /^(docker\.io\/(library\/)?)?scratch(:|$)/.test(image) },
];

export const preStopExecNeedsShell: WorkloadRule = {
  id: 'prestop-exec-needs-shell',
  severity: 'warning',
  description:
    'The preStop hook sleeps through exec in an image that has no shell and no sleep binary, so the hook fails at once and SIGTERM follows without the pause.',
  remediation:
    'Use the native sleep action (`lifecycle.preStop.sleep.seconds`, Kubernetes 1.30 and later, OpenShift 4.17 and later) instead of exec, or an image that has a shell.',
  help: [
    'A preStop hook that fails is reported as a FailedPreStopHook event and the kubelet goes on to SIGTERM',
    '(Kubernetes documentation, "Container Lifecycle Hooks"). Images taken to have no shell: distroless',
    '(gcr.io/distroless/…, except :debug tags), Chainguard (cgr.dev/chainguard/…, except -dev tags), Ubuntu',
    'chiseled images and scratch; other images are not flagged, since zdd cannot see inside them. The native',
    'sleep action needs nothing in the image: KEP-3960, alpha in Kubernetes 1.29, beta and on by default in 1.30,',
    'GA in 1.34.',
  ].join(' '),
  check(subject) {
    const diagnostics: Diagnostic[] = [];
    for (const container of subject.workload.containers) {
      const { preStop } = container;
      if (preStop?.execSleep === undefined) continue;
      const family = SHELLLESS_IMAGES.find((entry) => entry.test(container.image));
      if (family === undefined) continue;
      const needs = preStop.execSleep === 'shell' ? 'a shell' : 'a sleep binary';
      diagnostics.push({
        message: `${containerPhrase(container)}: the preStop hook needs ${needs}, and ${JSON.stringify(container.image)} is a ${family.name} image, which has none: the hook fails and SIGTERM comes at once`,
        path: preStop.path,
      });
    }
    return diagnostics;
  },
};
