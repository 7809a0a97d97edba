import { defineConfig } from 'vitest/config';

// Two cores on CI: run test files in two worker processes. The fast-check seed is
// fixed per run by vitest.setup.ts (LSGD_SEED), so a failure replays bit for bit.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
