/**
 * The built-in subject: the reference optimizers under the capability names of ./catalogue.ts, which theorem specs
 * declare in `requires`. A user's plug-in (or a mutant from src/gate/mutants) is a Subject of the same shape, so the
 * runner can check any of them against the same specs.
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
import { centralizedGD } from '../optimizers/centralizedGD.ts';
import { centralizedSGD } from '../optimizers/centralizedSGD.ts';
import { localGD } from '../optimizers/localGD.ts';
import { localSGD } from '../optimizers/localSGD.ts';
import { modifiedLocalGD } from '../optimizers/modifiedLocalGD.ts';
import { lupaSGD } from '../optimizers/lupaSGD.ts';
import { adaLupaSGD } from '../optimizers/adaLupaSGD.ts';
import { delayedNesterov, dyluSteps, outerNesterov, outerSgd, runAsync, runDiLoCo, sampleShard, scheduleLr } from '../optimizers/async/index.ts';

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
