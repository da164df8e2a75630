/**
 * The NMF parts instrument's work, run in the Lab's compute worker (lab/worker.ts): the fit
 * at (k, iterations, solver) from the seeded start, the parts' flags, the SVD's signed
 * components of the same glyphs, and the loss over the whole iteration range (cached per
 * (k, solver)) so the chart keeps one axis while the iterations move or play.
 */
import type { Matrix, NMFSolver } from '../../src/browser.js';
import { GLYPH, TRUE_PARTS, fitParts, makeGlyphs, partFlags, strokeMatrix, strokeRecovery, svdParts, type PartFlag } from './nmf-model.js';

/** The iterations slider's range, 0 (the random start) .. ITER_MAX. */
export const ITER_MAX = 400;
/** Largest k offered. */
export const K_MAX = 8;
/** Glyphs shown with their reconstructions. */
export const SHOWN = 10;

/** Input of 'nmf.fit'. */
export interface NmfFitInput {
  k: number;
  iterations: number;
  solver: NMFSolver;
}

/** Output of 'nmf.fit' (plain data). */
export interface NmfFitOutput {
  pixels: number;
  glyphs: number;
  side: number;
  truePart: number;
  /** W, column-major (part p is entries p*pixels .. (p+1)*pixels). */
  W: Float64Array;
  /** H, row-major k x glyphs. */
  H: Float64Array;
  /** The first SHOWN glyphs and their reconstructions, column-major pixels x SHOWN. */
  originals: Float64Array;
  reconstructions: Float64Array;
  relError: number;
  minEntry: number;
  recovery: number;
  flags: PartFlag[];
  /** Loss 1/2 ||A - WH||^2 at iterations 0 .. ITER_MAX (the run's first `iterations + 1` are this fit's). */
  lossFull: Float64Array;
  /** The SVD's first k left singular vectors (column-major), its rank-k error and share of negative entries. */
  svdU: Float64Array;
  svdError: number;
  svdNegativeShare: number;
  svdMin: number;
}

let A: Matrix | undefined;
let S: Matrix | undefined;
const fullLoss = new Map<string, Float64Array>();
const svdCache = new Map<number, ReturnType<typeof svdParts>>();

function colMajor(M: Matrix, cols = M.cols): Float64Array {
  const out = new Float64Array(M.rows * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < M.rows; i++) out[j * M.rows + i] = M.get(i, j);
  return out;
}

/** The fit for one setting. */
export function nmfFit(input: NmfFitInput): NmfFitOutput {
  A ??= makeGlyphs();
  S ??= strokeMatrix();
  const k = Math.min(K_MAX, Math.max(1, Math.round(input.k)));
  const iterations = Math.min(ITER_MAX, Math.max(0, Math.round(input.iterations)));
  const key = `${k}:${input.solver}`;
  let full = fullLoss.get(key);
  if (!full) {
    full = fitParts(A, k, ITER_MAX, input.solver).lossHistory;
    fullLoss.set(key, full);
  }
  const r = fitParts(A, k, iterations, input.solver);
  let sv = svdCache.get(k);
  if (!sv) {
    sv = svdParts(A, k);
    svdCache.set(k, sv);
  }
  const H = new Float64Array(k * A.cols);
  for (let p = 0; p < k; p++) for (let j = 0; j < A.cols; j++) H[p * A.cols + j] = r.H.get(p, j);
  return {
    pixels: A.rows,
    glyphs: A.cols,
    side: GLYPH,
    truePart: TRUE_PARTS,
    W: colMajor(r.W),
    H,
    originals: colMajor(A, SHOWN),
    reconstructions: colMajor(r.reconstruction, SHOWN),
    relError: r.relError,
    minEntry: r.minEntry,
    recovery: strokeRecovery(r.W),
    flags: partFlags(r.W, r.H, { truth: S }),
    lossFull: full,
    svdU: colMajor(sv.U),
    svdError: sv.relError,
    svdNegativeShare: sv.negativeShare,
    svdMin: sv.minEntry,
  };
}

/** The jobs this instrument runs in the worker. */
export const jobs = { 'nmf.fit': nmfFit };
