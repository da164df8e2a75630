/**
 * A few eigenpairs of a large symmetric matrix or operator: scipy's `eigsh`.
 *
 * Method: thick-restart Lanczos (Wu & Simon, "Thick-restart Lanczos method for large
 * symmetric eigenvalue problems", SIAM J. Matrix Anal. Appl. 22(2), 2000), the method of
 * TRLan, mathematically equivalent to ARPACK's implicitly restarted Lanczos (Lehoucq &
 * Sorensen 1996) with exact shifts but simpler: after m steps with the orthonormal basis
 * V_m (n x m),
 *
 *     A V_m = V_m T_m + beta_m v_{m+1} e_m^T,
 *
 * the Ritz pairs (theta_i, V_m y_i) of T_m = Y diag(theta) Y^T have residual norms
 * ||A x_i - theta_i x_i|| = |beta_m e_m^T y_i|. A restart keeps l Ritz vectors (the wanted
 * ones and some next to them) and v_{m+1}; in that basis T becomes an arrowhead
 *
 *     T_{l+1} = [diag(theta_1..l)  s; s^T  alpha],   s_i = beta_m e_m^T y_i,
 *
 * and the three-term recurrence continues from there. Each step subtracts the terms the
 * recurrence predicts (the arrow after a restart, beta_{j-1} v_{j-1} and alpha_j v_j
 * otherwise), then measures the new vector's components along the whole basis (one gemv)
 * and removes them (a second gemv, classical Gram-Schmidt with the DGKS correction) when
 * any exceeds 1e-12 of its norm: full reorthogonalization, checked by measurement, whose
 * subtraction pass runs in about 40% of the steps. (Blocking it, orthogonalizing several
 * vectors per pass with gemm, measured slower than gemv for these skinny shapes.) The
 * restart forms the kept Ritz vectors V_m Y_l with one gemm per block of rows.
 *
 * Smallest eigenvalues ('SA', e.g. of graph Laplacians). A Krylov space of A is also one of
 * c I - A, so folding the spectrum with a Gershgorin bound (running 'LA' on c I - A) gives
 * exactly the iterates of 'SA' on A: it gains nothing for Lanczos, and 'SA' runs on A
 * directly. What does change the convergence is a spectral transformation: with `sigma`,
 * Lanczos runs on (A - sigma I)^{-1} (the eigenvalues nearest sigma become the largest in
 * magnitude), factored once by LU. lowrank has no sparse LDL^T / Cholesky yet, so
 * shift-invert needs A dense (or a sparse A small enough to factor densely, n <= 4096); for
 * large sparse matrices 'SA' uses plain thick-restart Lanczos, whose restarts keep the
 * converging end of the spectrum, or `method: 'lobpcg'` (Knyazev 2001) with a preconditioner
 * when a good one is known (see eigsh-lobpcg.ts).
 *
 * Tiny problems (n <= 200, or a basis that would span the whole space) are solved by the
 * dense eigh of the (projected) matrix.
 */
import { InvalidArgumentError, NonFiniteInputError, ShapeError, UnsupportedError } from '../errors.js';
import { runSteps, runStepsAsync, type FitSteps } from '../fit-async.js';
import { kernels } from '../kernels/index.js';
import { csrMatmat, csrMatvec } from '../kernels/sparse.js';
import { Workspace } from '../kernels/workspace.js';
import { eigh } from '../linalg/eigh.js';
import { lu } from '../linalg/lu.js';
import { gemmInto } from '../linalg/matmul.js';
import { qr } from '../linalg/qr.js';
import { Matrix } from '../matrix/matrix.js';
import type { LinearOperator } from '../matrix/operator.js';
import { bool, int, LONG_TASK_OPTIONS, maybe, num, oneOf, opt, randomStateRule, resolveOptions, satisfies, tableFor } from '../options.js';
import { checkAborted, type LongTaskOptions } from '../progress.js';
import { rng, type RandomState, type Rng } from '../random.js';
import { CscMatrix } from '../sparse/csc.js';
import { CsrMatrix } from '../sparse/csr.js';
import { checkProduct, csrArraysOf, densify, dtypeOf, shapeOf, vectorProduct, type VectorProduct } from './krylov-input.js';
import { orthogonalize } from './orthonormalize.js';
import { productsOf } from './products.js';
import type { MatrixLike } from './operator.js';
import { lobpcgSteps } from './eigsh-lobpcg.js';
import { convergedPairs, keptOnRestart, KrylovBasis, restartsExhausted, startVectorRule } from './restarted-krylov.js';

/** Which eigenvalues {@link eigsh} finds: largest algebraic ('LA'), smallest algebraic ('SA'), largest magnitude ('LM'). */
export const EIGSH_WHICH = ['LA', 'SA', 'LM'] as const;
/** Which eigenvalues {@link eigsh} finds (scipy's `which`). */
export type EigshWhich = (typeof EIGSH_WHICH)[number];

/** Methods of {@link eigsh}. */
export const EIGSH_METHODS = ['lanczos', 'lobpcg'] as const;
/** A method of {@link eigsh}: thick-restart Lanczos (default) or LOBPCG. */
export type EigshMethod = (typeof EIGSH_METHODS)[number];

/** What {@link eigsh} accepts: a dense symmetric Matrix, a symmetric CSR/CSC matrix or a symmetric LinearOperator. */
export type SymmetricInput = Matrix | CsrMatrix | CscMatrix | LinearOperator;

/** Options of {@link eigsh}. Unknown keys are an error. */
export interface EigshOptions extends LongTaskOptions {
  /**
   * Which eigenvalues: 'LA' largest algebraic, 'SA' smallest algebraic, 'LM' largest
   * magnitude (default, as scipy). With `sigma` the choice applies to 1 / (lambda - sigma):
   * 'LM' gives the eigenvalues nearest sigma, 'LA' those just above it, 'SA' just below.
   */
  which?: EigshWhich;
  /**
   * Shift-invert: find eigenvalues near sigma by running Lanczos on (A - sigma I)^{-1},
   * factored once by LU (a dense A, or a sparse A with n <= 4096, densified for it; lowrank
   * has no sparse factorization). Converges in a few restarts where plain Lanczos crawls
   * (the smallest eigenvalues of a Laplacian: sigma slightly below 0). Not with 'lobpcg'.
   */
  sigma?: number;
  /**
   * Stop when every one of the k residuals ||A v_i - lambda_i v_i|| is <= tol ||A|| (||A||
   * estimated by the largest |Ritz value|). The eigenvalue error is then at most the
   * residual, and usually its square over the gap to the next eigenvalue. Default 1e-10
   * (1e-5 for float32 input), in (0, 1).
   */
  tol?: number;
  /**
   * Cap on restarts (Lanczos) or iterations (LOBPCG); a ConvergenceError beyond it. Default
   * 10 n for Lanczos (scipy's eigsh), 1000 for LOBPCG.
   */
  maxIter?: number;
  /**
   * Lanczos basis size (scipy's ncv), k < ncv <= n - (columns of `deflate`). Larger bases
   * need fewer restarts; each step's reorthogonalization costs 4 n ncv flops. Default
   * min(n, max(2k + 1, k + 20)).
   */
  ncv?: number;
  /** Start vector (length n); default a seeded random vector. */
  v0?: ArrayLike<number>;
  /** Seed (or generator) of the random start and of restarts after a breakdown; default 0. */
  seed?: RandomState;
  /**
   * Known eigenvectors to leave out (n x c, any basis of their span): the iteration runs on
   * the orthogonal complement, so it returns the next eigenpairs. For the null space of a
   * Laplacian of a disconnected graph (one vector per component), which a single-vector
   * Krylov method sees only once.
   */
  deflate?: Matrix;
  /** 'lanczos' (default: thick-restart Lanczos) or 'lobpcg' (block method; see {@link EigshOptions.preconditioner}). */
  method?: EigshMethod;
  /**
   * LOBPCG only: T, applied to blocks of residuals (n x b -> n x b), approximating
   * (A - theta I)^{-1} for the wanted theta; symmetric positive definite. Default none.
   */
  preconditioner?: (R: Matrix) => Matrix;
  /**
   * Check that A is symmetric first (default true): exactly for matrices (an entry and its
   * mirror may differ by 1e-10 max|a_ij|), by a random probe x^T A y = y^T A x for operators.
   */
  checkSymmetry?: boolean;
}

const EIGSH_OPTIONS = tableFor<EigshOptions>()({
  which: opt(oneOf(EIGSH_WHICH), 'LM'),
  sigma: maybe(num()),
  tol: maybe(num(0, 1, 'both')),
  maxIter: maybe(int(0)),
  ncv: maybe(int(2)),
  v0: maybe(startVectorRule),
  seed: opt(randomStateRule, 0),
  deflate: maybe(satisfies('a Matrix', (v): v is Matrix => v instanceof Matrix)),
  method: opt(oneOf(EIGSH_METHODS), 'lanczos'),
  preconditioner: maybe(satisfies('a function', (v): v is (R: Matrix) => Matrix => typeof v === 'function')),
  checkSymmetry: opt(bool, true),
  ...LONG_TASK_OPTIONS,
});

/** How {@link eigsh} computed its result. */
export interface EigshInfo {
  /** 'lanczos', 'lobpcg', or 'dense' (eigh of the whole matrix: tiny problems). */
  readonly method: 'lanczos' | 'lobpcg' | 'dense';
  /** 'regular', or 'shift-invert' when `sigma` was given. */
  readonly mode: 'regular' | 'shift-invert';
  /** The `which` that was used. */
  readonly which: EigshWhich;
  /** Restarts (Lanczos) or iterations (LOBPCG) run; 0 for 'dense'. */
  readonly restarts: number;
  /** Products with A (or solves with A - sigma I) taken; vectors of a block count one each. */
  readonly matvecs: number;
  /** Lanczos basis size (LOBPCG: the block size); n for 'dense'. */
  readonly ncv: number;
  /**
   * Lanczos: steps whose new vector had to be reorthogonalized, i.e. was measured more than
   * 1e-12 from orthogonal to an earlier one (the others skip that pass); 0 otherwise.
   */
  readonly reorthogonalizations: number;
  /** ||A v_i - w_i v_i|| of each returned pair, computed from A at the end (aligned with w). */
  readonly residuals: Float64Array;
  /** The tolerance: residuals are <= tol * normEstimate. */
  readonly tol: number;
  /** The estimate of ||A|| the tolerance scales (the largest |eigenvalue| seen). */
  readonly normEstimate: number;
}

/** Result of {@link eigsh}: A V = V diag(w) for the k wanted eigenpairs. */
export interface EigshResult {
  /** The k eigenvalues, ascending (as scipy returns them). */
  readonly w: Float64Array;
  /** n x k orthonormal eigenvectors, column i for w[i]; the entry of largest magnitude of each is positive. */
  readonly V: Matrix;
  /** Iterations, products and the residual of each pair. */
  readonly info: EigshInfo;
}

/** Dense eigh is used at or below this order. */
const DENSE_MAX = 200;
/** Sparse matrices up to this order are densified for shift-invert's LU. */
const SHIFT_INVERT_SPARSE_MAX = 4096;

/**
 * k eigenvalues and eigenvectors of a symmetric matrix or operator by thick-restart
 * Lanczos (see the file comment), to a residual tolerance: scipy.sparse.linalg.eigsh.
 *
 * The input is never densified (except for tiny problems and shift-invert of small sparse
 * matrices): only products A x are taken, in WebAssembly for CSR/CSC matrices.
 *
 * Limitation shared with every single-vector Krylov method (ARPACK's too): an exactly
 * repeated eigenvalue is seen once by the Krylov space, and its other copies only appear
 * through rounding; deflate known eigenvectors (`deflate`), or use `method: 'lobpcg'` with
 * a block at least as large as the multiplicity.
 *
 * Cost per restart: ncv - l products with A (l <= about (ncv + k) / 2 kept vectors), about
 * 4 n ncv flops of reorthogonalization per product, the eigh of an ncv x ncv matrix and
 * 2 n ncv l flops to form the kept Ritz vectors. Memory: n (ncv + 1) float64 numbers.
 *
 * @param A - symmetric n x n: dense Matrix, CsrMatrix, CscMatrix or LinearOperator.
 * @param k - number of eigenpairs, 1 <= k <= n (minus the columns of `deflate`).
 * @param options - {@link EigshOptions}.
 * @returns w (ascending), V (n x k), info (restarts, products, residuals).
 * @throws ShapeError for a non-square A; InvalidArgumentError for a bad k or option, or an
 * A that is not symmetric (naming an entry and its mirror); NonFiniteInputError on NaN/Inf;
 * UnsupportedError for sigma with a large sparse matrix or an operator; ConvergenceError
 * after maxIter restarts; AbortedError when `signal` fires.
 * @example
 * const { w, V } = eigsh(laplacianCsr, 6, { which: 'SA' });
 * const near = eigsh(A, 4, { sigma: 1.5 });  // the 4 eigenvalues nearest 1.5
 */
export function eigsh(A: SymmetricInput, k: number, options: EigshOptions = {}): EigshResult {
  return runSteps(eigshSteps(A, k, options), options.signal, 'eigsh');
}

/**
 * {@link eigsh} without blocking the event loop: the same steps, with a turn of the event
 * loop between them (see fit-async.ts), so a signal such as `AbortSignal.timeout(ms)` stops
 * it within about one Lanczos step.
 */
export function eigshAsync(A: SymmetricInput, k: number, options: EigshOptions = {}): Promise<EigshResult> {
  return runStepsAsync(eigshSteps(A, k, options), options.signal, 'eigsh');
}

/**
 * {@link eigsh} as steps (see FitSteps in fit-async.ts): yields after each Lanczos step and
 * each restart. Nothing runs before the first `next()`; the workspace is released in a
 * `finally`.
 */
export function* eigshSteps(A: SymmetricInput, k: number, options: EigshOptions = {}): FitSteps<EigshResult> {
  const routine = 'eigsh';
  const o = resolveOptions(routine, EIGSH_OPTIONS, options);
  const shape = shapeOf(A, routine);
  const n = shape[0];
  if (shape[0] !== shape[1]) throw new ShapeError(`${routine}: A is ${shape[0]}x${shape[1]}; eigsh needs a square symmetric matrix`);
  if (n === 0) throw new InvalidArgumentError(`${routine}: A is 0x0; there are no eigenvalues to find`);
  const dtype = dtypeOf(A);
  const tol = o.tol ?? (dtype === 'float32' ? 1e-5 : 1e-10);
  const shiftInvert = o.sigma !== undefined;
  if (shiftInvert && o.method === 'lobpcg') throw new InvalidArgumentError(`${routine}: sigma (shift-invert) is for method 'lanczos'; LOBPCG takes a preconditioner instead`);
  if (o.preconditioner && o.method !== 'lobpcg') throw new InvalidArgumentError(`${routine}: a preconditioner is for method 'lobpcg'`);
  if (o.v0 !== undefined && o.v0.length !== n) throw new ShapeError(`${routine}: v0 has ${o.v0.length} entries, A is ${n}x${n}`);
  if (o.deflate && o.deflate.rows !== n) throw new ShapeError(`${routine}: deflate has ${o.deflate.rows} rows, A is ${n}x${n}`);
  const c = o.deflate?.cols ?? 0;
  if (!(Number.isInteger(k) && k >= 1 && k <= n - c)) {
    throw new InvalidArgumentError(`${routine}: k must be an integer in [1, ${n - c}] (n = ${n}${c ? ` minus ${c} deflated vectors` : ''}), got ${k}`);
  }
  const maxIter = o.maxIter ?? (o.method === 'lobpcg' ? 1000 : 10 * n);
  if (o.checkSymmetry) checkSymmetric(A, routine, o.seed);
  checkAborted(o.signal, routine);

  const rand = rng(o.seed);
  const Z = c > 0 ? orthonormalDeflation(o.deflate!, routine) : undefined;
  const m = n - (Z?.cols ?? 0);
  const ncv = o.ncv ?? Math.min(m, Math.max(2 * k + 1, k + 20));
  if (o.method === 'lanczos' && (n <= DENSE_MAX || ncv >= m || k >= m - 1)) {
    if (o.ncv !== undefined && o.ncv > m) throw new InvalidArgumentError(`${routine}: ncv must be <= ${m} (n${c ? ' minus the deflated vectors' : ''}), got ${o.ncv}`);
    if (n > 8192) throw new InvalidArgumentError(`${routine}: k = ${k} needs a basis larger than n - 1 = ${m - 1}; ask for fewer eigenpairs`);
    return denseEigsh(A, k, o.which, o.sigma, Z, tol, routine);
  }
  if (o.method === 'lanczos' && !(Number.isInteger(ncv) && ncv > k && ncv <= m)) {
    throw new InvalidArgumentError(`${routine}: ncv must be an integer with k < ncv <= ${m}; got ${ncv} for k = ${k}`);
  }

  const ws = new Workspace();
  try {
    if (o.method === 'lobpcg') {
      const r = yield* lobpcgSteps(symmetricBlocks(A, ws, routine, true), n, k, {
        which: o.which, tol, maxIter, seed: rand, Z, v0: o.v0, preconditioner: o.preconditioner, onProgress: o.onProgress, signal: o.signal,
      });
      return finish(A, r.X, r.theta, { method: 'lobpcg', mode: 'regular', which: o.which, restarts: r.iterations, matvecs: r.matvecs, ncv: r.blockSize, reorthogonalizations: 0, tol, normEstimate: r.normEstimate }, ws, routine);
    }
    const op = shiftInvert ? shiftInvertOperator(A, o.sigma!, routine) : vectorProduct(A, ws, routine, true);
    const run = new ThickRestartLanczos(op, n, ncv, Z, o.v0, rand, ws, routine);
    let restarts = 0;
    for (;;) {
      yield* run.extend();
      const ritz = run.ritz();
      const order = wantedOrder(ritz.theta, o.which);
      const normEst = run.normEstimate(ritz.theta);
      const { converged, worst } = convergedPairs(k, (i) => Math.abs(run.beta * ritz.Y[ncv - 1 + order[i]! * ncv]!), normEst, tol);
      o.onProgress?.({ stage: 'restart', done: converged, total: k, metrics: { restart: restarts, residual: worst } });
      if (converged === k) {
        // The Ritz vectors overwrite the basis' first k columns, column k is the residuals'
        // scratch: no new n x k blocks but the result.
        const X = run.ritzVectorsInPlace(ritz.Y, order, k);
        const theta = Float64Array.from({ length: k }, (_, i) => ritz.theta[order[i]!]!);
        const lambda = shiftInvert ? theta.map((nu) => o.sigma! + 1 / nu) : theta;
        return finish(A, X, lambda, {
          method: 'lanczos', mode: shiftInvert ? 'shift-invert' : 'regular', which: o.which, restarts, matvecs: run.matvecs, ncv, reorthogonalizations: run.reorthogonalized, tol,
          normEstimate: shiftInvert ? maxAbs(lambda) : normEst,
        }, ws, routine, run.column(k));
      }
      if (restarts >= maxIter) {
        const sa = o.which === 'SA' && !shiftInvert ? ', or use sigma (shift-invert) for the smallest eigenvalues' : '';
        throw restartsExhausted(routine, converged, k, tol, restarts, worst, ncv, `loosen tol${sa}`);
      }
      checkAborted(o.signal, routine);
      restarts++;
      run.restart(ritz, order, keptOnRestart(k, ncv, converged, ncv - 1));
      yield;
    }
  } finally {
    ws.release();
  }
}

// ------------------------------------------------------------------ input handling

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/**
 * Throw unless A is symmetric: matrices entry by entry (an entry and its mirror may differ
 * by 1e-10 max|a_ij|), operators by two random probes |x^T A y - y^T A x| <= 1e-8 ||A|| ||x|| ||y||.
 * The message names the first asymmetric entry and its mirror, then `advice`.
 * @internal
 */
export function checkSymmetric(A: SymmetricInput, routine: string, seed: RandomState = 0, advice = EIGSH_ADVICE): void {
  if (A instanceof CsrMatrix || A instanceof CscMatrix) return checkSymmetricSparse(A, routine, advice);
  if (A instanceof Matrix) return checkSymmetricDense(A, routine, advice);
  const n = A.shape[0];
  const r = rng(typeof seed === 'object' ? 12345 : seed);
  const X = Matrix.zeros(n, 2);
  for (let i = 0; i < 2 * n; i++) X.data[i] = r.nextNormal();
  const AX = A.apply(X);
  if (!(AX instanceof Matrix) || AX.rows !== n || AX.cols !== 2) throw new ShapeError(`${routine}: the operator's apply of an ${n}x2 block did not return an ${n}x2 matrix`);
  let xAy = 0;
  let yAx = 0;
  let nx = 0;
  let ny = 0;
  let nAx = 0;
  let nAy = 0;
  for (let i = 0; i < n; i++) {
    const x = X.get(i, 0);
    const y = X.get(i, 1);
    const ax = AX.get(i, 0);
    const ay = AX.get(i, 1);
    if (!Number.isFinite(ax) || !Number.isFinite(ay)) throw new NonFiniteInputError(`${routine}: the operator's product holds ${Number.isFinite(ax) ? ay : ax} at row ${i}`);
    xAy += x * ay;
    yAx += y * ax;
    nx += x * x;
    ny += y * y;
    nAx += ax * ax;
    nAy += ay * ay;
  }
  const scale = Math.sqrt(nAx * ny) + Math.sqrt(nAy * nx);
  if (Math.abs(xAy - yAx) > 1e-8 * scale) {
    throw new InvalidArgumentError(
      `${routine}: the operator is not symmetric: x^T A y = ${xAy.toPrecision(6)} but y^T A x = ${yAx.toPrecision(6)} for random x, y; ` +
      `${advice}; or checkSymmetry: false if it is symmetric up to rounding`,
    );
  }
}

const EIGSH_ADVICE = 'eigsh needs a symmetric matrix (use eigs for a nonsymmetric one, or symmetrize it: (A + A^T) / 2)';

function asymmetry(routine: string, i: number, j: number, aij: number, aji: number, advice: string): InvalidArgumentError {
  return new InvalidArgumentError(`${routine}: A is not symmetric: A[${i}, ${j}] = ${aij} but A[${j}, ${i}] = ${aji} (0-based); ${advice}`);
}

function checkSymmetricDense(A: Matrix, routine: string, advice: string): void {
  const n = A.rows;
  let big = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const v = A.get(i, j);
      if (!Number.isFinite(v)) throw new NonFiniteInputError(`${routine}: A holds ${v} at (${i}, ${j}); eigsh needs finite numbers`);
      big = Math.max(big, Math.abs(v));
    }
  }
  const slack = 1e-10 * big;
  for (let j = 0; j < n; j++) {
    for (let i = j + 1; i < n; i++) {
      const a = A.get(i, j);
      const b = A.get(j, i);
      if (Math.abs(a - b) > slack) throw asymmetry(routine, i, j, a, b, advice);
    }
  }
}

function checkSymmetricSparse(A: CsrMatrix | CscMatrix, routine: string, advice: string): void {
  // One pass over the canonical arrays (sorted, duplicates summed), no transpose: rows are
  // visited in order, and cursor[j] walks row j's entries right of the diagonal, which the
  // entries (i, j), j < i, of the later rows i must meet in increasing i. An entry on one
  // side only must be (near) zero. O(nnz + n) time, n extra integers.
  const S = A.sumDuplicates();
  const { indptr, indices, data } = S;
  const n = S.rows;
  let big = 0;
  for (let q = 0; q < data.length; q++) big = Math.max(big, Math.abs(data[q]!));
  const slack = 1e-10 * big;
  const csc = A instanceof CscMatrix;
  const fail = (i: number, j: number, a: number, b: number) => (csc ? asymmetry(routine, j, i, a, b, advice) : asymmetry(routine, i, j, a, b, advice));
  const cursor = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let q = indptr[i]!;
    const end = indptr[i + 1]!;
    while (q < end && indices[q]! < i) q++;
    if (q < end && indices[q] === i) q++;
    cursor[i] = q;
  }
  for (let i = 0; i < n; i++) {
    for (let q = indptr[i]!; q < indptr[i + 1]! && indices[q]! < i; q++) {
      const j = indices[q]!;
      // Upper entries (j, c) with c < i left unmatched: their mirrors (c, j) are missing.
      let p = cursor[j]!;
      const pe = indptr[j + 1]!;
      while (p < pe && indices[p]! < i) {
        if (Math.abs(data[p]!) > slack) throw fail(j, indices[p]!, data[p]!, 0);
        p++;
      }
      const b = p < pe && indices[p] === i ? data[p++]! : 0;
      cursor[j] = p;
      if (Math.abs(data[q]! - b) > slack) throw fail(j, i, b, data[q]!);
    }
  }
  // Upper entries never met by a lower one.
  for (let j = 0; j < n; j++) {
    for (let p = cursor[j]!; p < indptr[j + 1]!; p++) {
      if (Math.abs(data[p]!) > slack) throw fail(j, indices[p]!, data[p]!, 0);
    }
  }
}

/** An orthonormal basis of the deflation vectors' span (QR), checked. */
function orthonormalDeflation(D: Matrix, routine: string): Matrix {
  for (let j = 0; j < D.cols; j++) {
    for (let i = 0; i < D.rows; i++) {
      if (!Number.isFinite(D.get(i, j))) throw new NonFiniteInputError(`${routine}: deflate holds ${D.get(i, j)} at (${i}, ${j})`);
    }
  }
  if (D.cols > D.rows) throw new InvalidArgumentError(`${routine}: deflate has ${D.cols} columns for n = ${D.rows}`);
  const Q = qr(D.copy({ dtype: 'float64' })).Q;
  return Q;
}

/** y := OP x for contiguous float64 column views (the Lanczos recurrence's product). */

/** Products of A with float64 column vectors: direct CSR kernels for sparse input. */
/** Y := A X for column-major float64 blocks (residuals at the end, LOBPCG's products). */
export type BlockProduct = (X: Matrix, Y: Matrix) => void;

/**
 * Block products with a symmetric A (sparse: one pass over A for all columns). `repeated`:
 * many products will follow (LOBPCG), so a dense A is packed once for gemm; otherwise
 * (the final residuals) it is multiplied where it is.
 */
export function symmetricBlocks(A: SymmetricInput, ws: Workspace, routine: string, repeated = false): BlockProduct {
  if (A instanceof CsrMatrix || A instanceof CscMatrix) {
    const { arrays } = csrArraysOf(A, true);
    return (X, Y) => {
      const out = csrMatmat(arrays, false, 1, X);
      for (let j = 0; j < X.cols; j++) {
        const o = Y.offset + j * Y.colStride;
        for (let i = 0; i < Y.rows; i++) Y.data[o + i] = out[i + j * Y.rows]!;
      }
    };
  }
  if (A instanceof Matrix && !repeated) return (X, Y) => gemmInto(A.dtype === 'float64' ? A : A.copy({ dtype: 'float64' }), X, Y);
  const P = productsOf(A as MatrixLike, false, ws, routine, { blocks: true });
  if (P.dtype === 'float64') return (X, Y) => P.apply(X, Y);
  return (X, Y) => {
    const Ys = Matrix.zeros(Y.rows, Y.cols, { dtype: P.dtype });
    P.apply(X.copy({ dtype: P.dtype }), Ys);
    for (let j = 0; j < Y.cols; j++) for (let i = 0; i < Y.rows; i++) Y.set(i, j, Ys.get(i, j));
  };
}

/** y := (A - sigma I)^{-1} x by an LU factorization made once. */
function shiftInvertOperator(A: SymmetricInput, sigma: number, routine: string): VectorProduct {
  const n = A.shape[0];
  if (!(A instanceof Matrix) && !((A instanceof CsrMatrix || A instanceof CscMatrix) && n <= SHIFT_INVERT_SPARSE_MAX)) {
    throw new UnsupportedError(
      `${routine}: sigma (shift-invert) needs A - sigma I factored, and lowrank has no sparse LDL^T or Cholesky yet: ` +
      `it works for dense matrices and sparse ones with n <= ${SHIFT_INVERT_SPARSE_MAX} (this one is ${n}x${n}` +
      `${A instanceof CsrMatrix || A instanceof CscMatrix ? '' : ', an operator'}); use which 'SA' / 'LA' without sigma, or method 'lobpcg' with a preconditioner`,
    );
  }
  const M = densify(A);
  for (let i = 0; i < n; i++) M.set(i, i, M.get(i, i) - sigma);
  const f = lu(M);
  if (f.singular) {
    throw new InvalidArgumentError(`${routine}: A - sigma I is singular for sigma = ${sigma} (sigma is an eigenvalue of A, to working precision); move sigma slightly`);
  }
  return (x, y) => {
    const s = f.solve(x.copy());
    for (let i = 0; i < n; i++) y.data[y.offset + i] = s.data[i]!;
  };
}

// ------------------------------------------------------------------ selection

/** Indices of `theta` ordered from most to least wanted. */
export function wantedOrder(theta: ArrayLike<number>, which: EigshWhich): Int32Array {
  const idx = Int32Array.from({ length: theta.length }, (_, i) => i);
  const key = (i: number): number => {
    const t = theta[i]!;
    return which === 'LA' ? -t : which === 'SA' ? t : -Math.abs(t);
  };
  return idx.sort((a, b) => key(a) - key(b) || a - b);
}

// ------------------------------------------------------------------ the dense route

function denseEigsh(
  A: SymmetricInput, k: number, which: EigshWhich, sigma: number | undefined, Z: Matrix | undefined, tol: number, routine: string,
): EigshResult {
  const n = A.shape[0];
  let M = densify(A);
  // Symmetrize what rounding left (the lower triangle is what eigh reads).
  let Q: Matrix | undefined;
  if (Z) {
    // An orthonormal basis of the complement of span(Z): the last n - c columns of the
    // complete Q of Z's QR.
    Q = qr(Z, { mode: 'complete' }).Q.colRange(Z.cols, n).copy();
    M = multiply(Q.T, multiply(M, Q));
  }
  const f = eigh(M);
  const lam = Float64Array.from(f.w);
  const key = sigma === undefined ? lam : lam.map((l) => 1 / (l - sigma));
  const order = wantedOrder(key, which);
  const pick = Array.from(order.subarray(0, k)).sort((a, b) => lam[a]! - lam[b]!);
  const w = Float64Array.from(pick, (i) => lam[i]!);
  const Vsmall = Matrix.zeros(f.V.rows, k);
  pick.forEach((i, c) => {
    for (let r = 0; r < f.V.rows; r++) Vsmall.set(r, c, f.V.get(r, i));
  });
  const V = Q ? multiply(Q, Vsmall) : Vsmall;
  flipColumns(V);
  const residuals = explicitResiduals(A, V, w, undefined, routine);
  const out = dtypeOf(A) === 'float32' ? V.copy({ dtype: 'float32' }) : V;
  return {
    w,
    V: out,
    info: { method: 'dense', mode: sigma === undefined ? 'regular' : 'shift-invert', which, restarts: 0, matvecs: 0, ncv: n, reorthogonalizations: 0, residuals, tol, normEstimate: maxAbs(lam) },
  };
}

function multiply(A: Matrix, B: Matrix): Matrix {
  const C = Matrix.zeros(A.rows, B.cols);
  const a = A.copy({ dtype: 'float64' });
  const b = B.copy({ dtype: 'float64' });
  kernels().gemm(false, false, A.rows, B.cols, A.cols, 1, a.data, 0, Math.max(1, A.rows), b.data, 0, Math.max(1, B.rows), 0, C.data, 0, Math.max(1, A.rows));
  return C;
}

// ------------------------------------------------------------------ results

/**
 * Residuals of the pairs (X, lambda) from A, then the result: ascending, signs fixed, in A's
 * dtype. `scratch` (an n x 1 column in the kernels' memory, e.g. a free column of the Lanczos
 * basis) spares a sparse A's residuals any new memory: on a VM where touching fresh pages
 * costs a millisecond per megabyte, every avoided n x k block counts at n = 200,000.
 */
function finish(
  A: SymmetricInput, X: Matrix, lambda: Float64Array,
  info: Omit<EigshInfo, 'residuals'>, ws: Workspace, routine: string, scratch?: Matrix,
): EigshResult {
  const k = lambda.length;
  const unsorted = explicitResiduals(A, X, lambda, ws, routine, scratch);
  const idx = Array.from({ length: k }, (_, i) => i).sort((a, b) => lambda[a]! - lambda[b]! || a - b);
  const n = X.rows;
  const V = Matrix.zeros(n, k, { dtype: dtypeOf(A) });
  const w = new Float64Array(k);
  const residuals = new Float64Array(k);
  idx.forEach((src, dst) => {
    w[dst] = lambda[src]!;
    residuals[dst] = unsorted[src]!;
    V.data.set(X.data.subarray(X.offset + src * X.colStride, X.offset + src * X.colStride + n), dst * n);
  });
  flipColumns(V);
  return { w, V, info: { ...info, residuals } };
}

/** The entry of largest magnitude of each column becomes positive (the first on ties). */
export function flipColumns(V: Matrix): void {
  const { data, offset, rowStride, colStride, rows } = V;
  for (let j = 0; j < V.cols; j++) {
    const o = offset + j * colStride;
    let best = -1;
    let sign = 1;
    for (let i = 0; i < rows; i++) {
      const v = data[o + i * rowStride]!;
      if (Math.abs(v) > best) {
        best = Math.abs(v);
        sign = v < 0 ? -1 : 1;
      }
    }
    if (sign < 0) for (let i = 0; i < rows; i++) data[o + i * rowStride] = -data[o + i * rowStride]!;
  }
}

/**
 * ||A v_i - w_i v_i|| for each column of V (float64, column-major): a sparse A one column at
 * a time with the matvec kernel (a block product converts both blocks to row-major and back,
 * which costs more than the k products here), into `scratch` when given (a column in the
 * kernels' memory), anything else with one block product.
 */
function explicitResiduals(A: SymmetricInput, V: Matrix, w: Float64Array, ws: Workspace | undefined, routine: string, scratch?: Matrix): Float64Array {
  const own = ws ?? new Workspace();
  const g = kernels();
  const n = V.rows;
  const out = new Float64Array(V.cols);
  try {
    if ((A instanceof CsrMatrix || A instanceof CscMatrix) && A.dtype === 'float64') {
      const y = scratch ? scratch.data.subarray(scratch.offset, scratch.offset + n) : own.alloc('float64', n, false);
      const { arrays } = csrArraysOf(A, true);
      for (let j = 0; j < V.cols; j++) {
        const x = V.data.subarray(V.offset + j * V.colStride, V.offset + j * V.colStride + n);
        csrMatvec(arrays, false, 1, x, 0, y);
        g.axpy(n, -w[j]!, x, 0, 1, y, 0, 1);
        out[j] = g.nrm2(n, y, 0, 1);
      }
      return out;
    }
    const AV = Matrix.zeros(n, V.cols);
    symmetricBlocks(A, own, routine)(V, AV);
    for (let j = 0; j < V.cols; j++) {
      g.axpy(n, -w[j]!, V.data, V.offset + j * V.colStride, 1, AV.data, j * n, 1);
      out[j] = g.nrm2(n, AV.data, j * n, 1);
    }
    return out;
  } finally {
    if (!ws) own.release();
  }
}

// ------------------------------------------------------------------ thick-restart Lanczos

/** Eigen-decomposition of the projected matrix: Ritz values (ascending) and vectors (m x m, column-major). */
interface Ritz {
  theta: Float64Array;
  Y: Float64Array;
}

/**
 * How far from orthogonal a new Lanczos vector may be to each earlier one (|v_j^T v_i|,
 * measured each step) before it is reorthogonalized: far below the 1e-10 the results need,
 * far above the rounding (about 1e-15) that a step leaves when the basis is orthogonal.
 */
const ORTHO_LEVEL = 1e-12;

/** Rows of the basis handled per gemm when forming Ritz vectors (bounds the scratch). */
const ROW_BLOCK = 4096;

/**
 * The state of a thick-restart Lanczos run: a {@link KrylovBasis} [Z, v_0 .. v_m] (the
 * deflated vectors Z first), the projected matrix and the residual.
 */
class ThickRestartLanczos extends KrylovBasis {
  /** m x m projected matrix, column-major, both triangles stored. */
  private readonly T: Float64Array;
  /** Kept Ritz vectors at the front of V after the last restart (the arrow's length). */
  private kept = 0;
  /** Steps whose new vector needed the subtraction pass of the reorthogonalization. */
  reorthogonalized = 0;

  constructor(op: VectorProduct, n: number, m: number, Z: Matrix | undefined, v0: ArrayLike<number> | undefined, rand: Rng, ws: Workspace, routine: string) {
    super(op, n, m, Z, v0, rand, ws, ROW_BLOCK, routine);
    this.T = new Float64Array(m * m);
  }

  /**
   * Run the recurrence from column j0 to m - 1, leaving v_m = r_m / beta in column m.
   * Yields after each step.
   */
  *extend(): Generator<void, void, void> {
    const { n, m, W, T } = this;
    const g = kernels();
    const ld = W.colStride;
    const d = W.data;
    for (let j = this.j0; j < m; j++) {
      const xo = this.col(j);
      const yo = this.col(j + 1);
      this.op(this.view(j), this.view(j + 1));
      this.matvecs++;
      checkProduct(d, yo, n, this.routine);
      const before = g.nrm2(n, d, yo, 1);
      // The terms the recurrence predicts: the arrow right after a restart, else beta v_{j-1}.
      if (j === this.j0 && this.kept > 0) {
        const l = this.kept;
        for (let i = 0; i < l; i++) this.tmp[i] = T[i + l * m]!;
        g.gemv(false, n, l, -1, d, this.col(0), ld, this.tmp, 0, 1, 1, d, yo, 1);
      } else if (j > 0) {
        g.axpy(n, -T[j - 1 + j * m]!, d, this.col(j - 1), 1, d, yo, 1);
      }
      let alpha = g.dot(n, d, xo, 1, d, yo, 1);
      g.axpy(n, -alpha, d, xo, 1, d, yo, 1);
      // Full reorthogonalization against [Z, v_0 .. v_j], measured first: h = [Z V]^T r by
      // one gemv. After the recurrence's own subtractions h is rounding, and r is removed
      // along the basis (a second gemv, classical Gram-Schmidt with the DGKS test) only when
      // some |h_i| exceeds ORTHO_LEVEL ||r||. Every vector is thus within ORTHO_LEVEL of
      // orthogonal to all before it, by measurement rather than by estimate (Simon's partial
      // reorthogonalization estimates the same inner products by a recurrence), and the
      // subtraction's pass over the basis runs only in the steps that need it.
      const cols = this.c + j + 1;
      g.gemv(true, n, cols, 1, d, W.offset, ld, d, yo, 1, 0, this.tmp, 0, 1);
      let beta = g.nrm2(n, d, yo, 1);
      let worst = 0;
      for (let i = 0; i < cols; i++) worst = Math.max(worst, Math.abs(this.tmp[i]!));
      alpha += this.tmp[this.c + j]!;
      if (worst > ORTHO_LEVEL * beta) {
        g.gemv(false, n, cols, -1, d, W.offset, ld, this.tmp, 0, 1, 1, d, yo, 1);
        const after = g.nrm2(n, d, yo, 1);
        // DGKS: the subtraction cancelled most of r, so what is left may still lean on the basis.
        this.coef.fill(0);
        beta = after < Math.SQRT1_2 * beta ? orthogonalize(n, cols, d, W.offset, ld, d, yo, this.coef, this.tmp) : after;
        alpha += this.coef[this.c + j]!;
        this.reorthogonalized++;
      }
      T[j + j * m] = alpha;
      this.normEst = Math.max(this.normEst, Math.abs(alpha), before);
      if (beta <= 64 * this.eps * Math.sqrt(j + 1) * Math.max(before, this.normEst)) {
        // An invariant subspace: T's eigenvalues so far are exact; continue from a fresh
        // direction orthogonal to everything (zero once the basis spans the space).
        beta = 0;
        this.randomOrthogonal(j + 1);
      } else {
        g.scal(n, 1 / beta, d, yo, 1);
      }
      if (j + 1 < m) {
        T[j + (j + 1) * m] = beta;
        T[j + 1 + j * m] = beta;
      }
      this.beta = beta;
      if (j + 1 < m) yield;
    }
    this.j0 = m;
  }

  /** Eigen-decomposition of T (m x m). */
  ritz(): Ritz {
    const f = eigh(new Matrix(this.T, this.m, this.m, 0, 1, this.m));
    return { theta: Float64Array.from(f.w), Y: f.V.toFlat() as Float64Array };
  }

  /** The running estimate of ||A||, updated with the current Ritz values. */
  normEstimate(theta: Float64Array): number {
    this.normEst = Math.max(this.normEst, maxAbs(theta));
    return this.normEst;
  }

  /**
   * Thick restart: v_i := V_m y_{order[i]} for i < l, v_l := v_m, T := the arrowhead
   * [diag(theta); s^T] with s_i = beta e_m^T y_{order[i]}.
   */
  restart(ritz: Ritz, order: Int32Array, l: number): void {
    const { m, T } = this;
    const Ysel = selectColumns(ritz.Y, m, order, l);
    this.combine(Ysel, l, this.W.data, this.col(0), this.W.colStride);
    this.W.data.copyWithin(this.col(l), this.col(m), this.col(m) + this.n);
    T.fill(0);
    for (let i = 0; i < l; i++) {
      T[i + i * m] = ritz.theta[order[i]!]!;
      const s = this.beta * Ysel[m - 1 + i * m]!;
      T[i + l * m] = s;
      T[l + i * m] = s;
    }
    this.j0 = l;
    this.kept = l;
  }

  /**
   * The k Ritz vectors V_m y_{order[i]}, written over the basis' first k columns (the basis
   * is spent); a view of them.
   */
  ritzVectorsInPlace(Y: Float64Array, order: Int32Array, k: number): Matrix {
    this.combine(selectColumns(Y, this.m, order, k), k, this.W.data, this.col(0), this.W.colStride);
    return new Matrix(this.W.data, this.n, k, this.col(0), 1, this.W.colStride);
  }

  /** Column j of the basis storage as an n x 1 view. */
  column(j: number): Matrix {
    return this.view(j);
  }
}

/** Columns order[0..l) of the m x m column-major Y, as an m x l column-major array. */
function selectColumns(Y: Float64Array, m: number, order: Int32Array, l: number): Float64Array {
  const out = new Float64Array(m * l);
  for (let i = 0; i < l; i++) out.set(Y.subarray(order[i]! * m, order[i]! * m + m), i * m);
  return out;
}

