import fc from 'fast-check';
import { smoothness } from './src/arbitraries/index.ts';
import { centralizedGD } from './src/optimizers/centralizedGD.ts';
import { localGD } from './src/optimizers/localGD.ts';
import { nodeLoss } from './src/problems/losses.ts';
import { ang, skewedSeparable, sampleWeights } from './properties/implicit-bias/modified.support.ts';
import { mutant as M10 } from './src/gate/mutants/M10-no-restart.ts';
import { mutant as M14 } from './src/gate/mutants/M14-stale-gradient.ts';
import { builtinSubject } from './src/optimizers/subject.ts';
const LOSS = { name: 'exponential' } as const;
const LS = [4, 16, 64], TS = [256, 1024, 4096, 16384];
const norm = (u: ArrayLike<number>) => { let s = 0; for (let i = 0; i < u.length; i++) s += u[i] * u[i]; return Math.sqrt(s); };
for (const sc of fc.sample(skewedSeparable(), { seed: 5, numRuns: 30 })) {
  const ds = sc.dataset; const wHat = sc.reference().wHat; const beta = smoothness(ds, LOSS); const eta = 1 / (64 * beta);
  let R = 0; for (const nd of ds.nodes) for (let r = 0; r < nd.X.rows; r++) { let q = 0; for (let j = 0; j < ds.d; j++) q += nd.X.data[r * ds.d + j] ** 2; R = Math.max(R, Math.sqrt(q)); }
  const alpha = sampleWeights(ds);
  const v = centralizedGD.run(ds, { loss: LOSS, eta, T: TS[3], record: TS });
  const C = Math.max(...v.models.map((w, i) => ang(w, wHat) * Math.log(TS[i])));
  const res: string[] = [];
  for (const L of LS) {
    const ref = localGD.run(ds, { loss: LOSS, eta, L, R: TS[3] / L, alpha: 'samples', record: 'all' });
    let D = 0; const allow: number[] = []; let k = 0;
    for (const t of TS) {
      const K = t / L;
      for (; k < K; k++) {
        const w = ref.models[k]; let s2 = 0, F = 0;
        ds.nodes.forEach((nd, m) => { if (nd.X.rows === 0) return; const f = nodeLoss(LOSS, nd.X, nd.y, w); s2 += alpha[m] * f * f; F += alpha[m] * f; });
        D += eta * eta * R ** 3 * (L * (L - 1) / 2) * (s2 + F * F);
      }
      allow.push(2 * D * Math.log(t) / norm(v.models[TS.indexOf(t)]));
    }
    const obs = (sub: any) => { const tr = sub.localGD(ds, { loss: LOSS, eta, L, R: TS[3] / L, alpha: 'samples', record: TS.map((t) => t / L) }); return tr.models.map((w: any, i: number) => ang(w, wHat) * Math.log(TS[i])); };
    const o = obs(builtinSubject), m10 = obs(M10.apply(builtinSubject)), m14 = obs(M14.apply(builtinSubject));
    res.push(`L${L} ex ${(Math.max(...o.map((x: number) => x / C)) - 1).toFixed(4)} m10 ${(Math.max(...m10.map((x: number) => x / C)) - 1).toFixed(3)} m14 ${(Math.max(...m14.map((x: number) => x / C)) - 1).toFixed(3)}`); if (0) res.push(`L${L} ref ${Math.max(...o.map((x: number, i: number) => x - C - allow[i])).toFixed(3)} allow ${allow.map((x) => x.toFixed(3)).join(',')} m10 ${Math.max(...m10.map((x: number, i: number) => x - C - allow[i])).toFixed(3)} m14 ${Math.max(...m14.map((x: number, i: number) => x - C - allow[i])).toFixed(3)}`);
  }
  console.log(`C ${C.toFixed(3)} | ` + res.join(' | '));
}
