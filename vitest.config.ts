import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the real CLI; two cores, so keep the pool small.
    testTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'lib/test-report.json' }]],
  },
});
