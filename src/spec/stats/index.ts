/** Statistics for Monte Carlo claims: every export named. */
export { logGamma, logBeta, regIncBeta, invRegIncBeta, regIncGammaP, regIncGammaQ, erfc, normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './special.ts';
export { WELFORD_EMPTY, welfordPush, welfordMerge, summarize, summaryOf, type Welford, type Summary } from './summary.ts';
export { tInterval, hoeffdingInterval, empiricalBernsteinInterval, meanClaimDecision, refutes, sideForClaim, type Claim, type MeanInterval, type MeanDecision, type MeanClaimOptions, type MeanCIOptions, type BoundedMeanCIOptions } from './meanCI.ts';
export { binomialLogPmf, binomialCdf, clopperPearson, wilson, frequencyDecision, frequencyDecisionSize, type FrequencyInterval, type FrequencyDecision, type FrequencyDecisionOptions, type FrequencyCIOptions } from './binomial.ts';
export { ratioOfMeans, ratioClaimDecision, type RatioInterval, type RatioOptions, type RatioDecision } from './ratio.ts';
export { olsSlope, logLogSlope, type SlopeFit } from './regression.ts';
export { powerLawOfMeans, bandDecision, bandPower, type PowerLawFit } from './powerLaw.ts';
export { bonferroniAlpha, bonferroniConfidence, familyErrorBound } from './bonferroni.ts';
export { type Interval, type Side } from './validate.ts';
