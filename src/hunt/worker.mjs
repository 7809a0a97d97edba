// Tinypool worker entry of `lsgd-spec hunt`. Worker threads start without the parent's TypeScript loader, so this
// plain-JavaScript file registers tsx's ESM hooks in the worker before importing the TypeScript body (workerTask.ts).
import { register } from 'tsx/esm/api';

register();
const { runTask, teardown } = await import('./workerTask.ts');

export default function run(task) {
  return runTask(task);
}

// called by tinypool before the worker ends: closes subject threads and processes
export function close() {
  teardown();
}
