import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The files whose runs are sped up (`--time-scale 0.1`) or time what they measure to the millisecond: a
 * stall of a few hundred milliseconds is seconds of their modelled time, so they run one at a time, after the
 * rest, with no other test file competing for the two cores.
 */
const TIMING = [
  'test/cli/{compare,compare-format,compare-progress,compare-width,time-scale,verdict,robustness,local,image-command,nginx-router,platform}.e2e.test.ts',
  'test/ci/compare-recipes.e2e.test.ts',
  'test/cluster/local/**/*.test.ts',
  'test/cluster/router/**/*.test.ts',
  'test/load/**/*.test.ts',
  'test/app/**/*.test.ts',
  // Local against real controllers, held to ±10 %: beside another test bed's load the two sides drift apart.
  'test/testbed/fidelity.e2e.test.ts',
  // A PASS verdict from the k6-operator's runners: their load shares the cores with the test bed.
  'test/testbed/compare-k6-operator.e2e.test.ts',
  // Installs the packed tarball, then runs a short compare with it.
  'test/package/pack-install.e2e.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // A TMPDIR of the suite's own, checked to be empty at the end (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    // describe.concurrent blocks (the cluster target's compares, each in a namespace of its own): two at a time.
    maxConcurrency: 2,
    reporters: ['default', ['json', { outputFile: 'lib/test-report.json' }]],
    projects: [
      {
        extends: true,
        // Two files at a time (vitest's default on two cores is one): they mostly wait on the CLIs they spawn.
        test: {
          name: 'parallel',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...TIMING],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'timing', include: TIMING, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
