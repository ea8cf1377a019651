import { shellLessFamily } from '../kubernetes/shell-less-images.js';
import type { AppChartSettings } from './app-chart.js';

/**
 * A warning when the zero-downtime variant's preStop hook runs `/bin/sh -c "sleep N"` in an image known to have no
 * shell (the rule of `zdd check`'s prestop-exec-needs-shell): that hook fails at once and SIGTERM follows without the
 * pause. None for any other image, since zdd cannot see inside it.
 */
export function shellLessImageWarning(settings: AppChartSettings): string | undefined {
  const preStop = settings.zeroDowntime?.preStop;
  if (preStop?.action !== 'exec') return undefined;
  const family = shellLessFamily(settings.image);
  if (family === undefined) return undefined;
  return `warning: the preStop hook runs /bin/sh -c "sleep ${preStop.sleepSeconds}" in ${JSON.stringify(settings.image)}, a ${family} image, which has no shell: the hook would fail and SIGTERM come at once. Use --prestop-action sleep (the native sleep action, Kubernetes ≥ 1.30, OpenShift ≥ 4.17) or an image with a shell`;
}
