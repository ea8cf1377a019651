/**
 * How requests use connections. During a rollout they fail differently: a
 * reused keep-alive connection is reset when the router reloads or the pod
 * stops; a new one is refused or queued. OpenShift's own CI measures backend
 * disruption separately for `connection/new` and `connection/reused` for that
 * reason (openshift/origin, pkg/monitortests/backenddisruption).
 */
export type ConnectionPattern = 'reused' | 'new';

/** What `--connections` accepts: one pattern, or both (half the rate each). */
export type ConnectionsChoice = ConnectionPattern | 'both';

export const CONNECTIONS_CHOICES: readonly ConnectionsChoice[] = ['both', 'reused', 'new'];

/** The patterns a choice runs, in the order reports list them. */
export function patternsOf(choice: ConnectionsChoice): ConnectionPattern[] {
  return choice === 'both' ? ['new', 'reused'] : [choice];
}
