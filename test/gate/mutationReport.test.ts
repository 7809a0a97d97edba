/**
 * The mutation report is the suite's teeth guarantee: on the CI profile every mutant discovered under
 * src/gate/mutants is killed, and the report names the killers with their verdicts and times. A harmless "mutant"
 * survives (so the gate can fail), a property that fails on the reference cannot pass for teeth, and mutants that
 * throw, hang or fail to apply still give a report.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/gate/mutants/index.ts';
import { override, type Mutant } from '../../src/gate/mutants/types.ts';
import { isKill, isRelevant, mutationReport } from '../../src/gate/mutationReport.ts';
import { mutantLine, mutationJson, mutationText } from '../../src/gate/mutationText.ts';
import { builtinSubject, capability } from '../../src/subject/index.ts';
import type { RunFn } from '../../src/optimizers/types.ts';
import { defineTheorem, loadRegistry, type RegistryEntry, type Subject } from '../../src/spec/index.ts';
import { parseSeed } from '../../src/spec/seed.ts';

const seed = parseSeed(process.env.LSGD_SEED ?? '42', 'LSGD_SEED');

const tiny = { task: 'regression' as const, d: 1, nodes: [{ X: { rows: 1, cols: 1, data: Float64Array.of(1) }, y: Float64Array.of(1) }] };
const tinyHyper = { loss: { name: 'squared' as const }, eta: 0.5, L: 1, R: 2 };

/** A probe that awaits the subject's localGD (so an asynchronous hang is cut off by runTimeoutMs). */
const probeSpec = {
  id: 'T-1-probe',
  title: 'localGD returns (test probe)',
  source: { paper: 'test', version: 'test', locator: 'test/gate/mutationReport.test.ts', provenance: 'derived' as const },
  statement: 'localGD(P, h) returns',
  kind: 'tight' as const,
  requires: ['localGD'],
  hypotheses: [],
  instances: fc.constant(0),
  observe: async (_i: number, s: Subject) => (await capability<RunFn<typeof tinyHyper>>(s, 'localGD')(tiny, tinyHyper), 0),
  bound: () => 0,
  tolerance: { abs: 0, why: 'test probe' },
  profiles: { ci: 2 },
};
const probe = defineTheorem<number, number>(probeSpec);
/** Violated on every subject, the reference included. */
const broken = defineTheorem<number, number>({ ...probeSpec, id: 'T-2-broken', observe: () => 1 });
const entry = (theorem: typeof probe, family = 'test'): RegistryEntry => ({ id: theorem.id, file: `${theorem.id}.prop.ts`, family, theorem });

const identity: Mutant = {
  id: 'P99-identity', bug: 'none: a wrapper that calls the reference', source: 'test: the gate must report it as survived',
  affects: ['localGD'],
  apply: (s: Subject) => {
    const ref = capability<RunFn<unknown>>(s, 'localGD');
    return override(s, { localGD: (p: Parameters<RunFn<unknown>>[0], h: unknown) => ref(p, h) });
  },
};

describe('mutation report on the CI profile', () => {
  it('kills every discovered mutant and names the killers with verdicts and times', async () => {
    const rep = await mutationReport({ seed, profile: 'ci' });
    expect(rep.errors).toEqual([]);
    expect(rep.mutants.length).toBeGreaterThanOrEqual(14);
    const survivors = rep.mutants.filter((m) => m.status !== 'killed').map((m) => `${m.id}: ${m.status}`);
    expect(survivors).toEqual([]);
    expect(rep.killed).toBe(rep.mutants.length);
    expect(rep.ok).toBe(true);
    for (const m of rep.mutants) {
      expect(m.killers).toHaveLength(1); // first kill per mutant
      const k = m.killers[0];
      expect(m.relevant).toContain(k.property);
      expect(k.status === 'violated' || k.cause === 'run-timeout').toBe(true);
      expect(k.elapsedMs).toBeGreaterThanOrEqual(0);
      expect(k.message).toBeTruthy();
      expect(k.command).toBe(`npx lsgd-spec mutants --mutant ${m.id} --seed ${seed} --profile ci`);
      expect(m.attempts[m.attempts.length - 1]).toBe(k);
      expect(rep.properties.find((p) => p.id === k.property)!.kills).toContain(m.id);
    }
    const text = mutationText(rep);
    for (const m of rep.mutants) expect(text).toContain(`✓ ${m.id} killed by ${m.killers[0].property} (`);
    expect(text).toContain(`${rep.mutants.length} mutants: ${rep.mutants.length} killed, 0 survived; seed ${seed}, profile ci`);
    expect(JSON.parse(mutationJson(rep)).mutants).toHaveLength(rep.mutants.length);
  });

  it('reports a harmless identity wrapper as survived, after every relevant property held', async () => {
    const rep = await mutationReport({ seed, profile: 'ci', mutants: [identity] });
    const [r] = rep.mutants;
    expect(r.status).toBe('survived');
    expect(r.killers).toEqual([]);
    const reg = await loadRegistry({ root: REPO_ROOT });
    const relevant = reg.entries.filter((e) => isRelevant(e, identity)).map((e) => e.id);
    expect([...r.relevant].sort()).toEqual([...relevant].sort());
    expect(r.attempts.map((a) => a.property).sort()).toEqual([...relevant].sort());
    expect(r.attempts.every((a) => !a.killed)).toBe(true);
    expect(rep.ok).toBe(false);
    expect(rep.survived).toBe(1);
    expect(mutantLine(r)).toMatch(/^✗ P99-identity SURVIVED: \d+ of \d+ relevant properties run, .* none failed$/);
  }, 300_000); // runs every relevant property of the registry on the ci profile: about a minute on a loaded 2-core machine
});

describe('robustness: every mutant yields a report', () => {
  it('a hanging asynchronous plug-in is cut off by the per-run timeout and counts as killed', async () => {
    const hang: Mutant = { ...identity, id: 'P98-hang', apply: (s) => override(s, { localGD: () => new Promise(() => undefined) }) };
    const rep = await mutationReport({ seed, mutants: [hang], entries: [entry(probe)], runTimeoutMs: 50 });
    const [r] = rep.mutants;
    expect(r.status).toBe('killed');
    expect(r.killers[0]).toMatchObject({ property: 'T-1-probe', status: 'interrupted', cause: 'run-timeout', killed: true });
  });

  it('a throwing plug-in is killed with its message; an apply that throws is an error of the report', async () => {
    const throws: Mutant = { ...identity, id: 'P97-throws', apply: (s) => override(s, { localGD: () => { throw new Error('boom'); } }) };
    const bad: Mutant = { ...identity, id: 'P96-bad-apply', apply: () => { throw new Error('cannot apply'); } };
    const rep = await mutationReport({ seed, mutants: [throws, bad], entries: [entry(probe)] });
    expect(rep.mutants.map((m) => [m.id, m.status])).toEqual([['P96-bad-apply', 'error'], ['P97-throws', 'killed']]);
    expect(rep.mutants[1].killers[0].message).toBe('subject threw: boom');
    expect(rep.errors).toEqual(['mutants: P96-bad-apply: apply threw: cannot apply']);
    expect(rep.ok).toBe(false);
  });

  it('a property that fails on the reference cannot kill: the mutant survives and the report warns', async () => {
    const rep = await mutationReport({ seed, mutants: [identity], entries: [entry(broken), entry(probe)], all: true });
    const [r] = rep.mutants;
    expect(r.status).toBe('survived');
    expect(r.attempts.map((a) => a.property)).toEqual(['T-1-probe', 'T-2-broken']); // by id, conformance would come first
    expect(r.attempts[1]).toMatchObject({ property: 'T-2-broken', status: 'violated', killed: false });
    expect(r.attempts[1].discarded).toBe('T-2-broken fails on the reference too (violated)');
    expect(rep.warnings.some((w) => w.startsWith('mutants: property T-2-broken does not hold on the reference subject'))).toBe(true);
    expect(rep.properties.find((p) => p.id === 'T-2-broken')).toMatchObject({ reference: 'violated', kills: [] });
  });

  it('unknown mutant ids are errors; relevance and kill rules', async () => {
    const rep = await mutationReport({ seed, mutants: [identity], ids: ['P00-nope'], entries: [entry(probe)] });
    expect(rep.errors).toEqual(['mutants: unknown mutant id P00-nope (known: P99-identity)']);
    expect(rep.mutants).toEqual([]);
    expect(rep.ok).toBe(false);
    expect(isRelevant(entry(probe), { affects: ['localSGD'] })).toBe(false);
    expect(isRelevant(entry(probe), { affects: ['localSGD', 'localGD'] })).toBe(true);
    expect(isRelevant(entry(defineTheorem<number, number>({ ...probeSpec, requires: [] })), { affects: ['diloco'] })).toBe(true);
    expect(isRelevant(entry(defineTheorem<number, number>({ ...probeSpec, requires: [], expect: 'refuted' })), { affects: ['diloco'] })).toBe(false); // a recorded refutation kills nothing
    const base = { id: 'x', title: 't', kind: 'tight' as const, seed: 1, profile: 'ci' as const, elapsedMs: 0, runs: 1 };
    expect(isKill({ ...base, status: 'interrupted', cause: 'run-timeout', reason: 'r' })).toBe(true);
    expect(isKill({ ...base, status: 'interrupted', cause: 'time-budget', reason: 'r' })).toBe(false);
    expect(isKill({ ...base, status: 'vacuous', reason: 'r', vacuousRuns: 1 })).toBe(false);
  });
});

describe('the harmless mutant stays harmless', () => {
  it('runs the reference bit for bit', () => {
    const a = capability<RunFn<typeof tinyHyper>>(builtinSubject, 'localGD')(tiny, tinyHyper);
    const b = capability<RunFn<typeof tinyHyper>>(identity.apply(builtinSubject), 'localGD')(tiny, tinyHyper);
    expect(b.models).toEqual(a.models);
    expect(b.loss).toEqual(a.loss);
  });
});
