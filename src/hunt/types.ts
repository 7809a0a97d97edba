/**
 * Data exchanged between the hunt's engine and its workers (structured-clone friendly: plain objects, arrays,
 * numbers and strings only).
 */
import type { ProfileName } from '../spec/types.ts';
import type { Tape } from './tape.ts';

/** How a worker builds its subject: what `check` accepts (--subject / --subject-cmd), plus an optional planted bug. */
export interface SubjectSpec {
  /** 'builtin' or a module path (absolute, or relative to `base`) */
  readonly module?: string;
  /** a command speaking the subprocess protocol (ci/README.md) */
  readonly command?: string;
  readonly cmdTimeoutMs?: number;
  /** folder a relative module or the command runs from */
  readonly base: string;
  /** absolute path of a module exporting `mutant` (src/gate/mutants/types.ts) applied to the subject */
  readonly mutantFile?: string;
}

/** One case to run: its number, its stream and, for a mutated case, the tape prefix it replays. */
export interface CaseSpec {
  /** case number j in the whole (unsharded) case space of the theorem */
  readonly j: number;
  readonly bias: number;
  /** the tape to replay (absent: a fresh draw from the case's stream) */
  readonly given?: readonly number[];
  /** 'random' or the mutation that made it, e.g. 'mutate(12: max@5, step@9)' */
  readonly origin: string;
  /** seed stream (k0, k1) as in streams.ts; j above is the counter */
  readonly k0: number;
  readonly k1: number;
}

export interface CaseTask {
  /** absolute path of the property file */
  readonly file: string;
  readonly id: string;
  readonly subject: SubjectSpec;
  readonly profile: ProfileName;
  readonly runTimeoutMs?: number;
  /** whose random draws the subject uses (RunContext.sampler) */
  readonly sampler?: 'gate' | 'own';
  readonly cases: readonly CaseSpec[];
  /** tapes are sent back only for cases closer than this (and for every failure): the population's entry bar */
  readonly keepAbove: number;
}

export type CaseStatus = 'pass' | 'vacuous' | 'violation' | 'hypothesis' | 'spec-error' | 'run-timeout' | 'subject-failure';

/** Statuses that end a theorem's hunt with a finding (a counterexample or a broken check). */
export const FINDING_STATUSES: readonly CaseStatus[] = ['violation', 'hypothesis', 'spec-error', 'run-timeout', 'subject-failure'];

export interface CaseResult {
  readonly j: number;
  readonly origin: string;
  readonly bias: number;
  readonly status: CaseStatus;
  /** closeness.ts; absent for vacuous cases and failures before any comparison */
  readonly closeness?: number;
  readonly difference?: number;
  readonly allowed?: number;
  /** frequency claims: the statistic on this instance */
  readonly success?: boolean;
  readonly message?: string;
  /** sent for failures and for cases above keepAbove */
  readonly tape?: Tape;
  /** fc.stringify of the instance, for failures and tapes sent back */
  readonly instance?: string;
  readonly hyperparameters?: Record<string, unknown>;
  readonly observed?: unknown;
  readonly bound?: unknown;
  /** wall time of the case (generation and evaluation) */
  readonly ms: number;
}
