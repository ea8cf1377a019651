import { type Container, findPort } from '../container.js';
import { type Probe, probePort } from '../probes.js';
import type { Diagnostic, WorkloadRule } from '../rule.js';
import { containerPhrase } from './phrases.js';

const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;

export const probePortNotExposed: WorkloadRule = {
  id: 'probe-port-not-exposed',
  severity: 'warning',
  description:
    'A probe names its port by a name the container does not declare: the kubelet cannot resolve it, so the probe fails every time.',
  remediation:
    "Name one of the container's ports (its ports[].name) in the probe, give the port the probe names to the container's ports, or use the port's number.",
  help: [
    "The kubelet looks a named probe port up among the container's ports and fails the probe when none has that",
    'name (findPortByName in kubernetes/kubernetes pkg/kubelet/prober); a readinessProbe that always fails keeps',
    'new pods out of the endpoints, and the rollout stalls. A number is probed as it is, whether or not the',
    'container declares it (containerPort is informational: Kubernetes API reference, Container.ports), so an',
    "undeclared number is not flagged. kube-linter's readiness-port and liveness-port checks flag the same names.",
  ].join(' '),
  check(subject) {
    const diagnostics: Diagnostic[] = [];
    for (const container of subject.workload.containers) {
      for (const which of PROBES) {
        const probe: Probe | undefined = container[which];
        const port = probe === undefined ? undefined : probePort(probe.action);
        // Only a name must resolve: a number is probed whether the container declares it or not.
        if (probe === undefined || typeof port !== 'string' || findPort(container, port) !== undefined) continue;
        diagnostics.push({ message: message(container, which, port), path: probe.path });
      }
    }
    return diagnostics;
  },
};

function message(container: Container, which: string, port: string): string {
  const declared =
    container.ports.length === 0
      ? 'it declares no ports'
      : `its ports: ${container.ports.map((p) => (p.name ? `${p.name}=${p.containerPort}` : String(p.containerPort))).join(', ')}`;
  return `${containerPhrase(container)}: the ${which} connects to port ${JSON.stringify(port)}, a name the container does not have (${declared}): the probe always fails`;
}
