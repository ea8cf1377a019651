import { objectName } from '../../kubernetes/object.js';
import type { Diagnostic, WorkloadRule } from '../rule.js';
import { type Service, TOLERATE_UNREADY_ANNOTATION } from '../service.js';

export const servicePublishesUnreadyPods: WorkloadRule = {
  id: 'service-publishes-unready-pods',
  severity: 'error',
  description:
    'A Service publishes pods that are not ready (spec.publishNotReadyAddresses, or the deprecated tolerate-unready-endpoints annotation): it sends them requests before their readinessProbe passes and while they terminate, so the probe protects nothing.',
  remediation:
    'Remove spec.publishNotReadyAddresses and the service.alpha.kubernetes.io/tolerate-unready-endpoints annotation from a Service that clients send requests through; if peers must find each other before they are ready, give them a separate headless Service that no Route, Ingress or HTTPRoute points at.',
  help: [
    'With spec.publishNotReadyAddresses: true the EndpointSlice controller marks every selected pod ready,',
    'whatever its readiness and even while it terminates (kubernetes/kubernetes staging/src/k8s.io/endpointslice',
    'utils.go podToEndpoint: ready := PublishNotReadyAddresses || (serving && !terminating); the reconciler',
    'keeps terminating pods too), so kube-proxy and the router send requests to pods whose app does not answer yet',
    'and to pods that are shutting down. The annotation did the same in the Endpoints controller: deprecated in',
    'Kubernetes 1.11 (kubernetes/kubernetes#63742), never read for EndpointSlices, and ignored from 1.24 on',
    '(#108020), so the same manifest routes to pods that are not ready on older clusters (OpenShift 3 routers read',
    'Endpoints) and silently stops doing so on newer ones. Not flagged: a headless Service (clusterIP: None) that no',
    "Route, Ingress or HTTPRoute in the input points at, the field's documented use (StatefulSet peer discovery by DNS,",
    'Kubernetes API reference, ServiceSpec.publishNotReadyAddresses).',
  ].join(' '),
  check(subject) {
    const diagnostics: Diagnostic[] = [];
    for (const service of subject.services) {
      const publishes = service.publishesNotReady;
      if (publishes === undefined) continue;
      const exposed = subject.exposures.some((exposure) => exposure.serviceNames.includes(service.object.name));
      if (service.headless && !exposed) continue;
      const pods = `the pods of ${(subject.serviceWorkloads.get(service) ?? [subject.workload]).map((w) => objectName(w.object)).join(', ')}`;
      diagnostics.push({
        message: message(service, publishes.how, pods),
        path: publishes.path,
        object: service.object,
      });
    }
    return diagnostics;
  },
};

function message(service: Service, how: 'field' | 'annotation', pods: string): string {
  const name = objectName(service.object);
  return how === 'field'
    ? `${name} sets spec.publishNotReadyAddresses: true: it sends requests to ${pods} before they are ready and while they terminate, so their readinessProbe protects nothing`
    : `${name} has the deprecated annotation ${TOLERATE_UNREADY_ANNOTATION}: Kubernetes before 1.24 lists ${pods} as ready before they are and while they terminate, so what routes by Endpoints (kube-proxy before EndpointSlices, the OpenShift 3 router) sends them requests and their readinessProbe protects nothing; Kubernetes 1.24 and later ignore the annotation`;
}
