/**
 * The seconds commands report (`seconds` in their JSON, `in 0.12 s` in their text): wall
 * time of the work alone, measured one way everywhere.
 */
import { kernels } from '../kernels/index.js';

/** A result and the wall time it took. */
export interface Timed<T> {
  result: T;
  seconds: number;
}

/** Settings of {@link timed}. */
export interface TimedSettings {
  /**
   * Load the compute kernels (WASM) before the clock starts, so their one-time start-up is
   * not counted in the work's time. Default false.
   */
  kernels?: boolean;
}

/**
 * Run `work` and measure it.
 * @example
 * const { result: C, seconds } = timed(() => matmul(A, B), { kernels: true });
 */
export function timed<T>(work: () => T, settings: TimedSettings = {}): Timed<T> {
  if (settings.kernels) kernels();
  const t0 = performance.now();
  const result = work();
  return { result, seconds: (performance.now() - t0) / 1000 };
}

/** {@link timed} for work that finishes later: the time until its promise settles. */
export async function timedAsync<T>(work: () => Promise<T>, settings: TimedSettings = {}): Promise<Timed<T>> {
  if (settings.kernels) kernels();
  const t0 = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - t0) / 1000 };
}
