import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the real CLI and mostly wait on it, its pods and its timers: two files at a time
    // (vitest's default on two cores is one) keep both cores busy without starving the timing-sensitive ones.
    maxWorkers: 2,
    testTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'lib/test-report.json' }]],
  },
});
