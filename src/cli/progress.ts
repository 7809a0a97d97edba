/**
 * Progress on a terminal: one line on stderr, redrawn at most every 200 ms, erased when the work ends. Only when stderr
 * is a TTY: redirected or captured output (files, pipes, CI logs, --json consumers) never sees it.
 */
export interface ProgressLine {
  /** report `done` of `total` units of `stage` */
  update(stage: string, done: number, total: number): void;
  /** erase the line */
  end(): void;
}

const NONE: ProgressLine = { update: () => undefined, end: () => undefined };

/** A progress line on `stream` if it is a terminal; null (or any other stream) gives one that draws nothing. */
export function progressLine(cmd: string, stream: { readonly isTTY?: boolean; write(s: string): unknown } | null = process.stderr): ProgressLine {
  if (stream === null || stream.isTTY !== true) return NONE;
  let last = 0;
  let shown = false;
  return {
    update(stage, done, total) {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const pct = total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 0;
      stream.write(`\r\x1b[K${cmd}: ${stage} ${pct}%`);
      shown = true;
    },
    end() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
