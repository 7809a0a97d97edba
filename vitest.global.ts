// Runs once in vitest's main process: print the run's fast-check seed and the replay command a single time.
export default function setup(): void {
  console.log(`[lsgd-spec] fast-check seed ${process.env.LSGD_SEED} (replay: LSGD_SEED=${process.env.LSGD_SEED} npm test)`);
}
