/**
 * LOBPCG, the locally optimal block preconditioned conjugate gradient method (Knyazev,
 * "Toward the optimal preconditioned eigensolver: locally optimal block preconditioned
 * conjugate gradient method", SIAM J. Sci. Comput. 23(2), 2001), behind
 * `eigsh(A, k, { method: 'lobpcg' })`.
 *
 * Each iteration runs Rayleigh-Ritz on the span of three blocks: the current approximations
 * X, the preconditioned residuals W = T (A X - X Theta) of the pairs not yet converged, and
 * the previous search directions P. The blocks are orthonormalized against each other first
 * (W and P against X, P against W, each by two Gram-Schmidt passes on gemm, then a
 * Householder QR of the block), which is the basis selection of Hetmaniuk & Lehoucq ("Basis
 * selection in LOBPCG", J. Comput. Phys. 218, 2006): the small projected problem is then a
 * standard symmetric one, and an ill-conditioned P is dropped for one iteration (scipy's
 * restart) instead of breaking the Gram matrix. A P and A W are carried along, so each
 * iteration takes one block product, with the active residual block only.
 *
 * Everything but the small eigh is gemm on n x b blocks, and the sparse product streams A
 * once for the whole block: the method's strength over single-vector Lanczos on machines
 * where memory traffic dominates, and its weakness (fewer useful directions per product)
 * without a preconditioner.
 */
import { ConvergenceError, InvalidArgumentError, NonFiniteInputError } from '../errors.js';
import type { FitSteps } from '../fit-async.js';
import { kernels } from '../kernels/index.js';
import { eigh } from '../linalg/eigh.js';
import { qr } from '../linalg/qr.js';
import { Matrix } from '../matrix/matrix.js';
import { checkAborted, type Progress } from '../progress.js';
import type { Rng } from '../random.js';
import type { BlockProduct, EigshWhich } from './eigsh.js';

/** Settings of one LOBPCG run (checked by eigsh). */
export interface LobpcgSettings {
  which: EigshWhich;
  tol: number;
  maxIter: number;
  seed: Rng;
  /** Orthonormal constraints: the iteration stays orthogonal to their span. */
  Z: Matrix | undefined;
  v0: ArrayLike<number> | undefined;
  preconditioner: ((R: Matrix) => Matrix) | undefined;
  onProgress: ((p: Progress) => void) | undefined;
  signal: AbortSignal | undefined;
}

/** The k wanted pairs, most wanted first. */
export interface LobpcgResult {
  X: Matrix;
  theta: Float64Array;
  iterations: number;
  matvecs: number;
  blockSize: number;
  normEstimate: number;
}

/** A column-major n x cols block (ld n). */
function zeros(n: number, cols: number): Matrix {
  return Matrix.zeros(n, cols);
}

/** A^T B for column-major blocks with the same row count. */
function tn(A: Matrix, B: Matrix): Matrix {
  const C = zeros(A.cols, B.cols);
  if (A.cols && B.cols && A.rows) kernels().gemm(true, false, A.cols, B.cols, A.rows, 1, A.data, A.offset, A.colStride, B.data, B.offset, B.colStride, 0, C.data, 0, Math.max(1, A.cols));
  return C;
}

/** Y := beta Y + alpha A C (A n x p, C p x q, Y n x q). */
function nnInto(A: Matrix, C: Matrix, Y: Matrix, alpha = 1, beta = 0): void {
  if (!Y.cols || !Y.rows) return;
  if (!A.cols) {
    if (beta !== 1) for (let j = 0; j < Y.cols; j++) for (let i = 0; i < Y.rows; i++) Y.data[Y.offset + i + j * Y.colStride] = beta * Y.data[Y.offset + i + j * Y.colStride]!;
    return;
  }
  kernels().gemm(false, false, A.rows, C.cols, A.cols, alpha, A.data, A.offset, A.colStride, C.data, C.offset, C.colStride, beta, Y.data, Y.offset, Y.colStride);
}

function nn(A: Matrix, C: Matrix): Matrix {
  const Y = zeros(A.rows, C.cols);
  nnInto(A, C, Y);
  return Y;
}

/** Y -= Q (Q^T Y), twice (classical Gram-Schmidt, "twice is enough"); returns the coefficients. */
function project(Q: Matrix | undefined, Y: Matrix): Matrix | undefined {
  if (!Q || Q.cols === 0 || Y.cols === 0) return undefined;
  const C = tn(Q, Y);
  nnInto(Q, C, Y, -1, 1);
  const C2 = tn(Q, Y);
  nnInto(Q, C2, Y, -1, 1);
  for (let i = 0; i < C.data.length; i++) C.data[i] = C.data[i]! + C2.data[i]!;
  return C;
}

/** Columns `cols` of M as a new block. */
function pick(M: Matrix, cols: readonly number[]): Matrix {
  const out = zeros(M.rows, cols.length);
  cols.forEach((c, j) => out.data.set(M.data.subarray(M.offset + c * M.colStride, M.offset + c * M.colStride + M.rows), j * M.rows));
  return out;
}

function hcat(blocks: Matrix[]): Matrix {
  const n = blocks[0]!.rows;
  const cols = blocks.reduce((s, b) => s + b.cols, 0);
  const out = zeros(n, cols);
  let at = 0;
  for (const b of blocks) {
    for (let j = 0; j < b.cols; j++) out.data.set(b.data.subarray(b.offset + j * b.colStride, b.offset + j * b.colStride + n), (at + j) * n);
    at += b.cols;
  }
  return out;
}

/**
 * Orthonormalize the block Y by Householder QR; its image A Y follows (AY R^{-1}). Returns
 * undefined when R is too ill-conditioned to divide by (the block is nearly rank-deficient).
 */
function orthonormalize(Y: Matrix, AY: Matrix | undefined): { Q: Matrix; AQ: Matrix | undefined } | undefined {
  const b = Y.cols;
  const n = Y.rows;
  const g = kernels();
  // Unit columns first, so that R's conditioning measures how independent the directions
  // are, not how different their lengths.
  for (let j = 0; j < b; j++) {
    const s = g.nrm2(n, Y.data, Y.offset + j * Y.colStride, 1);
    if (!(s > 0)) return undefined;
    g.scal(n, 1 / s, Y.data, Y.offset + j * Y.colStride, 1);
    if (AY) g.scal(n, 1 / s, AY.data, AY.offset + j * AY.colStride, 1);
  }
  const f = qr(Y);
  const R = f.R;
  let big = 0;
  let small = Infinity;
  for (let i = 0; i < b; i++) {
    big = Math.max(big, Math.abs(R.get(i, i)));
    small = Math.min(small, Math.abs(R.get(i, i)));
  }
  if (!(small > 1e-10 * big) || big === 0) return undefined;
  const Q = f.Q.copy();
  if (!AY) return { Q, AQ: undefined };
  // AQ = AY R^{-1}: solve X R = AY column by column (R upper triangular).
  const AQ = AY.copy();
  for (let j = 0; j < b; j++) {
    for (let i = 0; i < j; i++) {
      const r = R.get(i, j);
      if (r !== 0) g.axpy(n, -r, AQ.data, i * n, 1, AQ.data, j * n, 1);
    }
    g.scal(n, 1 / R.get(j, j), AQ.data, j * n, 1);
  }
  return { Q, AQ };
}

/**
 * LOBPCG for the k wanted eigenpairs of the symmetric n x n operator behind `product` ('LA'
 * or 'SA'), with a block of k plus a few guard vectors (they speed up the convergence of the
 * k-th pair, whose rate depends on the gap to the first unwanted eigenvalue outside the
 * block). Yields after every iteration.
 */
export function* lobpcgSteps(product: BlockProduct, n: number, k: number, s: LobpcgSettings): FitSteps<LobpcgResult> {
  const routine = 'eigsh';
  if (s.which === 'LM') throw new InvalidArgumentError(`${routine}: method 'lobpcg' finds the largest ('LA') or smallest ('SA') eigenvalues, not 'LM'`);
  const Z = s.Z;
  const room = n - (Z?.cols ?? 0);
  const b = Math.min(room, k + Math.max(2, Math.ceil(k / 2)));
  if (3 * b > room) {
    throw new InvalidArgumentError(`${routine}: method 'lobpcg' needs n >= 3 (k + guard vectors) = ${3 * b}${Z ? ' after deflation' : ''}; use method 'lanczos' for k = ${k} and n = ${n}`);
  }
  const largest = s.which === 'LA';
  let matvecs = 0;
  const apply = (X: Matrix): Matrix => {
    const Y = zeros(n, X.cols);
    product(X, Y);
    matvecs += X.cols;
    for (let i = 0; i < Y.data.length; i++) {
      if (!Number.isFinite(Y.data[i]!)) throw new NonFiniteInputError(`${routine}: a product with A holds ${Y.data[i]}; eigsh needs finite products`);
    }
    return Y;
  };

  // Start: v0 as the first column, seeded normals for the rest, orthogonal to Z.
  let X = zeros(n, b);
  for (let i = 0; i < n * b; i++) X.data[i] = s.seed.nextNormal();
  if (s.v0) for (let i = 0; i < n; i++) X.data[i] = Number(s.v0[i]);
  project(Z, X);
  const f = orthonormalize(X, undefined);
  if (!f) throw new InvalidArgumentError(`${routine}: the start block is rank-deficient (v0 in the span of deflate?)`);
  X = f.Q;
  let AX = apply(X);
  // Rayleigh-Ritz on X alone.
  let theta: Float64Array;
  {
    const rr = rayleighRitz(X, AX, b, largest);
    X = nn(X, rr.C);
    AX = nn(AX, rr.C);
    theta = rr.theta;
  }
  let P: Matrix | undefined;
  let AP: Matrix | undefined;
  let normEst = maxAbs(theta);
  for (let it = 0; ; it++) {
    // Residuals R = A X - X Theta.
    const R = AX.copy();
    const g = kernels();
    const res = new Float64Array(b);
    for (let j = 0; j < b; j++) {
      g.axpy(n, -theta[j]!, X.data, j * n, 1, R.data, j * n, 1);
      res[j] = g.nrm2(n, R.data, j * n, 1);
    }
    normEst = Math.max(normEst, maxAbs(theta));
    let converged = 0;
    let worst = 0;
    for (let j = 0; j < k; j++) {
      const rel = normEst > 0 ? res[j]! / normEst : 0;
      worst = Math.max(worst, rel);
      if (rel <= s.tol) converged++;
    }
    s.onProgress?.({ stage: 'iteration', done: converged, total: k, metrics: { iteration: it, residual: worst } });
    if (converged === k) {
      return { X: X.colRange(0, k).copy(), theta: theta.slice(0, k), iterations: it, matvecs, blockSize: b, normEstimate: normEst };
    }
    if (it >= s.maxIter) {
      throw new ConvergenceError(
        `${routine}: LOBPCG: ${converged} of ${k} eigenpairs converged to tol ${s.tol} after ${it} iterations ` +
        `(largest relative residual ${worst.toExponential(2)}); raise maxIter, loosen tol, or give a better preconditioner`,
      );
    }
    checkAborted(s.signal, routine);
    // Soft locking: residuals of converged columns are left out of the new directions.
    const active: number[] = [];
    for (let j = 0; j < b; j++) if (res[j]! > s.tol * normEst) active.push(j);
    let W = pick(R, active);
    if (s.preconditioner) {
      const TW = s.preconditioner(W);
      if (!(TW instanceof Matrix) || TW.rows !== n || TW.cols !== W.cols) throw new InvalidArgumentError(`${routine}: the preconditioner must return an ${n}x${W.cols} Matrix for an ${n}x${W.cols} block`);
      W = TW.copy({ dtype: 'float64' });
    }
    project(Z, W);
    project(X, W);
    const fw = orthonormalize(W, undefined);
    if (!fw) {
      // The residuals are (numerically) in span(X): nothing new to add; tighten by a plain
      // Rayleigh-Ritz restart without P.
      P = undefined;
      AP = undefined;
      yield;
      continue;
    }
    W = fw.Q;
    const AW = apply(W);
    // P orthogonal to X and W, orthonormal, A P following.
    let Pn: Matrix | undefined;
    let APn: Matrix | undefined;
    if (P && AP) {
      // Directions of the active columns only (Knyazev's algorithm): those of converged
      // columns are tiny and would make the block ill-conditioned.
      P = pick(P, active);
      AP = pick(AP, active);
      const cx = project(X, P)!;
      nnInto(AX, cx, AP, -1, 1);
      const cw = project(W, P)!;
      nnInto(AW, cw, AP, -1, 1);
      const fp = orthonormalize(P, AP);
      if (fp) {
        Pn = fp.Q;
        APn = fp.AQ;
      }
    }
    const S = hcat(Pn ? [X, W, Pn] : [X, W]);
    const AS = hcat(Pn ? [AX, AW, APn!] : [AX, AW]);
    const rr = rayleighRitz(S, AS, b, largest);
    theta = rr.theta;
    X = nn(S, rr.C);
    AX = nn(AS, rr.C);
    // P = [W, P] C[b:, :] (the part of the update outside X), and its image.
    const tail = rr.C.slice(b, rr.C.rows, 0, b).copy();
    P = nn(S.colRange(b, S.cols), tail);
    AP = nn(AS.colRange(b, AS.cols), tail);
    yield;
  }
}

/** Ritz pairs of the orthonormal basis S: the b wanted eigenvalues of S^T A S and their vectors. */
function rayleighRitz(S: Matrix, AS: Matrix, b: number, largest: boolean): { theta: Float64Array; C: Matrix } {
  const G = tn(S, AS);
  const s = G.rows;
  for (let j = 0; j < s; j++) {
    for (let i = j + 1; i < s; i++) {
      const v = 0.5 * (G.get(i, j) + G.get(j, i));
      G.set(i, j, v);
      G.set(j, i, v);
    }
  }
  const f = eigh(G);
  const theta = new Float64Array(b);
  const C = zeros(s, b);
  for (let j = 0; j < b; j++) {
    const src = largest ? s - 1 - j : j;
    theta[j] = f.w[src]!;
    for (let i = 0; i < s; i++) C.set(i, j, f.V.get(i, src));
  }
  return { theta, C };
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
