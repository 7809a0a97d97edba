/**
 * The gate's randomness for a plug-in (ci/PROTOCOL.md, "draws"): the participants, minibatch rows and gradient noise
 * that the reference implementation would draw for the same problem, hyperparameters and seed, recorded by running
 * the reference (src/optimizers/parts/draws.ts). A subject that uses them follows the reference's random path, so
 * path-level properties compare it with the reference on the same randomness whatever generator its language has.
 */
import type { FederatedDataset } from '../problems/types.ts';
import { recordDraws, type Draws } from '../optimizers/parts/draws.ts';
import { builtinSubject } from './builtin.ts';
import type { Subject } from '../spec/types.ts';

/** Capabilities that draw at random, and the hyperparameters that make them draw. */
const RANDOM: Readonly<Record<string, (h: Record<string, unknown>) => boolean>> = {
  centralizedSGD: () => true,
  localSGD: () => true,
  lupaSGD: (h) => h.B !== 'full' || (typeof h.noise === 'number' && h.noise > 0),
  adaLupaSGD: (h) => h.B !== 'full' || (typeof h.noise === 'number' && h.noise > 0),
  localGD: (h) => h.participants !== undefined,
  modifiedLocalGD: (h) => h.participants !== undefined,
};

/**
 * The draws of capability `name` on (problem, hyper), or undefined when it draws nothing or the reference refuses the
 * input (the subject is then asked without draws and must refuse it too).
 */
export function gateDraws(name: string, problem: FederatedDataset, hyper: Record<string, unknown>): Draws | undefined {
  const random = RANDOM[name];
  const run = builtinSubject[name] as ((p: FederatedDataset, h: Record<string, unknown>) => unknown) | undefined;
  if (random === undefined || run === undefined || !random(hyper)) return undefined;
  try {
    const d = recordDraws(() => run(problem, { ...hyper, record: 'last' }));
    return Object.keys(d).length === 0 ? undefined : d;
  } catch {
    return undefined;
  }
}

/** hyper plus the gate's draws for a stochastic federated capability (unchanged when it draws nothing or has draws). */
export function withDraws(name: string, problem: FederatedDataset, hyper: Record<string, unknown>): Record<string, unknown> {
  if (hyper === null || typeof hyper !== 'object' || hyper.draws !== undefined) return hyper;
  const draws = gateDraws(name, problem, hyper);
  return draws === undefined ? hyper : { ...hyper, draws };
}

/**
 * A subject whose federated run capabilities receive the gate's draws on every call, as the plug-in protocol's client
 * sends them (src/subject/protocol/client.ts): for testing an in-process implementation that reads hyper.draws.
 */
export function withGateDraws(subject: Subject): Subject {
  const out: Record<string, unknown> = { ...subject };
  for (const name of Object.keys(RANDOM)) {
    const f = subject[name];
    if (typeof f === 'function') out[name] = (p: FederatedDataset, h: Record<string, unknown>) => (f as (p: FederatedDataset, h: Record<string, unknown>) => unknown)(p, withDraws(name, p, h));
  }
  return Object.freeze(out);
}
