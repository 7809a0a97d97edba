/**
 * Mutant discovery (src/gate/mutants/index.ts): the real folder loads without errors and holds the planted rows of
 * docs/planted-bugs.md; a fixture folder shows every validation rule as one line and that helpers, types.ts and index.ts are
 * skipped.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { findMutantFiles, loadMutants, mutantProblem, MUTANT_ID_PATTERN, REPO_ROOT } from '../../src/gate/mutants/index.ts';
import { builtinSubject } from '../../src/subject/index.ts';
import { affectsProblems } from '../../src/gate/mutationReport.ts';
import type { Subject } from '../../src/spec/types.ts';

const FIXTURES = 'test/gate/fixtures/mutants';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('loadMutants on src/gate/mutants', () => {
  it('loads every mutant file without errors, sorted by id, each named after its id, affects honest', async () => {
    expect(root).toBe(REPO_ROOT);
    const { mutants, errors } = await loadMutants();
    expect(errors).toEqual([]);
    const ids = mutants.map((m) => m.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    const files = findMutantFiles(REPO_ROOT);
    expect(files.length).toBe(mutants.length);
    for (const m of mutants) {
      expect(m.id).toMatch(MUTANT_ID_PATTERN);
      expect(files.some((f) => f.startsWith(m.id))).toBe(true);
      // relevance is computed from affects, so it must list exactly what apply changes
      expect(affectsProblems(m, builtinSubject, m.apply(builtinSubject))).toEqual([]);
    }
    // the rows of docs/planted-bugs.md that concern Local-GD aggregation, planted by this gate
    for (const id of ['M02-uniform-weights', 'M04-partial-all-clients', 'M11-zero-weight-nan']) expect(ids).toContain(id);
  });
});

describe('loadMutants validation (fixtures)', () => {
  it('reports each bad file in one line and keeps the good ones', async () => {
    expect(findMutantFiles(root, FIXTURES)).toEqual(['M90-good.ts', 'M91-dup-again.ts', 'M91-dup.ts', 'M92-name.ts', 'M94-throws.ts', 'M95-noexport.ts', 'M96-affects.ts']);
    const { mutants, errors } = await loadMutants(root, FIXTURES);
    expect(mutants.map((m) => m.id)).toEqual(['M90-good', 'M91-dup']);
    for (const e of errors) expect(e).not.toContain('\n');
    const about = (file: string) => errors.filter((e) => e.includes(`${FIXTURES}/${file}`));
    expect(about('M91-dup.ts')[0]).toMatch(/duplicate mutant id M91-dup \(also in .*M91-dup-again\.ts\)/);
    expect(about('M92-name.ts')[0]).toContain('file name must start with the id M93-other');
    expect(about('M94-throws.ts')[0]).toMatch(/failed to load: .*fixture M94 fails to load$/);
    expect(about('M95-noexport.ts')[0]).toContain("exports no object 'mutant'");
    expect(about('M96-affects.ts')[0]).toContain('affects must be a non-empty array');
    expect(errors).toHaveLength(5);
  });

  it('mutantProblem names the field', () => {
    const ok = { id: 'P07-x', bug: 'b', source: 's', affects: ['localGD'], apply: (s: object) => s };
    expect(mutantProblem(ok, 'P07-x.ts')).toBeNull();
    expect(mutantProblem({ ...ok, id: 'p7' }, 'p7.ts')).toContain('mutant.id must match');
    expect(mutantProblem({ ...ok, bug: 'two\nlines' }, 'P07-x.ts')).toContain('bug must be a one-line');
    expect(mutantProblem({ ...ok, source: '' }, 'P07-x.ts')).toContain('source must be');
    expect(mutantProblem({ ...ok, affects: ['localGD', 'localGD'] }, 'P07-x.ts')).toContain('lists a capability twice');
    expect(mutantProblem({ ...ok, apply: 3 }, 'P07-x.ts')).toContain('apply must be a function');
  });

  it('affectsProblems flags a change that affects does not list, and a listed capability left alone', () => {
    const m = { id: 'P07-x', bug: 'b', source: 's', affects: ['localSGD'], apply: (s: Subject) => s };
    const changed = { ...builtinSubject, localGD: () => null };
    expect(affectsProblems(m, builtinSubject, changed)).toEqual([
      "mutants: P07-x changes capability 'localGD' but affects does not list it",
      "mutants: P07-x lists 'localSGD' in affects but apply leaves it unchanged",
    ]);
  });
});
