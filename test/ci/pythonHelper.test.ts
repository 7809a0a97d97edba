/**
 * ci/lsgd_subject.py, the stdlib-only Python helper of the lsgd-spec/2 protocol: the message loop, one-line errors,
 * the channel kept clean of user prints, handles, the catalogue kept equal to src/subject/catalogue.ts, and its port
 * of the reference stream (Philox4x32-10) bit for bit.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE, REPO_ROOT } from '../../src/subject/index.ts';
import { indicesBelow, PURPOSE, rngKey, uniformAt } from '../../src/optimizers/rng.ts';
import { errorOf, PYTHON, resultOf, session, SESSION_TIMEOUT_MS } from './_python.ts';
import type { Session } from './_python.ts';

const FIXTURE = join(REPO_ROOT, 'test', 'ci', 'fixtures', 'helper_subject.py');
const py = (code: string) => spawnSync(PYTHON, ['-c', `import sys, json; sys.path.insert(0, 'ci'); import lsgd_subject as s\n${code}`], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
const problem = { task: 'regression', d: 2, nodes: [{ X: [[1, 0.5], [0, 2]], y: [1, -3] }] };

describe('lsgd_subject.py: the message loop', () => {
  let s: Session;
  beforeAll(() => {
    s = session(FIXTURE, [], [
      { id: 0, method: 'hello', params: { protocol: 'lsgd-spec/2' } },
      { id: 1, method: 'run', params: { capability: 'localGD', problem, hyper: { w0: [0.1, 1 / 3] } } },
      { id: 2, method: 'run', params: { capability: 'centralizedGD', problem, hyper: {} } },
      { id: 3, method: 'run', params: { capability: 'localSGD', problem, hyper: {} } },
      { id: 4, method: 'run', params: { capability: 'lupaSGD', problem, hyper: {} } },
      { id: 5, method: 'run', params: { capability: 'localGd', problem, hyper: {} } },
      { id: 6, method: 'run', params: { capability: 'diloco', problem, hyper: {} } },
      { id: 7, method: 'frobnicate', params: {} },
      'this line is not JSON',
      { id: 8, method: 'call', params: { capability: 'dyluSteps', args: { speeds: [1, 2], H: 4 } } },
      { id: 9, method: 'open', params: { capability: 'outerSgd', hyper: { eps: 0.5 }, theta0: [1, 2] } },
      { id: 10, method: 'step', params: { handle: 'h1', g: [1, -1] } },
      { id: 11, method: 'close', params: { handle: 'h1' } },
      { id: 12, method: 'step', params: { handle: 'h1', g: [1, -1] } },
      { id: 13, method: 'call', params: { capability: 'outerSgd', args: {} } },
      { id: 14, method: 'hello', params: { protocol: 'lsgd-spec/1' } },
    ]);
  }, SESSION_TIMEOUT_MS);

  it('answers every request on one line, by id, and exits 0 when stdin closes', () => {
    expect(s.status).toBe(0);
    expect(s.lines).toHaveLength(16);
    expect(s.lines.every((l) => !l.includes('\n'))).toBe(true);
    expect(resultOf(s, 0)).toEqual({ protocol: 'lsgd-spec/2', capabilities: ['centralizedGD', 'dyluSteps', 'localGD', 'localSGD', 'lupaSGD', 'outerSgd'], precision: 'f64', sampler: 'gate', name: 'helper fixture' });
  });

  it('keeps prints and raw writes to fd 1 off the channel (they reach stderr)', () => {
    expect(s.stderr).toContain('a print from user code');
    expect(s.stderr).toContain('a raw write to fd 1');
    expect(s.lines.some((l) => l.includes('a print'))).toBe(false);
    const t = resultOf(s, 1) as { models: number[][]; extra: unknown };
    expect(t.models[0]).toEqual([0.1, 1 / 3]); // doubles round-trip exactly
    expect(t.extra).toEqual({ nodes: 1, X0: [[1, 0.5], [0, 2]] });
  });

  it('turns every exception into a one-line error "Type: message", the traceback going to stderr', () => {
    expect(errorOf(s, 2)).toBe('RuntimeError: centralizedGD: boom on two lines');
    expect(s.stderr).toContain('Traceback');
    expect(errorOf(s, 3)).toMatch(/^ValueError: the answer has nan at models\[0\]\[0\]/);
    expect(errorOf(s, 4)).toBe('SystemExit: 3'); // sys.exit in user code does not end the session
  });

  it('refuses unknown capabilities (with a suggestion), capabilities not offered, unknown methods and non-JSON lines', () => {
    expect(errorOf(s, 5)).toBe("ProtocolError: 'localGd' is not a capability (did you mean 'localGD'?)");
    expect(errorOf(s, 6)).toMatch(/^ProtocolError: this subject does not offer 'diloco'/);
    expect(errorOf(s, 7)).toMatch(/^ProtocolError: unknown method "frobnicate"/);
    expect(s.answers.get(null)?.error?.message).toMatch(/^ProtocolError: the request is not JSON/);
    expect(errorOf(s, 13)).toBe("ProtocolError: 'outerSgd' is a factory capability, not a function");
    expect(errorOf(s, 14)).toBe('ProtocolError: this subject speaks lsgd-spec/2, the gate asked for "lsgd-spec/1"');
  });

  it('calls functions with named arguments and serves handles (open, step counts t, close, then unknown)', () => {
    expect(resultOf(s, 8)).toEqual({ speeds: [1, 2], H: 4, minSteps: 1 });
    expect(resultOf(s, 9)).toEqual({ handle: 'h1', theta: [1, 2], t: 0 });
    expect(resultOf(s, 10)).toEqual({ theta: [0.5, 2.5], t: 1 });
    expect(resultOf(s, 11)).toBeNull();
    expect(errorOf(s, 12)).toBe('ProtocolError: step: unknown handle "h1" (open handles: none)');
  });
});

describe('lsgd_subject.py: registry and catalogue', () => {
  it('has the same capability names and shapes as src/subject/catalogue.ts', () => {
    const out = py('print(json.dumps(s.CAPABILITIES))');
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(Object.fromEntries(CATALOGUE.map((c) => [c.name, c.shape])));
  }, SESSION_TIMEOUT_MS);

  it('refuses a misspelled or mis-shaped registration at import time, with a suggestion', () => {
    const typo = py('s.run("localGd")(lambda p, h: None)');
    expect(typo.status).not.toBe(0);
    expect(typo.stderr).toContain("ValueError: lsgd_subject: 'localGd' is not a capability (did you mean 'localGD'?)");
    const shape = py('s.run("dyluSteps")(lambda p, h: None)');
    expect(shape.stderr).toContain("'dyluSteps' is a function capability; register it with @subject.call(...)");
  }, SESSION_TIMEOUT_MS);
});

describe('lsgd_subject.py: the reference stream (Philox4x32-10) bit for bit', () => {
  it('uniforms and minibatch indices equal src/optimizers/rng.ts for several keys, counters and lanes', () => {
    const cases: [number, number, number, number, number, number][] = [];
    for (const seed of [0, 5, -7, 0xffffffff]) for (const [p, a, b] of [[1, 0, 0], [1, 3, 17], [2, 0, 9], [3, 1, 2 ** 31]]) for (const i of [0, 1, 6]) cases.push([seed, 0, p, a, b, i]);
    cases.push([42, 6, 1, 0, 3, 0]); // the async stream's eq. 2 draw
    const out = py(`print(json.dumps([s.philox_uniform(*c) for c in ${JSON.stringify(cases)}]))`);
    expect(out.stderr).toBe('');
    const want = cases.map(([seed, stream, p, a, b, i]) => uniformAt(rngKey(seed, stream), p, a, b, i));
    expect(JSON.parse(out.stdout)).toEqual(want);
    const idx = py('print(json.dumps(s.indices_below(9, 1, 2, 5, 13, 7)))');
    expect(JSON.parse(idx.stdout)).toEqual(Array.from(indicesBelow(rngKey(9), PURPOSE.minibatch, 2, 5, 13, new Int32Array(7))));
  }, SESSION_TIMEOUT_MS);
});
