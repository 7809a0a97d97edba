/**
 * The built-in subject: the reference optimizers under the capability names that theorem specs declare in
 * `requires`. A user's plug-in (or a mutant from src/gate/mutants) is a Subject of the same shape, so the runner
 * can check any of them against the same specs.
 *
 * Capabilities (each a RunFn: (problem, hyper) => Trace, see ./types.ts):
 *   centralizedGD, centralizedSGD, localGD, localSGD, modifiedLocalGD   -- src/optimizers/*.ts
 *   lupaSGD, adaLupaSGD                                                  -- src/optimizers/*.ts (PL problems)
 *   asyncLocalSGD, diloco                                                -- src/optimizers/async (AsyncProblem)
 * Parts of the async simulator, for the algebraic claims A-1..A-7 (not RunFns; each is the exported function):
 *   outerSgd, outerNesterov, delayedNesterov   outer optimiser factories (hyper) => { init, step }
 *   dyluSteps (speeds, H, minSteps?) => steps;  sampleShard (counts, seed, job) => shard;
 *   scheduleLr (etaMax, schedule, t) => eta_t                             -- src/optimizers/async
 */
import type { Subject } from '../spec/types.ts';
import { centralizedGD } from './centralizedGD.ts';
import { centralizedSGD } from './centralizedSGD.ts';
import { localGD } from './localGD.ts';
import { localSGD } from './localSGD.ts';
import { modifiedLocalGD } from './modifiedLocalGD.ts';
import { lupaSGD } from './lupaSGD.ts';
import { adaLupaSGD } from './adaLupaSGD.ts';
import { delayedNesterov, dyluSteps, outerNesterov, outerSgd, runAsync, runDiLoCo, sampleShard, scheduleLr } from './async/index.ts';

const capabilities: Record<string, unknown> = {
  centralizedGD: centralizedGD.run,
  centralizedSGD: centralizedSGD.run,
  localGD: localGD.run,
  localSGD: localSGD.run,
  modifiedLocalGD: modifiedLocalGD.run,
  lupaSGD: lupaSGD.run,
  adaLupaSGD: adaLupaSGD.run,
  asyncLocalSGD: runAsync,
  diloco: runDiLoCo,
  outerSgd,
  outerNesterov,
  delayedNesterov,
  dyluSteps,
  sampleShard,
  scheduleLr,
};

export const builtinSubject: Subject = Object.freeze(capabilities);

/** Look a capability up with a one-line error naming what the subject offers. */
export function capability<F>(subject: Subject, name: string): F {
  const f = subject[name];
  if (typeof f !== 'function') {
    throw new Error(`subject lacks capability '${name}' (it offers: ${Object.keys(subject).sort().join(', ') || 'nothing'})`);
  }
  return f as F;
}
