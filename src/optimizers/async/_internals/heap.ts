/**
 * Event queue of the simulator: a binary min-heap of (completion time, worker id), ordered by
 * time and then by worker id, so simultaneous completions are processed in worker order and the
 * event order never depends on insertion order.
 */
export interface Event {
  readonly time: number;
  readonly worker: number;
}

function before(a: Event, b: Event): boolean {
  return a.time < b.time || (a.time === b.time && a.worker < b.worker);
}

export class EventHeap {
  private readonly items: Event[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Event | undefined {
    return this.items[0];
  }

  push(e: Event): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }

  pop(): Event | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop() as Event;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}
