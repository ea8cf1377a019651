import type { AppSpec } from './app-spec.js';
import type { PresetName } from './choices.js';

/** A preset names no platform: `resolveSpec` fills in the default when no layer names one. */
export type Preset = Omit<AppSpec, 'platform'>;

/**
 * Starting points for the settings. Values not given here are the constructs'
 * own defaults (see the `@default` tags in src/manifests).
 */
export const PRESETS: Record<PresetName, Preset> = {
  /**
   * The project's sample app (app/): a Node.js server that boots in about a
   * second, answers 503 while it warms up, and answers GET /healthz with 200
   * only once it serves.
   */
  default: {
    names: { default: 'default-app', zeroDowntime: 'zero-downtime-app' },
    image: 'zdd-sample-app:latest',
    port: 8080,
    // Two replicas, so that a rollout always has an old pod serving and the
    // PodDisruptionBudget is meaningful.
    replicas: 2,
    zeroDowntime: {
      readinessProbe: { path: '/healthz' },
      preStop: { shutdownCommand: 'node /opt/app-root/src/shutdown.js' },
    },
  },
  /** The seed's demo, exactly: JBoss Web Server 5.3 with the session sample app. */
  seed: {
    names: { default: 'default-app', zeroDowntime: 'custom-app' },
    image: 'session-app:latest',
    port: 8080,
    replicas: 1,
    resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    zeroDowntime: {
      readinessProbe: {
        path: '/session/index.jsp',
        port: 8080,
        scheme: 'HTTP',
        initialDelaySeconds: 30,
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
      },
      preStop: { action: 'exec', sleepSeconds: 10, shutdownCommand: '/opt/jws-5.3/tomcat/bin/shutdown.sh' },
      terminationGracePeriodSeconds: 60,
    },
  },
};
