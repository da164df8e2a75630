/**
 * Model reduction of stable linear time-invariant systems x' = A x + B u, y = C x + D u by
 * balanced truncation, and their frequency response.
 *
 * Balanced truncation (Moore, "Principal component analysis in linear systems", IEEE TAC
 * 26, 1981) keeps the states that are both easy to reach and easy to observe: in balanced
 * coordinates both Gramians equal diag(sigma), the Hankel singular values, and the reduced
 * model keeps the r states with the largest sigma. The square-root method (Laub, Heath,
 * Paige & Ward, IEEE TAC 32, 1987; Tombs & Postlethwaite 1987) never forms the Gramians or
 * the balancing transformation's inverse: with Cholesky-type factors Wc = Fc Fc^T and
 * Wo = Fo Fo^T (Hammarling's method, lyapunov.ts) and the SVD Fo^T Fc = U diag(sigma) V^T,
 *
 *   T = Fc V_r diag(sigma_r)^-1/2,   Ti = diag(sigma_r)^-1/2 U_r^T Fo^T,   Ti T = I_r,
 *
 * and (Ar, Br, Cr, Dr) = (Ti A T, Ti B, C T, D). The reduced model is stable and balanced,
 * and the error of its transfer function obeys the a-priori bound (Enns 1984, Glover 1984)
 *
 *   ||G - Gr||_inf <= 2 (sigma_{r+1} + ... + sigma_n).
 *
 * This is what SLICOT's AB09AD computes (python-control's `balred(sys, r,
 * method='truncate')`).
 */
import { InvalidArgumentError, ShapeError, SingularMatrixError } from '../../errors.js';
import { kernels } from '../../kernels/index.js';
import { requireSquare } from '../../linalg/args.js';
import { workCopy } from '../../linalg/lapack/dense.js';
import { gehrd, orghr } from '../../linalg/lapack/gehrd.js';
import { ROUNDOFF } from '../../linalg/lapack/machine.js';
import { withWorkspace } from '../../kernels/workspace.js';
import { svd } from '../../linalg/svd.js';
import { Matrix } from '../../matrix/matrix.js';
import { int, maybe, num, resolveOptions, tableFor, type Constraint } from '../../options.js';
import { gramianWork, type GramianWork } from './lyapunov.js';

/**
 * A continuous-time linear time-invariant system x' = A x + B u, y = C x + D u with n
 * states, m inputs and p outputs.
 */
export interface StateSpace {
  /** n x n state matrix. */
  readonly A: Matrix;
  /** n x m input matrix. */
  readonly B: Matrix;
  /** p x n output matrix. */
  readonly C: Matrix;
  /** p x m feedthrough; zero when omitted. */
  readonly D?: Matrix;
}

interface Checked {
  A: Matrix;
  B: Matrix;
  C: Matrix;
  D: Matrix;
  n: number;
  m: number;
  p: number;
}

function checkSystem(sys: StateSpace, routine: string): Checked {
  if (typeof sys !== 'object' || sys === null || !(sys.A instanceof Matrix) || !(sys.B instanceof Matrix) || !(sys.C instanceof Matrix)) {
    throw new InvalidArgumentError(`${routine}: the system must be an object { A, B, C, D? } of Matrix values`);
  }
  const { A, B, C } = sys;
  requireSquare(A, routine);
  const n = A.rows;
  if (B.rows !== n) throw new ShapeError(`${routine}: B must have ${n} rows like A (${n}x${n}), got ${B.rows}x${B.cols}`);
  if (C.cols !== n) throw new ShapeError(`${routine}: C must have ${n} columns like A (${n}x${n}), got ${C.rows}x${C.cols}`);
  const m = B.cols;
  const p = C.rows;
  let D = sys.D;
  if (D === undefined) D = Matrix.zeros(p, m);
  else if (!(D instanceof Matrix)) throw new InvalidArgumentError(`${routine}: D must be a Matrix or omitted`);
  else if (D.rows !== p || D.cols !== m) throw new ShapeError(`${routine}: D must be ${p}x${m} (outputs x inputs), got ${D.rows}x${D.cols}`);
  if (!D.isFinite()) throw new InvalidArgumentError(`${routine}: D holds NaN or Inf`);
  return { A, B, C, D, n, m, p };
}

// The factor product Fo^T Fc whose singular values are the Hankel singular values.
function hankelProduct(g: GramianWork): Matrix {
  const n = g.n;
  const H = Matrix.zeros(n, n);
  if (n > 0) kernels().gemm(true, false, n, n, n, 1, g.Fo!, 0, n, g.Fc!, 0, n, 0, H.data, 0, n);
  return H;
}

/**
 * The Hankel singular values of a stable system (python-control's
 * `hankel_singular_values(sys)`), descending: the square roots of the eigenvalues of
 * Wc Wo, computed as the singular values of Fo^T Fc from the Gramians' factors
 * (Hammarling's method), which keeps the small ones accurate to about eps sigma_1 instead of
 * sqrt(eps) sigma_1. They do not depend on D.
 * @param sys - the system { A, B, C, D? }.
 * @returns n values, descending, non-negative (Float64Array).
 * @throws ShapeError on inconsistent shapes; NonFiniteInputError on NaN or Inf.
 * @throws InvalidArgumentError when A is not stable, naming the offending eigenvalue.
 * @example
 * hankelSingularValues({ A, B, C });   // Float64Array [sigma_1, ..., sigma_n]
 */
export function hankelSingularValues(sys: StateSpace): Float64Array {
  const { A, B, C, n } = checkSystem(sys, 'hankelSingularValues');
  if (n === 0) return new Float64Array(0);
  return withWorkspace((ws) => {
    const g = gramianWork(A, B, C, 'hankelSingularValues', ws);
    return Float64Array.from(svd(hankelProduct(g)).s);
  });
}

/** Options of {@link balancedTruncation}: exactly one of `order` and `tol`. */
export interface BalancedTruncationOptions {
  /**
   * Order r of the reduced model, 0 <= r <= n. It may not exceed the system's numerical
   * minimal order (the number of Hankel singular values above n eps sigma_1, eps = 2^-53,
   * SLICOT AB09AD's default), since the balancing transformation divides by sqrt(sigma_r).
   */
  order?: number;
  /**
   * Keep the states whose Hankel singular value is above `tol` (absolute, >= 0), at most the
   * numerical minimal order; then the H-infinity error is at most 2 x the sum of the
   * discarded values, each <= tol.
   */
  tol?: number;
}

const BALANCED_TRUNCATION_OPTIONS = tableFor<BalancedTruncationOptions>()({
  order: maybe(int(0)),
  tol: maybe(num(0)),
});

const BALANCED_TRUNCATION_CONSTRAINTS: Constraint<typeof BALANCED_TRUNCATION_OPTIONS>[] = [
  { ok: (o) => (o.order === undefined) !== (o.tol === undefined), message: (o) => (o.order === undefined ? "give option 'order' (the reduced order) or 'tol' (a Hankel singular value threshold)" : "give either option 'order' or option 'tol', not both") },
];

/** The parts of a {@link BalancedTruncation}. */
interface BalancedParts {
  Ar: Matrix;
  Br: Matrix;
  Cr: Matrix;
  Dr: Matrix;
  T: Matrix;
  Ti: Matrix;
  hsv: Float64Array;
  minimalOrder: number;
}

/**
 * A reduced model from {@link balancedTruncation}: (Ar, Br, Cr, Dr) = (Ti A T, Ti B, C T, D),
 * balanced (both of its Gramians equal diag(hsv[0..r-1])) and stable.
 */
export class BalancedTruncation {
  /** r x r reduced state matrix Ti A T. */
  readonly Ar: Matrix;
  /** r x m reduced input matrix Ti B. */
  readonly Br: Matrix;
  /** p x r reduced output matrix C T. */
  readonly Cr: Matrix;
  /** p x m feedthrough, D unchanged (zero when the system had none). */
  readonly Dr: Matrix;
  /** n x r: the full state is approximately T xr. */
  readonly T: Matrix;
  /** r x n: the reduced state is xr = Ti x (Ti T = I). */
  readonly Ti: Matrix;
  /** All n Hankel singular values of the full system, descending. */
  readonly hsv: Float64Array;
  /** Number of Hankel singular values above n eps sigma_1 (eps = 2^-53): the order of a minimal realization, numerically. */
  readonly minimalOrder: number;

  /** @internal Built by {@link balancedTruncation}. */
  constructor(parts: BalancedParts) {
    this.Ar = parts.Ar;
    this.Br = parts.Br;
    this.Cr = parts.Cr;
    this.Dr = parts.Dr;
    this.T = parts.T;
    this.Ti = parts.Ti;
    this.hsv = parts.hsv;
    this.minimalOrder = parts.minimalOrder;
  }

  /** The reduced order r. */
  get order(): number {
    return this.Ar.rows;
  }

  /**
   * The a-priori bound on the H-infinity norm of the error, 2 (sigma_{r+1} + ... +
   * sigma_n): for every frequency w, ||G(iw) - Gr(iw)||_2 <= errorBound.
   */
  get errorBound(): number {
    let s = 0;
    for (let i = this.hsv.length - 1; i >= this.order; i--) s += this.hsv[i]!;
    return 2 * s;
  }

  /** The reduced model as a {@link StateSpace} { A: Ar, B: Br, C: Cr, D: Dr }. */
  get system(): StateSpace {
    return { A: this.Ar, B: this.Br, C: this.Cr, D: this.Dr };
  }
}

/**
 * Balanced truncation of a stable continuous-time system by the square-root method (see the
 * file comment): the Hankel singular values, the reduced model of order r, the
 * transformation, and the a-priori bound ||G - Gr||_inf <= 2 sum of the discarded Hankel
 * singular values. Matches python-control's `balred(sys, r, method='truncate')` (SLICOT
 * AB09AD) up to a change of state coordinates: the transfer function and the Hankel
 * singular values agree; the state-space matrices may differ by the signs of the states.
 *
 * Cost: one real Schur form of A (about 30 n^3 flops), Hammarling's method twice (about
 * 2 n^3), an n x n SVD and a few gemms.
 * @param sys - the system { A (n x n), B (n x m), C (p x n), D (p x m, optional) }.
 * @param options - {@link BalancedTruncationOptions}: `order` or `tol`.
 * @returns the {@link BalancedTruncation}: Ar, Br, Cr, Dr, hsv, errorBound, T, Ti (float64
 *   whatever the input's dtype: the Gramian factors are computed in float64).
 * @throws InvalidArgumentError when A is not stable (naming the eigenvalue with
 *   non-negative real part), for an order above n or above the numerical minimal order,
 *   for neither or both of order and tol, or an unknown option.
 * @throws ShapeError on inconsistent shapes; NonFiniteInputError on NaN or Inf.
 * @example
 * const red = balancedTruncation({ A, B, C }, { order: 4 });
 * red.hsv;          // Hankel singular values of the full model
 * red.errorBound;   // 2 (sigma_5 + ... + sigma_n)
 */
export function balancedTruncation(sys: StateSpace, options: BalancedTruncationOptions): BalancedTruncation {
  const { A, B, C, D, n, m, p } = checkSystem(sys, 'balancedTruncation');
  const o = resolveOptions('balancedTruncation', BALANCED_TRUNCATION_OPTIONS, options, BALANCED_TRUNCATION_CONSTRAINTS);
  if (o.order !== undefined && o.order > n) throw new InvalidArgumentError(`balancedTruncation: option 'order' must be at most the number of states ${n}, got ${o.order}`);
  return withWorkspace((ws) => {
    const g = gramianWork(A, B, C, 'balancedTruncation', ws);
    const f = n > 0 ? svd(hankelProduct(g)) : undefined;
    const hsv = f ? Float64Array.from(f.s) : new Float64Array(0);
    // SLICOT AB09AD's default tolerance for a minimal realization: n eps sigma_1, eps = 2^-53.
    const floor = n * ROUNDOFF * (hsv[0] ?? 0);
    let minimalOrder = 0;
    while (minimalOrder < n && hsv[minimalOrder]! > floor) minimalOrder++;
    let r: number;
    if (o.order !== undefined) {
      r = o.order;
      if (r > minimalOrder) {
        throw new InvalidArgumentError(
          `balancedTruncation: option 'order' must be at most ${minimalOrder}, the system's numerical minimal order (Hankel singular values ${minimalOrder < n ? `from sigma_${minimalOrder + 1} = ${hsv[minimalOrder]!.toExponential(2)} on are below n eps sigma_1 = ${floor.toExponential(2)}` : ''}); got ${r}`,
        );
      }
    } else {
      r = 0;
      while (r < minimalOrder && hsv[r]! > o.tol!) r++;
    }
    const k = kernels();
    // T = Fc V_r S^-1/2 (n x r), Ti = S^-1/2 U_r^T Fo^T (r x n).
    const T = Matrix.zeros(n, r);
    const Ti = Matrix.zeros(r, n);
    if (r > 0 && f) {
      const Vr = f.Vt.rowRange(0, r).transpose().copy(); // n x r
      const Ur = f.U.colRange(0, r).copy(); // n x r
      for (let j = 0; j < r; j++) {
        const sc = 1 / Math.sqrt(hsv[j]!);
        for (let i = 0; i < n; i++) {
          Vr.data[i + j * n] = Vr.data[i + j * n]! * sc;
          Ur.data[i + j * n] = Ur.data[i + j * n]! * sc;
        }
      }
      k.gemm(false, false, n, r, n, 1, g.Fc!, 0, n, Vr.data, 0, n, 0, T.data, 0, n);
      // Ti = Ur^T Fo^T = (Fo Ur)^T
      const FoUr = Matrix.zeros(n, r);
      k.gemm(false, false, n, r, n, 1, g.Fo!, 0, n, Ur.data, 0, n, 0, FoUr.data, 0, n);
      for (let j = 0; j < r; j++) for (let i = 0; i < n; i++) Ti.data[j + i * r] = FoUr.data[i + j * n]!;
    }
    const a = workCopy(A, 'balancedTruncation', ws, 'float64').a;
    const b = workCopy(B, 'balancedTruncation', ws, 'float64').a;
    const c = workCopy(C, 'balancedTruncation', ws, 'float64').a;
    const AT = Matrix.zeros(n, r);
    const Ar = Matrix.zeros(r, r);
    const Br = Matrix.zeros(r, m);
    const Cr = Matrix.zeros(p, r);
    if (r > 0) {
      k.gemm(false, false, n, r, n, 1, a, 0, n, T.data, 0, n, 0, AT.data, 0, n);
      k.gemm(false, false, r, r, n, 1, Ti.data, 0, r, AT.data, 0, n, 0, Ar.data, 0, r);
      if (m > 0) k.gemm(false, false, r, m, n, 1, Ti.data, 0, r, b, 0, n, 0, Br.data, 0, r);
      if (p > 0) k.gemm(false, false, p, r, n, 1, c, 0, p, T.data, 0, n, 0, Cr.data, 0, p);
    }
    const Dr = D.isColumnMajor && D.dtype === 'float64' ? D.copy() : D.copy({ dtype: 'float64' });
    return new BalancedTruncation({ Ar, Br, Cr, Dr, T, Ti, hsv, minimalOrder });
  });
}

/**
 * The frequency response G(i w) = C (i w I - A)^-1 B + D at each angular frequency w (in
 * radians per unit of time), one p x m complex matrix per frequency, as real and imaginary
 * parts.
 */
export interface FrequencyResponse {
  /** The angular frequencies w, as given. */
  readonly omega: Float64Array;
  /** Re G(i w_k), p x m, for each k. */
  readonly real: Matrix[];
  /** Im G(i w_k), p x m, for each k. */
  readonly imag: Matrix[];
  /** |G(i w_k)| entrywise, p x m, for each k (the Bode magnitude). */
  readonly magnitude: Matrix[];
}

/**
 * Frequency response of x' = A x + B u, y = C x + D u at the angular frequencies `omega`:
 * G(i w) = C (i w I - A)^-1 B + D (python-control's `sys(1j * w)`, SLICOT TB05AD's method).
 * A is reduced once to Hessenberg form H = Q^T A Q (B and C transformed along); each
 * frequency then costs one complex Hessenberg solve with partial pivoting, O(n^2 m) flops,
 * instead of an O(n^3) factorization. A need not be stable.
 * @param sys - the system { A, B, C, D? }.
 * @param omega - angular frequencies (finite numbers; any sign).
 * @returns {@link FrequencyResponse}.
 * @throws SingularMatrixError when i w is (numerically) an eigenvalue of A.
 * @throws ShapeError on inconsistent shapes; NonFiniteInputError on NaN or Inf;
 *   InvalidArgumentError for a non-finite frequency.
 * @example
 * const { magnitude } = frequencyResponse({ A, B, C }, [0.1, 1, 10]);
 */
export function frequencyResponse(sys: StateSpace, omega: ArrayLike<number>): FrequencyResponse {
  const { A, B, C, D, n, m, p } = checkSystem(sys, 'frequencyResponse');
  const w = Float64Array.from(omega);
  for (let k = 0; k < w.length; k++) if (!Number.isFinite(w[k]!)) throw new InvalidArgumentError(`frequencyResponse: frequency ${k} must be a finite number, got ${w[k]}`);
  const Dm = D.copy({ dtype: 'float64' });
  return withWorkspace((ws) => {
    const h = workCopy(A, 'frequencyResponse', ws, 'float64').a as Float64Array;
    const b = workCopy(B, 'frequencyResponse', ws, 'float64').a as Float64Array;
    const c = workCopy(C, 'frequencyResponse', ws, 'float64').a as Float64Array;
    const k = kernels();
    const Bt = new Float64Array(n * m);
    const Ct = new Float64Array(p * n);
    if (n > 0) {
      const tau = new Float64Array(Math.max(1, n - 1));
      gehrd(n, 0, n - 1, h, 0, n, tau, ws);
      const Q = ws.f64(n * n);
      orghr(n, 0, n - 1, h, 0, n, tau, Q, 0, n, ws);
      for (let j = 0; j < n; j++) for (let i = j + 2; i < n; i++) h[i + j * n] = 0;
      if (m > 0) k.gemm(true, false, n, m, n, 1, Q, 0, n, b, 0, n, 0, Bt, 0, n);
      if (p > 0) k.gemm(false, false, p, n, n, 1, c, 0, p, Q, 0, n, 0, Ct, 0, p);
    }
    const Mr = new Float64Array(n * n);
    const Mi = new Float64Array(n * n);
    const Xr = new Float64Array(n * m);
    const Xi = new Float64Array(n * m);
    const real: Matrix[] = [];
    const imag: Matrix[] = [];
    const magnitude: Matrix[] = [];
    for (let f = 0; f < w.length; f++) {
      const om = w[f]!;
      // M = i w I - H, X = Bt.
      for (let q = 0; q < n * n; q++) {
        Mr[q] = -h[q]!;
        Mi[q] = 0;
      }
      for (let i = 0; i < n; i++) Mi[i + i * n] = om;
      Xr.set(Bt);
      Xi.fill(0);
      hessenbergSolve(n, m, Mr, Mi, Xr, Xi, om);
      // G = Ct X + D.
      const Gr = Dm.copy();
      const Gi = Matrix.zeros(p, m);
      if (n > 0 && p > 0 && m > 0) {
        k.gemm(false, false, p, m, n, 1, Ct, 0, p, Xr, 0, n, 1, Gr.data, 0, p);
        k.gemm(false, false, p, m, n, 1, Ct, 0, p, Xi, 0, n, 0, Gi.data, 0, p);
      }
      real.push(Gr);
      imag.push(Gi);
      magnitude.push(Gr.map((v, i, j) => Math.hypot(v, Gi.get(i, j))));
    }
    return { omega: w, real, imag, magnitude };
  });
}

// Solve M X = X0 in place for the complex upper Hessenberg M = Mr + i Mi (n x n) and the
// n x m right-hand side Xr + i Xi: Gaussian elimination with partial pivoting, which for a
// Hessenberg matrix only ever compares rows k and k+1 (O(n^2) for M, O(n m) per step for X),
// then back substitution.
function hessenbergSolve(n: number, m: number, Mr: Float64Array, Mi: Float64Array, Xr: Float64Array, Xi: Float64Array, om: number): void {
  const singular = (): never => {
    throw new SingularMatrixError(`frequencyResponse: i w with w = ${om} is (numerically) an eigenvalue of A, so (i w I - A) is singular`);
  };
  for (let k = 0; k < n - 1; k++) {
    const kk = k + k * n;
    let ar = Mr[kk]!;
    let ai = Mi[kk]!;
    let br = Mr[kk + 1]!;
    let bi = Mi[kk + 1]!;
    if (Math.hypot(br, bi) > Math.hypot(ar, ai)) {
      for (let c = k; c < n; c++) {
        const p = k + c * n;
        let t = Mr[p]!;
        Mr[p] = Mr[p + 1]!;
        Mr[p + 1] = t;
        t = Mi[p]!;
        Mi[p] = Mi[p + 1]!;
        Mi[p + 1] = t;
      }
      for (let c = 0; c < m; c++) {
        const p = k + c * n;
        let t = Xr[p]!;
        Xr[p] = Xr[p + 1]!;
        Xr[p + 1] = t;
        t = Xi[p]!;
        Xi[p] = Xi[p + 1]!;
        Xi[p + 1] = t;
      }
      [ar, ai, br, bi] = [br, bi, ar, ai];
    }
    if (br === 0 && bi === 0) continue;
    if (ar === 0 && ai === 0) singular();
    // f = b / a
    const den = ar * ar + ai * ai;
    const fr = (br * ar + bi * ai) / den;
    const fi = (bi * ar - br * ai) / den;
    for (let c = k + 1; c < n; c++) {
      const p = k + c * n;
      const xr = Mr[p]!;
      const xi = Mi[p]!;
      Mr[p + 1] = Mr[p + 1]! - (fr * xr - fi * xi);
      Mi[p + 1] = Mi[p + 1]! - (fr * xi + fi * xr);
    }
    for (let c = 0; c < m; c++) {
      const p = k + c * n;
      const xr = Xr[p]!;
      const xi = Xi[p]!;
      Xr[p + 1] = Xr[p + 1]! - (fr * xr - fi * xi);
      Xi[p + 1] = Xi[p + 1]! - (fr * xi + fi * xr);
    }
  }
  for (let c = 0; c < m; c++) {
    const x = c * n;
    for (let k = n - 1; k >= 0; k--) {
      let sr = Xr[x + k]!;
      let si = Xi[x + k]!;
      for (let j = k + 1; j < n; j++) {
        const ar = Mr[k + j * n]!;
        const ai = Mi[k + j * n]!;
        const yr = Xr[x + j]!;
        const yi = Xi[x + j]!;
        sr -= ar * yr - ai * yi;
        si -= ar * yi + ai * yr;
      }
      const dr = Mr[k + k * n]!;
      const di = Mi[k + k * n]!;
      const den = dr * dr + di * di;
      if (den === 0) singular();
      Xr[x + k] = (sr * dr + si * di) / den;
      Xi[x + k] = (si * dr - sr * di) / den;
    }
  }
}
