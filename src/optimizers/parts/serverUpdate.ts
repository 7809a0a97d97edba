/**
 * Server update: how the participants' local models become the next global model.
 *
 *   'average'     w+ = sum_k beta_k w_k                                   (Local-GD / FedAvg, docs/theory.md#01-local-gd-round)
 *   'normalized'  w+ = w + sum_k beta_k (etaG / (eta L_k)) (w_k - w)       (Modified Local-GD (c), our construction,
 *                                                                         proofs-notes/modified-local-gd.md)
 *
 * 'average' sums beta_k w_k directly (it does not form w + sum beta_k (w_k - w)), so a single node with beta = 1
 * returns its local model bit for bit: one-node Local-GD is centralized GD exactly. The accumulator starts from the
 * first participant's term, never from 0 or from the previous model (planted bug docs/planted-bugs.md#m03-accumulator-not-reset).
 */
import type { Vec } from '../../numeric/types.ts';

export type ServerRule =
  | { readonly kind: 'average' }
  | { readonly kind: 'normalized'; readonly etaG: number; readonly eta: number };

/** Fold participant k's local model wk (with weight beta and L local steps) into acc. */
export function foldNode(rule: ServerRule, acc: Vec, wk: Vec, w: Vec, beta: number, L: number, first: boolean): void {
  const d = acc.length;
  if (rule.kind === 'average') {
    if (first) for (let j = 0; j < d; j++) acc[j] = beta * wk[j];
    else for (let j = 0; j < d; j++) acc[j] += beta * wk[j];
    return;
  }
  const c = (beta * rule.etaG) / (rule.eta * L);
  if (first) for (let j = 0; j < d; j++) acc[j] = c * (wk[j] - w[j]);
  else for (let j = 0; j < d; j++) acc[j] += c * (wk[j] - w[j]);
}

/** The new global model (a fresh array) from the accumulator. */
export function finishRound(rule: ServerRule, acc: Vec, w: Vec): Vec {
  if (rule.kind === 'average') return acc.slice();
  const out = new Float64Array(acc.length);
  for (let j = 0; j < acc.length; j++) out[j] = w[j] + acc[j];
  return out;
}
