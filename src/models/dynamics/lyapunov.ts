/**
 * Sylvester and Lyapunov matrix equations, and the Gramians of a linear system.
 *
 * - {@link sylvester}: A X + X B = C by the Bartels-Stewart method (Bartels & Stewart,
 *   "Solution of the matrix equation AX + XB = C", CACM 15(9), 1972): real Schur forms
 *   A = U S U^T and B = V T V^T turn the equation into S Y + Y T = U^T C V with
 *   quasi-triangular S and T, solved by the recursive blocked algorithm of Jonsson &
 *   Kågström (src/linalg/lapack/trsyl.ts); then X = U Y V^T.
 * - {@link lyapunov}: A X + X A^T = Q, the same with one Schur form (scipy's
 *   solve_continuous_lyapunov and its sign convention).
 * - {@link lyapunovCholesky}: the Cholesky factor L of the solution of
 *   A X + X A^T + B B^T = 0 for stable A, computed directly (Hammarling, "Numerical solution
 *   of the stable, non-negative definite Lyapunov equation", IMA J. Numer. Anal. 2, 1982),
 *   never forming X: more accurate for the small eigenvalues of X, and positive
 *   semidefinite by construction.
 * - {@link gramians}: the controllability and observability Gramians of (A, B, C) and
 *   their factors, from one Schur form.
 */
import { InvalidArgumentError, NonFiniteInputError, ShapeError, SingularMatrixError } from '../../errors.js';
import { kernels } from '../../kernels/index.js';
import { requireSquare } from '../../linalg/args.js';
import { toMatrix, workCopy } from '../../linalg/lapack/dense.js';
import { geqrf } from '../../linalg/lapack/geqrf.js';
import { PRECISION as EPS } from '../../linalg/lapack/machine.js';
import { trsyl } from '../../linalg/lapack/trsyl.js';
import { withWorkspace, type Workspace } from '../../kernels/workspace.js';
import { schurInPlace, type SchurWork } from '../../linalg/schur.js';
import type { DType } from '../../matrix/dtype.js';
import { Matrix } from '../../matrix/matrix.js';

function outDtype(...ms: Matrix[]): DType {
  return ms.every((m) => m.dtype === 'float32') ? 'float32' : 'float64';
}

function requireFinite(x: Float64Array, len: number, routine: string, what: string): void {
  for (let i = 0; i < len; i++) {
    if (!Number.isFinite(x[i]!)) {
      throw new SingularMatrixError(`${routine}: the solution overflowed (${what}); the equation is singular or too ill-conditioned to solve in float64`);
    }
  }
}

/**
 * Solve the Sylvester equation A X + X B = C (scipy.linalg.solve_sylvester) by the
 * Bartels-Stewart method on the real Schur forms of A and B, with the recursive blocked
 * quasi-triangular solver of Jonsson & Kågström (almost all of its flops in gemm).
 *
 * The solution is unique exactly when A and -B have no eigenvalue in common.
 * Cost: two Schur decompositions (about 30 m^3 + 30 n^3 flops), four gemms
 * (2 m n (m + n) flops each pair) and m n (m + n) flops for the triangular equation.
 * float32 inputs are solved in float64 and returned as float32 (when all three are).
 * @param A - m x m.
 * @param B - n x n.
 * @param C - m x n right-hand side.
 * @returns X, m x n.
 * @throws ShapeError when A or B is not square or C is not m x n.
 * @throws NonFiniteInputError on NaN or Inf.
 * @throws SingularMatrixError when A and -B have (numerically) a common eigenvalue, so the
 *   equation has no unique solution.
 * @example
 * const X = sylvester(A, B, C);   // A X + X B = C
 */
export function sylvester(A: Matrix, B: Matrix, C: Matrix): Matrix {
  requireSquare(A, 'sylvester');
  requireSquare(B, 'sylvester');
  const m = A.rows;
  const n = B.rows;
  if (C.rows !== m || C.cols !== n) throw new ShapeError(`sylvester: C must be ${m}x${n} (rows of A x columns of B), got ${C.rows}x${C.cols}`);
  const dtype = outDtype(A, B, C);
  if (m === 0 || n === 0) {
    for (const [M, name] of [[A, 'A'], [B, 'B']] as const) if (!M.isFinite()) throw new NonFiniteInputError(`sylvester: ${name} holds NaN or Inf`);
    return Matrix.zeros(m, n, { dtype });
  }
  return withWorkspace((ws) => {
    const a = workCopy(A, 'sylvester', ws, 'float64').a as Float64Array;
    const b = workCopy(B, 'sylvester', ws, 'float64').a as Float64Array;
    const c = workCopy(C, 'sylvester', ws, 'float64').a as Float64Array;
    const sa = schurInPlace(m, a, m, ws, 'sylvester');
    const sb = schurInPlace(n, b, n, ws, 'sylvester');
    bartelsStewart(m, n, a, sa.Z, b, sb.Z, false, c, ws, 'sylvester: A and -B have (numerically) a common eigenvalue, so A X + X B = C has no unique solution');
    requireFinite(c, m * n, 'sylvester', 'A X + X B = C');
    return toMatrix(c, 0, m, m, n, dtype);
  });
}

/**
 * The Bartels-Stewart steps after the Schur decompositions A = U S U^T (S in `a`) and
 * B = V T V^T (T in `b`), shared by {@link sylvester} (op(T) = T) and
 * {@link lyapunov} (B = A^T: `b` = `a`, V = U, `transB`): C (m x n, in `c`) becomes
 * U Y V^T, where S Y + Y op(T) = U^T C V is the quasi-triangular equation solved by trsyl.
 * Four gemms and the triangular solve; a trsyl perturbation is a SingularMatrixError with
 * message `singular`.
 */
function bartelsStewart(
  m: number, n: number, a: Float64Array, U: Float64Array, b: Float64Array, V: Float64Array, transB: boolean,
  c: Float64Array, ws: Workspace, singular: string,
): void {
  const k = kernels();
  const tmp = ws.f64(m * n);
  // F = U^T C V
  k.gemm(true, false, m, n, m, 1, U, 0, m, c, 0, m, 0, tmp, 0, m);
  k.gemm(false, false, m, n, n, 1, tmp, 0, m, V, 0, n, 0, c, 0, m);
  if (trsyl(false, transB, 1, m, n, a, 0, m, b, 0, n, c, 0, m) !== 0) throw new SingularMatrixError(singular);
  // X = U Y V^T
  k.gemm(false, false, m, n, m, 1, U, 0, m, c, 0, m, 0, tmp, 0, m);
  k.gemm(false, true, m, n, n, 1, tmp, 0, m, V, 0, n, 0, c, 0, m);
}

/**
 * Solve the continuous Lyapunov equation A X + X A^T = Q, with the sign convention of
 * scipy.linalg.solve_continuous_lyapunov(A, Q) (for the Gramian of a stable system,
 * A P + P A^T + B B^T = 0, pass Q = -B B^T; or use {@link gramians} /
 * {@link lyapunovCholesky}). Bartels-Stewart on one real Schur form A = U S U^T:
 * S Y + Y S^T = U^T Q U by the recursive blocked quasi-triangular solver, X = U Y U^T.
 * When Q is exactly symmetric, X is returned exactly symmetric (the average of the computed
 * X and its transpose).
 *
 * The solution is unique exactly when no two eigenvalues of A sum to zero (lambda_i +
 * lambda_j != 0), which holds for every stable A. Cost: one Schur decomposition (about
 * 30 n^3 flops), four n x n gemms and 2 n^3 flops for the triangular equation.
 * float32 inputs are solved in float64 and returned as float32 (when both are).
 * @param A - n x n.
 * @param Q - n x n right-hand side.
 * @returns X, n x n.
 * @throws ShapeError when A is not square or Q is not n x n.
 * @throws NonFiniteInputError on NaN or Inf.
 * @throws SingularMatrixError when two eigenvalues of A sum to (numerically) zero.
 * @example
 * // Controllability Gramian of x' = A x + B u:
 * const P = lyapunov(A, matmul(B, B, { transB: true }).neg());
 */
export function lyapunov(A: Matrix, Q: Matrix): Matrix {
  requireSquare(A, 'lyapunov');
  const n = A.rows;
  if (Q.rows !== n || Q.cols !== n) throw new ShapeError(`lyapunov: Q must be ${n}x${n} like A, got ${Q.rows}x${Q.cols}`);
  const dtype = outDtype(A, Q);
  if (n === 0) return Matrix.zeros(0, 0, { dtype });
  return withWorkspace((ws) => {
    const a = workCopy(A, 'lyapunov', ws, 'float64').a as Float64Array;
    const c = workCopy(Q, 'lyapunov', ws, 'float64').a as Float64Array;
    let symmetric = true;
    for (let j = 0; j < n && symmetric; j++) for (let i = j + 1; i < n; i++) if (c[i + j * n] !== c[j + i * n]) { symmetric = false; break; }
    const s = schurInPlace(n, a, n, ws, 'lyapunov');
    bartelsStewart(n, n, a, s.Z, a, s.Z, true, c, ws, 'lyapunov: two eigenvalues of A sum to (numerically) zero, so A X + X A^T = Q has no unique solution');
    requireFinite(c, n * n, 'lyapunov', 'A X + X A^T = Q');
    if (symmetric) {
      for (let j = 0; j < n; j++) {
        for (let i = j + 1; i < n; i++) {
          const v = 0.5 * (c[i + j * n]! + c[j + i * n]!);
          c[i + j * n] = v;
          c[j + i * n] = v;
        }
      }
    }
    return toMatrix(c, 0, n, n, n, dtype);
  });
}

// ------------------------------------------------------------------------ Hammarling

/** "a+bi" for messages. */
export function formatEigenvalue(re: number, im: number): string {
  const r = Number(re.toPrecision(6));
  if (im === 0) return String(r);
  const i = Number(Math.abs(im).toPrecision(6));
  return `${r}${im < 0 ? '-' : '+'}${i}i`;
}

/**
 * @throws InvalidArgumentError naming the first eigenvalue (of the Schur form's) with real
 *   part >= 0.
 * @internal
 */
export function requireStable(s: SchurWork, routine: string): void {
  for (let i = 0; i < s.wr.length; i++) {
    if (!(s.wr[i]! < 0)) {
      throw new InvalidArgumentError(
        `${routine}: A is not stable: its eigenvalue ${formatEigenvalue(s.wr[i]!, s.wi[i]!)} has real part >= 0, and ${routine} needs every eigenvalue of A in the open left half-plane (Re < 0)`,
      );
    }
  }
}

/**
 * The upper triangular n x n R with R R^T = G^T G... for the n x m `b` (column-major, ld n):
 * R R^T = b b^T, computed from the QR factorization of b^T J (J reverses the order of the
 * n rows): b^T J = Q Rg gives J b b^T J = Rg^T Rg, so R = J Rg^T J (padded with zero
 * columns on the left when m < n) is upper triangular. Written into `R` (ld n).
 */
function triangularFactorOf(n: number, m: number, b: Float64Array, R: Float64Array, ws: Workspace): void {
  R.fill(0, 0, n * n);
  if (m === 0) return;
  const G = ws.f64(m * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) G[c + i * m] = b[n - 1 - i + c * n]!;
  const tau = ws.f64(Math.min(m, n));
  geqrf(m, n, G, 0, m, tau, ws);
  const k = Math.min(m, n);
  // R(i, jj) = Rg(n-1-jj, n-1-i) for i <= jj and n-1-jj < k.
  for (let jj = n - k; jj < n; jj++) {
    const row = n - 1 - jj;
    for (let i = 0; i <= jj; i++) R[i + jj * n] = G[row + (n - 1 - i) * m]!;
  }
}

/**
 * Hammarling's method for S X + X S^T = -R R^T with S upper quasi-triangular (standard real
 * Schur form, every eigenvalue with negative real part) and R upper triangular: X = U U^T
 * with U upper triangular, computed from the bottom-right corner up, one diagonal block
 * (1 x 1 or 2 x 2) at a time. For the trailing block (rows j..k-1):
 *
 *   S22 X22 + X22 S22^T = -R22 R22^T                  (order 1 or 2: U22)
 *   S11 U12 + U12 M = -R12 Y^T - S12 U22,  Y = U22^-1 R22,  M = (U22^-1 S22 U22)^T
 *   S11 X11 + X11 S11^T = -(R11 R11^T + R^12 R^12^T),  R^12 = R12 - U12 Y
 *
 * and the last right-hand side is brought back to the form -R11' R11'^T by Givens rotations
 * of the columns of [R11, R^12] (a rank-1 or rank-2 update of a triangular factor). The
 * coupling equation for U12 is a quasi-triangular Sylvester equation with n <= 2 (trsyl).
 * Cost: about n^3 flops, in plain loops (no gemm).
 *
 * `R` is destroyed; `U` (ld n) receives the factor.
 */
function hammarling(n: number, S: Float64Array, ldS: number, R: Float64Array, U: Float64Array, ws: Workspace): void {
  U.fill(0, 0, n * n);
  const rhs = ws.f64(Math.max(1, 2 * n));
  const M = new Float64Array(4);
  const k3 = { M: new Float64Array(9), r: new Float64Array(3), x: new Float64Array(3) };
  let k = n;
  while (k > 0) {
    const p = k >= 2 && S[k - 1 + (k - 2) * ldS] !== 0 ? 2 : 1;
    const j = k - p;
    const s = (r: number, c: number): number => S[r + c * ldS]!;
    let y00 = 0;
    let y01 = 0;
    let y11 = 0;
    let zero: boolean;
    if (p === 1) {
      const s22 = s(j, j);
      const r = R[j + j * n]!;
      const u = Math.abs(r) / Math.sqrt(-2 * s22);
      U[j + j * n] = u;
      zero = r === 0;
      if (!zero) {
        y00 = r / u;
        M[0] = s22;
      }
    } else {
      // The 2 x 2 Lyapunov equation S22 X22 + X22 S22^T = W = -R22 R22^T in its three
      // unknowns x00, x01, x11 (X22 symmetric), then X22 = U22 U22^T with U22 upper.
      const a = s(j, j);
      const b = s(j, j + 1);
      const c = s(j + 1, j);
      const d = s(j + 1, j + 1);
      const r00 = R[j + j * n]!;
      const r01 = R[j + (j + 1) * n]!;
      const r11 = R[j + 1 + (j + 1) * n]!;
      zero = r00 === 0 && r01 === 0 && r11 === 0;
      if (!zero) {
        const Mk = k3.M;
        Mk.set([2 * a, c, 0, 2 * b, a + d, 2 * c, 0, b, 2 * d]);
        k3.r[0] = -(r00 * r00 + r01 * r01);
        k3.r[1] = -(r01 * r11);
        k3.r[2] = -(r11 * r11);
        solve3(k3.M, k3.r, k3.x);
        const x00 = k3.x[0]!;
        const x01 = k3.x[1]!;
        const x11 = k3.x[2]!;
        let u11 = Math.sqrt(Math.max(x11, 0));
        const floor = EPS * Math.sqrt(Math.abs(x00) + Math.abs(x11));
        if (u11 <= floor) u11 = floor;
        const u01 = x01 / u11;
        let u00 = Math.sqrt(Math.max(x00 - u01 * u01, 0));
        if (u00 <= floor) u00 = floor;
        U[j + j * n] = u00;
        U[j + (j + 1) * n] = u01;
        U[j + 1 + (j + 1) * n] = u11;
        // Y = U22^-1 R22 (upper triangular).
        y11 = r11 / u11;
        y01 = (r01 - u01 * y11) / u00;
        y00 = r00 / u00;
        // M = (U22^-1 S22 U22)^T.
        const t00 = a * u00;
        const t01 = a * u01 + b * u11;
        const t10 = c * u00;
        const t11 = c * u01 + d * u11; // S22 U22
        // U22^-1 [t00 t01; t10 t11]
        const i00 = 1 / u00;
        const i01 = -u01 / (u00 * u11);
        const i11 = 1 / u11;
        const w00 = i00 * t00 + i01 * t10;
        const w01 = i00 * t01 + i01 * t11;
        const w10 = i11 * t10;
        const w11 = i11 * t11;
        M[0] = w00;
        M[1] = w01; // M(1, 0) = W(0, 1)
        M[2] = w10; // M(0, 1) = W(1, 0)
        M[3] = w11;
      }
    }
    if (j === 0) break;
    if (!zero) {
      // rhs = -R12 Y^T - S12 U22 (j x p), then S11 U12 + U12 M = rhs.
      for (let c = 0; c < p; c++) {
        for (let i = 0; i < j; i++) {
          let v: number;
          if (p === 1) {
            v = -R[i + j * n]! * y00 - s(i, j) * U[j + j * n]!;
          } else if (c === 0) {
            // Y^T(:, 0) = (y00, y01); U22(:, 0) = (u00, 0)
            v = -(R[i + j * n]! * y00 + R[i + (j + 1) * n]! * y01) - s(i, j) * U[j + j * n]!;
          } else {
            // Y^T(:, 1) = (0, y11); U22(:, 1) = (u01, u11)
            v = -R[i + (j + 1) * n]! * y11 - (s(i, j) * U[j + (j + 1) * n]! + s(i, j + 1) * U[j + 1 + (j + 1) * n]!);
          }
          rhs[i + c * j] = v;
        }
      }
      trsyl(false, false, 1, j, p, S, 0, ldS, M, 0, 2, rhs, 0, j);
      // U12 = solution; R^12 = R12 - U12 Y (in place in R's columns j..k-1).
      for (let c = 0; c < p; c++) {
        const uc = (j + c) * n;
        for (let i = 0; i < j; i++) U[i + uc] = rhs[i + c * j]!;
      }
      for (let i = 0; i < j; i++) {
        const u0 = rhs[i]!;
        if (p === 1) {
          R[i + j * n] = R[i + j * n]! - u0 * y00;
        } else {
          const u1 = rhs[i + j]!;
          R[i + j * n] = R[i + j * n]! - u0 * y00;
          R[i + (j + 1) * n] = R[i + (j + 1) * n]! - (u0 * y01 + u1 * y11);
        }
      }
    }
    // Fold each column v of R^12 into the triangle R11: R11 R11^T + v v^T = R11' R11'^T by
    // rotations of (column i of R11, v) that zero v(i), from the bottom up.
    for (let c = 0; c < p; c++) {
      const v = (j + c) * n;
      for (let i = j - 1; i >= 0; i--) {
        const b = R[v + i]!;
        if (b === 0) continue;
        const ci = i * n;
        const a = R[ci + i]!;
        const h = Math.hypot(a, b);
        const cs = a / h;
        const sn = b / h;
        for (let t = 0; t < i; t++) {
          const x = R[ci + t]!;
          const y = R[v + t]!;
          R[ci + t] = cs * x + sn * y;
          R[v + t] = cs * y - sn * x;
        }
        R[ci + i] = h;
        R[v + i] = 0;
      }
    }
    k = j;
  }
}

// 3 x 3 solve by Gaussian elimination with complete pivoting (M column-major, destroyed).
function solve3(M: Float64Array, r: Float64Array, x: Float64Array): void {
  const perm = [0, 1, 2];
  for (let k = 0; k < 3; k++) {
    let big = -1;
    let pr = k;
    let pc = k;
    for (let c = k; c < 3; c++) for (let q = k; q < 3; q++) if (Math.abs(M[q + 3 * c]!) > big) { big = Math.abs(M[q + 3 * c]!); pr = q; pc = c; }
    if (pr !== k) {
      for (let c = 0; c < 3; c++) { const t = M[k + 3 * c]!; M[k + 3 * c] = M[pr + 3 * c]!; M[pr + 3 * c] = t; }
      const t = r[k]!; r[k] = r[pr]!; r[pr] = t;
    }
    if (pc !== k) {
      for (let q = 0; q < 3; q++) { const t = M[q + 3 * k]!; M[q + 3 * k] = M[q + 3 * pc]!; M[q + 3 * pc] = t; }
      const t = perm[k]!; perm[k] = perm[pc]!; perm[pc] = t;
    }
    const d = M[k + 3 * k]!;
    for (let q = k + 1; q < 3; q++) {
      const f = M[q + 3 * k]! / d;
      for (let c = k + 1; c < 3; c++) M[q + 3 * c] = M[q + 3 * c]! - f * M[k + 3 * c]!;
      r[q] = r[q]! - f * r[k]!;
    }
  }
  const y = [0, 0, 0];
  for (let k = 2; k >= 0; k--) {
    let v = r[k]!;
    for (let c = k + 1; c < 3; c++) v -= M[k + 3 * c]! * y[c]!;
    y[k] = v / M[k + 3 * k]!;
  }
  for (let k = 0; k < 3; k++) x[perm[k]!] = y[k]!;
}

/** Schur form and Gramian factors of a stable system, in float64 work arrays (ld n). */
export interface GramianWork {
  n: number;
  /** T of A = Z T Z^T. */
  S: Float64Array;
  schur: SchurWork;
  /** Fc (n x n) with Fc Fc^T = the controllability Gramian (not triangular). */
  Fc?: Float64Array;
  /** Fo (n x n) with Fo Fo^T = the observability Gramian (not triangular). */
  Fo?: Float64Array;
}

/**
 * The Schur form of A and square factors of the Gramians of (A, B, C) by Hammarling's
 * method: Fc = Z Uc with S Xc + Xc S^T = -(Z^T B)(Z^T B)^T, and for A^T Xo + Xo A =
 * -C^T C the reversed problem (J S^T J) Y + Y (J S^T J)^T = -(J Z^T C^T)(...)^T (J the
 * reversal, J S^T J upper quasi-triangular), Fo = Z J Uo. `B` (n x m) or `C` (p x n) may be
 * omitted. Arrays come from `ws`.
 * @throws InvalidArgumentError when A is not stable (naming the eigenvalue).
 * @internal
 */
export function gramianWork(A: Matrix, B: Matrix | undefined, C: Matrix | undefined, routine: string, ws: Workspace): GramianWork {
  const n = A.rows;
  const S = workCopy(A, routine, ws, 'float64').a as Float64Array;
  const b = B ? (workCopy(B, routine, ws, 'float64').a as Float64Array) : undefined;
  const c = C ? (workCopy(C, routine, ws, 'float64').a as Float64Array) : undefined;
  const schur = schurInPlace(n, S, n, ws, routine);
  requireStable(schur, routine);
  const out: GramianWork = { n, S, schur };
  if (n === 0) return out;
  const Z = schur.Z;
  const k = kernels();
  const R = ws.f64(n * n);
  const Ut = ws.f64(n * n);
  if (B && b) {
    const m = B.cols;
    const bt = ws.f64(Math.max(1, n * m));
    k.gemm(true, false, n, m, n, 1, Z, 0, n, b, 0, n, 0, bt, 0, n); // Z^T B
    triangularFactorOf(n, m, bt, R, ws);
    hammarling(n, S, n, R, Ut, ws);
    const Fc = ws.f64(n * n);
    k.gemm(false, false, n, n, n, 1, Z, 0, n, Ut, 0, n, 0, Fc, 0, n);
    out.Fc = Fc;
  }
  if (C && c) {
    const p = C.rows;
    // S~ = J S^T J: S~(i, j) = S(n-1-j, n-1-i).
    const St = ws.f64(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) St[i + j * n] = S[n - 1 - j + (n - 1 - i) * n]!;
    // B~ = J (C Z)^T: B~(i, q) = (C Z)(q, n-1-i).
    const cz = ws.f64(Math.max(1, p * n));
    k.gemm(false, false, p, n, n, 1, c, 0, Math.max(1, p), Z, 0, n, 0, cz, 0, Math.max(1, p));
    const bt = ws.f64(Math.max(1, n * p));
    for (let q = 0; q < p; q++) for (let i = 0; i < n; i++) bt[i + q * n] = cz[q + (n - 1 - i) * p]!;
    triangularFactorOf(n, p, bt, R, ws);
    hammarling(n, St, n, R, Ut, ws);
    // Fo = Z J Uo: (Z J)(:, i) = Z(:, n-1-i).
    const ZJ = ws.f64(n * n);
    for (let i = 0; i < n; i++) ZJ.set(Z.subarray((n - 1 - i) * n, (n - i) * n), i * n);
    const Fo = ws.f64(n * n);
    k.gemm(false, false, n, n, n, 1, ZJ, 0, n, Ut, 0, n, 0, Fo, 0, n);
    out.Fo = Fo;
  }
  return out;
}

/**
 * The lower triangular L with L L^T = F F^T (F n x n, ld n): L = R^T from F^T = Q R, with
 * the signs of R's rows flipped so that L's diagonal is non-negative.
 */
function lowerFactor(n: number, F: Float64Array, dtype: DType, ws: Workspace): Matrix {
  const G = ws.f64(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) G[i + j * n] = F[j + i * n]!;
  const tau = ws.f64(n);
  geqrf(n, n, G, 0, n, tau, ws);
  const L = Matrix.zeros(n, n, { dtype });
  const d = L.data;
  for (let i = 0; i < n; i++) {
    const sgn = G[i + i * n]! < 0 ? -1 : 1;
    // Row i of R (columns i..n-1) is column i of L (rows i..n-1).
    for (let j = i; j < n; j++) d[j + i * n] = sgn * G[i + j * n]!;
  }
  return L;
}

function gramOf(n: number, F: Float64Array, dtype: DType): Matrix {
  const W = Matrix.zeros(n, n);
  if (n > 0) kernels().gemm(false, true, n, n, n, 1, F, 0, n, F, 0, n, 0, W.data, 0, n);
  // Exactly symmetric.
  const w = W.data;
  for (let j = 0; j < n; j++) for (let i = j + 1; i < n; i++) w[j + i * n] = w[i + j * n]!;
  return dtype === 'float32' ? W.astype('float32') : W;
}

function checkB(A: Matrix, B: Matrix, routine: string): void {
  if (B.rows !== A.rows) throw new ShapeError(`${routine}: B must have ${A.rows} rows like A, got ${B.rows}x${B.cols}`);
}

function checkC(A: Matrix, C: Matrix, routine: string): void {
  if (C.cols !== A.rows) throw new ShapeError(`${routine}: C must have ${A.rows} columns like A, got ${C.rows}x${C.cols}`);
}

/**
 * The Cholesky factor of the solution of the stable Lyapunov equation
 * A X + X A^T + B B^T = 0 (X = L L^T), computed directly by Hammarling's method without
 * forming X (SLICOT's SB03OD computes the same): the real Schur form of A, Hammarling's
 * recurrence for the triangular factor in Schur coordinates, and one QR to make the factor
 * triangular again in the original coordinates. X is positive semidefinite by
 * construction, and its small eigenvalues keep their relative accuracy far better than
 * when X is solved for and then factored. For the observability form
 * A^T X + X A + C^T C = 0, call `lyapunovCholesky(A.T, C.T)`.
 *
 * Note the sign: this is the control form (+ B B^T = 0), while {@link lyapunov} follows
 * scipy (A X + X A^T = Q); X here equals `lyapunov(A, -B B^T)`.
 * Cost: one Schur decomposition (about 30 n^3 flops), about n^3 flops for the recurrence,
 * two QR factorizations and a few gemms.
 * @param A - n x n, stable (every eigenvalue with negative real part).
 * @param B - n x m.
 * @returns L, n x n lower triangular with a non-negative diagonal (float32 when A and B are).
 * @throws ShapeError when A is not square or B does not have n rows.
 * @throws NonFiniteInputError on NaN or Inf.
 * @throws InvalidArgumentError when A is not stable, naming the offending eigenvalue.
 * @example
 * const L = lyapunovCholesky(A, B);   // controllability Gramian P = L L^T
 */
export function lyapunovCholesky(A: Matrix, B: Matrix): Matrix {
  requireSquare(A, 'lyapunovCholesky');
  checkB(A, B, 'lyapunovCholesky');
  const n = A.rows;
  const dtype = outDtype(A, B);
  return withWorkspace((ws) => {
    const g = gramianWork(A, B, undefined, 'lyapunovCholesky', ws);
    if (n === 0) return Matrix.zeros(0, 0, { dtype });
    return lowerFactor(n, g.Fc!, dtype, ws);
  });
}

/** The Gramians of a stable system and their Cholesky factors (see {@link gramians}). */
export interface Gramians {
  /** Controllability Gramian Wc = Lc Lc^T: A Wc + Wc A^T + B B^T = 0 (n x n, symmetric). */
  readonly Wc: Matrix;
  /** Observability Gramian Wo = Lo Lo^T: A^T Wo + Wo A + C^T C = 0 (n x n, symmetric). */
  readonly Wo: Matrix;
  /** Lower triangular Cholesky factor of Wc, non-negative diagonal. */
  readonly Lc: Matrix;
  /** Lower triangular Cholesky factor of Wo, non-negative diagonal. */
  readonly Lo: Matrix;
}

/**
 * Controllability and observability Gramians of the stable continuous-time system
 * x' = A x + B u, y = C x (python-control's `gram(sys, 'c')` and `gram(sys, 'o')`), and
 * their Cholesky factors (`gram(sys, 'cf')`, `'of'`, up to the transpose: here Wc = Lc Lc^T
 * with Lc lower triangular). One real Schur form of A serves both; each factor comes
 * directly from Hammarling's method ({@link lyapunovCholesky}), and each Gramian is formed
 * from its factor, so both are symmetric positive semidefinite to the last bit.
 *
 * The Hankel singular values are the singular values of Lo^T Lc (see
 * {@link hankelSingularValues}).
 * @param A - n x n, stable.
 * @param B - n x m.
 * @param C - p x n.
 * @throws ShapeError on inconsistent shapes; NonFiniteInputError on NaN or Inf.
 * @throws InvalidArgumentError when A is not stable, naming the offending eigenvalue.
 * @example
 * const { Wc, Wo } = gramians(A, B, C);
 */
export function gramians(A: Matrix, B: Matrix, C: Matrix): Gramians {
  requireSquare(A, 'gramians');
  checkB(A, B, 'gramians');
  checkC(A, C, 'gramians');
  const n = A.rows;
  const dtype = outDtype(A, B, C);
  return withWorkspace((ws) => {
    const g = gramianWork(A, B, C, 'gramians', ws);
    if (n === 0) {
      const z = Matrix.zeros(0, 0, { dtype });
      return { Wc: z, Wo: z, Lc: z, Lo: z };
    }
    return { Wc: gramOf(n, g.Fc!, dtype), Wo: gramOf(n, g.Fo!, dtype), Lc: lowerFactor(n, g.Fc!, dtype, ws), Lo: lowerFactor(n, g.Fo!, dtype, ws) };
  });
}
