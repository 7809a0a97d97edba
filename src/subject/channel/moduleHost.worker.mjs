// The thread that hosts a TypeScript or JavaScript plug-in module (plain JavaScript, so it starts on plain node).
//
// It loads the module (registering tsx's loader first when a .ts file is involved), serves lsgd-spec/2 requests
// with the subject server (src/subject/protocol/server), and hands each answer back on `port`, setting flag[0] = 1.
// The plug-in cannot end or silence the gate: process.exit throws inside the plug-in's call (reported as that
// call's error), its standard output is this thread's (the gate reads it and prints it, escaped, on stderr), and an
// uncaught error from its timers is kept and reported with the next answer.
import { readFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';

const { port, flag, moduleUrl, serverUrl, origin } = workerData;

function reply(msg) {
  port.postMessage(msg);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

const oneLine = (e) => String(e instanceof Error ? e.message : e).split('\n')[0];

/** A load error with the file, line, column and offending text when the loader gives them (esbuild does). */
function loadMessage(e) {
  const errs = e && Array.isArray(e.errors) ? e.errors : [];
  const first = errs.find((x) => x && x.location);
  if (first) {
    const l = first.location;
    return `${l.file}:${l.line}:${l.column + 1}: ${first.text}${l.lineText ? ` (in: ${l.lineText.trim().slice(0, 120)})` : ''}`;
  }
  const m = e instanceof Error ? e.message : String(e);
  // esbuild through tsx: "Transform failed with 1 error:\n/path/file.ts:2:46: ERROR: Unexpected \")\""
  const at = /([^\s()]+\.[cm]?[jt]sx?):(\d+):(\d+): (?:ERROR: )?(.*)/.exec(m);
  if (at) {
    let text = '';
    try {
      text = readFileSync(at[1], 'utf8').split('\n')[Number(at[2]) - 1] ?? '';
    } catch {
      // unreadable: the position alone
    }
    return `${at[1]}:${at[2]}:${Number(at[3]) + 1}: ${at[4]}${text.trim() !== '' ? ` (in: ${text.trim().slice(0, 120)})` : ''}`;
  }
  const loc = /([^\s()]+\.[cm]?[jt]s):(\d+):(\d+)/.exec(String(e && e.stack) || '');
  return `${oneLine(m)}${loc && !m.includes(loc[1]) ? ` (at ${loc[1]}:${loc[2]}:${loc[3]})` : ''}`;
}

let handle = null;
let loadError = null;
let keys = [];
let meta = {};
const background = [];

process.on('uncaughtException', (e) => {
  if (background.length < 5) background.push(oneLine(e));
});
process.on('unhandledRejection', (e) => {
  if (background.length < 5) background.push(oneLine(e));
});

try {
  if (/\.[cm]?ts$/.test(moduleUrl) || /\.[cm]?ts$/.test(serverUrl)) {
    let esm;
    let cjs;
    try {
      esm = await import('tsx/esm/api');
      cjs = await import('tsx/cjs/api');
    } catch {
      throw new Error(`${origin}: loading a TypeScript plug-in needs the tsx package (npm install --save-dev tsx), or compile it to .js`);
    }
    // both hooks: a .ts file outside a "type": "module" package is loaded as CommonJS
    esm.register();
    cjs.register();
  }
  const { subjectServer } = await import(serverUrl);
  let mod;
  try {
    mod = await import(moduleUrl);
  } catch (e) {
    throw new Error(`${origin} failed to load: ${loadMessage(e)}`);
  }
  const subject = mod.subject ?? mod.builtinSubject ?? mod.default?.subject ?? mod.default?.builtinSubject ?? mod.default;
  if (subject === null || typeof subject !== 'object' || Array.isArray(subject)) {
    throw new Error(`${origin} must export an object 'subject' (a record of optimizer functions), got ${subject === null ? 'null' : Array.isArray(subject) ? 'an array' : typeof subject}`);
  }
  keys = Object.keys(subject);
  meta = { precision: mod.precision, sampler: mod.sampler, name: mod.name };
  handle = subjectServer(subject, meta);
} catch (e) {
  loadError = oneLine(e);
}

// a plug-in's process.exit would end this thread without an answer: make it an error of the call instead
process.exit = (code) => {
  throw new Error(`the plug-in called process.exit(${code === undefined ? '' : code})`);
};

port.on('message', (req) => {
  if (req.type === 'close') {
    port.close();
    return;
  }
  const msg = req.msg;
  if (loadError !== null) {
    reply({ message: { id: msg.id, error: { message: loadError } }, loadError: true });
    return;
  }
  const answer = handle(msg);
  if (msg.method === 'hello' && 'result' in answer) answer.result.keys = keys;
  const extra = background.length > 0 ? { background: background.splice(0) } : {};
  reply({ message: answer, ...extra });
});
