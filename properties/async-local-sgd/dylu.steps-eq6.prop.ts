/**
 * A-5D: Dynamic Local Updates, eq. 6: steps_w = floor(v_w / v_max * H), so the fastest worker gets exactly H,
 * every worker finishes within one of its own steps before the fastest (completion times in
 * (H/v_max - 1/v_w, H/v_max]), and a worker slower than v_max / H gets 0 steps (the edge case the paper leaves
 * open; minSteps is the simulator's documented floor). The subject's 'dyluSteps' against eq. 6 in exact
 * integers (speeds on the 1/4 grid of workerSpeeds).
 */
import fc from 'fast-check';
import { defineTheorem } from '../../src/spec/index.ts';
import { capability } from '../../src/subject/index.ts';
import { workerSpeeds } from '../../src/arbitraries/index.ts';
import { exactDylu, PAPER, VERSION, type DyluFn } from './_shared.ts';

export interface DyluCase {
  readonly speeds: readonly number[];
  readonly H: number;
  readonly minSteps: 0 | 1;
}

const instances: fc.Arbitrary<DyluCase> = fc.record({
  speeds: workerSpeeds({ minWorkers: 1, maxWorkers: 8 }).map((w) => w.speeds),
  H: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 13, max: 200 })),
  minSteps: fc.constantFrom(0 as const, 1 as const),
});

export const spec = defineTheorem({
  id: 'A-5D-dylu-steps',
  title: 'DyLU step counts follow eq. 6 exactly: the fastest gets H, completion spread < 1/v_w, zero steps below v_max / H',
  source: { paper: PAPER, version: VERSION, locator: 'Sec. 4.2, eq. 6; docs/theory.md#35-dynamic-local-updates', provenance: ['read', 'derived'] },
  statement: String.raw`\mathrm{steps}_w = \max\Big(\Big\lfloor \frac{v_w}{\max_{w'} v_{w'}}\, H \Big\rfloor,\ s_{\min}\Big);\ \ s_{\min}=0:\ \mathrm{steps}_{\arg\max v} = H,\ \ \frac{\mathrm{steps}_w}{v_w} \in \Big(\frac{H}{v_{\max}} - \frac{1}{v_w}, \frac{H}{v_{\max}}\Big],\ \ v_w < \frac{v_{\max}}{H} \Rightarrow \mathrm{steps}_w = 0`,
  kind: 'equivalence',
  requires: ['dyluSteps'],
  hypotheses: [
    { name: 'speeds positive on the 1/4 grid', check: (p: DyluCase) => p.speeds.every((v) => v > 0 && Number.isInteger(4 * v)) || `speeds ${JSON.stringify(p.speeds)}` },
    { name: 'H integer >= 1', check: (p: DyluCase) => (Number.isInteger(p.H) && p.H >= 1) || `H = ${p.H}` },
  ],
  instances,
  observe: (p, subject) => capability<DyluFn>(subject, 'dyluSteps')(p.speeds, p.H, p.minSteps),
  bound: (p) => exactDylu(p.speeds, p.H, p.minSteps),
  tolerance: { abs: 0, why: 'integer step counts: floor(a_w H / a_max) with a = 4 v is exact below 2^53' },
  profiles: { ci: 100, default: 500, hunt: 20000 },
  hints: ['the slowest worker as reference (docs/planted-bugs.md#m13-dylu-slowest-reference) gives the fastest v_max / v_min times H steps'],
});
