import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/progress.ts';

describe('progressLine', () => {
  it('draws on a terminal only, and erases its line at the end', () => {
    const tty: string[] = [];
    const bar = progressLine('solve', { isTTY: true, write: (s: string) => tty.push(s) });
    bar.update('reading the dataset', 50, 200);
    bar.end();
    expect(tty).toEqual(['\r\x1b[Ksolve: reading the dataset 25%', '\r\x1b[K']);
    const pipe: string[] = [];
    const quiet = progressLine('solve', { isTTY: false, write: (s: string) => pipe.push(s) });
    quiet.update('reading the dataset', 50, 200);
    quiet.end();
    expect(pipe).toEqual([]);
    expect(() => progressLine('solve', null).update('x', 1, 2)).not.toThrow();
  });
});
