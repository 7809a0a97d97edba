/**
 * Event queue of the simulator, persistent: a frozen array of pending completions (completion time, worker id),
 * sorted by time and then by worker id, so simultaneous completions are processed in worker order and the event
 * order never depends on insertion order. A worker has at most one job pending, so the queue holds at most k
 * events and `withEvent` / `withoutFirst` copy O(k) entries; no operation writes to the queue it is given.
 */
export interface Event {
  readonly time: number;
  readonly worker: number;
}

export type EventQueue = readonly Event[];

export const EMPTY_QUEUE: EventQueue = Object.freeze([]);

function before(a: Event, b: Event): boolean {
  return a.time < b.time || (a.time === b.time && a.worker < b.worker);
}

/** Inserts `e` in order into `work`, a caller-owned working copy (never a queue held by a state). */
export function insertInOrder(work: Event[], e: Event): void {
  let i = work.length;
  while (i > 0 && before(e, work[i - 1])) i--;
  work.splice(i, 0, Object.freeze({ time: e.time, worker: e.worker }));
}

/** A new queue with `e` inserted in order (q is untouched). */
export function withEvent(q: EventQueue, e: Event): EventQueue {
  const out = q.slice();
  insertInOrder(out, e);
  return Object.freeze(out);
}

/** A new queue without the earliest event (q is untouched). */
export function withoutFirst(q: EventQueue): EventQueue {
  return Object.freeze(q.slice(1));
}
