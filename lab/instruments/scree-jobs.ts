/**
 * The scree instrument's work, run in the Lab's compute worker: the SVD of the chosen
 * matrix (a planted spectrum, a picture decoded on the page, or a user's CSV parsed here)
 * and the quantities at rank k. The last few matrices' SVDs are kept by source key, so
 * moving k or switching back to a source costs only the rank-k reconstruction.
 */
import { Matrix } from '../../src/browser.js';
import { Spectrum, matrixWithSpectrum, parseNumberTable, plantedSpectrum, type Decay, type RankKSummary } from './scree-model.js';

/** The built-in matrices' size. */
export const PLANTED_ROWS = 60;
export const PLANTED_COLS = 40;

/** Where the matrix comes from; `key` names it in the worker's cache (same key, same matrix). */
export type ScreeSource =
  | { readonly key: string; readonly kind: 'planted'; readonly decay: Decay }
  | { readonly key: string; readonly kind: 'values'; readonly rows: number; readonly cols: number; readonly data: Float64Array }
  | { readonly key: string; readonly kind: 'csv'; readonly text: string };

/** Output of 'scree.view'. */
export interface ScreeView {
  readonly rows: number;
  readonly cols: number;
  readonly s: Float64Array;
  readonly share: Float64Array;
  readonly cumulative: Float64Array;
  /** True when every entry is 0: there is no energy, nothing to retain. */
  readonly zero: boolean;
  readonly at: RankKSummary;
}

const cache = new Map<string, Spectrum>();
const KEEP = 6;

function spectrumOf(src: ScreeSource): Spectrum {
  let sp = cache.get(src.key);
  if (sp) {
    cache.delete(src.key); // most recently used last
    cache.set(src.key, sp);
    return sp;
  }
  let A: Matrix;
  if (src.kind === 'planted') A = matrixWithSpectrum(plantedSpectrum(src.decay, PLANTED_COLS), PLANTED_ROWS, PLANTED_COLS);
  else if (src.kind === 'csv') A = parseNumberTable(src.text);
  else {
    A = Matrix.zeros(src.rows, src.cols);
    for (let i = 0; i < src.rows; i++) for (let j = 0; j < src.cols; j++) A.set(i, j, src.data[i * src.cols + j]!);
  }
  sp = new Spectrum(A);
  cache.set(src.key, sp);
  while (cache.size > KEEP) cache.delete(cache.keys().next().value!);
  return sp;
}

/** The spectrum of `source` and everything shown at rank k (clamped to 1..min(m, n)). */
export function screeView(input: { source: ScreeSource; k: number }): ScreeView {
  const sp = spectrumOf(input.source);
  const k = Math.max(1, Math.min(sp.maxK, Math.round(input.k)));
  return { rows: sp.A.rows, cols: sp.A.cols, s: sp.s, share: sp.share, cumulative: sp.cumulative, zero: sp.normA === 0, at: sp.at(k) };
}

/** The jobs this instrument runs in the worker. */
export const jobs = { 'scree.view': screeView };
