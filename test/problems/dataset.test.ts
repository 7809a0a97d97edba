import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetToJson, loadDataset, locateJsonError, nodeSizes, parseDataset, pooled } from '../../src/problems/dataset.ts';
import type { DatasetJson, FederatedDataset } from '../../src/problems/types.ts';

/** The message of the error fn throws; fails the test if it does not throw or the message is not one line. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    const msg = (e as Error).message;
    expect(msg).not.toMatch(/[\r\n]/);
    return msg;
  }
  throw new Error('expected a throw, but the call returned');
}

const parseErr = (json: unknown): string => errorOf(() => parseDataset(json));
const reg = (nodes: unknown[]): unknown => ({ task: 'regression', nodes });
const cls = (nodes: unknown[]): unknown => ({ task: 'classification', nodes });
const good = (): { X: unknown[][]; y: unknown[]; weight?: unknown } => ({ X: [[1, 2], [3, 4], [5, 6]], y: [1, -1, 1] });

/** Path of the first difference between two JSON-like values, numbers compared with Object.is (so -0 !== 0). */
function firstDiff(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b) ? null : `${path}: ${String(a)} vs ${String(b)}`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDiff(a[i], b[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) return `${path}: keys ${ka.join()} vs ${kb.join()}`;
    for (const k of ka) {
      const d = firstDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== null) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${String(a)} vs ${String(b)}`;
}

describe('parseDataset: accepted input', () => {
  it('copies X, y and weight into Mat/Vec, with d from the rows and zero-row nodes shaped 0 x d', () => {
    const json = reg([{ X: [[1, 2], [3, 4]], y: [0.5, -2], weight: 1.5 }, { X: [], y: [] }, { X: [[-0, 5e-324]], y: [7] }]);
    const ds = parseDataset(json);
    expect(ds.task).toBe('regression');
    expect(ds.d).toBe(2);
    expect(nodeSizes(ds)).toEqual([2, 0, 1]);
    expect(Array.from(ds.nodes[0].X.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(ds.nodes[0].y)).toEqual([0.5, -2]);
    expect(ds.nodes[0].weight).toBe(1.5);
    expect([ds.nodes[1].X.rows, ds.nodes[1].X.cols, ds.nodes[1].y.length]).toEqual([0, 2, 0]);
    expect('weight' in ds.nodes[1]).toBe(false);
    expect(Object.is(ds.nodes[2].X.data[0], -0)).toBe(true);
    expect(ds.nodes[2].X.data[1]).toBe(Number.MIN_VALUE);
  });

  it('never aliases nor mutates the input: input frozen, later edits to it do not reach the dataset', () => {
    const rows = [[1, 2], [3, 4]];
    const y = [1, -1];
    const json = { task: 'classification', nodes: [{ X: rows, y, weight: 2 }] };
    const frozen = structuredClone(json);
    const deepFreeze = (o: unknown): void => {
      if (typeof o === 'object' && o !== null) Object.values(Object.freeze(o)).forEach(deepFreeze);
    };
    deepFreeze(frozen);
    expect(() => parseDataset(frozen)).not.toThrow();
    const ds = parseDataset(json);
    rows[0][0] = 99;
    y[1] = 1;
    expect(ds.nodes[0].X.data[0]).toBe(1);
    expect(ds.nodes[0].y[1]).toBe(-1);
  });

  it('accepts weights of 0 on some nodes, mixed with weightless nodes, and a key whose value is undefined', () => {
    expect(parseDataset(reg([{ ...good(), weight: 0 }, { ...good(), weight: 2 }])).nodes.map((n) => n.weight)).toEqual([0, 2]);
    expect(parseDataset(reg([{ ...good(), weight: 0 }, good()])).nodes[0].weight).toBe(0);
    expect(parseDataset(reg([{ ...good(), wieght: undefined }])).d).toBe(2);
  });
});

describe('parseDataset: each rule rejects with a one-line message naming position and value', () => {
  it('top level: not an object, unknown key, missing or unknown task, missing, non-array or empty nodes', () => {
    expect(parseErr([1, 2])).toBe('parseDataset: expected an object {"task", "nodes"}, got an array of length 2');
    expect(parseErr(null)).toBe('parseDataset: expected an object {"task", "nodes"}, got null');
    expect(parseErr({ task: 'regression', nodes: [good()], tsak: 1 }))
      .toBe('parseDataset: unknown top-level key "tsak" (allowed: task, nodes)');
    expect(parseErr({ nodes: [good()] })).toBe('parseDataset: missing key "task" (expected "regression" or "classification")');
    expect(parseErr({ task: 'clasification', nodes: [good()] }))
      .toBe('parseDataset: task "clasification" (a string) is unknown (expected "regression" or "classification")');
    expect(parseErr({ task: 'regression' })).toBe('parseDataset: missing key "nodes" (an array of {"X", "y", "weight"?})');
    expect(parseErr({ task: 'regression', nodes: {} })).toBe('parseDataset: "nodes" must be an array of nodes, got an object');
    expect(parseErr(reg([]))).toBe('parseDataset: "nodes" is empty; a dataset needs at least one node');
  });

  it('node structure: not an object, unknown key (typo), missing or non-array X and y, a row that is not an array', () => {
    expect(parseErr(reg([good(), 5]))).toBe('parseDataset: node 1: expected an object {"X", "y", "weight"?}, got 5');
    expect(parseErr(reg([good(), { ...good(), wieght: 2 }])))
      .toBe('parseDataset: node 1: unknown key "wieght" (allowed: X, y, weight)');
    expect(parseErr(reg([{ y: [] }]))).toBe('parseDataset: node 0: missing key "X" (an array of rows)');
    expect(parseErr(reg([{ X: 'abc', y: [] }]))).toBe('parseDataset: node 0: "X" must be an array of rows, got "abc" (a string)');
    expect(parseErr(reg([{ X: [] }]))).toBe('parseDataset: node 0: missing key "y" (an array of numbers)');
    expect(parseErr(reg([{ X: [], y: new Float64Array(0) }]))).toBe('parseDataset: node 0: "y" must be an array of numbers, got a Float64Array');
    expect(parseErr(reg([{ X: [[1], 2], y: [1, 2] }]))).toBe('parseDataset: node 0, row 1: expected an array of numbers, got 2');
  });

  it('shapes: y length, ragged rows (the odd row named even when first), d differing between nodes, d = 0, all zero rows', () => {
    expect(parseErr(reg([good(), { X: [[1, 2]], y: [1, 2] }]))).toBe('parseDataset: node 1: y has 2 entries but X has 1 row');
    expect(parseErr(reg([{ X: [[1, 2], [3, 4, 5], [6, 7]], y: [1, 2, 3] }])))
      .toBe('parseDataset: node 0, row 1: row has 3 columns but d = 2 (2 of 3 rows); rows must not be ragged');
    expect(parseErr(reg([{ X: [[1], [3, 4], [6, 7]], y: [1, 2, 3] }])))
      .toBe('parseDataset: node 0, row 0: row has 1 column but d = 2 (2 of 3 rows); rows must not be ragged');
    expect(parseErr(reg([good(), { X: [[1, 2, 3], [4, 5, 6]], y: [1, 2] }]))).toBe(
      'parseDataset: node 1, row 0: node 1 has 3 columns in every row but d = 2 elsewhere (3 of 5 rows, first at node 0, row 0); ' +
        'every node needs the same number of columns');
    expect(parseErr(reg([{ X: [[], []], y: [1, 2] }])))
      .toBe('parseDataset: node 0, row 0: rows have 0 columns; a dataset needs at least one feature (d >= 1)');
    expect(parseErr(reg([{ X: [], y: [] }, { X: [], y: [] }])))
      .toBe('parseDataset: every node (2) has zero rows, so the feature dimension d is unknown');
  });

  it('X entries: NaN, +-Infinity (JS objects can hold them), strings like "NaN", null, holes, booleans, nested arrays', () => {
    const at = (v: unknown): string => parseErr(reg([good(), { X: [[1, 2], [3, 4], [5, 6], [7, v]], y: [1, 2, 3, 4] }]));
    expect(at(NaN)).toBe('parseDataset: node 1, row 3, column 1: value NaN is not a finite number');
    expect(at(Infinity)).toBe('parseDataset: node 1, row 3, column 1: value Infinity is not a finite number');
    expect(at(-Infinity)).toBe('parseDataset: node 1, row 3, column 1: value -Infinity is not a finite number');
    expect(at('NaN')).toBe('parseDataset: node 1, row 3, column 1: value "NaN" (a string) is not a number');
    expect(at('1')).toBe('parseDataset: node 1, row 3, column 1: value "1" (a string) is not a number');
    expect(at(null)).toBe('parseDataset: node 1, row 3, column 1: value null is not a number');
    expect(at(true)).toBe('parseDataset: node 1, row 3, column 1: value true (a boolean) is not a number');
    expect(at([2])).toBe('parseDataset: node 1, row 3, column 1: value an array of length 1 is not a number');
    // eslint-disable-next-line no-sparse-arrays
    expect(parseErr(reg([{ X: [[1, , 3]], y: [1] }]))).toBe('parseDataset: node 0, row 0, column 1: value undefined (missing) is not a number');
  });

  it('y: non-finite or non-number targets; classification labels other than exactly -1 or +1 (including -0 and "1")', () => {
    const yAt = (task: 'r' | 'c', v: unknown): string => parseErr((task === 'r' ? reg : cls)([{ X: [[1], [2]], y: [1, v] }]));
    expect(yAt('r', NaN)).toBe('parseDataset: node 0, row 1, y: value NaN is not a finite number');
    expect(yAt('r', null)).toBe('parseDataset: node 0, row 1, y: value null is not a number');
    for (const bad of [0, 2, 0.5, -0]) {
      expect(yAt('c', bad)).toBe(`parseDataset: node 0, row 1, y: label ${Object.is(bad, -0) ? '-0' : bad} is not -1 or +1 (task "classification")`);
    }
    expect(yAt('c', '1')).toBe('parseDataset: node 0, row 1, y: value "1" (a string) is not a number');
    expect(parseDataset(cls([{ X: [[1], [2]], y: [1, -1] }])).nodes[0].y).toEqual(Float64Array.of(1, -1));
  });

  it('weights: negative, non-finite, non-number, all zero when every node gives one, a sum that overflows', () => {
    const wAt = (w: unknown): string => parseErr(reg([good(), { ...good(), weight: w }]));
    expect(wAt(-0.5)).toBe('parseDataset: node 1, weight: value -0.5 is negative (weights must be >= 0)');
    expect(wAt(NaN)).toBe('parseDataset: node 1, weight: value NaN is not a finite number');
    expect(wAt(Infinity)).toBe('parseDataset: node 1, weight: value Infinity is not a finite number');
    expect(wAt('2')).toBe('parseDataset: node 1, weight: value "2" (a string) is not a number');
    expect(wAt(null)).toBe('parseDataset: node 1, weight: value null is not a number');
    expect(parseErr(reg([{ ...good(), weight: 0 }, { ...good(), weight: 0 }])))
      .toBe('parseDataset: every node (2) has weight 0; the total weight must be positive');
    expect(parseErr(reg([{ ...good(), weight: 1e308 }, { ...good(), weight: 1e308 }])))
      .toBe('parseDataset: the weights sum to Infinity; the total weight must be finite');
  });

  it('names the source when given one', () => {
    expect(errorOf(() => parseDataset(reg([]), 'data/a.json'))).toBe('parseDataset: data/a.json: "nodes" is empty; a dataset needs at least one node');
  });
});

describe('loadDataset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lsgd-dataset-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads a file (BOM skipped) and keeps -0 written in the file', () => {
    const ds = loadDataset(file('ok.json', '\uFEFF{"task": "regression", "nodes": [{"X": [[-0, 1e-310]], "y": [2]}]}'));
    expect(Object.is(ds.nodes[0].X.data[0], -0)).toBe(true);
    expect(ds.nodes[0].X.data[1]).toBe(1e-310);
  });

  it('bad JSON: one line naming the file, line, column and position', () => {
    const p = file('bad.json', '{"task": "regression",\n "nodes": [{"X": [[1, 2],, [3]], "y": [1]}]}');
    expect(errorOf(() => loadDataset(p)))
      .toBe(`loadDataset: ${p}: invalid JSON at line 2, column 26 (position 48): expected a JSON value, found ","`);
    const q = file('cut.json', '{"task": "regression", "nodes": [');
    expect(errorOf(() => loadDataset(q)))
      .toBe(`loadDataset: ${q}: invalid JSON at line 1, column 34 (position 33): expected a JSON value, found the end of the input`);
  });

  it("bare NaN / Infinity / -Infinity tokens (Python's json.dump) are named by node, row and column, not by a syntax position", () => {
    const p = file('py.json', '{"task": "regression", "nodes": [{"X": [[1, 2], [3, NaN]], "y": [1, 2]}]}');
    expect(errorOf(() => loadDataset(p))).toBe(`loadDataset: ${p}: node 0, row 1, column 1: value NaN is not a finite number`);
    const q = file('pyinf.json', '{"task": "regression", "nodes": [{"X": [[1]], "y": [2]}, {"X": [[-Infinity]], "y": [Infinity]}]}');
    expect(errorOf(() => loadDataset(q))).toBe(`loadDataset: ${q}: node 1, row 0, column 0: value -Infinity is not a finite number`);
    // the tokens inside strings are left alone, and a real syntax error next to a token is still reported by position
    const r = file('pystr.json', '{"task": "regression", "nodes": [{"X": [["NaN", NaN]], "y": [1]}]}');
    expect(errorOf(() => loadDataset(r))).toBe(`loadDataset: ${r}: node 0, row 0, column 0: value "NaN" (a string) is not a number`);
    const t = file('pybad.json', '{"task": "regression", "nodes": [{"X": [[NaN,, 1]], "y": [1]}]}');
    expect(errorOf(() => loadDataset(t))).toMatch(/invalid JSON at line 1, column 46 \(position 45\): expected a JSON value, found ","$/);
  });

  it('a key repeated in one object is an error naming the key, the object and the line (JSON.parse keeps the last)', () => {
    const top = file('duptop.json', '{"task": "regression",\n "nodes": [{"X": [[1]], "y": [2]}],\n "task": "classification"}');
    expect(errorOf(() => loadDataset(top)))
      .toBe(`loadDataset: ${top}: duplicate key "task" in the top-level object at line 3, column 2; each key may appear once in an object`);
    const node = file('dupnode.json', '{"task": "regression", "nodes": [{"X": [[1]], "y": [2]}, {"X": [[1]], "y": [2], "y": [3]}]}');
    expect(errorOf(() => loadDataset(node)))
      .toBe(`loadDataset: ${node}: duplicate key "y" in nodes[1] at line 1, column 81; each key may appear once in an object`);
    // the same keys in different objects are fine, and the values are those of the file
    const ok = file('nodup.json', '{"task": "regression", "nodes": [{"X": [[1, 2.5e-3]], "y": [2]}, {"X": [[3, -4]], "y": [5]}]}');
    expect(Array.from(pooled(loadDataset(ok)).X.data)).toEqual([1, 2.5e-3, 3, -4]);
  });

  it('validation errors and unreadable files name the file', () => {
    const p = file('nan.json', '{"task": "regression", "nodes": [{"X": [["NaN"]], "y": [1]}]}');
    expect(errorOf(() => loadDataset(p))).toBe(`loadDataset: ${p}: node 0, row 0, column 0: value "NaN" (a string) is not a number`);
    const missing = join(dir, 'missing.json');
    expect(errorOf(() => loadDataset(missing))).toMatch(new RegExp(`^loadDataset: ${missing}: cannot read the file \\(ENOENT`));
  });
});

describe('datasetToJson, pooled, nodeSizes', () => {
  const ds = (): FederatedDataset => parseDataset(reg([{ X: [[1, 2], [3, 4]], y: [5, 6], weight: 3 }, { X: [], y: [] }, { X: [[7, 8]], y: [9] }]));

  it('datasetToJson gives fresh arrays (editing them leaves the dataset alone) and omits absent weights', () => {
    const d = ds();
    const j = datasetToJson(d);
    expect(firstDiff(j, { task: 'regression', nodes: [{ X: [[1, 2], [3, 4]], y: [5, 6], weight: 3 }, { X: [], y: [] }, { X: [[7, 8]], y: [9] }] })).toBeNull();
    j.nodes[0].X[0][0] = -1;
    j.nodes[0].y[0] = -1;
    expect([d.nodes[0].X.data[0], d.nodes[0].y[0]]).toEqual([1, 5]);
  });

  it('datasetToJson rejects what the format cannot hold: NaN (JSON.stringify would write null), bad shapes, unrecordable d', () => {
    const d = ds();
    const withNaN: FederatedDataset = { ...d, nodes: [{ ...d.nodes[0], X: { ...d.nodes[0].X, data: Float64Array.of(1, NaN, 3, 4) } }] };
    expect(errorOf(() => datasetToJson(withNaN))).toBe('datasetToJson: node 0, row 0, column 1: value NaN is not a finite number');
    const wide: FederatedDataset = { ...d, d: 3 };
    expect(errorOf(() => datasetToJson(wide))).toBe('datasetToJson: node 0: X has 2 columns but the dataset has d = 3');
    const short: FederatedDataset = { ...d, nodes: [{ ...d.nodes[0], y: Float64Array.of(1) }] };
    expect(errorOf(() => datasetToJson(short))).toBe('datasetToJson: node 0: y has 1 entry but X has 2 rows');
    const empty: FederatedDataset = { task: 'regression', d: 4, nodes: [{ X: { rows: 0, cols: 4, data: new Float64Array(0) }, y: new Float64Array(0) }] };
    expect(errorOf(() => datasetToJson(empty))).toBe('datasetToJson: every node (1) has zero rows, so the format cannot record d = 4');
    expect(errorOf(() => datasetToJson({ ...d, d: 0 }))).toBe('datasetToJson: d must be a positive integer, got 0');
  });

  it('pooled stacks the nodes in order with offsets[k] = first pooled row of node k, as copies', () => {
    const d = ds();
    const p = pooled(d);
    expect(p.offsets).toEqual([0, 2, 2]);
    expect([p.X.rows, p.X.cols]).toEqual([3, 2]);
    const sizes = nodeSizes(d);
    d.nodes.forEach((nd, k) => {
      for (let r = 0; r < sizes[k]; r++) {
        expect(Array.from(p.X.data.subarray((p.offsets[k] + r) * 2, (p.offsets[k] + r + 1) * 2))).toEqual(Array.from(nd.X.data.subarray(r * 2, r * 2 + 2)));
        expect(p.y[p.offsets[k] + r]).toBe(nd.y[r]);
      }
    });
    p.X.data[0] = 100;
    expect(d.nodes[0].X.data[0]).toBe(1);
    const bad: FederatedDataset = { ...d, nodes: [d.nodes[0], { ...d.nodes[2], y: new Float64Array(0) }] };
    expect(errorOf(() => pooled(bad))).toBe('pooled: node 1: y has 0 entries but X has 1 row');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties. Values are any finite doubles (fast-check's double includes -0, subnormals and +-MAX_VALUE).

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

/** Valid dataset JSON with at least `minRows` rows in all; weights on none, some or all nodes (never all zero). */
function datasetJson(minRows: number): fc.Arbitrary<DatasetJson> {
  return fc
    .record({
      task: fc.constantFrom('regression' as const, 'classification' as const),
      d: fc.integer({ min: 1, max: 4 }),
      sizes: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }),
    })
    .chain(({ task, d, sizes }) => {
      const total = sizes.reduce((a, b) => a + b, 0);
      const ns = total >= minRows ? sizes : [sizes[0] + minRows - total, ...sizes.slice(1)];
      const label = task === 'classification' ? fc.constantFrom(-1, 1) : finite;
      const node = (n: number) =>
        fc.record({
          X: fc.array(fc.array(finite, { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
          y: fc.array(label, { minLength: n, maxLength: n }),
          weight: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }),
        });
      return fc.tuple(...ns.map(node)).map((nodes): DatasetJson => {
        const out: DatasetJson['nodes'] = nodes.map(({ weight, ...rest }) => (weight === undefined ? rest : { ...rest, weight }));
        if (out.every((nd) => nd.weight === 0)) out[0].weight = 1;
        return { task, nodes: out };
      });
    });
}

describe('dataset properties', () => {
  it('every valid dataset parses and round-trips bit for bit (object); through JSON text only -0 becomes 0', () => {
    fc.assert(
      fc.property(datasetJson(1), (json) => {
        const ds = parseDataset(json);
        expect(firstDiff(datasetToJson(ds), json)).toBeNull();
        expect(firstDiff(datasetToJson(parseDataset(datasetToJson(ds))), json)).toBeNull();
        const viaText = parseDataset(JSON.parse(JSON.stringify(json)));
        const zeroed = JSON.parse(JSON.stringify(json, (_k, v) => (Object.is(v, -0) ? 0 : v)));
        expect(firstDiff(datasetToJson(viaText), zeroed)).toBeNull();
      }),
    );
  });

  const kinds = ['NaN', 'Infinity', 'string', 'null', 'ragged+', 'ragged-', 'label', 'weight', 'typo'] as const;
  it('any single corruption is rejected with a message naming its position', () => {
    fc.assert(
      fc.property(datasetJson(3), fc.constantFrom(...kinds), fc.nat(), fc.nat(), (json, kind, a, b) => {
        const bad = structuredClone(json) as { task: string; nodes: Record<string, unknown>[] };
        const rows = json.nodes.flatMap((nd, k) => nd.X.map((_, r) => [k, r] as const));
        const [k, r] = rows[a % rows.length];
        const d = json.nodes[k].X[r].length;
        const j = b % d;
        const X = bad.nodes[k].X as unknown[][];
        let expected: string;
        if (kind === 'NaN' || kind === 'Infinity' || kind === 'string' || kind === 'null') {
          const v = { NaN: NaN, Infinity: -Infinity, string: 'NaN', null: null }[kind];
          X[r][j] = v;
          expected = `node ${k}, row ${r}, column ${j}: value ${kind === 'string' ? '"NaN" (a string)' : String(v)} is not a ${kind === 'NaN' || kind === 'Infinity' ? 'finite ' : ''}number`;
        } else if (kind === 'ragged+' || kind === 'ragged-') {
          if (kind === 'ragged+') X[r].push(1);
          else X[r].pop();
          expected = `node ${k}, row ${r}: `;
        } else if (kind === 'label') {
          (bad.nodes[k].y as unknown[])[r] = json.task === 'classification' ? 0 : NaN;
          expected = `node ${k}, row ${r}, y: ${json.task === 'classification' ? 'label 0 is not -1 or +1' : 'value NaN is not a finite number'}`;
        } else if (kind === 'weight') {
          bad.nodes[k].weight = -1;
          expected = `node ${k}, weight: value -1 is negative`;
        } else {
          bad.nodes[k].wieght = 1;
          expected = `node ${k}: unknown key "wieght"`;
        }
        const msg = errorOf(() => parseDataset(bad));
        expect(msg.startsWith(`parseDataset: ${expected}`), msg).toBe(true);
      }),
    );
  });

  it('the JSON error locator agrees with JSON.parse on valid JSON and on single-character corruptions of it', () => {
    const corrupted = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '\\', '-', '.', 'x', '\n', '0', '['))
      .map(([s, i, c]) => {
        const p = i % (s.length + 1);
        return i % 2 === 0 ? s.slice(0, p) + c + s.slice(p) : s.slice(0, p) + c + s.slice(p + 1);
      });
    // numRuns 300: string-level and cheap (well under 0.1 s); many runs reach more of the scanner's syntax paths
    fc.assert(
      fc.property(fc.oneof(fc.json(), corrupted), (s) => {
        let parses = true;
        try {
          JSON.parse(s);
        } catch {
          parses = false;
        }
        const loc = locateJsonError(s);
        expect(loc === null).toBe(parses);
        if (loc !== null) expect(loc.pos >= 0 && loc.pos <= s.length).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
