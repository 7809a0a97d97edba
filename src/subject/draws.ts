/**
 * The gate's randomness for a plug-in (ci/PROTOCOL.md, "draws"): the participants, minibatch rows and gradient noise
 * that the reference implementation would draw for the same problem, hyperparameters and seed, recorded by running
 * the reference (src/optimizers/parts/draws.ts). A subject that uses them follows the reference's random path, so
 * path-level properties compare it with the reference on the same randomness whatever generator its language has.
 */
import type { FederatedDataset } from '../problems/types.ts';
import { recordDraws, type Draws } from '../optimizers/parts/draws.ts';
import { builtinSubject } from './builtin.ts';

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
