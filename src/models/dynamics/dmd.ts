/**
 * Exact dynamic mode decomposition (Tu, Rowley, Luchtenburg, Brunton & Kutz, "On dynamic
 * mode decomposition: theory and applications", J. Comput. Dyn. 1(2), 2014; Schmid 2010):
 * the eigenvalues and eigenvectors of the best-fit linear map A with X2 ≈ A X1, where the
 * columns of X = [x_0 ... x_{m-1}] are snapshots of a system at equal time steps dt,
 * X1 = [x_0 ... x_{m-2}] and X2 = [x_1 ... x_{m-1}], without forming A (n x n):
 *
 * 1. the rank-r SVD X1 ≈ U S V^T;
 * 2. Atilde = U^T X2 V S^-1 (r x r), the projection of A = X2 X1^+ onto span(U);
 * 3. Atilde W = W Lambda (the eigenvalues lambda_j of A, complex in conjugate pairs);
 * 4. exact modes Phi = X2 V S^-1 W (Tu et al.'s Algorithm 2 up to each mode's scale 1/lambda_j,
 *    which the amplitudes absorb; the convention of Kutz, Brunton, Brunton & Proctor's book and
 *    PyDMD), eigenvectors of A = X2 V S^-1 U^T: A Phi = Phi Lambda;
 * 5. amplitudes b = Phi^+ x_0 (least squares);
 *
 * so that x_k ≈ Re(Phi diag(lambda^k) b) = Re(sum_j b_j lambda_j^k Phi_j). With
 * omega_j = log(lambda_j) / dt each mode grows like e^{Re(omega_j) t} and turns at
 * Im(omega_j) / 2pi cycles per unit of time.
 */
import { InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../errors.js';
import { eig } from '../../linalg/eig.js';
import { lstsq } from '../../linalg/lstsq.js';
import { matmul } from '../../linalg/matmul.js';
import { svd } from '../../linalg/svd.js';
import { Matrix } from '../../matrix/matrix.js';
import { int, maybe, num, opt, resolveOptions, tableFor } from '../../options.js';

/** Options of {@link dmd}. Unknown keys are an error. */
export interface DmdOptions {
  /**
   * Rank r of the SVD of X1 = [x_0 ... x_{m-2}]: the number of modes. Default: the
   * numerical rank of X1 (singular values above max(n, m - 1) eps s_1). At most that rank.
   */
  rank?: number;
  /** Time between snapshots, for the frequencies and growth rates; default 1. */
  dt?: number;
}

const DMD_OPTIONS = tableFor<DmdOptions>()({
  rank: maybe(int(1)),
  dt: opt(num(0, Infinity, 'low'), 1),
});

/** Options of {@link Dmd.predict}. */
export interface DmdPredictOptions {
  /**
   * Time index of the first state: 0 is the first snapshot, m (the default) the step after
   * the last one. Any integer (negative runs back in time).
   */
  from?: number;
}

interface DmdParts {
  wReal: Float64Array;
  wImag: Float64Array;
  modesReal: Matrix;
  modesImag: Matrix;
  bReal: Float64Array;
  bImag: Float64Array;
  dt: number;
  snapshots: number;
  singularValues: Float64Array;
}

/**
 * An exact DMD of a snapshot sequence (made by {@link dmd}). Modes are ordered by
 * decreasing |lambda| (the slowest-decaying first); a complex conjugate pair occupies
 * consecutive entries, positive imaginary part first, with conjugate modes and amplitudes.
 */
export class Dmd {
  /** Real parts of the eigenvalues lambda_j (length r). */
  readonly wReal: Float64Array;
  /** Imaginary parts of the eigenvalues lambda_j (length r). */
  readonly wImag: Float64Array;
  /** Real parts of the modes Phi (n x r, column j belongs to lambda_j). */
  readonly modesReal: Matrix;
  /** Imaginary parts of the modes Phi (n x r; zero columns for real eigenvalues). */
  readonly modesImag: Matrix;
  /** Real parts of the amplitudes b = Phi^+ x_0. */
  readonly amplitudesReal: Float64Array;
  /** Imaginary parts of the amplitudes b. */
  readonly amplitudesImag: Float64Array;
  /** Time between snapshots. */
  readonly dt: number;
  /** Number of snapshots m the decomposition was computed from. */
  readonly snapshots: number;
  /** Singular values of X1 = [x_0 ... x_{m-2}] (all of them, descending): the basis of the rank choice. */
  readonly singularValues: Float64Array;

  /** @internal Built by {@link dmd}. */
  constructor(parts: DmdParts) {
    this.wReal = parts.wReal;
    this.wImag = parts.wImag;
    this.modesReal = parts.modesReal;
    this.modesImag = parts.modesImag;
    this.amplitudesReal = parts.bReal;
    this.amplitudesImag = parts.bImag;
    this.dt = parts.dt;
    this.snapshots = parts.snapshots;
    this.singularValues = parts.singularValues;
  }

  /** Number of modes r. */
  get rank(): number {
    return this.wReal.length;
  }

  /** Moduli |lambda_j| (> 1 grows, < 1 decays, per step). */
  get magnitudes(): Float64Array {
    return this.wReal.map((re, j) => Math.hypot(re, this.wImag[j]!));
  }

  /** Frequencies Im(omega_j) / 2pi = arg(lambda_j) / (2 pi dt), cycles per unit of time (negative for the second of a pair). */
  get frequencies(): Float64Array {
    return this.wReal.map((re, j) => Math.atan2(this.wImag[j]!, re) / (2 * Math.PI * this.dt));
  }

  /** Growth rates Re(omega_j) = ln|lambda_j| / dt (< 0 decays; -Infinity for lambda = 0). */
  get growthRates(): Float64Array {
    return this.wReal.map((re, j) => Math.log(Math.hypot(re, this.wImag[j]!)) / this.dt);
  }

  /**
   * The states x_k = Re(Phi diag(lambda^k) b) for k = from, ..., from + steps - 1: by
   * default the `steps` states after the last snapshot (from = m). With from = 0 and
   * steps = m it is the DMD's reconstruction of the snapshots.
   * @returns n x steps, one state per column.
   * @throws InvalidArgumentError for a negative or non-integer `steps` or `from`.
   * @example
   * const next = dmd(X, { rank: 4 }).predict(10);   // 10 states after the last column of X
   */
  predict(steps: number, options: DmdPredictOptions = {}): Matrix {
    if (!(Number.isSafeInteger(steps) && steps >= 0)) throw new InvalidArgumentError(`Dmd.predict: steps must be an integer >= 0, got ${String(steps)}`);
    const from = options.from ?? this.snapshots;
    if (!Number.isSafeInteger(from)) throw new InvalidArgumentError(`Dmd.predict: option 'from' must be an integer, got ${String(from)}`);
    const r = this.rank;
    // C[j, t] = b_j lambda_j^(from + t), by polar form (exact powers of the modulus and angle).
    const Cre = Matrix.zeros(r, steps);
    const Cim = Matrix.zeros(r, steps);
    for (let j = 0; j < r; j++) {
      const lr = this.wReal[j]!;
      const li = this.wImag[j]!;
      const rho = Math.hypot(lr, li);
      const theta = Math.atan2(li, lr);
      const br = this.amplitudesReal[j]!;
      const bi = this.amplitudesImag[j]!;
      for (let t = 0; t < steps; t++) {
        const k = from + t;
        const mod = k === 0 ? 1 : rho ** k;
        const pr = mod * Math.cos(k * theta);
        const pi = mod * Math.sin(k * theta);
        Cre.set(j, t, br * pr - bi * pi);
        Cim.set(j, t, br * pi + bi * pr);
      }
    }
    // Re(Phi C) = Phi_re C_re - Phi_im C_im.
    return matmul(this.modesReal, Cre).sub(matmul(this.modesImag, Cim));
  }
}

/**
 * Exact dynamic mode decomposition of snapshots X = [x_0 ... x_{m-1}] (columns, equally
 * spaced by dt): see the module comment and {@link Dmd}.
 *
 * Cost: a thin SVD of the n x (m - 1) X1, two n x (m - 1) by (m - 1) x r products, an
 * r x r eigendecomposition and a 2n x 2r least-squares solve for the amplitudes.
 * @param X - n x m snapshot matrix, m >= 2, finite.
 * @param options - `rank` (default: the numerical rank of X1) and `dt` (default 1).
 * @throws ShapeError for fewer than 2 snapshots or no rows; NonFiniteInputError for NaN or
 *   Inf (naming the entry); InvalidArgumentError for a rank above the numerical rank of X1
 *   (the projected map would divide by zero singular values) or a bad option.
 * @example
 * const f = dmd(X, { rank: 6, dt: 0.1 });
 * f.wReal, f.wImag;          // eigenvalues
 * f.frequencies;             // Hz when dt is in seconds
 * const future = f.predict(20);
 */
export function dmd(X: Matrix, options?: DmdOptions): Dmd {
  const o = resolveOptions('dmd', DMD_OPTIONS, options);
  if (!(X instanceof Matrix)) throw new InvalidArgumentError('dmd: X must be a Matrix whose columns are the snapshots');
  const n = X.rows;
  const m = X.cols;
  if (m < 2 || n < 1) throw new ShapeError(`dmd: X is ${n}x${m}; DMD needs at least one row and two snapshots (columns)`);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) {
      const v = X.get(i, j);
      if (!Number.isFinite(v)) throw new NonFiniteInputError(`dmd: X holds ${v} at row ${i}, column ${j} (0-based); DMD needs finite snapshots`);
    }
  }
  const Xd = X.dtype === 'float64' ? X : X.astype('float64');
  const X1 = Xd.colRange(0, m - 1);
  const X2 = Xd.colRange(1, m);
  const f = svd(X1);
  const s = Float64Array.from(f.s);
  const tol = Math.max(n, m - 1) * 2 ** -52 * (s[0] ?? 0);
  let numerical = 0;
  while (numerical < s.length && s[numerical]! > tol) numerical++;
  if (numerical === 0) throw new InvalidArgumentError('dmd: the snapshots x_0 .. x_{m-2} are all zero; DMD needs a nonzero sequence');
  const r = o.rank ?? numerical;
  if (r > numerical) {
    throw new InvalidArgumentError(`dmd: rank ${r} exceeds the numerical rank ${numerical} of X1 = [x_0 ... x_{m-2}] (${n}x${m - 1}, singular values down to ${s[s.length - 1]!.toPrecision(3)}); use rank <= ${numerical}`);
  }
  const Ur = f.U.colRange(0, r);
  const Vr = f.Vt.rowRange(0, r).T;
  // B = X2 V S^-1 (n x r): the columns of X2 V scaled by 1/s_i.
  const B = matmul(X2, Vr);
  for (let c = 0; c < r; c++) for (let i = 0; i < n; i++) B.set(i, c, B.get(i, c) / s[c]!);
  const Atilde = matmul(Ur, B, { transA: true });
  const e = eig(Atilde);
  // Order: |lambda| descending; a conjugate pair keeps its positive-imaginary member first.
  const order = Array.from({ length: r }, (_, j) => j).sort((a, b) => {
    const ma = Math.hypot(e.wReal[a]!, e.wImag[a]!);
    const mb = Math.hypot(e.wReal[b]!, e.wImag[b]!);
    if (ma !== mb) return mb - ma;
    if (e.wReal[a] !== e.wReal[b]) return e.wReal[b]! - e.wReal[a]!;
    return e.wImag[b]! - e.wImag[a]!;
  });
  const Wre = Matrix.zeros(r, r);
  const Wim = Matrix.zeros(r, r);
  const wReal = new Float64Array(r);
  const wImag = new Float64Array(r);
  order.forEach((src, dst) => {
    wReal[dst] = e.wReal[src]!;
    wImag[dst] = e.wImag[src]!;
    for (let i = 0; i < r; i++) {
      Wre.set(i, dst, e.VReal.get(i, src));
      Wim.set(i, dst, e.VImag.get(i, src));
    }
  });
  const modesReal = matmul(B, Wre);
  const modesImag = matmul(B, Wim);
  // b = Phi^+ x_0 as the real least-squares problem [Re -Im; Im Re] [b_re; b_im] = [x_0; 0].
  const M = Matrix.zeros(2 * n, 2 * r);
  for (let c = 0; c < r; c++) {
    for (let i = 0; i < n; i++) {
      const a = modesReal.get(i, c);
      const b = modesImag.get(i, c);
      M.set(i, c, a);
      M.set(i, r + c, -b);
      M.set(n + i, c, b);
      M.set(n + i, r + c, a);
    }
  }
  const rhs = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) rhs[i] = Xd.get(i, 0);
  const sol = lstsq(M, rhs).x;
  const bReal = Float64Array.from(sol.subarray(0, r));
  const bImag = Float64Array.from(sol.subarray(r, 2 * r));
  return new Dmd({ wReal, wImag, modesReal, modesImag, bReal, bImag, dt: o.dt, snapshots: m, singularValues: s });
}
