/**
 * The JSON Schemas of schema/ (dataset, trace, async trace, run problem, every lsgd-spec/2 request and answer) against
 * the code that reads the same data, so that schema and code cannot drift: every JSON example of the docs validates;
 * valid fixtures pass both the schema and the TypeScript reader, invalid ones fail both (the rules a schema cannot
 * state are listed, and shown to be caught by the reader); real requests from the gate's encoder and real answers of
 * the Python subjects validate.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITY_NAMES, REPO_ROOT } from '../../src/subject/index.ts';
import { parseDataset } from '../../src/problems/dataset.ts';
import { decodeAsync, decodeFederated, encodeFederated, traceFromJson } from '../../src/subject/protocol/codec.ts';
import { gateDraws } from '../../src/subject/draws.ts';
import { gridDataset, NUMPY_SUBJECT, problemJson, session, SESSION_TIMEOUT_MS } from './_python.ts';

const SCHEMA = join(REPO_ROOT, 'schema');
const files = ['dataset', 'trace', 'async-trace', 'problem', 'protocol/request', 'protocol/answer'];
const load = (f: string) => JSON.parse(readFileSync(join(SCHEMA, `${f}.schema.json`), 'utf8')) as { $id: string };
const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ strict: true, allErrors: true, allowUnionTypes: true });
for (const f of files) ajv.addSchema(load(f));
const v = (f: string, def?: string): ValidateFunction => ajv.getSchema(load(f).$id + (def ? `#/$defs/${def}` : ''))!;
const ok = (f: string, x: unknown, def?: string): string => {
  const fn = v(f, def);
  return fn(x) ? 'valid' : ajv.errorsText(fn.errors);
};

/** Which schema a doc example is an instance of (by its keys); undefined: unknown (the test then fails). */
function schemaOf(x: Record<string, unknown>): string | undefined {
  if ('method' in x) return 'protocol/request';
  if ('id' in x && ('result' in x || 'error' in x)) return 'protocol/answer';
  if ('task' in x) return 'd' in x ? 'problem' : 'dataset';
  if ('model' in x) return 'problem';
  if ('rounds' in x) return 'time' in x ? 'async-trace' : 'trace';
  return undefined;
}

/** JSON examples of a markdown file: ```json blocks, and `->` / `<-` protocol lines (with continuation lines). */
function examples(file: string): { where: string; json: Record<string, unknown> }[] {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  const out: { where: string; json: Record<string, unknown> }[] = [];
  for (const m of text.matchAll(/```json\n([\s\S]*?)```/g)) out.push({ where: `${file} json block`, json: JSON.parse(m[1]) });
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(->|<-) (.*)$/.exec(lines[i]);
    if (!m) continue;
    let body = m[2];
    while (true) {
      try {
        out.push({ where: `${file}:${i + 1}`, json: JSON.parse(body) });
        break;
      } catch {
        i++;
        if (i >= lines.length || /^(->|<-|```)/.test(lines[i])) throw new Error(`${file}: the protocol example ending at line ${i} is not JSON`);
        body += lines[i];
      }
    }
  }
  return out;
}

describe('schema/: the schemas themselves', () => {
  it('every file compiles under ajv strict mode (draft 2020-12) and the folder holds no other schema', () => {
    for (const f of files) expect(typeof v(f), f).toBe('function');
    const onDisk = [...readdirSync(SCHEMA), ...readdirSync(join(SCHEMA, 'protocol')).map((f) => `protocol/${f}`)].filter((f) => f.endsWith('.schema.json'));
    expect(onDisk.sort()).toEqual(files.map((f) => `${f}.schema.json`).sort());
  });

  it('the capability enum is the catalogue (src/subject/catalogue.ts)', () => {
    expect((load('protocol/request') as unknown as { $defs: { capability: { enum: string[] } } }).$defs.capability.enum).toEqual([...CAPABILITY_NAMES]);
  });
});

describe('schema/: every JSON example of the docs validates', () => {
  const docs = ['README.md', 'ci/PROTOCOL.md', 'ci/README.md', 'src/problems/README.md'];
  it.each(docs)('%s', (file) => {
    for (const { where, json } of examples(file)) {
      const s = schemaOf(json);
      expect(s, `${where}: ${JSON.stringify(json).slice(0, 80)} matches no schema`).toBeDefined();
      expect(ok(s!, json), where).toBe('valid');
      if (s === 'dataset') expect(() => parseDataset(json), where).not.toThrow();
      if (json.method === 'hello' || (json.result as { protocol?: unknown } | undefined)?.protocol) {
        if ('result' in json) expect(ok('protocol/answer', json.result, 'helloResult'), where).toBe('valid');
      }
    }
    if (file !== 'ci/README.md' && file !== 'README.md') expect(examples(file).length).toBeGreaterThan(0);
  });
});

const X = [[1, 0.5], [0, 2]];
const DATASETS_VALID = [
  { task: 'regression', nodes: [{ X, y: [1, -3], weight: 1.5 }, { X: [], y: [] }] },
  { task: 'classification', nodes: [{ X, y: [1, -1] }] },
];
/** Invalid for the schema and for parseDataset. */
const DATASETS_INVALID = [
  { task: 'ranking', nodes: [{ X, y: [1, 2] }] },
  { task: 'regression', nodes: [] },
  { task: 'regression' },
  { task: 'regression', nodes: [{ X, y: [1, 2], wieght: 1 }] },
  { task: 'regression', nodes: [{ X: [[1, '2'], [0, 2]], y: [1, 2] }] },
  { task: 'regression', nodes: [{ X, y: [1, 2], weight: -1 }] },
  { task: 'classification', nodes: [{ X, y: [1, 0] }] },
  { task: 'regression', nodes: [{ X: [[], []], y: [1, 2] }] },
];
/** Rules beyond a JSON Schema (stated in dataset.schema.json's description): only parseDataset catches them. */
const DATASETS_BEYOND = [
  { task: 'regression', nodes: [{ X: [[1, 2], [3]], y: [1, 2] }] },
  { task: 'regression', nodes: [{ X, y: [1] }] },
  { task: 'regression', nodes: [{ X: [], y: [] }] },
];

const TRACE = { algorithm: 'localGD', rounds: [0, 1], models: [[0, 0], [0.5, -1]], loss: [2, 1], communications: [0, 2], localSteps: [0, 3], extra: { participants: [[0, 1]] } };
const ASYNC = { ...TRACE, time: [0, 1.5], totalLocalSteps: [0, 6], updates: [{ time: 1.5, worker: 0, staleness: 0, steps: 3, shard: 0, start: 0 }], parked: [], theta: [0.5, -1] };
const TRACES_INVALID = [
  { ...TRACE, models: 'none' },
  { ...TRACE, rounds: ['0', 1] },
  { ...TRACE, loss: [2, null] },
  { ...TRACE, extra: [1] },
  { rounds: [0], loss: [1], communications: [0] },
];

describe('schema/: fixtures agree with the TypeScript readers', () => {
  it('datasets: valid ones pass the schema and parseDataset, invalid ones fail both, the listed extra rules fail parseDataset only', () => {
    for (const d of DATASETS_VALID) {
      expect(ok('dataset', d)).toBe('valid');
      expect(() => parseDataset(d)).not.toThrow();
    }
    for (const d of DATASETS_INVALID) {
      expect(ok('dataset', d), JSON.stringify(d)).not.toBe('valid');
      expect(() => parseDataset(d), JSON.stringify(d)).toThrow();
    }
    for (const d of DATASETS_BEYOND) {
      expect(ok('dataset', d), JSON.stringify(d)).toBe('valid');
      expect(() => parseDataset(d), JSON.stringify(d)).toThrow();
    }
  });

  it('traces: valid ones pass the schema and traceFromJson, invalid ones fail both', () => {
    expect(ok('trace', TRACE)).toBe('valid');
    expect(() => traceFromJson(TRACE, 'localGD')).not.toThrow();
    expect(ok('async-trace', ASYNC)).toBe('valid');
    expect(() => traceFromJson(ASYNC, 'diloco', true)).not.toThrow();
    for (const t of TRACES_INVALID) {
      expect(ok('trace', t), JSON.stringify(t)).not.toBe('valid');
      expect(() => traceFromJson(t, 'localGD'), JSON.stringify(t)).toThrow();
    }
    const badUpdate = { ...ASYNC, updates: [{ time: 1, worker: 0, staleness: 0, steps: 3, shard: 0, start: '0' }] };
    expect(ok('async-trace', badUpdate)).not.toBe('valid');
    expect(() => traceFromJson(badUpdate, 'diloco', true)).toThrow();
    const noTime = { ...ASYNC, time: undefined };
    expect(ok('async-trace', JSON.parse(JSON.stringify(noTime)))).not.toBe('valid');
    expect(() => traceFromJson(JSON.parse(JSON.stringify(noTime)), 'diloco', true)).toThrow();
  });

  it('problems: what the codec decodes validates, what it refuses is invalid', () => {
    const fed = problemJson(gridDataset(1, 2, [2, 1]));
    expect(ok('problem', fed)).toBe('valid');
    expect(() => decodeFederated(fed)).not.toThrow();
    const asyncP = { model: { kind: 'softmax', features: 2, classes: 3 }, shards: [{ X: [[0.5, 1]], y: [2] }], evalSet: { X: [[1, 1]], y: [0] }, theta0: Array(9).fill(0) };
    expect(ok('problem', asyncP)).toBe('valid');
    expect(() => decodeAsync(asyncP)).not.toThrow();
    for (const bad of [{ ...fed, d: 0 }, { ...fed, task: 'x' }, { ...asyncP, model: { kind: 'mlp', features: 2 } }, { ...asyncP, shards: 'none' }]) {
      expect(ok('problem', bad), JSON.stringify(bad).slice(0, 60)).not.toBe('valid');
      expect(() => ('model' in bad ? decodeAsync(bad) : decodeFederated(bad))).toThrow();
    }
  });
});

describe('schema/: real messages validate', () => {
  const ds = gridDataset(4, 3, [3, 2, 4]);
  const hyper = { loss: { name: 'squared' }, eta: 0.25, L: 2, R: 3, B: 2, participants: 2, seed: 7, record: { every: 2 } };
  const draws = gateDraws('localSGD', ds, hyper);
  const requests = [
    { id: 0, method: 'hello', params: { protocol: 'lsgd-spec/2' } },
    { id: 1, method: 'run', params: { capability: 'localSGD', problem: encodeFederated(ds), hyper: { ...hyper, draws } } },
    { id: 2, method: 'run', params: { capability: 'localGD', problem: encodeFederated(ds), hyper: { ...hyper, alpha: [0, 0, 0] } } },
    { id: 3, method: 'run', params: { capability: 'diloco', problem: encodeFederated(ds), hyper } },
  ];
  let answers: unknown[];
  beforeAll(() => {
    answers = [...session(NUMPY_SUBJECT, [], requests).answers.values()];
  }, SESSION_TIMEOUT_MS);

  it('the gate encoder\'s requests (problem and draws included) validate', () => {
    expect(draws?.minibatches?.length).toBe(3);
    for (const r of requests) expect(ok('protocol/request', r), JSON.stringify(r).slice(0, 60)).toBe('valid');
  });

  it('the numpy subject\'s answers validate: hello, a trace, a refusal, an unoffered capability', () => {
    expect(answers).toHaveLength(4);
    for (const a of answers) expect(ok('protocol/answer', a)).toBe('valid');
    const [hello, trace, refusal] = answers as { result?: unknown; error?: unknown }[];
    expect(ok('protocol/answer', hello.result, 'helloResult')).toBe('valid');
    expect(ok('trace', trace.result)).toBe('valid');
    expect(refusal.error).toBeDefined();
  });
});
