/**
 * Looking capabilities up on a subject, and refusing a subject whose names are not capabilities (a misspelled
 * `localGd` would otherwise make every theorem "not applicable" and the gate pass having checked nothing).
 */
import type { Subject } from '../spec/types.ts';
import { unknownCapabilities } from './catalogue.ts';

/** Look a capability up with a one-line error naming what the subject offers. */
export function capability<F>(subject: Subject, name: string): F {
  const f = subject[name];
  if (typeof f !== 'function') {
    throw new Error(`subject lacks capability '${name}' (it offers: ${Object.keys(subject).sort().join(', ') || 'nothing'})`);
  }
  return f as F;
}

/**
 * Throws one line when the subject is not an object of functions under known capability names: `origin` names
 * where it came from (e.g. "--subject my.ts"). Keys starting with '_' are the plug-in's own and are ignored.
 */
export function validateSubject(subject: unknown, origin: string): Subject {
  if (subject === null || typeof subject !== 'object' || Array.isArray(subject)) {
    throw new Error(`${origin}: the subject must be an object of optimizer functions, got ${Array.isArray(subject) ? 'an array' : subject === null ? 'null' : typeof subject}`);
  }
  const names = Object.keys(subject);
  const unknown = unknownCapabilities(names);
  if (unknown.length > 0) throw new Error(`${origin}: ${unknown.join('; ')} (capabilities are listed in ci/README.md)`);
  const notFn = names.filter((n) => !n.startsWith('_') && typeof (subject as Record<string, unknown>)[n] !== 'function');
  if (notFn.length > 0) throw new Error(`${origin}: capability '${notFn[0]}' must be a function, got ${typeof (subject as Record<string, unknown>)[notFn[0]]}`);
  if (names.filter((n) => !n.startsWith('_')).length === 0) throw new Error(`${origin}: the subject offers no capability (export e.g. { localGD: myLocalGD })`);
  return subject as Subject;
}
