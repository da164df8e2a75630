/**
 * The `npm start` / `lowrank demo` computation: how well does a rank-k approximation
 * capture a matrix whose spectrum we planted?
 *
 * A = U diag(s) V^T is built with orthonormal U, V and singular values s decaying like a
 * real data matrix (a few strong directions, then a noise floor). For each k the optimal
 * (Eckart-Young) relative error sqrt(sum_{i>k} s_i^2) / ||s|| is known exactly; we compare
 * it with the error of the randomized range finder with power iterations (Halko, Martinsson
 * & Tropp 2011, Alg. 4.4): Q = orth((A A^T)^q A Omega), error ||A - Q Q^T A||_F / ||A||_F.
 * Everything runs on lowrank's gemm kernels. The full SVD arrives with the decompositions.
 */
import { kernels } from '../kernels/index.js';
import { matmul } from '../linalg/matmul.js';
import { Matrix } from '../matrix/matrix.js';

/** One row of the demo table. */
export interface DemoRow {
  k: number;
  /** Energy retained by the best rank-k approximation, sum_{i<=k} s_i^2 / sum s_i^2. */
  energy: number;
  /** Optimal relative Frobenius error (Eckart-Young). */
  optimalError: number;
  /** Relative Frobenius error of the randomized range finder's rank-k projection. */
  randomizedError: number;
  /** Parameters of the rank-k factors k(m+n) as a fraction of mn. */
  storage: number;
}

/** Orthonormalize the columns of Q in place: modified Gram-Schmidt, applied twice ("twice is enough"). */
function orthonormalize(Q: Matrix): void {
  const k = kernels();
  const m = Q.rows;
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < Q.cols; j++) {
      const oj = j * m;
      for (let i = 0; i < j; i++) {
        const r = k.dot(m, Q.data, i * m, 1, Q.data, oj, 1);
        k.axpy(m, -r, Q.data, i * m, 1, Q.data, oj, 1);
      }
      const nrm = k.nrm2(m, Q.data, oj, 1);
      k.scal(m, nrm > 0 ? 1 / nrm : 0, Q.data, oj, 1);
    }
  }
}

/** A m x n matrix with planted singular values `s` (U, V random orthonormal, seeded). */
export function plantedMatrix(m: number, n: number, s: number[], seed: number): Matrix {
  const r = s.length;
  const U = Matrix.random(m, r, { seed, distribution: 'normal' });
  const V = Matrix.random(n, r, { seed: seed + 1, distribution: 'normal' });
  orthonormalize(U);
  orthonormalize(V);
  const US = U.map((v, _i, j) => v * s[j]!);
  return matmul(US, V, { transB: true });
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
  const t0 = performance.now();
  const A = plantedMatrix(m, n, s, seed);
  const total = s.reduce((a, v) => a + v * v, 0);
  const normA = A.norm();
  const rows: DemoRow[] = [];
  for (const k of ranks) {
    if (k > full) continue;
    const tail = s.slice(k).reduce((a, v) => a + v * v, 0);
    // Range finder with oversampling p = 10 and q = 2 power iterations, re-orthonormalized.
    let Y = matmul(A, Matrix.random(n, k + 10, { seed: seed + 100 + k, distribution: 'normal' }));
    orthonormalize(Y);
    for (let q = 0; q < 2; q++) {
      const Z = matmul(A, Y, { transA: true });
      orthonormalize(Z);
      Y = matmul(A, Z);
      orthonormalize(Y);
    }
    // Best rank-k approximation inside range(Y): Q = leading k directions of Y^T A.
    const B = matmul(Y, A, { transA: true }); // (k+p) x n
    const Qk = leadingLeftVectors(B, k); // (k+p) x k orthonormal
    const Q = matmul(Y, Qk);
    const R = A.sub(matmul(Q, matmul(Q, A, { transA: true })));
    rows.push({
      k,
      energy: 1 - tail / total,
      optimalError: Math.sqrt(tail / total),
      randomizedError: R.norm() / normA,
      storage: (k * (m + n)) / (m * n),
    });
  }
  return { rows, seconds: (performance.now() - t0) / 1000, m, n, s };
}

// Leading k left singular vectors of a small, wide B, from the eigenvectors of B B^T by
// cyclic Jacobi rotations (Golub & Van Loan, Alg. 8.5.3): the matrix is (k+p) x (k+p).
export function leadingLeftVectors(B: Matrix, k: number): Matrix {
  const G = matmul(B, B, { transB: true });
  const p = G.rows;
  const V = Matrix.identity(p);
  const g = (i: number, j: number) => G.data[i + j * p]!;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += g(i, j) ** 2;
    if (off <= 1e-30 * G.norm() ** 2) break;
    for (let i = 0; i < p - 1; i++) {
      for (let j = i + 1; j < p; j++) {
        const gij = g(i, j);
        if (gij === 0) continue;
        const theta = (g(j, j) - g(i, i)) / (2 * gij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let r = 0; r < p; r++) {
          // G := J^T G J, applied as column then row rotations.
          const a = G.data[r + i * p]!, b = G.data[r + j * p]!;
          G.data[r + i * p] = c * a - sn * b;
          G.data[r + j * p] = sn * a + c * b;
        }
        for (let r = 0; r < p; r++) {
          const a = G.data[i + r * p]!, b = G.data[j + r * p]!;
          G.data[i + r * p] = c * a - sn * b;
          G.data[j + r * p] = sn * a + c * b;
        }
        for (let r = 0; r < p; r++) {
          const a = V.data[r + i * p]!, b = V.data[r + j * p]!;
          V.data[r + i * p] = c * a - sn * b;
          V.data[r + j * p] = sn * a + c * b;
        }
      }
    }
  }
  const order = Array.from({ length: p }, (_, i) => i).sort((a, b) => g(b, b) - g(a, a));
  const out = Matrix.zeros(p, k);
  for (let c = 0; c < k; c++) out.col(c).data.set(V.col(order[c]!).data.subarray(order[c]! * p, order[c]! * p + p), c * p);
  return out;
}
