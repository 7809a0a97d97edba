import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.ts';

// The public barrel (src/index.ts) must name every value export of every area barrel, so a new export cannot be
// forgotten; the check compares runtime values, which also catches a name that points at the wrong thing.
const AREAS: Record<string, string> = {
  numeric: '../../src/numeric/index.ts',
  precise: '../../src/precise/index.ts',
  problems: '../../src/problems/index.ts',
  optimizers: '../../src/optimizers/index.ts',
  async: '../../src/optimizers/async/index.ts',
  arbitraries: '../../src/arbitraries/index.ts',
  spec: '../../src/spec/index.ts',
  stats: '../../src/spec/stats/index.ts',
};

describe('public barrel src/index.ts', () => {
  for (const [area, path] of Object.entries(AREAS)) {
    it(`re-exports every value export of the ${area} barrel, identically`, async () => {
      const mod = (await import(path)) as Record<string, unknown>;
      const missing = Object.keys(mod).filter((k) => (api as Record<string, unknown>)[k] !== mod[k]);
      expect(missing).toEqual([]);
    });
  }
  it('uses no wildcard re-export', () => {
    const text = readFileSync(new URL('../../src/index.ts', import.meta.url), 'utf8');
    expect(text).not.toMatch(/export\s+\*/);
  });
});
