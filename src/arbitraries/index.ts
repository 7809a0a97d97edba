/** Public API of src/arbitraries: one fast-check arbitrary per file, plus the PL oracle and the sample catalog. */
export { overparameterisedRegression, OVERPARAMETERISED_REGIMES } from './overparameterisedRegression.ts';
export type {
  OverparameterisedRegression, OverparameterisedRegressionConstraints, OverparameterisedRegressionMeta, W0Placement,
} from './overparameterisedRegression.ts';
export { underparameterisedRegression, UNDERPARAMETERISED_REGIMES } from './underparameterisedRegression.ts';
export type {
  UnderparameterisedRegression, UnderparameterisedRegressionConstraints, UnderparameterisedRegressionMeta,
  InconsistencyWitness, RowRef,
} from './underparameterisedRegression.ts';
export { separableClassification, SEPARABLE_REGIMES } from './separableClassification.ts';
export type {
  SeparableClassification, SeparableClassificationConstraints, SeparableClassificationMeta,
} from './separableClassification.ts';
export { nonSeparableClassification, NON_SEPARABLE_REGIMES } from './nonSeparableClassification.ts';
export type {
  NonSeparableClassification, NonSeparableClassificationConstraints, NonSeparableClassificationMeta,
  NonSeparabilityWitness,
} from './nonSeparableClassification.ts';
export { plProblem, plProblemToJson, PL_REGIMES } from './plProblem.ts';
export type { PlProblem, PlProblemConstraints, PlShard, PlOracle, PlKind, PlSampling } from './plProblem.ts';
export { shardValue, shardGradient, objective, gradient, stochasticGradient } from './_internals/plOracle.ts';
export { logisticPlProblem, logisticPlProblemToJson, LOGISTIC_PL_REGIMES } from './logisticPlProblem.ts';
export type { LogisticPlProblem, LogisticPlProblemConstraints } from './logisticPlProblem.ts';
export { sinPlProblem, sinPlProblemToJson, SIN_PL_REGIMES, MU_G, L_G } from './sinPlProblem.ts';
export type { SinPlProblem, SinPlProblemConstraints } from './sinPlProblem.ts';
export { workerSpeeds, checkSpeedRegime, SPEED_REGIMES, WORKER_SPEED_REGIMES } from './workerSpeeds.ts';
export type { WorkerSpeeds, WorkerSpeedsConstraints, SpeedRegime } from './workerSpeeds.ts';
export { hyperparameters, HYPERPARAMETER_REGIMES } from './hyperparameters.ts';
export type { Hyperparameters, HyperparametersConstraints } from './hyperparameters.ts';
export { smoothness } from './_internals/smoothness.ts';
export { LABEL_SKEWS, DIRICHLET_ALPHAS } from './_internals/labels.ts';
export type { LabelSkew } from './_internals/labels.ts';
export type { MinNormReference, MaxMarginReference } from './_internals/certify.ts';
export { ARBITRARY_NAMES, sampleInstance, isArbitraryName } from './catalog.ts';
export type { ArbitraryName, SampledInstance, SampleOptions } from './catalog.ts';
