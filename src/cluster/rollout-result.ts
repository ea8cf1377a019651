/** How a rollout ended, on any target (the local cluster, a real cluster, the test bed). */
export interface RolloutResult {
  readonly workload: string;
  readonly revision: string;
  readonly outcome: 'completed' | 'failed';
  readonly startedAt: number;
  readonly endedAt: number;
  readonly reason?: string;
}
