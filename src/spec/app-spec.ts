import type { AppChartProps, ZeroDowntimeProps } from './app-props.js';

/**
 * Everything `zdd synth` needs: the app, shared by both variants, plus the
 * names of the two variants and the zero-downtime settings of the second.
 */
export interface AppSpec extends Omit<AppChartProps, 'name' | 'zeroDowntime'> {
  readonly names: { readonly default: string; readonly zeroDowntime: string };
  readonly zeroDowntime: ZeroDowntimeProps;
}
