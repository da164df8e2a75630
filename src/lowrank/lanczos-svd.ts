/**
 * Top-k singular triplets by Golub-Kahan-Lanczos bidiagonalization with full
 * reorthogonalization and thick restarts: the augmented implicitly restarted Lanczos
 * bidiagonalization of Baglama & Reichel ("Augmented implicitly restarted Lanczos
 * bidiagonalization methods", SIAM J. Sci. Comput. 27(1), 2005; the IRLBA method) with
 * Ritz vectors as augmentation, which is the same as a thick restart (Wu & Simon, "Thick-
 * restart Lanczos method for large symmetric eigenvalue problems", SIAM J. Matrix Anal.
 * Appl. 22(2), 2000) applied to the bidiagonalization.
 *
 * After j steps, with V_j (n x j) and U_j (m x j) orthonormal:
 *
 *     A V_j = U_j B_j,    A^T U_j = V_j B_j^T + r_j e_j^T,    r_j ⟂ V_j,
 *
 * where B_j is upper triangular (bidiagonal until the first restart). A step appends
 * v_{j+1} = r_j / ||r_j||, orthogonalizes A v_{j+1} against U_j (its coefficients form the
 * new column of B) and A^T u_{j+1} against V_{j+1}, each by classical Gram-Schmidt run
 * twice on gemv. With B_p = P diag(sigma) Q^T the Ritz triplets (sigma_i, U_p P e_i,
 * V_p Q e_i) satisfy A v~_i = sigma_i u~_i exactly and
 * ||A^T u~_i - sigma_i v~_i|| = ||r_p|| |e_p^T P e_i|: that residual is the convergence
 * test. A restart keeps the l leading Ritz pairs plus r_p, which preserves the relations
 * above with B_{l+1} = [diag(sigma_1..l), rho; 0, alpha] (rho_i = ||r_p|| P_{p,i}), and
 * continues the recurrence from there.
 *
 * Like PROPACK and scipy's `svds`, only products with A and A^T are needed, so sparse and
 * implicit operators are never densified; the basis ((m + n) (ncv + 1) numbers) lives in
 * WASM memory so the Gram-Schmidt gemv calls run there.
 */
import { ConvergenceError, InvalidArgumentError } from '../errors.js';
import { runSteps, type FitSteps } from '../fit-async.js';
import { kernels } from '../kernels/index.js';
import { Workspace } from '../kernels/workspace.js';
import { svd } from '../linalg/svd.js';
import { epsOf, type FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { checkAborted, type LongTaskOptions } from '../progress.js';
import { rng, type RandomState, type Rng } from '../random.js';
import type { MatrixLike } from './operator.js';
import { orthogonalize } from './orthonormalize.js';
import { block, productsOf, type Products } from './products.js';
import { checkInteger, checkRank, flipSigns, TruncatedSvdResult } from './truncated-result.js';
import type { randomizedSvd } from './randomized-svd.js';

/** Options of {@link lanczosSvd}. */
export interface LanczosSvdOptions extends LongTaskOptions {
  /**
   * Stop when every one of the k residuals ||A^T u_i - s_i v_i|| is <= tol * s_1. Then
   * each s_i is within tol * s_1 of a singular value of A (usually far closer: the error
   * of s_i shrinks like the square of the residual). Default 1e-10 for float64 input;
   * 1e-5 for float32, whose products are only that accurate.
   */
  tol?: number;
  /**
   * Size of the Krylov basis (scipy's ncv). Larger bases need fewer restarts but cost
   * more memory and orthogonalization work. Default min(min(m, n), max(2k + 1, k + 20)).
   */
  ncv?: number;
  /** Cap on thick restarts; a ConvergenceError is thrown beyond it. Default 500. */
  maxRestarts?: number;
  /** Seed (or generator) of the start vector; default 0. Same seed, same result. */
  seed?: RandomState;
  /**
   * Make signs deterministic: the largest-magnitude entry of each column of U is positive.
   * Default true.
   */
  flipSigns?: boolean;
}

/**
 * Top-k singular triplets of A by thick-restarted Lanczos bidiagonalization (IRLBA,
 * Baglama & Reichel 2005), to a residual tolerance: the method of choice for sparse or
 * implicit operators and whenever the triplets must be accurate.
 *
 * Works on A when m >= n and on A^T otherwise (the basis of the smaller side then spans
 * the whole space once ncv = min(m, n), so small problems finish in one pass).
 *
 * Limitation shared with every single-vector Krylov method (ARPACK, PROPACK, scipy's
 * `svds`): a Krylov space sees each exactly repeated singular value once, and the other
 * copies emerge from rounding as the iteration goes on. Clusters of distinct values are
 * fine; for exact multiplicities prefer the block method {@link randomizedSvd} or check
 * with a larger ncv.
 *
 * Cost per restart: 2 (ncv - l) products with single vectors (l = k + 3 + the number
 * converged, at most k + (ncv - k) / 2, kept Ritz vectors), about 4 (m + n) ncv flops of
 * Gram-Schmidt per step (one pass; a second only when the DGKS test asks), an ncv x ncv
 * SVD and 2 (m + n) ncv l flops to form the Ritz vectors. Memory: (m + n) (2 ncv + 1) float64
 * numbers, plus a copy of a dense A in WASM memory.
 *
 * @param A - dense Matrix or any LinearOperator (never densified).
 * @param k - number of triplets, 1 <= k <= min(m, n).
 * @returns U (m x k), s (descending), Vt (k x n) in A's dtype; `info` has restarts,
 * products, ncv and the residuals.
 * @throws InvalidArgumentError for a bad k or option, NonFiniteInputError on NaN/Inf,
 * ConvergenceError after `maxRestarts` restarts, AbortedError when `signal` fires
 * (checked at every restart).
 * @example
 * const { s } = lanczosSvd(csr, 20, { tol: 1e-8 });
 */
export function lanczosSvd(A: MatrixLike, k: number, options: LanczosSvdOptions = {}): TruncatedSvdResult {
  return runSteps(lanczosSvdSteps(A, k, options), options.signal, 'lanczosSvd');
}

/**
 * {@link lanczosSvd} as steps (see FitSteps in fit-async.ts): the same computation, bit for
 * bit, yielding after each Lanczos step (two products with A and their Gram-Schmidt) and
 * after each restart, so that `runStepsAsync` (an estimator's `fitAsync`, through
 * `yield*`) gives the event loop a turn there and an abort stops it within about one step.
 * `lanczosSvd` is `runSteps` over it. Validation, progress reports and the abort check at
 * every restart run inside the steps, as in `lanczosSvd`; nothing runs before the first
 * `next()`.
 *
 * The workspace (the bases, a copy of a dense A) is released in a `finally`, so also when
 * the driver abandons the steps with `return()` (an abort at a yield).
 * @param A - as {@link lanczosSvd}.
 * @param k - as {@link lanczosSvd}.
 * @param options - as {@link lanczosSvd}; `signal` is checked at every restart (the driver
 * checks its own signal at every yield as well).
 * @returns (from the generator) what {@link lanczosSvd} returns.
 * @throws what {@link lanczosSvd} throws, from `next()`.
 * @example
 * const f = await runStepsAsync(lanczosSvdSteps(csr, 20, { signal }), signal, 'svds');
 */
export function* lanczosSvdSteps(A: MatrixLike, k: number, options: LanczosSvdOptions = {}): FitSteps<TruncatedSvdResult> {
  const routine = 'lanczosSvd';
  const shape = A instanceof Matrix ? A.shape : (A as { shape?: readonly [number, number] }).shape;
  if (!shape) throw new InvalidArgumentError(`${routine}: expected a Matrix or a LinearOperator (shape, dtype, apply, applyTranspose)`);
  const [m0, n0] = shape;
  checkRank(k, m0, n0, routine);
  const transpose = m0 < n0;
  const mw = Math.max(m0, n0);
  const nw = Math.min(m0, n0);
  const dtype = A instanceof Matrix ? A.dtype : ((A as { dtype?: 'float32' | 'float64' }).dtype ?? 'float64');
  const tol = options.tol ?? (dtype === 'float32' ? 1e-5 : 1e-10);
  if (!(tol > 0 && tol < 1)) throw new InvalidArgumentError(`${routine}: tol must be in (0, 1), got ${tol}`);
  const ncv = options.ncv ?? Math.min(nw, Math.max(2 * k + 1, k + 20));
  if (!(Number.isInteger(ncv) && ncv <= nw && (ncv > k || ncv === nw))) {
    throw new InvalidArgumentError(`${routine}: ncv must be an integer with k < ncv <= min(m, n) (or ncv = min(m, n)); got ${ncv} for k = ${k} and a ${m0}x${n0} matrix`);
  }
  const maxRestarts = options.maxRestarts ?? 500;
  checkInteger(maxRestarts, 0, routine, 'maxRestarts');
  checkAborted(options.signal, routine);

  // Not withWorkspace: a generator may be closed at a yield, and only a finally of its
  // own runs then.
  const ws = new Workspace();
  try {
    const P = productsOf(A, transpose, ws, routine);
    const run = new Bidiagonalization(P, ncv, rng(options.seed ?? 0), ws);
    const p = ncv;
    let restarts = 0;
    // Residual test of the Ritz triplets of the current basis (size columns).
    const assess = (size: number) => {
      const ritz = run.ritz(size);
      const s1 = ritz.sigma[0]!;
      const residuals = new Float64Array(k);
      let worst = 0;
      let converged = 0;
      for (let i = 0; i < k; i++) {
        residuals[i] = run.beta * Math.abs(ritz.P[size - 1 + i * size]!);
        const rel = s1 > 0 ? residuals[i]! / s1 : 0;
        worst = Math.max(worst, rel);
        if (rel <= tol) converged++;
      }
      return { ritz, residuals, worst, converged, size };
    };
    for (;;) {
      // Convergence is tested only on a full basis: stopping a cycle early as soon as the
      // wanted Ritz values look converged was tried and dropped, because a single-vector
      // Krylov space sees an exactly repeated singular value once, and its other copies
      // only appear (through rounding) while the recurrence keeps running.
      yield* run.extend();
      const { ritz, residuals, worst, converged, size } = assess(p);
      // One report per restart: how many of the k triplets have converged (a progress bar's
      // natural measure; it can dip when Ritz values reorder), the restart count and the
      // worst relative residual.
      options.onProgress?.({ stage: 'restart', done: converged, total: k, metrics: { restart: restarts, residual: worst } });
      if (converged === k) return run.result(ritz, size, k, residuals, { restarts, tol, transpose, dtype, flip: options.flipSigns ?? true });
      if (restarts >= maxRestarts) {
        throw new ConvergenceError(
          `${routine}: ${converged} of ${k} singular triplets converged to tol ${tol} after ${restarts} restarts ` +
          `(largest relative residual ${worst.toExponential(2)}); raise maxRestarts or ncv (now ${ncv}), or loosen tol`,
        );
      }
      checkAborted(options.signal, routine);
      restarts++;
      // Keep the k wanted Ritz pairs, 3 more, and one more per converged pair, but at most
      // half of the free room, so every restart adds at least (ncv - k) / 2 new directions
      // (IRLBA's adjustment, Baglama & Reichel 2005 §3: converged pairs stop crowding out
      // new directions). Measured against keeping (k + ncv) / 2: about the same number of
      // products and half the restarts (each costs 2 (m + n) ncv l flops).
      const keep = Math.min(p - 1, k + Math.min(3 + converged, Math.floor((p - k) / 2)));
      run.restart(ritz, keep);
      yield;
    }
  } finally {
    ws.release();
  }
}

/** Ritz values of the projected matrix and its singular vectors (column-major size x size arrays). */
interface Ritz {
  sigma: Float64Array;
  /** Left singular vectors of B (P). */
  P: Float64Array;
  /** Right singular vectors of B (Q; column i is Q e_i). */
  Q: Float64Array;
}

/** The state of a Lanczos bidiagonalization: bases, projected matrix, residual. */
class Bidiagonalization {
  private readonly P: Products;
  private readonly p: number;
  private readonly m: number;
  private readonly n: number;
  private readonly rand: Rng;
  /** n x (p + 1) right basis; column p holds r_p / beta. */
  private readonly V: Matrix;
  /** m x p left basis. */
  private readonly U: Matrix;
  /** p x p projected matrix, column-major. */
  private readonly B: Float64Array;
  /** Scratch for Ritz vectors during a restart. */
  private readonly T: Float64Array;
  private readonly coef: Float64Array;
  private readonly tmp: Float64Array;
  /** Operator-dtype scratch vectors when A is float32. */
  private readonly xs: Matrix | undefined;
  private readonly ys: Matrix | undefined;
  private readonly eps = epsOf('float64');
  /** First column not yet computed. */
  private j0 = 0;
  /** Running estimate of ||A|| (largest alpha, beta, sigma seen). */
  private normEst = 0;
  /** ||r_p||, set by {@link extend}. */
  beta = 0;
  /** Products with A or A^T so far. */
  matvecs = 0;

  constructor(P: Products, p: number, rand: Rng, ws: Workspace) {
    this.P = P;
    this.p = p;
    this.m = P.rows;
    this.n = P.cols;
    this.rand = rand;
    this.V = block(ws, 'float64', this.n, p + 1);
    this.U = block(ws, 'float64', this.m, p);
    this.B = new Float64Array(p * p);
    this.T = ws.f64(Math.max(this.m, this.n) * p);
    this.coef = ws.f64(p + 1);
    this.tmp = ws.f64(p + 1);
    if (P.dtype !== 'float64') {
      this.xs = block(ws, P.dtype, Math.max(this.m, this.n), 1);
      this.ys = block(ws, P.dtype, Math.max(this.m, this.n), 1);
    }
    // v_1: a seeded random unit vector.
    this.randomOrthogonal(this.V, 0, this.n);
  }

  /**
   * Run the recurrence from column j0 to p - 1, leaving r_p / beta in V[:, p].
   *
   * Each new vector first loses the term the three-term recurrence predicts (beta_{j-1}
   * u_{j-1}, or alpha_j v_j), then whatever rounding left along the basis by Gram-Schmidt
   * with the DGKS test: usually a single pass, since after the recurrence the remaining
   * components along the basis are tiny. Right after a restart the u-step has no local term
   * (B's column is the full rho) and Gram-Schmidt computes it.
   *
   * Yields after each step (a generator, so that a driver can give the event loop a turn
   * there); the state is consistent only once it has run to the end.
   */
  *extend(): Generator<void, void, void> {
    const { p, m, n, U, V, B, coef } = this;
    const g = kernels();
    const first = this.j0;
    for (let j = first; j < p; j++) {
      // u_j: A v_j minus its components along U_j; those components are column j of B.
      this.product(false, j, j);
      const uo = U.offset + j * U.colStride;
      const wRaw = g.nrm2(m, U.data, uo, 1);
      coef.fill(0, 0, j + 1);
      if (j > first) {
        g.axpy(m, -this.beta, U.data, uo - U.colStride, 1, U.data, uo, 1);
        coef[j - 1] = this.beta;
      }
      let alpha = orthogonalize(m, j, U.data, U.offset, U.colStride, U.data, uo, coef, this.tmp);
      for (let i = 0; i < j; i++) B[i + j * p] = coef[i]!;
      if (this.brokeDown(alpha, wRaw, j)) {
        // A v_j lies in span(U_j): continue with any direction orthogonal to U_j.
        alpha = 0;
        this.randomOrthogonal(U, j, m);
      } else {
        g.scal(m, 1 / alpha, U.data, uo, 1);
      }
      B[j + j * p] = alpha;
      this.normEst = Math.max(this.normEst, alpha);
      // r_j: A^T u_j - alpha_j v_j, then orthogonalized against V_{j+1} (what Gram-Schmidt
      // removes there is rounding: V^T A^T u_j = alpha_j e_j in exact arithmetic).
      this.product(true, j, j + 1);
      const vo = V.offset + (j + 1) * V.colStride;
      const rRaw = g.nrm2(n, V.data, vo, 1);
      if (alpha !== 0) g.axpy(n, -alpha, V.data, vo - V.colStride, 1, V.data, vo, 1);
      let beta = orthogonalize(n, j + 1, V.data, V.offset, V.colStride, V.data, vo, coef, this.tmp);
      if (this.brokeDown(beta, rRaw, j + 1)) {
        // An invariant subspace: B's singular values are exact; restart the recurrence
        // from a fresh direction (zero once V spans everything).
        beta = 0;
        if (j + 1 < n) this.randomOrthogonal(V, j + 1, n);
        else V.data.fill(0, vo, vo + n);
      } else {
        g.scal(n, 1 / beta, V.data, vo, 1);
      }
      this.beta = beta;
      this.normEst = Math.max(this.normEst, beta);
      if (j + 1 < p) yield;
    }
    this.j0 = p;
  }

  /** SVD of the leading size x size block of the projected matrix B (default: all of it). */
  ritz(size = this.p): Ritz {
    const f = svd(new Matrix(this.B, size, size, 0, 1, this.p));
    const sigma = Float64Array.from(f.s);
    this.normEst = Math.max(this.normEst, sigma[0] ?? 0);
    const Pm = f.U.toFlat() as Float64Array;
    // Q = Vt^T: column i of Q is row i of Vt.
    const Q = f.Vt.T.toFlat() as Float64Array;
    return { sigma, P: Pm, Q };
  }

  /**
   * Thick restart: V[:, :l] = V_p Q[:, :l], U[:, :l] = U_p P[:, :l], v_{l+1} = r_p / beta,
   * B = diag(sigma_1..l); the recurrence continues at column l.
   */
  restart(ritz: Ritz, l: number): void {
    const { p, m, n, U, V, B, T } = this;
    const g = kernels();
    g.gemm(false, false, n, l, p, 1, V.data, V.offset, V.colStride, ritz.Q, 0, p, 0, T, 0, n);
    V.data.set(T.subarray(0, n * l), V.offset);
    V.data.copyWithin(V.offset + l * V.colStride, V.offset + p * V.colStride, V.offset + p * V.colStride + n);
    g.gemm(false, false, m, l, p, 1, U.data, U.offset, U.colStride, ritz.P, 0, p, 0, T, 0, m);
    U.data.set(T.subarray(0, m * l), U.offset);
    B.fill(0);
    for (let i = 0; i < l; i++) B[i + i * p] = ritz.sigma[i]!;
    this.j0 = l;
  }

  /** The k leading Ritz triplets in the caller's orientation and dtype. */
  result(
    ritz: Ritz, size: number, k: number, residuals: Float64Array,
    o: { restarts: number; tol: number; transpose: boolean; dtype: 'float32' | 'float64'; flip: boolean },
  ): TruncatedSvdResult {
    const { p, m, n, U, V } = this;
    const g = kernels();
    const Uk = Matrix.zeros(m, k);
    g.gemm(false, false, m, k, size, 1, U.data, U.offset, U.colStride, ritz.P, 0, size, 0, Uk.data, 0, m);
    const Vk = Matrix.zeros(n, k);
    g.gemm(false, false, n, k, size, 1, V.data, V.offset, V.colStride, ritz.Q, 0, size, 0, Vk.data, 0, n);
    // Work matrix W = U S V^T; for W = A^T, A = V S U^T.
    const Uout = (o.transpose ? Vk : Uk).copy({ dtype: o.dtype });
    const Vt = (o.transpose ? Uk : Vk).T.copy({ dtype: o.dtype });
    if (o.flip) flipSigns(Uout, Vt);
    return new TruncatedSvdResult(Uout, ritz.sigma.subarray(0, k), Vt, {
      method: 'lanczos',
      matvecs: this.matvecs,
      transposed: o.transpose,
      restarts: o.restarts,
      ncv: p,
      residuals,
      tol: o.tol,
    });
  }

  // A v_j -> U[:, dst] (transposed: A^T u_j -> V[:, dst]).
  private product(transposed: boolean, src: number, dst: number): void {
    const from = transposed ? this.U : this.V;
    const to = transposed ? this.V : this.U;
    const x = from.col(src);
    const y = to.col(dst);
    this.matvecs++;
    const { xs, ys } = this;
    if (!xs || !ys) {
      if (transposed) this.P.applyTranspose(x, y);
      else this.P.apply(x, y);
      return;
    }
    // float32 operator: convert the vector in and the product out; the basis stays float64.
    const xr = xs.rowRange(0, x.rows);
    const yr = ys.rowRange(0, y.rows);
    copyVector(x, xr);
    if (transposed) this.P.applyTranspose(xr, yr);
    else this.P.apply(xr, yr);
    copyVector(yr, y);
  }

  // After two Gram-Schmidt passes what remains of a vector inside the span is rounding,
  // about eps ||w|| sqrt(j); below that (or exactly zero) the direction is meaningless.
  private brokeDown(norm: number, before: number, j: number): boolean {
    return norm <= 64 * this.eps * Math.sqrt(j + 1) * Math.max(before, this.normEst);
  }

  // Column j of Q (rows x ...): a seeded random unit vector orthogonal to columns 0..j-1.
  private randomOrthogonal(Qm: Matrix, j: number, rows: number): void {
    const g = kernels();
    const o = Qm.offset + j * Qm.colStride;
    const d = Qm.data;
    for (let attempt = 0; attempt < 3; attempt++) {
      for (let i = 0; i < rows; i++) d[o + i] = this.rand.nextNormal();
      // Twice, unconditionally: a random vector may lie close to the span.
      orthogonalize(rows, j, d, Qm.offset, Qm.colStride, d, o, this.coef, this.tmp);
      const nrm = orthogonalize(rows, j, d, Qm.offset, Qm.colStride, d, o, this.coef, this.tmp);
      if (nrm > 1e-8 * Math.sqrt(rows)) {
        g.scal(rows, 1 / nrm, d, o, 1);
        return;
      }
    }
    d.fill(0, o, o + rows);
  }
}

function copyVector(from: Matrix, to: Matrix): void {
  const a: FloatArray = from.data;
  const b: FloatArray = to.data;
  const n = from.rows;
  for (let i = 0; i < n; i++) b[to.offset + i] = a[from.offset + i]!;
}
