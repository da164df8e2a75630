/**
 * A progress bar on stderr for long CLI work, drawn only when stderr is a terminal (scripts
 * and CI logs stay clean). Uses cli-progress; turns the library's {@link Progress} reports
 * into bar updates.
 */
import { SingleBar } from 'cli-progress';
import type { Progress } from '../progress.js';

/** A progress callback plus the function that clears the bar when the work ends. */
export interface ProgressBar {
  /** Pass as `onProgress`. */
  readonly onProgress: (p: Progress) => void;
  /** Remove the bar (call in a finally block). */
  stop(): void;
}

/**
 * A bar labelled `label` on stderr, or a no-op when stderr is not a TTY (or `enabled` is
 * false). The bar appears only at the first report with a known total.
 */
export function progressBar(label: string, enabled = process.stderr.isTTY === true): ProgressBar {
  if (!enabled) return { onProgress: () => {}, stop: () => {} };
  let bar: SingleBar | undefined;
  return {
    onProgress(p: Progress): void {
      if (p.total === undefined) return;
      const extra = p.metrics ? Object.entries(p.metrics).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(' ') : '';
      if (!bar) {
        bar = new SingleBar({
          format: `${label} {stage} [{bar}] {value}/{total} {extra}`,
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: true,
        });
        bar.start(p.total, p.done, { stage: p.stage, extra });
      } else {
        bar.setTotal(p.total);
        bar.update(p.done, { stage: p.stage, extra });
      }
    },
    stop(): void {
      bar?.stop();
    },
  };
}

/** The `onProgress` callback a bar hands to the work it shows. */
export type OnProgress = (p: Progress) => void;

/**
 * Run `work` under a bar labelled `label` (see {@link progressBar}); the bar is removed
 * however the work ends.
 * @example
 * const model = withProgress('nmf', (onProgress) => nmf.fit(V, { onProgress }));
 */
export function withProgress<T>(label: string, work: (onProgress: OnProgress) => T): T {
  const bar = progressBar(label);
  try {
    return work(bar.onProgress);
  } finally {
    bar.stop();
  }
}

/** {@link withProgress} for work that finishes later: the bar goes when its promise settles. */
export async function withProgressAsync<T>(label: string, work: (onProgress: OnProgress) => Promise<T>): Promise<T> {
  const bar = progressBar(label);
  try {
    return await work(bar.onProgress);
  } finally {
    bar.stop();
  }
}
