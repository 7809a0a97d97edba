/** Public barrel of the asynchronous Local-SGD simulator (Liu et al. 2024). */
export { runAsync, runAsyncWith, asyncLocalSGD, asyncLocalSGDWith } from './simulator.ts';
export { runDiLoCo, runDiLoCoWith, diloco, dilocoWith } from './diloco.ts';
export type { AsyncState, AsyncJob } from './simulator.ts';
export type { DiLoCoState } from './diloco.ts';
export type { AsyncParts, RunConfig, ShardBook } from './_internals/parts.ts';
export type { Event, EventQueue } from './_internals/events.ts';
export type {
  Model, Shard, AsyncProblem, ScheduleConfig, InnerConfig, OuterConfig, ShardMode, AsyncHyper, UpdateRecord, AsyncTrace, AsyncAlgorithm,
} from './types.ts';
export { outerSgd, outerNesterov, delayedNesterov, makeOuter } from './outer/index.ts';
export type { OuterOptimizer, OuterState, OuterSgdState, NesterovState, DelayedNesterovState, DelayedNesterovHyper } from './outer/index.ts';
export { innerSgd, innerAdamW, makeInner } from './inner/index.ts';
export type { InnerOptimizer, InnerState, InnerSgdState, AdamWState, AdamWHyper } from './inner/index.ts';
export { scheduleLr, lrAt, validateSchedule } from './schedule.ts';
export { dyluSteps } from './dylu.ts';
export { sampleShard, shardWeights, leastVisited, validateCounts } from './shardSampler.ts';
export type { ShardCounts } from './shardSampler.ts';
export { softmaxRegression } from './models/softmax.ts';
export { leastSquares } from './models/leastSquares.ts';
export { gaussianMixture } from './data.ts';
export type { GaussianMixtureOptions, GaussianMixtureData } from './data.ts';
