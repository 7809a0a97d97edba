import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findPropertyFiles, loadRegistry, selectEntries } from '../../src/spec/registry.ts';

const good = fileURLToPath(new URL('./fixtures/registry', import.meta.url));
const bad = fileURLToPath(new URL('./fixtures/registry-bad', import.meta.url));

describe('registry', () => {
  it('finds properties/**/*.prop.ts, skipping _ families unless asked', () => {
    expect(findPropertyFiles(good, 'properties', false)).toEqual(['properties/toy/list.max-abs.prop.ts', 'properties/toy/list.sum-reverse.prop.ts']);
    expect(findPropertyFiles(good, 'properties', true)).toContain('properties/_examples/list.prefix-max.prop.ts');
    expect(findPropertyFiles(good, 'no-such-dir', false)).toEqual([]);
  });

  it('loads default and `spec` exports, with family and no errors when every note exists', async () => {
    const reg = await loadRegistry({ root: good });
    expect(reg.errors).toEqual([]);
    expect(reg.entries.map((e) => [e.id, e.family, e.file])).toEqual([
      ['T-MAX1', 'toy', 'properties/toy/list.max-abs.prop.ts'],
      ['T-SUM1', 'toy', 'properties/toy/list.sum-reverse.prop.ts'],
    ]);
  });

  it('reports duplicate ids, missing notes, non-theorems and load failures as one-line errors', async () => {
    const reg = await loadRegistry({ root: bad });
    expect(reg.errors).toEqual([
      expect.stringMatching(/^registry: properties\/a\/broken.prop.ts failed to load: defineTheorem\(bad id\): id must match/),
      'registry: duplicate id T-SUM1 in properties/a/dup1.prop.ts and properties/a/dup2.prop.ts',
      'registry: T-MAX1 (properties/a/no-note.prop.ts) has no proof note: proofs-notes/T-MAX1.md is missing',
      'registry: properties/a/plain.prop.ts: the exported spec was not built by defineTheorem',
    ]);
    expect(reg.entries.map((e) => e.id)).toEqual(['T-SUM1', 'T-MAX1']);
  });

  it('selects by id and family; unknown ids and families are errors', async () => {
    const reg = await loadRegistry({ root: good });
    expect(selectEntries(reg, { ids: ['T-SUM1'] }).entries.map((e) => e.id)).toEqual(['T-SUM1']);
    expect(selectEntries(reg, { family: 'toy' }).entries).toHaveLength(2);
    expect(selectEntries(reg, { ids: ['Z-R1'] }).errors).toEqual(['check: unknown id Z-R1']);
    expect(selectEntries(reg, { family: 'zhu' }).errors).toEqual(["check: no properties in family 'zhu' (families: toy)"]);
  });
});
