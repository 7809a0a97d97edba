import fc from 'fast-check';
import { resolveSeed } from './src/spec/seed.ts';

// One seed per test run, taken from LSGD_SEED (or chosen once in vitest.config.ts and printed by vitest.global.ts),
// so that any property failure replays with `LSGD_SEED=<seed> npm test`. Test names
// never contain the seed, so they stay stable between runs. The chosen seed is put
// back into the environment so every worker of the run uses the same one.
const { seed } = resolveSeed(process.env);
process.env.LSGD_SEED = String(seed);
fc.configureGlobal({ seed, numRuns: Number(process.env.LSGD_NUM_RUNS ?? 25) });
