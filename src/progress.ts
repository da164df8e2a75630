/**
 * Progress reports and cancellation for long work (fits, iterative solvers, large parses):
 * every such function takes `{ onProgress, signal }` and calls {@link checkAborted} between
 * iterations, so a caller can show a progress bar and stop the work with an AbortController.
 * Estimators write their loop once as steps and get `fit` and an abortable, non-blocking
 * `fitAsync` from it (see fit-async.ts).
 */
import { AbortedError } from './errors.js';

/** One progress report. */
export interface Progress {
  /** What is running, e.g. 'epoch', 'iteration', 'restart', 'rows'. */
  readonly stage: string;
  /** Units done so far. */
  readonly done: number;
  /** Units expected in all (undefined when unknown, e.g. a streamed file). */
  readonly total?: number;
  /** Extra figures of this step (e.g. { rmse: 0.91 } or { residual: 1e-9 }). */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** Options shared by every long-running call. */
export interface LongTaskOptions {
  /** Called after each unit of work (epoch, iteration, chunk). Keep it cheap. */
  onProgress?: (progress: Progress) => void;
  /** Cancels the work: the call throws {@link AbortedError} at its next check. */
  signal?: AbortSignal;
}

/**
 * Throw {@link AbortedError} if `signal` has been aborted. `what` names the work in the
 * message ("randomizedSvd was aborted").
 */
export function checkAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortedError(`${what} was aborted`, signal.reason);
}
