import type { Container } from './container.js';

/** When a new pod can become ready, in seconds after its container starts, if the app answers from the first probe on. */
export interface ReadinessWindow {
  readonly earliest: number;
  readonly latest: number;
  /** The readiness probe's period: what each failed probe adds. */
  readonly periodSeconds: number;
  /** The settings the figures come from, in words. */
  readonly basis: string;
}

/**
 * The kubelet runs a probe no sooner than initialDelaySeconds after the
 * container started, then every periodSeconds on a ticker whose phase is not
 * the container's: the first probe after the delay comes within one period.
 * A startupProbe must succeed first; the readinessProbe's delay still counts
 * from the container's start.
 */
export function readinessWindow(container: Container): ReadinessWindow | undefined {
  const readiness = container.readinessProbe;
  if (readiness === undefined) return undefined;
  const startup = container.startupProbe;
  const startupEarliest = startup?.initialDelaySeconds ?? 0;
  const startupLatest = startup === undefined ? 0 : startup.initialDelaySeconds + startup.periodSeconds;
  const followUps = (readiness.successThreshold - 1) * readiness.periodSeconds;
  const earliest = Math.max(startupEarliest, readiness.initialDelaySeconds) + followUps;
  const latest = Math.max(startupLatest, readiness.initialDelaySeconds) + followUps + readiness.periodSeconds;
  const basis = [
    `readinessProbe initialDelaySeconds ${readiness.initialDelaySeconds}, periodSeconds ${readiness.periodSeconds}, successThreshold ${readiness.successThreshold}`,
    startup === undefined
      ? ''
      : `; startupProbe initialDelaySeconds ${startup.initialDelaySeconds}, periodSeconds ${startup.periodSeconds}`,
  ].join('');
  return { earliest, latest, periodSeconds: readiness.periodSeconds, basis };
}
