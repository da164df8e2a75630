/**
 * Eigendecomposition of a general real square matrix (numpy.linalg.eig / eigvals; LAPACK
 * dgeev): balance (gebal), reduce to Hessenberg form (gehrd, orghr), run the QR algorithm
 * to the real Schur form (dhseqr: the small-bulge multishift QR with aggressive early
 * deflation of lapack/laqr.ts for larger orders, the Francis double-shift QR of
 * lapack/hseqr.ts below), then solve for the eigenvectors of the Schur form and
 * back-transform them (blocked trevc, gebak).
 */
import type { DType, FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { kernels } from '../kernels/index.js';
import { requireSquare } from './args.js';
import { workCopy } from './lapack/dense.js';
import { gebak, gebal } from './lapack/gebal.js';
import { gehrd, orghr } from './lapack/gehrd.js';
import { hseqr } from './lapack/hseqr.js';
import { hseqrMultishift, NMIN } from './lapack/laqr.js';
import { trevc } from './lapack/trevc.js';
import { withWorkspace } from '../kernels/workspace.js';
import { PRECISION as EPS, SAFMIN } from './lapack/machine.js';

/**
 * A V = V diag(w) with complex w = wReal + i wImag and V = VReal + i VImag (columns are
 * eigenvectors).
 *
 * Eigenvalues come in the order of the real Schur form; a complex conjugate pair occupies
 * consecutive entries, positive imaginary part first, and the eigenvector of the second is
 * the conjugate of the first. Every eigenvector has unit Euclidean norm and its component
 * of largest modulus is real (LAPACK dgeev's normalization, as numpy returns).
 */
export interface Eig {
  /** Real parts of the eigenvalues (length n). */
  readonly wReal: Float64Array | Float32Array;
  /** Imaginary parts of the eigenvalues (length n). */
  readonly wImag: Float64Array | Float32Array;
  /** Real parts of the eigenvectors (n x n, column j belongs to eigenvalue j). */
  readonly VReal: Matrix;
  /** Imaginary parts of the eigenvectors (n x n; zero columns for real eigenvalues). */
  readonly VImag: Matrix;
}

/**
 * Active-block orders from which the multishift QR (lapack/laqr.ts) replaces the
 * double-shift lahqr. LAPACK switches at NMIN = 75; in this implementation lahqr stays
 * faster longer (its loops are one small function that the JIT compiles well, while the
 * multishift QR pays for its deflation windows and small gemm calls). Measured on random
 * normal matrices, one thread, CPU time (best of 20, lahqr vs multishift): with the Schur
 * form and vectors 21.5 vs 23.5 ms at n = 160, 42 vs 34 ms at 200; eigenvalues only 32.7
 * vs 36.4 ms at n = 250, 55 vs 57 ms at 300, 436 vs 270 ms at 512. eig and eigvals switch
 * at the same order so that they return the eigenvalues in the same order.
 */
const MULTISHIFT_MIN = Math.max(NMIN, 180);

interface Raw {
  wr: Float64Array;
  wi: Float64Array;
  /** dgeev's VR: real eigenvectors, or (re, im) column pairs for complex pairs. */
  vr?: Float64Array;
}

// dgeev minus the final copy: everything in f64 work arrays.
function geev(A: Matrix, wantV: boolean, routine: string): Raw {
  const n = A.rows;
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  if (n === 0) return wantV ? { wr, wi, vr: new Float64Array(0) } : { wr, wi };
  return withWorkspace((ws) => {
    const { a, ld } = workCopy(A, routine, ws, 'float64');
    // Scale A into [smlnum, bignum] when its largest entry is outside (dgeev), by a power
    // of two so the scaling itself is exact.
    let anrm = 0;
    for (let i = 0; i < n * n; i++) anrm = Math.max(anrm, Math.abs(a[i]!));
    const smlnum = Math.sqrt(SAFMIN) / EPS;
    const bignum = 1 / smlnum;
    let factor = 1;
    if (anrm > 0 && anrm < smlnum) factor = 2 ** Math.floor(Math.log2(smlnum / anrm));
    else if (anrm > bignum) factor = 2 ** Math.ceil(Math.log2(bignum / anrm));
    if (factor !== 1) kernels().scal(n * n, factor, a, 0, 1);

    const bal = new Float64Array(n);
    const { ilo, ihi } = gebal(n, a, 0, ld, bal);
    const tau = new Float64Array(Math.max(1, n - 1));
    gehrd(n, ilo, ihi, a, 0, ld, tau, ws);
    let Z: Float64Array | undefined;
    if (wantV) {
      Z = ws.f64(n * n);
      orghr(n, ilo, ihi, a, 0, ld, tau, Z, 0, n, ws);
    }
    // dhseqr's switch between the small-bulge multishift QR with aggressive early deflation
    // (dlaqr0) and the double-shift dlahqr, at the orders where the first became faster
    // here (see MULTISHIFT_MIN). Without vectors only the eigenvalues are needed: no Schur
    // form outside the active block (wantt = false), no Z.
    if (ihi - ilo + 1 >= MULTISHIFT_MIN) {
      hseqrMultishift(wantV, wantV, n, ilo, ihi, a, ld, wr, wi, Z ?? a, n, ws, routine);
    } else {
      hseqr(wantV, wantV, n, ilo, ihi, a, 0, ld, wr, wi, Z ?? a, 0, n);
    }
    let vr: Float64Array | undefined;
    if (wantV) {
      const V = ws.f64(n * n);
      trevc(n, a, 0, ld, Z!, 0, n, V, 0, n, ws);
      gebak(n, ilo, ihi, bal, n, V, 0, n);
      normalize(n, wi, V);
      vr = Float64Array.from(V);
    }
    if (factor !== 1) {
      for (let i = 0; i < n; i++) {
        wr[i] = wr[i]! / factor;
        wi[i] = wi[i]! / factor;
      }
    }
    return vr ? { wr, wi, vr } : { wr, wi };
  });
}

// Unit 2-norm columns; for a pair, rotate (re, im) so the largest component is real (dgeev).
function normalize(n: number, wi: Float64Array, V: Float64Array): void {
  const k = kernels();
  for (let j = 0; j < n; j++) {
    const c = j * n;
    if (wi[j] === 0) {
      k.scal(n, 1 / k.nrm2(n, V, c, 1), V, c, 1);
    } else if (wi[j]! > 0) {
      const d = c + n;
      const s = 1 / Math.hypot(k.nrm2(n, V, c, 1), k.nrm2(n, V, d, 1));
      k.scal(n, s, V, c, 1);
      k.scal(n, s, V, d, 1);
      let best = 0;
      let imax = 0;
      for (let r = 0; r < n; r++) {
        const m = V[c + r]! * V[c + r]! + V[d + r]! * V[d + r]!;
        if (m > best) {
          best = m;
          imax = r;
        }
      }
      // Multiply by the unit complex number (cs - i sn) that makes component imax real.
      const f = V[c + imax]!;
      const g = V[d + imax]!;
      const r = Math.hypot(f, g);
      const cs = r === 0 ? 1 : f / r;
      const sn = r === 0 ? 0 : g / r;
      for (let q = 0; q < n; q++) {
        const x = V[c + q]!;
        const y = V[d + q]!;
        V[c + q] = cs * x + sn * y;
        V[d + q] = cs * y - sn * x;
      }
      V[d + imax] = 0;
    }
  }
}

function vec(a: Float64Array, dtype: DType): FloatArray {
  return dtype === 'float32' ? Float32Array.from(a) : a;
}

/**
 * Eigenvalues and right eigenvectors of a general real square matrix, A V = V diag(w)
 * (numpy.linalg.eig; LAPACK dgeev with balancing). See {@link Eig} for the ordering and
 * normalization. float32 input is computed in float64 and returned as float32.
 *
 * Cost: about 10/3 n^3 (Hessenberg) + 4/3 n^3 (Q) flops in gemm-based blocked code, about
 * 25 n^3 for the QR iteration with Schur vectors (from n = 180 on mostly in gemm: the
 * multishift sweeps and the deflation windows' updates) and n^3/3 + n^3 for the
 * eigenvectors (blocked back substitution and back-transformation, nearly all gemm).
 * @throws ShapeError when A is not square.
 * @throws NonFiniteInputError when A holds NaN or Inf.
 * @throws ConvergenceError when the QR algorithm exceeds 30 max(10, n) iterations for one
 *   eigenvalue (not observed in practice).
 * @example
 * const { wReal, wImag } = eig(Matrix.from([[0, -1], [1, 0]]));  // +-i
 */
export function eig(A: Matrix): Eig {
  requireSquare(A, 'eig');
  const n = A.rows;
  const dtype = A.dtype;
  const { wr, wi, vr } = geev(A, true, 'eig');
  const VReal = Matrix.zeros(n, n, { dtype });
  const VImag = Matrix.zeros(n, n, { dtype });
  const re = VReal.data;
  const im = VImag.data;
  const v = vr!;
  for (let j = 0; j < n; j++) {
    const c = j * n;
    if (wi[j] === 0) {
      for (let r = 0; r < n; r++) re[c + r] = v[c + r]!;
    } else if (wi[j]! > 0) {
      const d = c + n;
      for (let r = 0; r < n; r++) {
        re[c + r] = v[c + r]!;
        re[d + r] = v[c + r]!;
        im[c + r] = v[d + r]!;
        im[d + r] = -v[d + r]!;
      }
    }
  }
  return { wReal: vec(wr, dtype), wImag: vec(wi, dtype), VReal, VImag };
}

/**
 * Eigenvalues of a general real square matrix (numpy.linalg.eigvals; LAPACK dgeev without
 * vectors): the QR iteration only transforms the active block and accumulates no Schur
 * vectors, about 10 n^3 flops after the 10/3 n^3 Hessenberg reduction. Same order and
 * values as {@link eig}.
 * @throws ShapeError when A is not square.
 * @throws NonFiniteInputError when A holds NaN or Inf.
 * @throws ConvergenceError when the QR algorithm does not converge.
 */
export function eigvals(A: Matrix): { wReal: Float64Array | Float32Array; wImag: Float64Array | Float32Array } {
  requireSquare(A, 'eigvals');
  const { wr, wi } = geev(A, false, 'eigvals');
  return { wReal: vec(wr, A.dtype), wImag: vec(wi, A.dtype) };
}
