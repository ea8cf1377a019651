import type { KubeClient } from '../kube/api-client.js';
import { isKubeApiError } from '../kube/errors.js';
import { inNamespace, RESOURCES } from './api-objects.js';

/** A pod as the node agent names it in its calls. */
export interface PodRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** The kubelet's status update (`pods/NAME/status`); a pod gone already has nothing left to report. */
export async function sendPodStatus(api: KubeClient, pod: PodRef, status: Record<string, unknown>): Promise<void> {
  try {
    await api.patch(
      inNamespace(RESOURCES.pods, pod.namespace),
      pod.name,
      { status },
      { type: 'merge', subresource: 'status', fieldManager: 'zdd-node-agent' },
    );
  } catch (error) {
    if (!isKubeApiError(error, 404)) throw error;
  }
}

/**
 * The kubelet's final delete of a pod whose processes are over (grace period 0, this uid only); a pod gone
 * already (404) or replaced under its name (409) is fine.
 */
export async function removePod(api: KubeClient, pod: PodRef): Promise<void> {
  try {
    await api.delete(inNamespace(RESOURCES.pods, pod.namespace), pod.name, {
      gracePeriodSeconds: 0,
      preconditions: { uid: pod.uid },
    });
  } catch (error) {
    if (!isKubeApiError(error, 404) && !isKubeApiError(error, 409)) throw error;
  }
}
