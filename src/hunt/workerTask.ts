/**
 * The body of a hunt worker (worker.mjs loads it): load the theorem and the subject once per worker, then run the
 * task's cases in order. The same function runs in process when the hunt has no pool (tests, `--workers 0`).
 */
import { pathToFileURL } from 'node:url';
import type { Mutant } from '../gate/mutants/types.ts';
import { openSubject, type OpenedSubject } from '../subject/index.ts';
import { isTheorem } from '../spec/defineTheorem.ts';
import type { AnyTheorem, Subject } from '../spec/types.ts';
import { runCase } from './caseRunner.ts';
import type { CaseResult, CaseTask, SubjectSpec } from './types.ts';

const theorems = new Map<string, Promise<AnyTheorem>>();
const subjects = new Map<string, Promise<Subject>>();
const opened: OpenedSubject[] = [];

async function loadTheorem(file: string, id: string): Promise<AnyTheorem> {
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const t = mod.default ?? mod.spec;
  if (!isTheorem(t) || t.id !== id) throw new Error(`hunt worker: ${file} does not export theorem ${id}`);
  return t;
}

/**
 * The subject a SubjectSpec describes, opened as `check` opens it (src/subject/open.ts: a plug-in module in its own
 * thread, a command as one long-lived process), with its planted bug; `close` ends its thread or process.
 */
export async function openSubjectSpec(s: SubjectSpec): Promise<{ subject: Subject; sampler: 'gate' | 'own'; close: () => void }> {
  const o = await openSubject(
    s.command !== undefined ? { kind: 'command', command: s.command, cwd: s.base } : s.module === undefined || s.module === 'builtin' ? { kind: 'builtin' } : { kind: 'module', path: s.module, base: s.base },
    s.cmdTimeoutMs === undefined ? {} : { timeoutMs: s.cmdTimeoutMs },
  );
  let subject = o.subject;
  if (s.mutantFile !== undefined) {
    const mod = (await import(pathToFileURL(s.mutantFile).href)) as { mutant?: Mutant };
    if (typeof mod.mutant?.apply !== 'function') throw new Error(`hunt worker: ${s.mutantFile} exports no mutant`);
    subject = mod.mutant.apply(subject);
  }
  return { subject, sampler: o.sampler, close: () => o.close() };
}

/** Close every subject this worker opened (tinypool calls it before the worker ends). */
export function teardown(): void {
  for (const o of opened.splice(0)) o.close();
}

function cached<T>(m: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let p = m.get(key);
  if (!p) {
    p = make();
    m.set(key, p);
  }
  return p;
}

export async function runTask(task: CaseTask): Promise<CaseResult[]> {
  const theorem = await cached(theorems, `${task.file}#${task.id}`, () => loadTheorem(task.file, task.id));
  const subject = await cached(subjects, JSON.stringify(task.subject), async () => {
    const s = await openSubjectSpec(task.subject);
    opened.push({ close: s.close } as OpenedSubject);
    return s.subject;
  });
  const out: CaseResult[] = [];
  for (const c of task.cases) out.push(await runCase(theorem, subject, c, task));
  return out;
}
