/**
 * A few eigenpairs of a large nonsymmetric matrix or operator: scipy's `eigs`, by the
 * implicitly restarted Arnoldi method (Sorensen, "Implicit application of polynomial filters
 * in a k-step Arnoldi method", SIAM J. Matrix Anal. Appl. 13(1), 1992; Lehoucq & Sorensen,
 * "Deflation techniques for an implicitly restarted Arnoldi iteration", SIAM J. Matrix
 * Anal. Appl. 17(4), 1996: ARPACK's dnaupd).
 *
 * After m Arnoldi steps, A V_m = V_m H_m + f e_m^T with H_m upper Hessenberg. The Ritz
 * values are the eigenvalues of H_m (the dense `eig`), and the Ritz pair (theta, V_m y) has
 * residual norm ||f|| |e_m^T y|. A restart applies the m - p unwanted Ritz values as exact
 * shifts: implicitly shifted QR steps on H_m (a Givens sweep for a real shift, a Francis
 * double-shift bulge chase with 3 x 3 Householder reflectors for a complex conjugate pair,
 * so everything stays real), accumulated in Q; then V_p = V_m Q[:, :p] and the residual
 * f_p = V_m Q[:, p] H[p, p-1] + f Q[m-1, p-1] give a p-step Arnoldi factorization whose
 * starting vector has been filtered by the polynomial prod (A - mu_j I), and the iteration
 * extends it back to m. Complex conjugate pairs are never split between kept and shifted.
 *
 * Each Arnoldi step orthogonalizes A v_j against the basis by classical Gram-Schmidt on two
 * gemv calls with the DGKS correction (ARPACK's dgks), and the restart forms V_m Q by gemm.
 */
import { InvalidArgumentError, NonFiniteInputError, ShapeError } from '../errors.js';
import { runSteps, runStepsAsync, type FitSteps } from '../fit-async.js';
import { kernels } from '../kernels/index.js';
import { csrMatmat } from '../kernels/sparse.js';
import { eig } from '../linalg/eig.js';
import { Workspace } from '../kernels/workspace.js';
import { Matrix } from '../matrix/matrix.js';
import type { LinearOperator } from '../matrix/operator.js';
import { int, LONG_TASK_OPTIONS, maybe, num, oneOf, opt, randomStateRule, resolveOptions, tableFor } from '../options.js';
import { checkAborted, type LongTaskOptions } from '../progress.js';
import { rng, type RandomState, type Rng } from '../random.js';
import { CscMatrix } from '../sparse/csc.js';
import { CsrMatrix } from '../sparse/csr.js';
import { checkProduct, csrArraysOf, densify, dtypeOf, shapeOf, vectorProduct, type VectorProduct } from './krylov-input.js';
import { productsOf } from './products.js';
import type { MatrixLike } from './operator.js';
import { convergedPairs, keptOnRestart, KrylovBasis, restartsExhausted, startVectorRule } from './restarted-krylov.js';

/**
 * Which eigenvalues {@link eigs} finds: largest / smallest magnitude ('LM', 'SM'), largest /
 * smallest real part ('LR', 'SR'), largest / smallest imaginary part in magnitude ('LI', 'SI').
 */
export const EIGS_WHICH = ['LM', 'SM', 'LR', 'SR', 'LI', 'SI'] as const;
/** Which eigenvalues {@link eigs} finds (scipy's and ARPACK's `which`). */
export type EigsWhich = (typeof EIGS_WHICH)[number];

/** What {@link eigs} accepts: a dense Matrix, a CSR/CSC matrix or a LinearOperator (square). */
export type EigsInput = Matrix | CsrMatrix | CscMatrix | LinearOperator;

/** Options of {@link eigs}. Unknown keys are an error. */
export interface EigsOptions extends LongTaskOptions {
  /** Which eigenvalues; default 'LM' (scipy's). 'SM' converges slowly (no shift-invert here). */
  which?: EigsWhich;
  /**
   * Stop when every one of the k Ritz residuals ||A x_i - theta_i x_i|| (x_i of unit norm)
   * is <= tol * max|theta| (the spectral radius estimate). Default 1e-10 (1e-5 for float32
   * input), in (0, 1).
   */
  tol?: number;
  /** Cap on restarts; a ConvergenceError beyond it. Default 10 n (scipy's). */
  maxIter?: number;
  /** Arnoldi basis size (scipy's ncv), k + 2 <= ncv <= n. Default min(n, max(2k + 1, k + 20)). */
  ncv?: number;
  /** Start vector (length n); default a seeded random vector. */
  v0?: ArrayLike<number>;
  /** Seed (or generator) of the random start; default 0. */
  seed?: RandomState;
}

const EIGS_OPTIONS = tableFor<EigsOptions>()({
  which: opt(oneOf(EIGS_WHICH), 'LM'),
  tol: maybe(num(0, 1, 'both')),
  maxIter: maybe(int(0)),
  ncv: maybe(int(3)),
  v0: maybe(startVectorRule),
  seed: opt(randomStateRule, 0),
  ...LONG_TASK_OPTIONS,
});

/** How {@link eigs} computed its result. */
export interface EigsInfo {
  /** 'arnoldi', or 'dense' (the dense eig of the whole matrix: tiny problems). */
  readonly method: 'arnoldi' | 'dense';
  /** The `which` that was used. */
  readonly which: EigsWhich;
  /** Restarts run. */
  readonly restarts: number;
  /** Products with A taken. */
  readonly matvecs: number;
  /** Arnoldi basis size. */
  readonly ncv: number;
  /** ||A v_i - w_i v_i|| of each returned pair (complex, v_i of unit norm), computed from A at the end. */
  readonly residuals: Float64Array;
  /** The tolerance. */
  readonly tol: number;
  /** The largest |Ritz value| seen: what the tolerance scales. */
  readonly normEstimate: number;
}

/** Result of {@link eigs}: A (VReal + i VImag) = (VReal + i VImag) diag(wReal + i wImag). */
export interface EigsResult {
  /** Real parts of the k eigenvalues, most wanted first; a conjugate pair is adjacent, positive imaginary part first. */
  readonly wReal: Float64Array;
  /** Imaginary parts of the eigenvalues. */
  readonly wImag: Float64Array;
  /** Real parts of the eigenvectors (n x k): unit Euclidean norm, the component of largest modulus real and positive. */
  readonly VReal: Matrix;
  /** Imaginary parts of the eigenvectors (zero columns for real eigenvalues). */
  readonly VImag: Matrix;
  /** Restarts, products and residuals. */
  readonly info: EigsInfo;
}

/** Dense eig is used at or below this order. */
const DENSE_MAX = 200;

/**
 * k eigenvalues and eigenvectors of a square (nonsymmetric) matrix or operator by the
 * implicitly restarted Arnoldi method: scipy.sparse.linalg.eigs. Only products A x are
 * taken (CSR/CSC in WebAssembly); tiny problems (n <= 200 or ncv >= n) use the dense eig.
 *
 * Cost per restart: ncv - p products (p kept), about 4 n ncv flops of orthogonalization per
 * product, an ncv x ncv eig and 2 n ncv p flops for the restarted basis. Memory n (ncv + 1).
 *
 * @param A - n x n: dense Matrix, CsrMatrix, CscMatrix or LinearOperator.
 * @param k - number of eigenpairs, 1 <= k <= n - 2 (any k <= n for tiny problems).
 * @param options - {@link EigsOptions}.
 * @returns wReal, wImag (most wanted first), VReal, VImag (n x k), info.
 * @throws ShapeError for a non-square A; InvalidArgumentError for a bad k or option;
 * NonFiniteInputError on NaN/Inf; ConvergenceError after maxIter restarts; AbortedError.
 * @example
 * const { wReal, wImag } = eigs(P.T, 3);  // the 3 largest-magnitude eigenvalues of P^T
 */
export function eigs(A: EigsInput, k: number, options: EigsOptions = {}): EigsResult {
  return runSteps(eigsSteps(A, k, options), options.signal, 'eigs');
}

/** {@link eigs} with turns of the event loop between its steps (see fit-async.ts). */
export function eigsAsync(A: EigsInput, k: number, options: EigsOptions = {}): Promise<EigsResult> {
  return runStepsAsync(eigsSteps(A, k, options), options.signal, 'eigs');
}

/** {@link eigs} as steps: yields after each Arnoldi step and each restart. */
export function* eigsSteps(A: EigsInput, k: number, options: EigsOptions = {}): FitSteps<EigsResult> {
  const routine = 'eigs';
  const o = resolveOptions(routine, EIGS_OPTIONS, options);
  const [rows, cols] = shapeOf(A, routine);
  if (rows !== cols) throw new ShapeError(`${routine}: A is ${rows}x${cols}; eigs needs a square matrix`);
  const n = rows;
  if (n === 0) throw new InvalidArgumentError(`${routine}: A is 0x0; there are no eigenvalues to find`);
  if (o.v0 !== undefined && o.v0.length !== n) throw new ShapeError(`${routine}: v0 has ${o.v0.length} entries, A is ${n}x${n}`);
  const dense = n <= DENSE_MAX;
  const kmax = dense ? n : n - 2;
  if (!(Number.isInteger(k) && k >= 1 && k <= kmax)) throw new InvalidArgumentError(`${routine}: k must be an integer in [1, ${kmax}] for a ${n}x${n} matrix, got ${k}`);
  const dtype = dtypeOf(A);
  const tol = o.tol ?? (dtype === 'float32' ? 1e-5 : 1e-10);
  const maxIter = o.maxIter ?? 10 * n;
  const ncv = o.ncv ?? Math.min(n, Math.max(2 * k + 1, k + 20));
  if (!dense && !(ncv >= k + 2 && ncv <= n)) throw new InvalidArgumentError(`${routine}: ncv must be an integer with k + 2 <= ncv <= n; got ${ncv} for k = ${k}, n = ${n}`);
  checkAborted(o.signal, routine);
  if (dense || ncv >= n) return denseEigs(A, k, o.which, tol, routine);

  const ws = new Workspace();
  try {
    const op = vectorProduct(A, ws, routine, false);
    const run = new Arnoldi(op, n, ncv, o.v0, rng(o.seed), ws, routine);
    let restarts = 0;
    for (;;) {
      yield* run.extend();
      const ritz = run.ritz();
      const order = eigsOrder(ritz.wr, ritz.wi, o.which);
      const normEst = run.normEstimate(ritz.wr, ritz.wi);
      const { converged, worst } = convergedPairs(k, (i) => ritz.res[order[i]!]!, normEst, tol);
      o.onProgress?.({ stage: 'restart', done: converged, total: k, metrics: { restart: restarts, residual: worst } });
      if (converged === k) {
        const out = run.ritzVectors(ritz, order, k);
        const residuals = complexResiduals(A, out, ws, routine);
        return { ...out, info: { method: 'arnoldi', which: o.which, restarts, matvecs: run.matvecs, ncv, residuals, tol, normEstimate: normEst } };
      }
      if (restarts >= maxIter) throw restartsExhausted(routine, converged, k, tol, restarts, worst, ncv, 'or loosen tol');
      checkAborted(o.signal, routine);
      restarts++;
      // eigsh's rule (at most ncv - 2: the bulge chase needs two shifts' room), never
      // splitting a conjugate pair between the kept values and the shifts.
      let keep = keptOnRestart(k, ncv, converged, ncv - 2);
      if (splitsPair(ritz.wr, ritz.wi, order, keep)) keep = keep + 1 <= ncv - 1 ? keep + 1 : keep - 1;
      run.restart(ritz, order, keep);
      yield;
    }
  } finally {
    ws.release();
  }
}

/** True when order[keep - 1] and order[keep] are the two halves of a conjugate pair. */
function splitsPair(wr: Float64Array, wi: Float64Array, order: Int32Array, keep: number): boolean {
  if (keep <= 0 || keep >= order.length) return false;
  const a = order[keep - 1]!;
  const b = order[keep]!;
  return wi[a] !== 0 && wr[a] === wr[b] && wi[a] === -wi[b]!;
}

/**
 * Indices of the eigenvalues ordered from most to least wanted; conjugate pairs stay
 * adjacent with the positive imaginary part first.
 */
export function eigsOrder(wr: ArrayLike<number>, wi: ArrayLike<number>, which: EigsWhich): Int32Array {
  const key = (i: number): number => {
    const re = wr[i]!;
    const im = wi[i]!;
    switch (which) {
      case 'LM': return -Math.hypot(re, im);
      case 'SM': return Math.hypot(re, im);
      case 'LR': return -re;
      case 'SR': return re;
      case 'LI': return -Math.abs(im);
      case 'SI': return Math.abs(im);
    }
  };
  const idx = Int32Array.from({ length: wr.length }, (_, i) => i);
  // Ties (a conjugate pair has one key) broken by real part, then positive imaginary first.
  return idx.sort((a, b) => key(a) - key(b) || wr[b]! - wr[a]! || wi[b]! - wi[a]! || a - b);
}

// ------------------------------------------------------------------ products

/** A X for a float64 block (n x p), column-major result. */
function blockProduct(A: EigsInput, X: Matrix, ws: Workspace, routine: string): Matrix {
  if (A instanceof CsrMatrix || A instanceof CscMatrix) {
    const { arrays, trans } = csrArraysOf(A, false);
    return new Matrix(csrMatmat(arrays, trans, 1, X.copy({ dtype: A.dtype })), X.rows, X.cols).copy({ dtype: 'float64' });
  }
  const P = productsOf(A as MatrixLike, false, ws, routine);
  const Y = Matrix.zeros(X.rows, X.cols, { dtype: P.dtype });
  P.apply(X.copy({ dtype: P.dtype }), Y);
  return Y.copy({ dtype: 'float64' });
}

/** ||A v - w v|| for each complex pair (v = VReal + i VImag). */
function complexResiduals(A: EigsInput, r: Omit<EigsResult, 'info'>, ws: Workspace, routine: string): Float64Array {
  const k = r.wReal.length;
  const n = r.VReal.rows;
  const X = Matrix.zeros(n, 2 * k);
  X.data.set(r.VReal.toFlat(), 0);
  X.data.set(r.VImag.toFlat(), n * k);
  const AX = blockProduct(A, X, ws, routine);
  const out = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const a = r.wReal[j]!;
    const b = r.wImag[j]!;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const xr = X.data[i + j * n]!;
      const xi = X.data[i + (k + j) * n]!;
      const re = AX.data[i + j * n]! - (a * xr - b * xi);
      const im = AX.data[i + (k + j) * n]! - (a * xi + b * xr);
      s += re * re + im * im;
    }
    out[j] = Math.sqrt(s);
  }
  return out;
}

// ------------------------------------------------------------------ dense route

function denseEigs(A: EigsInput, k: number, which: EigsWhich, tol: number, routine: string): EigsResult {
  const M = densify(A);
  for (let i = 0; i < M.data.length; i++) {
    if (!Number.isFinite(M.data[i]!)) throw new NonFiniteInputError(`${routine}: A holds ${M.data[i]} at (${i % M.rows}, ${Math.floor(i / M.rows)}); eigs needs finite numbers`);
  }
  const f = eig(M);
  const order = eigsOrder(f.wReal, f.wImag, which);
  const n = M.rows;
  const wReal = new Float64Array(k);
  const wImag = new Float64Array(k);
  const VReal = Matrix.zeros(n, k);
  const VImag = Matrix.zeros(n, k);
  for (let j = 0; j < k; j++) {
    const i = order[j]!;
    wReal[j] = f.wReal[i]!;
    wImag[j] = f.wImag[i]!;
    for (let r = 0; r < n; r++) {
      VReal.set(r, j, f.VReal.get(r, i));
      VImag.set(r, j, f.VImag.get(r, i));
    }
  }
  normalizeComplex(VReal, VImag);
  const out = { wReal, wImag, VReal, VImag };
  const ws = new Workspace();
  try {
    const residuals = complexResiduals(A, out, ws, routine);
    let big = 0;
    for (let i = 0; i < n; i++) big = Math.max(big, Math.hypot(f.wReal[i]!, f.wImag[i]!));
    return { ...out, info: { method: 'dense', which, restarts: 0, matvecs: 0, ncv: n, residuals, tol, normEstimate: big } };
  } finally {
    ws.release();
  }
}

/** Each complex column: unit norm, its component of largest modulus real and positive. */
function normalizeComplex(Re: Matrix, Im: Matrix): void {
  const n = Re.rows;
  for (let j = 0; j < Re.cols; j++) {
    let s = 0;
    let best = -1;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const m2 = Re.get(i, j) ** 2 + Im.get(i, j) ** 2;
      s += m2;
      if (m2 > best * (1 + 1e-12)) {
        best = m2;
        at = i;
      }
    }
    if (!(s > 0)) continue;
    // Multiply by conj(v_at) / (|v_at| ||v||).
    const ar = Re.get(at, j);
    const ai = Im.get(at, j);
    const scale = 1 / (Math.sqrt(best) * Math.sqrt(s));
    const cr = ar * scale;
    const ci = -ai * scale;
    for (let i = 0; i < n; i++) {
      const xr = Re.get(i, j);
      const xi = Im.get(i, j);
      Re.set(i, j, xr * cr - xi * ci);
      Im.set(i, j, xr * ci + xi * cr);
    }
    Im.set(at, j, 0);
  }
}

// ------------------------------------------------------------------ the Arnoldi process

interface ArnoldiRitz {
  wr: Float64Array;
  wi: Float64Array;
  /** Eigenvectors of H (m x m, real and imaginary parts, column-major). */
  yr: Float64Array;
  yi: Float64Array;
  /** Ritz estimates ||f|| |e_m^T y_i| with y_i of unit norm. */
  res: Float64Array;
}

/** Rows of the basis per gemm when a restart forms V_m Q (bounds the scratch). */
const ROW_BLOCK = 16384;

/**
 * The Arnoldi factorization A V_m = V_m H_m + f e_m^T on a {@link KrylovBasis} without
 * fixed columns: v_0 .. v_{m-1}, then f / ||f|| in column m.
 */
class Arnoldi extends KrylovBasis {
  /** m x m upper Hessenberg, column-major. */
  private readonly H: Float64Array;

  constructor(op: VectorProduct, n: number, m: number, v0: ArrayLike<number> | undefined, rand: Rng, ws: Workspace, routine: string) {
    super(op, n, m, undefined, v0, rand, ws, ROW_BLOCK, routine);
    this.H = new Float64Array(m * m);
  }

  /** Arnoldi steps j0 .. m - 1; f / ||f|| ends in column m. */
  *extend(): Generator<void, void, void> {
    const { n, m, W, H } = this;
    const g = kernels();
    const d = W.data;
    for (let j = this.j0; j < m; j++) {
      const yo = this.col(j + 1);
      this.op(this.view(j), this.view(j + 1));
      this.matvecs++;
      checkProduct(d, yo, n, this.routine);
      const before = g.nrm2(n, d, yo, 1);
      // Classical Gram-Schmidt against v_0 .. v_j, a second pass when the first cancelled
      // most of the vector (DGKS): the coefficients are column j of H.
      let beta = this.orthogonalizeColumn(j + 1, j + 1, false);
      for (let i = 0; i <= j; i++) H[i + j * m] = this.coef[i]!;
      this.normEst = Math.max(this.normEst, before);
      if (beta <= 64 * this.eps * Math.sqrt(j + 1) * Math.max(before, this.normEst)) {
        beta = 0;
        this.randomOrthogonal(j + 1);
      } else {
        g.scal(n, 1 / beta, d, yo, 1);
      }
      if (j + 1 < m) H[j + 1 + j * m] = beta;
      this.beta = beta;
      if (j + 1 < m) yield;
    }
    this.j0 = m;
  }

  ritz(): ArnoldiRitz {
    const { m } = this;
    const f = eig(new Matrix(Float64Array.from(this.H), m, m));
    const wr = Float64Array.from(f.wReal);
    const wi = Float64Array.from(f.wImag);
    const yr = f.VReal.toFlat() as Float64Array;
    const yi = f.VImag.toFlat() as Float64Array;
    const res = new Float64Array(m);
    for (let i = 0; i < m; i++) res[i] = this.beta * Math.hypot(yr[m - 1 + i * m]!, yi[m - 1 + i * m]!);
    return { wr, wi, yr, yi, res };
  }

  normEstimate(wr: Float64Array, wi: Float64Array): number {
    for (let i = 0; i < wr.length; i++) this.normEst = Math.max(this.normEst, Math.hypot(wr[i]!, wi[i]!));
    return this.normEst;
  }

  /**
   * Implicit restart: apply the unwanted Ritz values order[p..m) as exact shifts to H
   * (bulge chases, accumulated in Q), then V_p = V_m Q[:, :p] and the new residual.
   */
  restart(ritz: ArnoldiRitz, order: Int32Array, p: number): void {
    const { n, m, H } = this;
    const Q = new Float64Array(m * m);
    for (let i = 0; i < m; i++) Q[i + i * m] = 1;
    const done = new Uint8Array(m);
    for (let s = p; s < m; s++) {
      const i = order[s]!;
      if (done[i]) continue;
      done[i] = 1;
      const re = ritz.wr[i]!;
      const im = ritz.wi[i]!;
      if (im === 0) {
        singleShift(H, Q, m, re);
      } else {
        // Its conjugate is in the unwanted set too (pairs are never split): mark it.
        for (let t = p; t < m; t++) {
          const q = order[t]!;
          if (!done[q] && ritz.wr[q] === re && ritz.wi[q] === -im) {
            done[q] = 1;
            break;
          }
        }
        doubleShift(H, Q, m, re, im);
      }
    }
    // f_p = V_m Q[:, p] H[p, p-1] + f Q[m-1, p-1], with f = beta v_m.
    const g = kernels();
    const d = this.W.data;
    const fcoef = new Float64Array(m);
    for (let i = 0; i < m; i++) fcoef[i] = Q[i + p * m]! * H[p + (p - 1) * m]!;
    const f = new Float64Array(n);
    g.gemv(false, n, m, 1, d, this.col(0), this.W.colStride, fcoef, 0, 1, 0, f, 0, 1);
    g.axpy(n, this.beta * Q[m - 1 + (p - 1) * m]!, d, this.col(m), 1, f, 0, 1);
    // V_p = V_m Q[:, :p] (in place).
    this.combine(Q.slice(0, m * p), p, d, this.col(0), this.W.colStride);
    // H := H[:p, :p] (the rest is rebuilt by the next steps).
    for (let j = 0; j < m; j++) for (let i = 0; i < m; i++) if (i >= p || j >= p) H[i + j * m] = 0;
    let beta = g.nrm2(n, f, 0, 1);
    d.set(f, this.col(p));
    if (beta <= 64 * this.eps * this.normEst) {
      // The kept space is invariant: continue from a fresh direction.
      beta = 0;
      this.randomOrthogonal(p);
    } else {
      // Reorthogonalize the new residual against V_p (rounding in the restart).
      beta = this.orthogonalizeColumn(p, p, false);
      g.scal(n, 1 / beta, d, this.col(p), 1);
    }
    H[p + (p - 1) * m] = beta;
    this.beta = beta;
    this.j0 = p;
  }

  /** The k wanted Ritz vectors, normalized, with their values. */
  ritzVectors(ritz: ArnoldiRitz, order: Int32Array, k: number): Omit<EigsResult, 'info'> {
    const { n, m } = this;
    const g = kernels();
    const Yr = new Float64Array(m * k);
    const Yi = new Float64Array(m * k);
    const wReal = new Float64Array(k);
    const wImag = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      const i = order[j]!;
      wReal[j] = ritz.wr[i]!;
      wImag[j] = ritz.wi[i]!;
      Yr.set(ritz.yr.subarray(i * m, i * m + m), j * m);
      Yi.set(ritz.yi.subarray(i * m, i * m + m), j * m);
    }
    const VReal = Matrix.zeros(n, k);
    const VImag = Matrix.zeros(n, k);
    const d = this.W.data;
    g.gemm(false, false, n, k, m, 1, d, this.col(0), this.W.colStride, Yr, 0, m, 0, VReal.data, 0, n);
    g.gemm(false, false, n, k, m, 1, d, this.col(0), this.W.colStride, Yi, 0, m, 0, VImag.data, 0, n);
    normalizeComplex(VReal, VImag);
    return { wReal, wImag, VReal, VImag };
  }
}

// ------------------------------------------------------------------ shifted QR steps on H

/**
 * One implicitly shifted QR step with the real shift mu on the m x m Hessenberg H
 * (column-major), by a Givens sweep: H := G^T H G, Q := Q G (Golub & Van Loan §7.5).
 */
function singleShift(H: Float64Array, Q: Float64Array, m: number, mu: number): void {
  let x = H[0]! - mu;
  let z = H[1]!;
  for (let k = 0; k < m - 1; k++) {
    const r = Math.hypot(x, z);
    const c = r === 0 ? 1 : x / r;
    const s = r === 0 ? 0 : z / r;
    // Rows k, k+1 from column max(0, k-1).
    for (let j = Math.max(0, k - 1); j < m; j++) {
      const a = H[k + j * m]!;
      const b = H[k + 1 + j * m]!;
      H[k + j * m] = c * a + s * b;
      H[k + 1 + j * m] = -s * a + c * b;
    }
    // Columns k, k+1 down to row min(k+2, m-1).
    const last = Math.min(k + 2, m - 1);
    for (let i = 0; i <= last; i++) {
      const a = H[i + k * m]!;
      const b = H[i + (k + 1) * m]!;
      H[i + k * m] = c * a + s * b;
      H[i + (k + 1) * m] = -s * a + c * b;
    }
    for (let i = 0; i < m; i++) {
      const a = Q[i + k * m]!;
      const b = Q[i + (k + 1) * m]!;
      Q[i + k * m] = c * a + s * b;
      Q[i + (k + 1) * m] = -s * a + c * b;
    }
    if (k < m - 2) {
      x = H[k + 1 + k * m]!;
      z = H[k + 2 + k * m]!;
      // The bulge is chased: H[k+2, k] is zeroed by the next rotation.
    }
  }
  // Exact zeros below the subdiagonal (rounding of the chase).
  for (let j = 0; j < m; j++) for (let i = j + 2; i < m; i++) H[i + j * m] = 0;
}

/**
 * One Francis double-shift step with the shifts mu, conj(mu) (mu = re + i im) on the m x m
 * Hessenberg H, in real arithmetic with 3 x 3 Householder reflectors (Golub & Van Loan,
 * Algorithm 7.5.1), accumulated in Q.
 */
function doubleShift(H: Float64Array, Q: Float64Array, m: number, re: number, im: number): void {
  const h = (i: number, j: number) => H[i + j * m]!;
  const s = 2 * re;
  const t = re * re + im * im;
  let x = h(0, 0) * h(0, 0) + h(0, 1) * h(1, 0) - s * h(0, 0) + t;
  let y = h(1, 0) * (h(0, 0) + h(1, 1) - s);
  let z = m > 2 ? h(1, 0) * h(2, 1) : 0;
  const v = new Float64Array(3);
  for (let k = 0; k < m - 2; k++) {
    const beta = house3(x, y, z, v);
    if (beta !== 0) {
      const q = Math.max(0, k - 1);
      reflectRows(H, m, k, 3, q, m, v, beta);
      reflectCols(H, m, k, 3, 0, Math.min(k + 4, m), v, beta);
      reflectCols(Q, m, k, 3, 0, m, v, beta);
    }
    x = h(k + 1, k);
    y = h(k + 2, k);
    if (k < m - 3) z = h(k + 3, k);
  }
  const beta = house3(x, y, 0, v);
  if (beta !== 0 && m >= 2) {
    reflectRows(H, m, m - 2, 2, Math.max(0, m - 3), m, v, beta);
    reflectCols(H, m, m - 2, 2, 0, m, v, beta);
    reflectCols(Q, m, m - 2, 2, 0, m, v, beta);
  }
  for (let j = 0; j < m; j++) for (let i = j + 2; i < m; i++) H[i + j * m] = 0;
}

/** Householder vector v (v[0] = 1) and beta with (I - beta v v^T) [x y z]^T = [*, 0, 0]^T. */
function house3(x: number, y: number, z: number, v: Float64Array): number {
  const sigma = y * y + z * z;
  v[0] = 1;
  v[1] = y;
  v[2] = z;
  if (sigma === 0) return 0;
  const mu = Math.sqrt(x * x + sigma);
  const v0 = x <= 0 ? x - mu : -sigma / (x + mu);
  const beta = (2 * v0 * v0) / (sigma + v0 * v0);
  v[1] = y / v0;
  v[2] = z / v0;
  return beta;
}

/** Rows r0 .. r0+len-1 of M (m x m), columns c0..c1-1: M := (I - beta v v^T) M. */
function reflectRows(M: Float64Array, m: number, r0: number, len: number, c0: number, c1: number, v: Float64Array, beta: number): void {
  for (let j = c0; j < c1; j++) {
    let s = 0;
    for (let i = 0; i < len; i++) s += v[i]! * M[r0 + i + j * m]!;
    s *= beta;
    for (let i = 0; i < len; i++) M[r0 + i + j * m] = M[r0 + i + j * m]! - s * v[i]!;
  }
}

/** Columns c0 .. c0+len-1 of M (m x m), rows r0..r1-1: M := M (I - beta v v^T). */
function reflectCols(M: Float64Array, m: number, c0: number, len: number, r0: number, r1: number, v: Float64Array, beta: number): void {
  for (let i = r0; i < r1; i++) {
    let s = 0;
    for (let j = 0; j < len; j++) s += M[i + (c0 + j) * m]! * v[j]!;
    s *= beta;
    for (let j = 0; j < len; j++) M[i + (c0 + j) * m] = M[i + (c0 + j) * m]! - s * v[j]!;
  }
}
