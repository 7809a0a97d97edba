/**
 * defineTheorem: validate a theorem spec when its module loads, so a malformed property fails at once with
 * one line naming the field, not later inside a run. Returns the spec frozen, with every profile filled in.
 */
import {
  DEFAULT_PROFILES, KINDS, PRECISIONS, PROFILE_NAMES, PROVENANCES, THEOREM_BRAND,
  type AnyTheorem, type ProfileName, type Theorem, type TheoremSpec, type Value,
} from './types.ts';

/** Ids such as 'Z-R1', 'L-3', 'A-5', with an optional descriptive suffix: 'Z-R1-limit'. */
export const ID_PATTERN = /^[A-Z]-[A-Z0-9]+(-[a-z0-9-]+)?$/;

const COMMON_KEYS = ['id', 'title', 'source', 'statement', 'kind', 'hypotheses', 'instances', 'requires', 'requiresAny', 'sampler', 'profiles', 'hints', 'expect', 'plot', 'precisions', 'whyNotF32'];
const KEYS_BY_KIND: Record<string, readonly string[]> = {
  tight: ['observe', 'bound', 'tolerance', 'nonVacuous', 'minNonVacuousFraction'],
  equivalence: ['observe', 'bound', 'tolerance', 'nonVacuous', 'minNonVacuousFraction'],
  'upper-bound': ['observe', 'bound', 'tolerance', 'nonVacuous', 'minNonVacuousFraction'],
  monotone: ['observe', 'direction', 'tolerance', 'nonVacuous', 'minNonVacuousFraction'],
  frequency: ['frequency'],
};
const FREQUENCY_KEYS = ['statistic', 'claimedFrequency', 'claim', 'samples', 'confidence', 'method', 'population', 'alternative'];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : typeof v === 'function' ? 'a function' : Array.isArray(v) ? 'an array' : String(v));

/** Validate a tolerance object; shared with the runner, which checks tolerance functions' results. */
export function toleranceProblem(t: unknown): string | null {
  if (!isObj(t)) return `must be { rel?, abs?, why } or a function, got ${show(t)}`;
  for (const k of Object.keys(t)) if (k !== 'rel' && k !== 'abs' && k !== 'why') return `has unknown field '${k}' (expected rel, abs, why)`;
  for (const k of ['rel', 'abs'] as const) {
    const v = t[k];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && Number.isFinite(v))) return `.${k} must be a non-negative finite number, got ${show(v)}`;
  }
  if (!nonEmpty(t.why)) return `.why must be a non-empty string (one line: where the number comes from), got ${show(t.why)}`;
  if (/\n/.test(t.why as string)) return '.why must be one line';
  return null;
}

export function defineTheorem<I, O extends Value = Value>(spec: TheoremSpec<I, O>): Theorem<I, O> {
  const s = spec as unknown as Record<string, unknown>;
  if (!isObj(s)) throw new Error(`defineTheorem: spec must be an object, got ${show(spec)}`);
  const where = `defineTheorem(${typeof s.id === 'string' ? s.id : '?'})`;
  const bad = (field: string, msg: string): never => {
    throw new Error(`${where}: ${field} ${msg}`);
  };

  if (typeof s.id !== 'string' || !ID_PATTERN.test(s.id)) bad('id', `must match ${ID_PATTERN} (e.g. 'Z-R1', 'L-3', 'Z-R1-limit'), got ${show(s.id)}`);
  if (!nonEmpty(s.title)) bad('title', `must be a non-empty string, got ${show(s.title)}`);
  if (typeof s.kind !== 'string' || !(KINDS as readonly string[]).includes(s.kind)) bad('kind', `must be one of ${KINDS.join(', ')}; got ${show(s.kind)}`);
  const kind = s.kind as string;
  const allowed = new Set([...COMMON_KEYS, ...KEYS_BY_KIND[kind]]);
  for (const k of Object.keys(s)) if (!allowed.has(k)) bad(k, `is not a field of a '${kind}' spec (allowed: ${[...allowed].join(', ')})`);

  const src = s.source;
  if (!isObj(src)) bad('source', `must be { paper, version, locator, provenance }, got ${show(src)}`);
  const so = src as Record<string, unknown>;
  for (const k of ['paper', 'version', 'locator']) if (!nonEmpty(so[k])) bad(`source.${k}`, `must be a non-empty string, got ${show(so[k])}`);
  const prov = Array.isArray(so.provenance) ? so.provenance : [so.provenance];
  if (prov.length === 0) bad('source.provenance', 'must name at least one tag');
  for (const p of prov) {
    if (!(PROVENANCES as readonly unknown[]).includes(p)) bad('source.provenance', `must be one of ${PROVENANCES.join(', ')} (or an array of them), got ${show(p)}`);
  }
  if (!nonEmpty(s.statement)) bad('statement', `must be a non-empty string (LaTeX via String.raw), got ${show(s.statement)}`);

  if (!Array.isArray(s.hypotheses)) bad('hypotheses', `must be an array of { name, check }, got ${show(s.hypotheses)}`);
  const names = new Set<string>();
  (s.hypotheses as unknown[]).forEach((h, i) => {
    if (!isObj(h) || !nonEmpty(h.name)) bad(`hypotheses[${i}].name`, 'must be a non-empty string');
    const ho = h as Record<string, unknown>;
    if (typeof ho.check !== 'function') bad(`hypotheses[${i}].check`, `must be a function (instance) => true | reason, got ${show(ho.check)}`);
    if (names.has(ho.name as string)) bad(`hypotheses[${i}].name`, `duplicates '${String(ho.name)}'`);
    names.add(ho.name as string);
  });

  const arb = s.instances as Record<string, unknown> | undefined;
  if (!isObj(arb) || typeof arb.generate !== 'function' || typeof arb.shrink !== 'function') bad('instances', 'must be a fast-check Arbitrary');

  const requires = s.requires ?? [];
  if (!Array.isArray(requires) || !requires.every(nonEmpty)) bad('requires', `must be an array of capability names, got ${show(s.requires)}`);
  if (s.sampler !== undefined && s.sampler !== 'gate' && s.sampler !== 'own') bad('sampler', `must be 'gate' or 'own', got ${show(s.sampler)}`);
  if (s.requiresAny !== undefined && (!Array.isArray(s.requiresAny) || s.requiresAny.length === 0 || !s.requiresAny.every(nonEmpty))) {
    bad('requiresAny', `must be a non-empty array of capability names, got ${show(s.requiresAny)}`);
  }

  const runsPerProfile: Record<ProfileName, number> = { ...DEFAULT_PROFILES };
  if (s.profiles !== undefined) {
    if (!isObj(s.profiles)) bad('profiles', `must be { ci?, default?, hunt? }, got ${show(s.profiles)}`);
    for (const [k, v] of Object.entries(s.profiles as Record<string, unknown>)) {
      if (!(PROFILE_NAMES as readonly string[]).includes(k)) bad(`profiles.${k}`, `is not a profile (expected ${PROFILE_NAMES.join(', ')})`);
      if (!(Number.isInteger(v) && (v as number) >= 1)) bad(`profiles.${k}`, `must be a positive integer number of runs, got ${show(v)}`);
      runsPerProfile[k as ProfileName] = v as number;
    }
  }
  if (s.hints !== undefined && !(Array.isArray(s.hints) && s.hints.every(nonEmpty))) bad('hints', 'must be an array of non-empty strings');
  if (s.expect !== undefined && s.expect !== 'holds' && s.expect !== 'refuted') bad('expect', `must be 'holds' or 'refuted', got ${show(s.expect)}`);

  if (s.plot !== undefined) validatePlot(s.plot, bad);
  if (s.precisions !== undefined && !(Array.isArray(s.precisions) && s.precisions.length > 0 && s.precisions.every((p) => (PRECISIONS as readonly unknown[]).includes(p)))) {
    bad('precisions', `must be a non-empty array of ${PRECISIONS.join(', ')}, got ${show(s.precisions)}`);
  }
  if (s.whyNotF32 !== undefined && !nonEmpty(s.whyNotF32)) bad('whyNotF32', `must be a non-empty string, got ${show(s.whyNotF32)}`);

  if (kind === 'frequency') validateFrequency(s.frequency, bad);
  else {
    if (typeof s.observe !== 'function') bad('observe', `must be a function (instance, subject, ctx) => value, got ${show(s.observe)}`);
    if (kind === 'monotone') {
      if (s.direction !== 'non-increasing' && s.direction !== 'non-decreasing') bad('direction', `must be 'non-increasing' or 'non-decreasing', got ${show(s.direction)}`);
    } else if (typeof s.bound !== 'function') bad('bound', `must be a function (instance, ctx) => value, got ${show(s.bound)}`);
    if (typeof s.tolerance !== 'function') {
      const p = toleranceProblem(s.tolerance);
      if (p) bad('tolerance', p);
    }
    if (s.nonVacuous !== undefined && typeof s.nonVacuous !== 'function') bad('nonVacuous', `must be a function (instance, observed) => true | reason, got ${show(s.nonVacuous)}`);
    const f = s.minNonVacuousFraction;
    if (f !== undefined && !(typeof f === 'number' && f >= 0 && f <= 1)) bad('minNonVacuousFraction', `must be in [0, 1], got ${show(f)}`);
  }

  const theorem = { ...s, requires: Object.freeze([...(requires as string[])]), runsPerProfile: Object.freeze(runsPerProfile), [THEOREM_BRAND]: true };
  return Object.freeze(theorem) as unknown as Theorem<I, O>;
}

function validatePlot(p: unknown, bad: (field: string, msg: string) => never): void {
  if (!isObj(p)) bad('plot', `must be { title, x, y, series, ... }, got ${show(p)}`);
  const o = p as Record<string, unknown>;
  if (!nonEmpty(o.title)) bad('plot.title', 'must be a non-empty string');
  for (const a of ['x', 'y'] as const) {
    const ax = o[a];
    if (!isObj(ax) || !nonEmpty(ax.title)) bad(`plot.${a}`, `must be { title, scale? }, got ${show(ax)}`);
    if (ax.scale !== undefined && ax.scale !== 'linear' && ax.scale !== 'log') bad(`plot.${a}.scale`, `must be 'linear' or 'log', got ${show(ax.scale)}`);
  }
  if (o.mark !== undefined && !['line', 'point', 'step'].includes(o.mark as string)) bad('plot.mark', `must be 'line', 'point' or 'step', got ${show(o.mark)}`);
  if (o.cases !== undefined && !(Number.isInteger(o.cases) && (o.cases as number) >= 1)) bad('plot.cases', `must be a positive integer, got ${show(o.cases)}`);
  if (typeof o.series !== 'function') bad('plot.series', `must be a function (instance, observed, bound, kept) => { label, lines }, got ${show(o.series)}`);
  if (o.summarise !== undefined && typeof o.summarise !== 'function') bad('plot.summarise', `must be a function (cases) => string, got ${show(o.summarise)}`);
}

function validateFrequency(f: unknown, bad: (field: string, msg: string) => never): void {
  if (!isObj(f)) bad('frequency', `must be { statistic, claimedFrequency, samples, confidence, method }, got ${show(f)}`);
  const o = f as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!FREQUENCY_KEYS.includes(k)) bad(`frequency.${k}`, `is not a field (allowed: ${FREQUENCY_KEYS.join(', ')})`);
  if (typeof o.statistic !== 'function') bad('frequency.statistic', `must be a function (instance, subject, ctx) => boolean, got ${show(o.statistic)}`);
  const p = o.claimedFrequency;
  if (!(typeof p === 'number' && p >= 0 && p <= 1)) bad('frequency.claimedFrequency', `must be in [0, 1], got ${show(p)}`);
  if (o.claim !== undefined && o.claim !== 'at-least' && o.claim !== 'at-most' && o.claim !== 'equal') {
    bad('frequency.claim', `must be 'at-least', 'at-most' or 'equal', got ${show(o.claim)}`);
  }
  const positive = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;
  if (isObj(o.samples)) {
    const per = o.samples as Record<string, unknown>;
    for (const [k, v] of Object.entries(per)) {
      if (!(PROFILE_NAMES as readonly string[]).includes(k)) bad(`frequency.samples.${k}`, `is not a profile (allowed: ${PROFILE_NAMES.join(', ')})`);
      if (!positive(v)) bad(`frequency.samples.${k}`, `must be a positive integer, got ${show(v)}`);
    }
    if (per.ci === undefined) bad('frequency.samples', 'per-profile samples must give ci (the smallest profile)');
  } else if (!positive(o.samples)) bad('frequency.samples', `must be a positive integer, got ${show(o.samples)}`);
  const c = o.confidence;
  if (!(typeof c === 'number' && c > 0 && c < 1)) bad('frequency.confidence', `must be in (0, 1), got ${show(c)}`);
  if (o.method !== 'exact' && o.method !== 'monte-carlo') bad('frequency.method', `must be 'exact' or 'monte-carlo', got ${show(o.method)}`);
  if (o.method === 'exact' && typeof o.population !== 'function') bad('frequency.population', "must be a function () => instances[] when method is 'exact'");
  if (o.alternative !== undefined) {
    const a = o.alternative;
    const claim = o.claim ?? 'at-least';
    if (!(typeof a === 'number' && a >= 0 && a <= 1)) bad('frequency.alternative', `must be in [0, 1], got ${show(a)}`);
    const alt = a as number;
    const pc = p as number;
    if (claim === 'at-least' && !(alt < pc)) bad('frequency.alternative', `must lie below the claimed ${pc} for an 'at-least' claim, got ${alt}`);
    if (claim === 'at-most' && !(alt > pc)) bad('frequency.alternative', `must lie above the claimed ${pc} for an 'at-most' claim, got ${alt}`);
    if (claim === 'equal' && alt === pc) bad('frequency.alternative', `must differ from the claimed ${pc} for an 'equal' claim`);
  }
}

/** True for a value built by defineTheorem (the registry accepts nothing else). */
export function isTheorem(v: unknown): v is AnyTheorem {
  return isObj(v) && (v as Record<symbol, unknown>)[THEOREM_BRAND] === true;
}

/** The spec fields of a defined theorem (without what defineTheorem filled in), e.g. to build a variant. */
export function specOf<I, O extends Value = Value>(theorem: Theorem<I, O>): TheoremSpec<I, O> {
  if (!isTheorem(theorem)) throw new Error(`specOf: expected a theorem built by defineTheorem, got ${show(theorem)}`);
  const { runsPerProfile: _filled, ...rest } = theorem as unknown as Record<string, unknown>;
  return rest as unknown as TheoremSpec<I, O>;
}

/** A variant of a theorem with some spec fields replaced, validated again as a new theorem. */
export function redefine<I, O extends Value = Value>(theorem: Theorem<I, O>, changes: Partial<Record<string, unknown>>): Theorem<I, O> {
  return defineTheorem({ ...specOf(theorem), ...changes } as unknown as TheoremSpec<I, O>);
}

/**
 * The dropped-hypothesis variant of a theorem (the counterexample hunt of a hypothesis): a new id, the named
 * hypotheses removed, and `instances` replaced by a generator that does not build them in. Names that are not
 * hypotheses of the theorem are an error, so a renamed hypothesis cannot silently make the variant the original.
 */
export function dropHypotheses<I, O extends Value = Value>(
  theorem: Theorem<I, O>, id: string, names: readonly string[], instances: Theorem<I, O>['instances'],
): Theorem<I, O> {
  const known = theorem.hypotheses.map((h) => h.name);
  for (const n of names) {
    if (!known.includes(n)) throw new Error(`dropHypotheses(${theorem.id}): no hypothesis '${n}' (it has: ${known.map((k) => `'${k}'`).join(', ') || 'none'})`);
  }
  return redefine(theorem, { id, instances, hypotheses: theorem.hypotheses.filter((h) => !names.includes(h.name)) });
}
