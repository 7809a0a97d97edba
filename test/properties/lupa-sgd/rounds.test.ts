import { describe, expect, it } from 'vitest';
import { mutant as M08 } from '../../../src/gate/mutants/M08-sync-counter-per-block.ts';
import { builtinSubject } from '../../../src/subject/index.ts';
import { checkTheorem } from '../../../src/spec/index.ts';
import { parseSeed } from '../../../src/spec/seed.ts';
import { roundCap, spec, tauStar } from '../../../properties/lupa-sgd/any.rounds.prop.ts';

const seed = parseSeed(process.env.LSGD_SEED ?? '42', 'LSGD_SEED');

describe('L-5-rounds', () => {
  it('tau* and the round cap are the exact integer roots, and ceil(T/tau*) <= ceil((pT)^{1/3}) for every T <= 3000, p <= 64', () => {
    for (let p = 1; p <= 64; p++) {
      for (let T = 1; T <= 3000; T++) {
        const t = tauStar(T, p);
        const r = roundCap(T, p);
        // least integer with p t^3 >= T^2, least integer with r^3 >= pT (all products < 2^53)
        if (!(p * t ** 3 >= T * T && (t === 1 || p * (t - 1) ** 3 < T * T))) throw new Error(`tauStar(${T}, ${p}) = ${t}`);
        if (!(r ** 3 >= p * T && (r - 1) ** 3 < p * T)) throw new Error(`roundCap(${T}, ${p}) = ${r}`);
        if (Math.ceil(T / t) > r) throw new Error(`T = ${T}, p = ${p}: ceil(T/tau*) = ${Math.ceil(T / t)} > ${r}`);
      }
    }
    expect([tauStar(8, 1), tauStar(27, 8), tauStar(5469, 4), roundCap(5469, 4)]).toEqual([4, 5, 196, 28]);
  });

  it('holds on the reference optimizer', async () => {
    const v = await checkTheorem(spec, { subject: builtinSubject, seed, profile: 'ci' });
    expect(v.status, JSON.stringify(v)).toBe('holds');
    if (v.status === 'holds') expect(v.evidence.worst?.difference).toBe(0);
  });

  it('teeth: mutant #8 (counter per parameter block) averages more often than ceil(T/tau)', async () => {
    const v = await checkTheorem(spec, { subject: M08.apply(builtinSubject), seed, profile: 'ci' });
    expect(v.status).toBe('violated');
    if (v.status !== 'violated') return;
    expect(Array.isArray(v.observed) && Array.isArray(v.bound)).toBe(true);
    // the worst element is an averaging count (or uploads / p) above ceil(T/tau)
    expect((v.observed as number[])[v.index!]).toBeGreaterThan((v.bound as number[])[v.index!]);
    expect(v.message).toMatch(/observed differs from the bound/);
  });
});
