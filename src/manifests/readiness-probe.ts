import { k8s } from 'cdk8s-plus-28';
import { SettingError } from '../errors.js';
import { settingDefault } from '../spec/settings.js';
import { checkInteger, checkPath, checkPort, checkPortName } from './rules.js';

/**
 * When the router may send traffic to a new pod. Without a readinessProbe a pod
 * counts as ready as soon as its process runs, while the app is still booting.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
 */
export interface ReadinessProbeProps {
  /**
   * Path the probe GETs; it must answer 2xx/3xx only once the app serves requests.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Container port the probe connects to: a number, or the port name `http`.
   * @default - the app's port
   */
  readonly port?: number | string;
  /** @default 'HTTP' */
  readonly scheme?: 'HTTP' | 'HTTPS';
  /**
   * Seconds after the container starts before the first probe.
   * @default 0
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds after which one probe counts as failed.
   * @default 1
   */
  readonly timeoutSeconds?: number;
  /**
   * Seconds between probes; a new pod joins the endpoints at most this long after it can serve.
   * @default 2
   */
  readonly periodSeconds?: number;
  /**
   * Consecutive successes before the pod is ready.
   * @default 1
   */
  readonly successThreshold?: number;
  /**
   * Consecutive failures before the pod is taken out of the endpoints.
   * @default 3
   */
  readonly failureThreshold?: number;
}

const PROBE = 'zeroDowntime.readinessProbe';

/** The container port every pod exposes, named so that Services and Routes can refer to it. */
export const PORT_NAME = 'http';

/** Renders the probe; `containerPort` is the port the container exposes. */
export function renderReadinessProbe(props: ReadinessProbeProps, containerPort: number): k8s.Probe {
  const path = props.path ?? settingDefault('zeroDowntime.readinessProbe.path');
  const port = props.port ?? containerPort;
  const scheme = props.scheme ?? settingDefault('zeroDowntime.readinessProbe.scheme');
  checkPath('path', path);
  if (typeof port === 'number') {
    checkPort('port', port);
    if (port !== containerPort) {
      throw new SettingError('port', `must be a port the container exposes (${containerPort} or "${PORT_NAME}")`, port);
    }
  } else {
    checkPortName('port', port);
    if (port !== PORT_NAME) {
      throw new SettingError('port', `must be a port the container exposes (${containerPort} or "${PORT_NAME}")`, port);
    }
  }
  if (scheme !== 'HTTP' && scheme !== 'HTTPS') {
    throw new SettingError('scheme', 'must be "HTTP" or "HTTPS"', scheme);
  }
  const timings = {
    initialDelaySeconds: props.initialDelaySeconds ?? settingDefault(`${PROBE}.initialDelaySeconds`),
    timeoutSeconds: props.timeoutSeconds ?? settingDefault(`${PROBE}.timeoutSeconds`),
    periodSeconds: props.periodSeconds ?? settingDefault(`${PROBE}.periodSeconds`),
    successThreshold: props.successThreshold ?? settingDefault(`${PROBE}.successThreshold`),
    failureThreshold: props.failureThreshold ?? settingDefault(`${PROBE}.failureThreshold`),
  };
  checkInteger('initialDelaySeconds', timings.initialDelaySeconds, 0);
  checkInteger('timeoutSeconds', timings.timeoutSeconds, 1);
  checkInteger('periodSeconds', timings.periodSeconds, 1);
  checkInteger('successThreshold', timings.successThreshold, 1);
  checkInteger('failureThreshold', timings.failureThreshold, 1);
  return {
    httpGet: {
      path,
      port: typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port),
      scheme,
    },
    ...timings,
  };
}
