import { k8s } from 'cdk8s-plus-28';
import { SettingError } from '../runtime/errors.js';
import type { ReadinessProbeProps } from '../spec/app-props.js';
import { settingDefault } from '../spec/settings.js';
import { checkInteger, checkPath, checkPort, checkPortName } from './setting-checks.js';

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
