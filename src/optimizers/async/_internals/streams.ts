/**
 * Random streams of the async simulator, on the shared counter-based RNG (src/optimizers/rng.ts, Philox4x32-10).
 * Minibatches use the shared layout, key rngKey(seed, 0) and PURPOSE.minibatch with counter (shard, shard step):
 * a shard step draws the same rows whichever worker runs it. Draws that only the simulator makes use their own
 * key word, rngKey(seed, ASYNC_STREAM), so they never collide with the synchronous optimizers' purposes.
 */
/** second key word of the simulator-only draws; the synchronous optimizers all use word 0, so any nonzero value keeps the streams apart */
export const ASYNC_STREAM = 6;

export const ASYNC_PURPOSE = Object.freeze({
  /** eq. 2 shard draw: counter (0, job number, lane 0) */
  shard: 1,
  /** Gaussian-mixture centre k: counter (k, 0, lanes for the d coordinates) */
  dataCenter: 2,
  /** Gaussian-mixture point i: counter (i, 0, lanes for the d coordinates) */
  dataPoint: 3,
  /** shuffle key of training point i: counter (i, 0, lane 0) */
  dataSplit: 4,
});
