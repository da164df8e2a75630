/**
 * The seconds commands report (`seconds` in their JSON, `in 0.12 s` in their text): wall
 * time of the work alone, measured one way everywhere.
 */
/** A result and the wall time it took. */
export interface Timed<T> {
  result: T;
  seconds: number;
}

/** Settings of {@link timed}. */
export interface TimedSettings {
  /**
   * One-time start-up to run before the clock starts, so that it is not counted in the
   * work's time: `kernels` (from src/kernels) loads the compute kernels (WASM). This module
   * imports no kernels itself, so commands that never compute (convert, info) time their
   * work without loading them.
   */
  prepare?: () => unknown;
}

/**
 * Run `work` and measure it.
 * @example
 * const { result: C, seconds } = timed(() => matmul(A, B), { prepare: kernels });
 */
export function timed<T>(work: () => T, settings: TimedSettings = {}): Timed<T> {
  settings.prepare?.();
  const t0 = performance.now();
  const result = work();
  return { result, seconds: (performance.now() - t0) / 1000 };
}

/** {@link timed} for work that finishes later: the time until its promise settles. */
export async function timedAsync<T>(work: () => Promise<T>, settings: TimedSettings = {}): Promise<Timed<T>> {
  settings.prepare?.();
  const t0 = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - t0) / 1000 };
}
