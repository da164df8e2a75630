/**
 * Principal angles between two subspaces of R^m, given by matrices whose columns span them,
 * and the distances between subspaces built on those angles.
 *
 * Algorithm (Bjorck & Golub 1973, "Numerical methods for computing angles between linear
 * subspaces", Math. Comp. 27; with the sine-based refinement of Knyazev & Argentati 2002,
 * "Principal angles between subspaces in an A-based scalar product", SIAM J. Sci. Comput.
 * 23(6), the algorithm of scipy.linalg.subspace_angles):
 *
 * 1. orthonormal bases Q_A, Q_B of the column spaces (column-pivoted Householder QR, keeping
 *    the numerical rank, so rank-deficient spanning sets are handled);
 * 2. the cosines of the angles are the singular values of Q_A^T Q_B;
 * 3. cosines lose all accuracy for small angles (cos(1e-10) = 1 in float64), so the sines
 *    are computed as the singular values of (I - Q_A Q_A^T) Q_B = Q_B - Q_A (Q_A^T Q_B) and
 *    used for every angle below pi/4 (cos^2 >= 1/2); the cosines are used above.
 *
 * Cost: O(m (p + q)^2) for the QRs and products, plus SVDs of p x q and m x q matrices.
 */
import { ShapeError, check } from '../errors.js';
import { gemmInto } from '../linalg/matmul.js';
import { qr } from '../linalg/qr.js';
import { svd, svdvals } from '../linalg/svd.js';
import { Matrix } from '../matrix/matrix.js';

/** Options of {@link principalAngles}. */
export interface PrincipalAnglesOptions {
  /** Also return the principal vectors (default false). */
  readonly vectors?: boolean;
  /**
   * Columns count in the numerical rank of a spanning set when their pivoted-QR diagonal
   * exceeds rcond * |R_00|. Default max(m, p) * eps (numpy.linalg.matrix_rank's).
   */
  readonly rcond?: number;
}

/** Result of {@link principalAngles}. */
export interface PrincipalAngles {
  /** The min(dim A, dim B) principal angles in radians, ascending, in [0, pi/2]. */
  readonly angles: Float64Array;
  /** cos of each angle. */
  readonly cosines: Float64Array;
  /** sin of each angle (accurate for small angles). */
  readonly sines: Float64Array;
  /** Dimension of span(A) (numerical rank of A). */
  readonly dimA: number;
  /** Dimension of span(B). */
  readonly dimB: number;
  /**
   * With `vectors`: principal vectors in span(A), one per column (m x r), orthonormal, with
   * u_i^T v_i = cos(angle_i) and u_i^T v_j = 0 for i != j. Vectors of angles above pi/4
   * come from the SVD of Q_A^T Q_B, those of smaller angles from the SVD of
   * (I - Q_A Q_A^T) Q_B, so ||u_i - v_i|| = 2 sin(angle_i / 2) holds to high relative
   * accuracy even for clusters of tiny angles (Knyazev & Argentati 2002).
   */
  readonly U?: Matrix;
  /** With `vectors`: principal vectors in span(B) (m x r). */
  readonly V?: Matrix;
}

/** Orthonormal basis of the column space of A (pivoted QR, numerical rank columns). */
export function orthonormalBasis(A: Matrix, rcond?: number): Matrix {
  if (A.cols === 0 || A.rows === 0) return Matrix.zeros(A.rows, 0);
  check(A.isFinite(), () => 'principalAngles: the spanning matrices must be finite (no NaN or Inf)');
  const f = qr(A.dtype === 'float64' ? A : A.copy({ dtype: 'float64' }), { pivoting: true, rcond });
  return f.Q.colRange(0, f.rank!);
}

/**
 * Principal (canonical) angles between span(A) and span(B), both m-row matrices whose
 * columns span the subspaces (not necessarily orthonormal or independent). The k-th angle
 * is theta_k = min over unit u in span(A), v in span(B), orthogonal to the earlier pairs,
 * of arccos(u^T v). Identical subspaces give zeros (to about 1e-15), orthogonal ones pi/2,
 * and angles as small as 1e-10 are recovered to full relative accuracy (see the file
 * comment for the algorithm).
 * @throws ShapeError when A and B have different row counts.
 * @example principalAngles(Matrix.from([[1], [0]]), Matrix.from([[1], [1]])).angles // [pi/4]
 */
export function principalAngles(A: Matrix, B: Matrix, options: PrincipalAnglesOptions = {}): PrincipalAngles {
  if (A.rows !== B.rows) throw new ShapeError(`principalAngles: the subspaces must live in the same space, got ${A.rows} and ${B.rows} rows`);
  let QA = orthonormalBasis(A, options.rcond);
  let QB = orthonormalBasis(B, options.rcond);
  const dimA = QA.cols;
  const dimB = QB.cols;
  // Work with dim QA >= dim QB, so the sines come from an m x q matrix with q = min.
  const swapped = dimA < dimB;
  if (swapped) [QA, QB] = [QB, QA];
  const p = QA.cols;
  const q = QB.cols;
  const m = QA.rows;
  const empty = new Float64Array(0);
  if (q === 0) return { angles: empty, cosines: empty, sines: empty, dimA, dimB, ...(options.vectors ? { U: Matrix.zeros(m, 0), V: Matrix.zeros(m, 0) } : {}) };
  const C = Matrix.zeros(p, q);
  gemmInto(QA.T, QB, C);
  // S = QB - QA C = (I - QA QA^T) QB.
  const S = QB.copy();
  gemmInto(QA, C, S, -1, 1);
  let cosDesc: Float64Array;
  let sinDesc: Float64Array;
  let Y: Matrix | undefined; // left singular vectors of C (p x q)
  let Zt: Matrix | undefined; // right singular vectors of C, as rows
  let Zst: Matrix | undefined; // right singular vectors of S, as rows
  if (options.vectors) {
    const f = svd(C);
    cosDesc = Float64Array.from(f.s);
    Y = f.U;
    Zt = f.Vt;
    const g = svd(S);
    sinDesc = Float64Array.from(g.s);
    Zst = g.Vt;
  } else {
    cosDesc = Float64Array.from(svdvals(C));
    sinDesc = Float64Array.from(svdvals(S)); // q values, descending: the sines, largest first
  }
  const angles = new Float64Array(q);
  const cosines = new Float64Array(q);
  const sines = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    const c = Math.min(1, Math.max(0, cosDesc[i]!));
    const sn = Math.min(1, Math.max(0, sinDesc[q - 1 - i]!));
    // Below pi/4 the sine is the accurate one, above it the cosine.
    const theta = c * c >= 0.5 ? Math.asin(sn) : Math.acos(c);
    angles[i] = theta;
    cosines[i] = c * c >= 0.5 ? Math.sqrt(Math.max(0, 1 - sn * sn)) : c;
    sines[i] = c * c >= 0.5 ? sn : Math.sqrt(Math.max(0, 1 - c * c));
  }
  // Rounding may break the order where sine- and cosine-based angles meet; restore it.
  const order = Array.from(angles.keys()).sort((a, b) => angles[a]! - angles[b]!);
  const sortedAngles = Float64Array.from(order, (i) => angles[i]!);
  const sortedCos = Float64Array.from(order, (i) => cosines[i]!);
  const sortedSin = Float64Array.from(order, (i) => sines[i]!);
  if (!options.vectors) return { angles: sortedAngles, cosines: sortedCos, sines: sortedSin, dimA, dimB };
  // Principal vectors (Knyazev & Argentati 2002, Algorithm 3.1). Above pi/4, from
  // C = Y diag(cos) Z^T: u_i = QA y_i, v_i = QB z_i. Below, the cosines cluster near 1 and
  // their singular vectors are ill-determined, so v_i = QB z_i comes from the SVD of
  // S = (I - QA QA^T) QB (right vector of the matching sine) and u_i is the normalized
  // projection of v_i on span(QA): QA C z_i / ||C z_i||, with ||C z_i|| = cos(theta_i).
  const Zb = Matrix.zeros(q, q); // coefficients of v_i in QB, one column per angle
  const Ya = Matrix.zeros(p, q); // coefficients of u_i in QA
  for (let i = 0; i < q; i++) {
    const c = cosDesc[i]!;
    if (c * c >= 0.5) {
      const j = q - 1 - i;
      for (let r = 0; r < q; r++) Zb.set(r, i, Zst!.get(j, r));
      let nrm = 0;
      for (let r = 0; r < p; r++) {
        let t = 0;
        for (let l = 0; l < q; l++) t += C.get(r, l) * Zb.get(l, i);
        Ya.set(r, i, t);
        nrm += t * t;
      }
      nrm = Math.sqrt(nrm);
      for (let r = 0; r < p; r++) Ya.set(r, i, Ya.get(r, i) / nrm);
    } else {
      for (let r = 0; r < q; r++) Zb.set(r, i, Zt!.get(i, r));
      for (let r = 0; r < p; r++) Ya.set(r, i, Y!.get(r, i));
    }
  }
  const Uv = Matrix.zeros(m, q);
  gemmInto(QA, Ya, Uv);
  const Vv = Matrix.zeros(m, q);
  gemmInto(QB, Zb, Vv);
  const pick = (X: Matrix): Matrix => {
    const out = Matrix.zeros(m, q);
    order.forEach((src, dst) => {
      for (let r = 0; r < m; r++) out.set(r, dst, X.get(r, src));
    });
    return out;
  };
  const [Ua, Vb] = swapped ? [pick(Vv), pick(Uv)] : [pick(Uv), pick(Vv)];
  return { angles: sortedAngles, cosines: sortedCos, sines: sortedSin, dimA, dimB, U: Ua, V: Vb };
}

/** Names of the distances of {@link subspaceDistance}. */
export type SubspaceDistanceKind = 'geodesic' | 'chordal' | 'chordal2' | 'projection' | 'spectral' | 'fubiniStudy';

/** Every distance between two subspaces, in one object. */
export type SubspaceDistances = Record<SubspaceDistanceKind, number>;

/**
 * All distances of {@link subspaceDistance} from the principal angles theta (radians).
 * Subspaces of different dimensions p != q are compared after completing the angles with
 * |p - q| angles of pi/2 (Ye & Lim 2016, "Schubert varieties and distances between
 * subspaces of different dimensions", SIAM J. Matrix Anal. Appl. 37(3)): a subspace
 * then has distance 0 only to itself.
 * @param angles - the min(p, q) principal angles.
 * @param extra - |p - q|, the number of pi/2 angles to add.
 */
export function distancesFromAngles(angles: ArrayLike<number>, extra = 0): SubspaceDistances {
  const th = [...Array.from(angles), ...new Array<number>(extra).fill(Math.PI / 2)];
  let geo = 0;
  let chord = 0;
  let chordMax = 0;
  let proj = 0;
  let projMax = 0;
  let logCos = 0;
  for (const t of th) {
    const s = Math.sin(t);
    const c2 = 2 * Math.sin(t / 2);
    geo += t * t;
    chord += c2 * c2;
    chordMax = Math.max(chordMax, c2);
    proj += s * s;
    projMax = Math.max(projMax, s);
    logCos += Math.log(Math.cos(t));
  }
  return {
    geodesic: Math.sqrt(geo),
    chordal: Math.sqrt(chord),
    chordal2: chordMax,
    projection: Math.sqrt(proj),
    spectral: projMax,
    fubiniStudy: Math.acos(Math.min(1, Math.exp(logCos))),
  };
}

/**
 * Distance between span(A) and span(B), from the principal angles theta (Edelman, Arias &
 * Smith 1998, "The geometry of algorithms with orthogonality constraints", SIAM J. Matrix
 * Anal. Appl. 20(2), section 4.3), with Q_A, Q_B orthonormal bases:
 *
 * - 'geodesic' (arc length on the Grassmannian): ||theta||_2;
 * - 'chordal' (chordal Frobenius norm): ||2 sin(theta / 2)||_2 = min ||Q_A U - Q_B V||_F
 *   over orthogonal U, V;
 * - 'chordal2' (chordal 2-norm): ||2 sin(theta / 2)||_inf;
 * - 'projection' (projection Frobenius norm): ||sin theta||_2 = ||P_A - P_B||_F / sqrt(2);
 * - 'spectral' (projection 2-norm): ||sin theta||_inf = ||P_A - P_B||_2, the sine of the
 *   largest angle (the "gap" of the two subspaces);
 * - 'fubiniStudy': arccos(prod cos theta_i) = arccos |det(Q_A^T Q_B)|.
 *
 * Different dimensions are handled as in {@link distancesFromAngles}.
 * @throws ShapeError when A and B have different row counts.
 */
export function subspaceDistance(A: Matrix, B: Matrix, kind: SubspaceDistanceKind = 'projection'): number {
  const all = subspaceDistances(A, B);
  const d = all[kind];
  check(d !== undefined, () => `subspaceDistance: kind must be one of ${Object.keys(all).join(', ')}, got '${String(kind)}'`);
  return d;
}

/** Every distance of {@link subspaceDistance} at once (one angle computation). */
export function subspaceDistances(A: Matrix, B: Matrix): SubspaceDistances {
  const r = principalAngles(A, B);
  return distancesFromAngles(r.angles, Math.abs(r.dimA - r.dimB));
}
