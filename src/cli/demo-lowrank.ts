/**
 * The `npm start` / `lowrank demo` computation: how well does a rank-k approximation
 * capture a matrix whose spectrum we planted?
 *
 * A = U diag(s) V^T is built with orthonormal U, V (seeded) and singular values s decaying
 * like a real data matrix (a few strong directions, then a noise floor). For each k the
 * optimal (Eckart-Young) relative error sqrt(sum_{i>k} s_i^2) / ||s|| is known exactly from
 * s; we compare it with the error ||A - U_k S_k V_k^T||_F / ||A||_F of the library's
 * {@link randomizedSvd} (Halko, Martinsson & Tropp 2011: randomized subspace iteration with
 * oversampling 10 and 2 power iterations, then the SVD of the projected matrix).
 */
import { qr } from '../linalg/qr.js';
import { LowRank } from '../lowrank/low-rank.js';
import { randomizedSvd } from '../lowrank/randomized-svd.js';
import { cumulativeEnergy, eckartYoungError } from '../lowrank/rank-selection.js';
import { Matrix } from '../matrix/matrix.js';
import { timed } from './timing.js';
import { kernels } from '../kernels/index.js';

/** One row of the demo table. */
export interface DemoRow {
  k: number;
  /** Energy retained by the best rank-k approximation, sum_{i<=k} s_i^2 / sum s_i^2. */
  energy: number;
  /** Optimal relative Frobenius error (Eckart-Young). */
  optimalError: number;
  /** Relative Frobenius error of the randomized SVD's rank-k approximation. */
  randomizedError: number;
  /** Parameters of the rank-k factors k(m+n) as a fraction of mn. */
  storage: number;
}

/**
 * m x r with orthonormal columns: the Q of a seeded Gaussian matrix's QR, with the signs
 * that make R's diagonal positive (the basis Gram-Schmidt would give).
 */
function orthonormalColumns(m: number, r: number, seed: number): Matrix {
  const { Q, R } = qr(Matrix.random(m, r, { seed, distribution: 'normal' }));
  return Q.map((v, _i, j) => (R.get(j, j) < 0 ? -v : v));
}

/** A m x n matrix with planted singular values `s` (U, V random orthonormal, seeded). */
export function plantedMatrix(m: number, n: number, s: number[], seed: number): Matrix {
  const r = s.length;
  return new LowRank(orthonormalColumns(m, r, seed), s, orthonormalColumns(n, r, seed + 1).T).reconstruct();
}

/** Run the demo: returns the table rows and the time spent in seconds. */
export function runDemo(options: { m?: number; n?: number; ranks?: number[]; seed?: number } = {}): { rows: DemoRow[]; seconds: number; m: number; n: number; s: number[] } {
  const m = options.m ?? 2000;
  const n = options.n ?? 1000;
  const seed = options.seed ?? 1;
  const ranks = options.ranks ?? [1, 2, 3, 5, 8, 10, 15, 20, 40];
  // 8 strong directions decaying geometrically, then a slowly decaying noise floor.
  const full = Math.min(m, n, 200);
  const s = Array.from({ length: full }, (_, i) => (i < 8 ? 100 * 0.6 ** i : 0.5 * 0.99 ** i));
  const { result: rows, seconds } = timed(() => {
    const A = plantedMatrix(m, n, s, seed);
    const normA = A.norm();
    const kept = cumulativeEnergy(s);
    const norm = eckartYoungError(s, 0);
    return ranks
      .filter((k) => k <= full)
      .map((k): DemoRow => {
        const approx = randomizedSvd(A, k, { oversample: 10, powerIters: 2, seed: seed + 100 + k });
        return {
          k,
          energy: kept[k - 1]!,
          optimalError: eckartYoungError(s, k) / norm,
          randomizedError: A.sub(approx.reconstruct()).norm() / normA,
          storage: (k * (m + n)) / (m * n),
        };
      });
  }, { prepare: kernels });
  return { rows, seconds, m, n, s };
}
