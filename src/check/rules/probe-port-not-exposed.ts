import { type Container, findPort } from '../container.js';
import { type Probe, probePort } from '../probes.js';
import type { Diagnostic, Rule } from '../rule.js';
import { containerPhrase } from './phrases.js';

const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;

export const probePortNotExposed: Rule = {
  id: 'probe-port-not-exposed',
  severity: 'warning',
  description:
    "A probe connects to a port the container does not declare: a port name it does not have makes the probe fail every time, and an undeclared number is often a typo or another container's port.",
  remediation:
    "Point the probe at a port listed in the container's ports (by name or number), or add the port it uses to the container's ports.",
  help: [
    "The kubelet looks a named probe port up among the container's ports and fails the probe when none has that",
    'name (findPortByName in kubernetes/kubernetes pkg/kubelet/prober); a readinessProbe that always fails keeps',
    'new pods out of the endpoints, and the rollout stalls. A number is probed whether or not it is declared.',
    "kube-linter's readiness-port and liveness-port checks flag the same.",
  ].join(' '),
  check(subject) {
    const diagnostics: Diagnostic[] = [];
    for (const container of subject.workload.containers) {
      for (const which of PROBES) {
        const probe: Probe | undefined = container[which];
        const port = probe === undefined ? undefined : probePort(probe.action);
        if (probe === undefined || port === undefined || findPort(container, port) !== undefined) continue;
        diagnostics.push({ message: message(container, which, port), path: probe.path });
      }
    }
    return diagnostics;
  },
};

function message(container: Container, which: string, port: number | string): string {
  const declared =
    container.ports.length === 0
      ? 'it declares no ports'
      : `its ports: ${container.ports.map((p) => (p.name ? `${p.name}=${p.containerPort}` : String(p.containerPort))).join(', ')}`;
  return typeof port === 'string'
    ? `${containerPhrase(container)}: the ${which} connects to port ${JSON.stringify(port)}, a name the container does not have (${declared}): the probe always fails`
    : `${containerPhrase(container)}: the ${which} connects to port ${port}, which the container does not declare (${declared})`;
}
