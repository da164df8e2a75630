/**
 * One loop for `fit` and `fitAsync`. A fit's iteration loop is written once, as a generator
 * ({@link FitSteps}) that yields after each iteration, epoch, half-step or block (where a
 * synchronous fit would check its AbortSignal) and returns the fitted model. Two drivers
 * run it:
 *
 * - {@link runSteps} runs it to the end in one go and checks the signal at every yield: this
 *   is `fit`, with the same arithmetic, results and speed as a plain loop.
 * - {@link runStepsAsync} runs the same steps but gives the event loop a turn (a macrotask,
 *   {@link nextMacrotask}) between them, at most every {@link SLICE_MS}, and checks the
 *   signal at every yield: this is `fitAsync`. Because timers and UI events run in those
 *   turns, `AbortSignal.timeout(ms)` and an AbortController wired to a button stop a fit
 *   within about one step, and a page stays responsive while it trains.
 *
 * Work between two yields is one block that neither driver can interrupt: the set-up before
 * the first iteration (loading ratings into kernel buffers, an NMF initialization), and any
 * solver called as a whole (the SVDs of PCA and LSA). Estimators say so in their fitAsync
 * documentation.
 *
 * An estimator therefore gets both methods from one generator:
 *
 * ```ts
 * fit(data, options = {}) { return runSteps(this.steps(data, options), options.signal, 'X.fit'); }
 * fitAsync(data, options = {}) { return runStepsAsync(this.steps(data, options), options.signal, 'X.fitAsync'); }
 * ```
 *
 * The generator calls `onProgress` itself, so both report the same progress. It must keep
 * its cleanup (releasing WebAssembly buffers) in `finally` blocks: when a fit is aborted the
 * drivers close the generator with `return()`, which runs them.
 *
 * This module is browser-safe (no `node:` imports): it uses `setImmediate` where it exists
 * (Node, Bun), else a `MessageChannel` message, else `setTimeout(0)`.
 */
import { checkAborted } from './progress.js';

/**
 * The steps of a fit: a generator that yields (no value) after each unit of work and
 * returns the fitted result. Yield where a synchronous loop would check its AbortSignal:
 * before each iteration or epoch, and between the blocks of a long iteration.
 */
export type FitSteps<T> = Generator<void, T, void>;

/**
 * Longest stretch of work, in milliseconds, that {@link runStepsAsync} runs before it gives
 * the event loop a turn: half a 60 Hz frame, so a page keeps drawing, while fits with
 * sub-millisecond iterations do not pay a macrotask per iteration (a `MessageChannel` turn
 * costs tens of microseconds in a browser, a clamped `setTimeout` 4 ms).
 */
export const SLICE_MS = 8;

/**
 * Run `steps` to the end synchronously, checking `signal` at every yield.
 * @param steps - the fit's generator (see {@link FitSteps}).
 * @param signal - aborts the run at the next yield.
 * @param what - names the work in the AbortedError message ("FunkSVD.fit was aborted").
 * @returns what the generator returns.
 * @throws AbortedError when `signal` is aborted at a yield (the generator's `finally`
 *   blocks run first); whatever the generator throws.
 */
export function runSteps<T>(steps: FitSteps<T>, signal: AbortSignal | undefined, what: string): T {
  try {
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      checkAborted(signal, what);
    }
  } finally {
    // Closes the generator when we leave early (abort), running its cleanup; a no-op after
    // it finished or threw.
    steps.return(undefined as never);
  }
}

/**
 * Run `steps` with turns of the event loop between them: after each yield, once
 * {@link SLICE_MS} of work has passed since the last turn, await {@link nextMacrotask};
 * then check `signal`. An already-aborted signal rejects before any work; the first step
 * starts in a later macrotask, so the call itself returns at once.
 *
 * Concurrent runs are safe (each has its own generator and buffers); they interleave at
 * their yields.
 * @param steps - the fit's generator (see {@link FitSteps}).
 * @param signal - aborts the run at the next yield.
 * @param what - names the work in the AbortedError message ("FunkSVD.fitAsync was aborted").
 * @returns a Promise of what the generator returns.
 * @throws (rejects with) AbortedError when `signal` is aborted, checked before the first
 *   step and after every yield (the generator's `finally` blocks run first); whatever the
 *   generator throws.
 */
export async function runStepsAsync<T>(steps: FitSteps<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  try {
    checkAborted(signal, what);
    await nextMacrotask();
    checkAborted(signal, what);
    let sliceStart = performance.now();
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      if (performance.now() - sliceStart >= SLICE_MS) {
        await nextMacrotask();
        sliceStart = performance.now();
      }
      checkAborted(signal, what);
    }
  } finally {
    steps.return(undefined as never);
  }
}

/** Runs a callback in a later macrotask. */
export type MacrotaskScheduler = (callback: () => void) => void;

/** The globals {@link macrotaskScheduler} looks at. */
export interface SchedulerGlobals {
  /** Node's and Bun's setImmediate. */
  setImmediate?: (callback: () => void) => unknown;
  /** The browsers' (and Deno's) MessageChannel. */
  MessageChannel?: typeof MessageChannel;
  /** The fallback. */
  setTimeout?: (callback: () => void, ms: number) => unknown;
}

/**
 * The scheduler {@link nextMacrotask} uses for the runtime whose globals are `g`:
 * `setImmediate` where it exists (it runs after pending I/O and timers: a true macrotask,
 * unlike a resolved promise, which runs before them and would starve them), else a
 * `MessageChannel` message (the browsers' equivalent), else `setTimeout(0)` (last, because
 * browsers clamp nested timeouts to 4 ms).
 * @param g - the global object (a parameter so that tests can hand in a browser's set).
 */
export function macrotaskScheduler(g: SchedulerGlobals = globalThis as SchedulerGlobals): MacrotaskScheduler {
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return (cb) => void setImmediate(cb);
  }
  if (typeof g.MessageChannel === 'function') {
    const Channel = g.MessageChannel;
    return (cb) => {
      // A channel per turn, closed after its message, so no open port keeps a runtime alive.
      const ch = new Channel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        ch.port2.close();
        cb();
      };
      ch.port2.postMessage(null);
    };
  }
  const setTimeout = g.setTimeout ?? globalThis.setTimeout;
  return (cb) => void setTimeout(cb, 0);
}

let schedule: MacrotaskScheduler | undefined;

/**
 * A Promise that resolves in a later macrotask, after the timers and events already due
 * (see {@link macrotaskScheduler}).
 */
export function nextMacrotask(): Promise<void> {
  schedule ??= macrotaskScheduler();
  const run = schedule;
  return new Promise((resolve) => run(resolve));
}

/**
 * True when every value is finite. Branch-free (`x - x` is 0 for finite x and NaN for
 * NaN/Inf), so a scan of a factor matrix at the end of an epoch costs a fraction of the
 * epoch: the fits' divergence checks use it instead of testing each update.
 */
export function allFinite(values: ArrayLike<number>): boolean {
  let t = 0;
  for (let i = 0; i < values.length; i++) t += values[i]! - values[i]!;
  return t === 0;
}
