/**
 * Planted bug M06-lupa-nominal-step-normaliser (docs/planted-bugs.md#m06-lupa-nominal-step-normaliser; reported class 6): a normaliser uses the wrong step count. LUPA-SGD written in the "normalised update"
 * form  xbar <- xbar + (tau / s) * mean_j (x_j - xbar)  with s the local steps the round actually ran (the reference
 * factor is s / s = 1) here divides by the NOMINAL period tau instead of s, i.e. the round's update is scaled by
 * tau / s. Every full round has s = tau and is unchanged; the truncated last round (s = T mod tau, when tau does not
 * divide T) is over-stepped by the factor tau / s. The reference LUPA-SGD (lupaSGDWith) with the aggregation of its
 * round swapped. Killed by L-1-tau-invariance and L-2-batch-pb.
 */
import type { Vec } from '../../numeric/types.ts';
import { checkFiniteModel, show } from '../../optimizers/parts/check.ts';
import { lupaRound } from '../../optimizers/parts/lupa.ts';
import { lupaSGDWith, type LupaRoundFn } from '../../optimizers/lupaSGD.ts';
import { override } from './types.ts';
import type { Mutant } from './types.ts';

const FN = 'lupaSGD';

/** xbar + c (avg - xbar), fresh array. */
function rescaled(xbar: Vec, avg: Vec, c: number): Vec {
  const out = new Float64Array(xbar.length);
  for (let i = 0; i < xbar.length; i++) out[i] = xbar[i] + c * (avg[i] - xbar[i]);
  return out;
}

/** The reference round, then the swapped part: normalise by the nominal period tau instead of the steps actually run. */
const nominalNormaliserRound: LupaRoundFn = (ctx, xbar, t, steps, round) => {
  const avg = lupaRound(ctx, xbar, t, steps, round);
  const w = steps === ctx.tau ? avg : rescaled(xbar, avg, ctx.tau / steps);
  checkFiniteModel(FN, w, round + 1, `eta = ${show(ctx.client.eta)}`);
  return w;
};

export const mutant: Mutant = {
  id: 'M06-lupa-nominal-step-normaliser',
  bug: 'number of local steps miscounted in a normaliser: the last, truncated LUPA round is normalised by tau instead of T mod tau',
  source: 'reported bug class 6 (docs/planted-bugs.md#reported-bug-classes)',
  affects: ['lupaSGD'],
  apply: (subject) => override(subject, { lupaSGD: lupaSGDWith(nominalNormaliserRound).run }),
};
