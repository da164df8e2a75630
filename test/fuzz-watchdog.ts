// Shared by the fuzz suites: a watchdog thread that kills the test process when one case hangs
// (the parsers are synchronous, so nothing on this thread could interrupt them), and the way
// a case's input is shown in messages.
import { after } from 'node:test';
import { Worker } from 'node:worker_threads';

/** The input shown in failure messages: latin1 text in JSON quotes, cut at `max` characters. */
export function show(input: Uint8Array, max = 600): string {
  const s = JSON.stringify(Buffer.from(input.subarray(0, max)).toString('latin1'));
  return input.length > max ? `${s}... (${input.length} bytes)` : s;
}

/** Marks the start and end of each case for the watchdog. */
export interface Watchdog {
  /** A case starts; `note` is printed if it is still running after the limit. */
  begin(note: string): void;
  /** The case ended. */
  end(): void;
}

/**
 * Start a watchdog thread for this test file: a case that runs longer than `limitMs` gets
 * its note printed to stderr and the process SIGKILLed (the test then fails with that note).
 */
export function startWatchdog(limitMs: number): Watchdog {
  const state = new Int32Array(new SharedArrayBuffer(12 + 4096)); // [generation, busy, length] + text
  const text = new Uint8Array(state.buffer, 12);
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const state = new Int32Array(workerData.sab, 0, 3);
const text = new Uint8Array(workerData.sab, 12);
let gen = -1;
let since = Date.now();
setInterval(() => {
  const g = Atomics.load(state, 0);
  if (g !== gen || Atomics.load(state, 1) === 0) {
    gen = g;
    since = Date.now();
  } else if (Date.now() - since > workerData.limit) {
    const shown = Buffer.from(text.subarray(0, Atomics.load(state, 2))).toString('latin1');
    writeSync(2, 'fuzz watchdog: a case ran for over ' + workerData.limit + ' ms (a hang): ' + shown + '\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}, 100);`,
    { eval: true, execArgv: [], workerData: { sab: state.buffer, limit: limitMs } },
  );
  worker.unref();
  after(() => worker.terminate());
  return {
    begin(note: string): void {
      const bytes = new TextEncoder().encode(note).subarray(0, text.length);
      text.set(bytes);
      Atomics.store(state, 2, bytes.length);
      Atomics.add(state, 0, 1);
      Atomics.store(state, 1, 1);
    },
    end(): void {
      Atomics.store(state, 1, 0);
    },
  };
}
