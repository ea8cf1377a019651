/**
 * `zdd compare`'s fast profile for tests: ten times faster, 10 requests per modelled second (100 per real one)
 * on each variant, and a fixed seed so that the router's reload phase is the same in every run. With the
 * default preset the default variant's new pods (no readinessProbe) take requests from the router's next
 * reload, at most one interval (5 s) after they start, while they answer 503 for 8 s: at least 3 s of 503s
 * whatever the phase, about 30 requests' worth — its failures are certain, not likely.
 */
export const FAST_COMPARE = ['--time-scale', '0.1', '--rate', '10', '--seed', '1', '--warmup', '5', '--cooldown', '5'];
