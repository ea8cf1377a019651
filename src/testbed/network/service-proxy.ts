import type { KubeClient } from '../../kube/api-client.js';
import { Informer } from '../../kube/informer.js';
import { type ApiEndpointSlice, type ApiService, RESOURCES } from '../api-objects.js';
import type { ClusterNetwork } from './cluster-network.js';
import { serviceForwards } from './forwards.js';

export interface ServiceProxyOptions {
  readonly api: KubeClient;
  readonly network: ClusterNetwork;
  /** Told about watches that failed (they restart). @default ignore */
  readonly onError?: (error: unknown) => void;
}

/**
 * kube-proxy's watch: every Service and EndpointSlice, each change turned into the cluster network's listeners
 * (serviceForwards), so that a ClusterIP leads to its ready pods within moments of the endpoints changing.
 */
export class ServiceProxy {
  private readonly services: Informer<ApiService>;
  private readonly slices: Informer<ApiEndpointSlice>;
  private scheduled = false;

  static start(options: ServiceProxyOptions): ServiceProxy {
    return new ServiceProxy(options);
  }

  private constructor(private readonly options: ServiceProxyOptions) {
    const informerOptions = { ...(options.onError && { onError: options.onError }) };
    this.services = new Informer<ApiService>(options.api, RESOURCES.services, informerOptions);
    this.slices = new Informer<ApiEndpointSlice>(options.api, RESOURCES.endpointSlices, informerOptions);
    for (const informer of [this.services, this.slices]) {
      informer.onEvent(() => this.schedule());
      informer.start();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.services.stop(), this.slices.stop()]);
  }

  /** One update for a burst of events. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.options.network.setServices(serviceForwards(this.services.values(), this.slices.values()));
    });
  }
}
