import type { PlatformName } from '../platforms/names.js';
import type { AppChartProps, ZeroDowntimeProps } from './app-props.js';

/**
 * Everything `zdd synth` needs: the app, shared by both variants, plus the
 * names of the two variants and the zero-downtime settings of the second.
 */
export interface AppSpec extends Omit<AppChartProps, 'name' | 'zeroDowntime' | 'platform'> {
  readonly names: { readonly default: string; readonly zeroDowntime: string };
  readonly zeroDowntime: ZeroDowntimeProps;
  /**
   * What sends the pods their requests, always named once the layers are merged (every preset names one):
   * what compare's local cluster emulates and what the zero-downtime settings' defaults follow.
   */
  readonly platform: PlatformName;
}
