/** Bonferroni correction: m simultaneous statements, each at level alpha/m, hold jointly with probability >= 1 - alpha. */
function checkM(fn: string, m: number): void {
  if (!Number.isInteger(m) || m < 1) throw new Error(`${fn}: number of comparisons must be a positive integer, got ${m}`);
}

/** Per-comparison miss probability alpha/m. */
export function bonferroniAlpha(alpha: number, m: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new Error(`bonferroniAlpha: alpha must be in (0, 1), got ${alpha}`);
  checkM('bonferroniAlpha', m);
  return alpha / m;
}

/** Per-comparison confidence 1 - (1 - confidence)/m for a family confidence. */
export function bonferroniConfidence(confidence: number, m: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new Error(`bonferroniConfidence: confidence must be in (0, 1), got ${confidence}`);
  checkM('bonferroniConfidence', m);
  return 1 - (1 - confidence) / m;
}

/** Family-wise error bound (union bound) for per-comparison miss probabilities alphas: min(1, Σ alphas). */
export function familyErrorBound(alphas: readonly number[]): number {
  if (alphas.length === 0) throw new Error('familyErrorBound: need at least one comparison, got 0');
  let s = 0;
  for (let i = 0; i < alphas.length; i++) {
    if (!(alphas[i] >= 0 && alphas[i] <= 1)) throw new Error(`familyErrorBound: alphas[${i}] must be in [0, 1], got ${alphas[i]}`);
    s += alphas[i];
  }
  return Math.min(1, s);
}
