import { defineConfig } from 'vitest/config';
import { resolveSeed } from './src/spec/seed.ts';

// Resolve the seed once, in the main process, so every worker (they inherit the environment) uses the same one.
if (!process.env.LSGD_SEED) process.env.LSGD_SEED = String(resolveSeed(process.env).seed);

// Two cores on CI: run test files in two worker processes. The fast-check seed is
// fixed per run by vitest.setup.ts (LSGD_SEED), so a failure replays bit for bit.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    globalSetup: ['./vitest.global.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
