/**
 * A subject that did not answer: its process crashed, was killed, gave no answer within the per-call timeout, or broke
 * the protocol. Unlike an Error the subject throws on purpose (an answer), such a failure says nothing about the
 * instance, so the runner reports it at once and does not shrink it: shrinking would call the failing subject again
 * for every candidate (each call costing a timeout). The transport (src/subject/) has already retried the call once.
 */
export class SubjectFailure extends Error {
  constructor(message: string, readonly kind?: 'timeout' | 'crash' | 'protocol') {
    super(message);
    this.name = 'SubjectFailure';
  }
}

export function isSubjectFailure(e: unknown): e is SubjectFailure {
  return e instanceof SubjectFailure;
}
