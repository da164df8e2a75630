/**
 * Orthogonalization and truncation sweeps over the cores of a tensor train (Oseledets 2011,
 * section 3 and Algorithm 2), on the cores' C-order float64 data: core k is
 * r_k x n_k x r_{k+1}, i.e. the matrix (r_k n_k) x r_{k+1} ("left unfolding") or
 * r_k x (n_k r_{k+1}) ("right unfolding") with no copy.
 *
 * - {@link orthogonalizeLeft}: QR of each left unfolding from the first core, R pushed into
 *   the next core; afterwards cores 0 .. d-2 have orthonormal left unfoldings and the whole
 *   norm sits in the last core.
 * - {@link orthogonalizeRight}: the mirror image (LQ of right unfoldings from the last core).
 * - {@link truncateLeftToRight}: after a right orthogonalization, truncated SVDs of the left
 *   unfoldings from the first core (TT rounding).
 * - {@link bondSpectra}: after a left orthogonalization, SVDs of the right unfoldings from the
 *   last core give the singular values across every bond.
 *
 * Every routine works on (and returns) fresh arrays; ranks may drop where an unfolding has
 * fewer rows than columns.
 * @internal
 */
import { gemmC, mulC, qrC, svdC, truncationRank } from './tt-dense.js';

/** Cores as data: shape n_k, ranks r_0 .. r_d (r_0 = r_d = 1), core k of r_k n_k r_{k+1} numbers. */
export interface CoreSet {
  readonly shape: readonly number[];
  readonly ranks: number[];
  readonly cores: Float64Array[];
}

/** A copy of a core set (the arrays are copied). */
export function cloneCores(c: CoreSet): CoreSet {
  return { shape: [...c.shape], ranks: [...c.ranks], cores: c.cores.map((a) => a.slice()) };
}

/** Make cores 0 .. d-2 left-orthonormal (QR from the first core), in place on `c`. */
export function orthogonalizeLeft(c: CoreSet): void {
  const { shape, ranks, cores } = c;
  const d = shape.length;
  for (let k = 0; k < d - 1; k++) {
    const m = ranks[k]! * shape[k]!;
    const r = ranks[k + 1]!;
    const { Q, R, k: q } = qrC(cores[k]!, m, r);
    cores[k] = Q;
    // Next core := R (q x r) times its right unfolding (r x n r').
    const cols = shape[k + 1]! * ranks[k + 2]!;
    cores[k + 1] = mulC(false, false, q, cols, r, R, cores[k + 1]!);
    ranks[k + 1] = q;
  }
}

/** Make cores 1 .. d-1 right-orthonormal (LQ from the last core), in place on `c`. */
export function orthogonalizeRight(c: CoreSet): void {
  const { shape, ranks, cores } = c;
  const d = shape.length;
  for (let k = d - 1; k > 0; k--) {
    const r = ranks[k]!;
    const cols = shape[k]! * ranks[k + 1]!;
    // The right unfolding (r x cols, C order) is the column-major cols x r matrix, i.e. its
    // transpose: QR of that transpose is an LQ of the unfolding, core = R^T Q^T.
    const t = transposeC(cores[k]!, r, cols);
    const { Q, R, k: q } = qrC(t, cols, r);
    cores[k] = transposeC(Q, cols, q); // q x cols
    // Previous core := its left unfolding (m x r) times R^T (r x q).
    const m = ranks[k - 1]! * shape[k - 1]!;
    cores[k - 1] = mulC(false, true, m, q, r, cores[k - 1]!, R);
    ranks[k] = q;
  }
}

/**
 * TT rounding's second sweep: with cores 1 .. d-1 right-orthonormal, truncate the left
 * unfolding of each core from the first, keeping the smallest rank whose discarded singular
 * values have norm <= delta (at most caps[k] at bond k+1); the kept S V^T moves into the
 * next core. Returns the discarded energy (sum of squares) per bond.
 */
export function truncateLeftToRight(c: CoreSet, delta: number, caps: readonly number[]): number[] {
  const { shape, ranks, cores } = c;
  const d = shape.length;
  const discarded: number[] = [];
  for (let k = 0; k < d - 1; k++) {
    const m = ranks[k]! * shape[k]!;
    const r = ranks[k + 1]!;
    const f = svdC(cores[k]!, m, r);
    const e = f.s.map((x) => x * x);
    const { rank, discarded: lost } = truncationRank(e, delta * delta, caps[k]!);
    discarded.push(lost);
    const U = new Float64Array(m * rank);
    for (let i = 0; i < m; i++) for (let a = 0; a < rank; a++) U[i * rank + a] = f.U[i * f.k + a]!;
    cores[k] = U;
    // S_r V_r^T (rank x r) times the next core's right unfolding (r x n r').
    const SV = new Float64Array(rank * r);
    for (let a = 0; a < rank; a++) for (let j = 0; j < r; j++) SV[a * r + j] = f.s[a]! * f.Vt[a * r + j]!;
    const cols = shape[k + 1]! * ranks[k + 2]!;
    cores[k + 1] = mulC(false, false, rank, cols, r, SV, cores[k + 1]!);
    ranks[k + 1] = rank;
  }
  return discarded;
}

/**
 * The singular values across every bond (d - 1 arrays, bond b between cores b and b + 1),
 * for cores 0 .. d-2 left-orthonormal (after {@link orthogonalizeLeft}); leaves the train in
 * its right-canonical form (cores 1 .. d-1 right-orthonormal), on `c`.
 */
export function bondSpectra(c: CoreSet): Float64Array[] {
  const { shape, ranks, cores } = c;
  const d = shape.length;
  const out: Float64Array[] = new Array<Float64Array>(d - 1);
  for (let k = d - 1; k > 0; k--) {
    const r = ranks[k]!;
    const cols = shape[k]! * ranks[k + 1]!;
    const f = svdC(cores[k]!, r, cols);
    out[k - 1] = f.s;
    cores[k] = f.Vt;
    // Previous core := its left unfolding (m x r) times U diag(s) (r x q).
    const US = new Float64Array(r * f.k);
    for (let i = 0; i < r; i++) for (let a = 0; a < f.k; a++) US[i * f.k + a] = f.U[i * f.k + a]! * f.s[a]!;
    const m = ranks[k - 1]! * shape[k - 1]!;
    const next = new Float64Array(m * f.k);
    gemmC(false, false, m, f.k, r, 1, cores[k - 1]!, 0, US, 0, 0, next, 0);
    cores[k - 1] = next;
    ranks[k] = f.k;
  }
  return out;
}

/** The transpose of the C-order m x n array, as a C-order n x m array. */
export function transposeC(a: Float64Array, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a[i * n + j]!;
  return out;
}
