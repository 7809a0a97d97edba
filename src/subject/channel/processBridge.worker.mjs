// The thread that owns a subject process (plain JavaScript: it runs without a TypeScript loader).
//
// The main thread posts one request line at a time on `port` and blocks in Atomics.wait on `flag[0]`; this thread
// writes the line to the process, reads answers line by line, and hands the answer whose id matches back on `port`,
// then sets flag[0] = 1 and notifies. The process runs in its own process group (detached), so a timeout kills the
// group, children included. flag[1] holds the current process id (0 when none) so the main thread can kill the group
// on exit; flag[2] counts process starts. Lines the process writes that are not JSON objects are kept as stray output and quoted in errors.
import { spawn } from 'node:child_process';
import { workerData } from 'node:worker_threads';

const { port, flag, command, cwd, maxLineBytes, env } = workerData;
const STDERR_KEEP = 20;

let child = null;
let buffer = '';
let stderrTail = [];
let stray = [];
let pending = null; // { id, timer }
let exitInfo = null;

function answer(msg) {
  if (pending !== null) {
    clearTimeout(pending.timer);
    pending = null;
  }
  port.postMessage(msg);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function killGroup(proc) {
  if (proc === null || proc.pid === undefined) return;
  try {
    process.kill(-proc.pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

function tail() {
  const lines = stderrTail.filter((l) => l.trim() !== '');
  return { stderr: lines.slice(-3), stray: stray.slice(-3) };
}

function start() {
  buffer = '';
  stderrTail = [];
  stray = [];
  exitInfo = null;
  const proc = spawn(command, { shell: true, cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
  child = proc;
  Atomics.store(flag, 1, proc.pid ?? 0);
  Atomics.add(flag, 2, 1);
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stdin.on('error', () => {}); // EPIPE when the process is gone: reported through 'exit'
  proc.stdout.on('data', (chunk) => {
    if (proc !== child) return;
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      onLine(line);
    }
    if (buffer.length > maxLineBytes) {
      const n = buffer.length;
      buffer = '';
      if (pending !== null) answer({ transport: 'protocol', message: `an answer line exceeds ${maxLineBytes} bytes (${n} so far)` });
    }
  });
  proc.stderr.on('data', (chunk) => {
    const lines = chunk.split('\n');
    stderrTail.push(...lines);
    if (stderrTail.length > STDERR_KEEP) stderrTail = stderrTail.slice(-STDERR_KEEP);
  });
  proc.on('error', (e) => {
    if (proc !== child) return;
    exitInfo = { error: e.message };
    if (pending !== null) answer({ transport: 'crash', message: `could not be run: ${e.message}`, ...tail() });
  });
  proc.on('exit', (code, signal) => {
    if (proc !== child) return;
    killGroup(proc); // background children of the shell die with it
    child = null;
    Atomics.store(flag, 1, 0);
    exitInfo = { code, signal };
    if (pending !== null) {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      answer({ transport: 'crash', message: `${how} before answering`, ...tail() });
    }
  });
}

function onLine(line) {
  const text = line.trim();
  if (text === '') return;
  let msg;
  try {
    msg = JSON.parse(text);
  } catch {
    if (stray.length < 50) stray.push(text.slice(0, 200));
    return;
  }
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg) || typeof msg.id !== 'number') {
    if (stray.length < 50) stray.push(text.slice(0, 200));
    return;
  }
  if (pending !== null && msg.id === pending.id) answer({ message: msg });
  // an answer to an earlier, timed-out request (impossible after a restart) or an unknown id is dropped
}

port.on('message', (req) => {
  if (req.type === 'close') {
    if (child !== null) {
      const proc = child;
      child = null;
      try {
        proc.stdin.end();
      } catch {
        // ignore
      }
      // a polite subject exits on end of input; whatever is left of its group goes after a grace period
      const t = setTimeout(() => killGroup(proc), req.graceMs ?? 500);
      proc.once('exit', () => {
        clearTimeout(t);
        killGroup(proc);
        port.close();
      });
    } else port.close();
    Atomics.store(flag, 1, 0);
    answer({ closed: true });
    return;
  }
  // type 'request': { id, line, timeoutMs }
  if (child === null) start();
  const proc = child;
  pending = {
    id: req.id,
    timer: setTimeout(() => {
      if (pending === null || pending.id !== req.id) return;
      killGroup(proc);
      if (proc === child) {
        child = null;
        Atomics.store(flag, 1, 0);
      }
      answer({ transport: 'timeout', message: `no answer within ${req.timeoutMs} ms (process group killed)`, ...tail() });
    }, req.timeoutMs),
  };
  proc.stdin.write(`${req.line}\n`);
});
