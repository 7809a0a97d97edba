/**
 * The one list of subject capabilities: every name a theorem may `require`, what shape it has, and how it travels
 * over the plug-in protocol (src/subject/protocol/). A subject (the built-in optimizers, a TypeScript plug-in, a
 * process in any language) offers a subset of these names; any other name is refused with a suggestion.
 *
 * Shapes:
 *   run       (problem, hyper) => Trace           one request carries the whole run
 *   function  (...args) => value                   one request per call, arguments by name
 *   factory   (hyper) => { init, step }            an outer optimiser: the gate opens a handle, steps it, closes it
 */

export type CapabilityShape = 'run' | 'function' | 'factory';

export interface CapabilityInfo {
  readonly name: string;
  readonly shape: CapabilityShape;
  /** 'federated': a FederatedDataset problem; 'async': an AsyncProblem (model descriptor + shards) */
  readonly problem?: 'federated' | 'async';
  /** positional argument names of a 'function' capability, in call order */
  readonly args?: readonly string[];
  /** where the reference implementation lives */
  readonly reference: string;
  /** one line for documentation and --help */
  readonly summary: string;
  /**
   * hyperparameters that are hooks of the gate's own process (functions, e.g. a property's faster exact projector):
   * they are not sent to a plug-in, which computes the same quantity its own way
   */
  readonly localHooks?: readonly string[];
}

const run = (name: string, problem: 'federated' | 'async', reference: string, summary: string): CapabilityInfo =>
  Object.freeze({ name, shape: 'run', problem, reference, summary });

export const CATALOGUE: readonly CapabilityInfo[] = Object.freeze([
  run('centralizedGD', 'federated', 'src/optimizers/centralizedGD.ts', 'gradient descent on the pooled loss, T steps'),
  run('centralizedSGD', 'federated', 'src/optimizers/centralizedSGD.ts', 'minibatch SGD on the pooled rows, T steps of B rows'),
  run('localGD', 'federated', 'src/optimizers/localGD.ts', 'Local-GD / FedAvg: L local full-gradient steps, then weighted averaging, R rounds'),
  run('localSGD', 'federated', 'src/optimizers/localSGD.ts', 'Local-SGD: L local minibatch steps of B rows, then weighted averaging, R rounds'),
  Object.freeze({ ...run('modifiedLocalGD', 'federated', 'src/optimizers/modifiedLocalGD.ts', 'Modified Local-GD (avg, anchor, normalized aggregation)'), localHooks: ['project'] }),
  run('lupaSGD', 'federated', 'src/optimizers/lupaSGD.ts', 'LUPA-SGD: local SGD with periodic averaging every tau steps'),
  run('adaLupaSGD', 'federated', 'src/optimizers/adaLupaSGD.ts', 'ADA-LUPA-SGD: tau grown adaptively from the objective gap (certified F*), the loss ratio, or a linear schedule'),
  run('asyncLocalSGD', 'async', 'src/optimizers/async/simulator.ts', 'asynchronous Local-SGD on virtual time (outer SGD, Nesterov, Delayed Nesterov; DyLU)'),
  run('diloco', 'async', 'src/optimizers/async/diloco.ts', 'synchronous DiLoCo: k workers run H inner steps, one outer step per round'),
  Object.freeze({ name: 'outerSgd', shape: 'factory', reference: 'src/optimizers/async/outer/sgd.ts', summary: 'outer SGD (heavy-ball momentum beta) on pseudo-gradients' }),
  Object.freeze({ name: 'outerNesterov', shape: 'factory', reference: 'src/optimizers/async/outer/nesterov.ts', summary: 'outer Nesterov momentum (eq. 4)' }),
  Object.freeze({ name: 'delayedNesterov', shape: 'factory', reference: 'src/optimizers/async/outer/delayedNesterov.ts', summary: 'Delayed Nesterov (Algorithm 3): momentum every N pushes' }),
  Object.freeze({ name: 'dyluSteps', shape: 'function', args: ['speeds', 'H', 'minSteps'], reference: 'src/optimizers/async/dylu.ts', summary: 'Dynamic Local Updates (eq. 6): inner steps per worker from its speed' }),
  Object.freeze({ name: 'sampleShard', shape: 'function', args: ['counts', 'seed', 'job'], reference: 'src/optimizers/async/shardSampler.ts', summary: 'the data-shard sampler of eq. 2' }),
  Object.freeze({ name: 'scheduleLr', shape: 'function', args: ['etaMax', 'schedule', 't'], reference: 'src/optimizers/async/schedule.ts', summary: 'linear warmup then cosine decay (eq. 3)' }),
]);

export const CAPABILITY_NAMES: readonly string[] = Object.freeze(CATALOGUE.map((c) => c.name));

/** The run capabilities on a FederatedDataset, in report order (the conformance checks call these). */
export const FEDERATED_RUN_CAPABILITIES = [
  'centralizedGD', 'centralizedSGD', 'localGD', 'localSGD', 'modifiedLocalGD', 'lupaSGD', 'adaLupaSGD',
] as const;

const BY_NAME: ReadonlyMap<string, CapabilityInfo> = new Map(CATALOGUE.map((c) => [c.name, c]));

export function capabilityInfo(name: string): CapabilityInfo | undefined {
  return BY_NAME.get(name);
}

/** Damerau-free Levenshtein distance, case-insensitive (for "did you mean"). */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[t.length];
}

/** The closest known name within a third of its length (at least 2 edits), or undefined. */
export function suggestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/**
 * Names that are not capabilities, each with a one-line reason ("'localGd' is not a capability (did you mean
 * 'localGD'?)"); empty when every name is known. Keys starting with '_' are private to a plug-in and ignored.
 */
export function unknownCapabilities(names: readonly string[], extra: readonly string[] = []): string[] {
  const known = [...CAPABILITY_NAMES, ...extra];
  return names
    .filter((n) => !n.startsWith('_') && !BY_NAME.has(n) && !extra.includes(n))
    .map((n) => {
      const s = suggestName(n, known);
      return `'${n}' is not a capability${s === undefined ? '' : ` (did you mean '${s}'?)`}`;
    });
}
