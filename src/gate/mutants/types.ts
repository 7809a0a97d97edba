/**
 * A mutant is a planted bug: a transformation of a Subject that replaces one capability with a faulty composite
 * built from the same parts as the reference (one part swapped), or that mis-sets what the reference sets right.
 * docs/planted-bugs.md lists the bug classes users of federated frameworks reported; every mutant must be killed
 * (some property violated) on the default CI profile.
 */
import type { Subject } from '../../spec/types.ts';

export interface Mutant {
  /** 'M02-uniform-weights' : M + the reported bug class number (docs/planted-bugs.md#reported-bug-classes) (or 'P' + n for ones we planted beyond the table) + slug */
  readonly id: string;
  /** the bug class, as reported */
  readonly bug: string;
  /** reported bug class (docs/planted-bugs.md#reported-bug-classes), or why we planted it */
  readonly source: string;
  /** capabilities it changes */
  readonly affects: readonly string[];
  apply(subject: Subject): Subject;
}

/** Replace some capabilities of a subject, keeping the rest. */
export function override(subject: Subject, changes: Record<string, unknown>): Subject {
  return Object.freeze({ ...subject, ...changes });
}
