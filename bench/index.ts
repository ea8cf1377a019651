/**
 * `npm run bench`: every benchmark, each printing its figures as ratios
 * against a baseline measured in the same run.
 */
await import('./router-latency.js');
await import('./load-generators.js');
await import('./compare-wall-time.js');
await import('./check-throughput.js');
await import('./k6-operator-load.js');
