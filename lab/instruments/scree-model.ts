/**
 * The scree instrument's model, without DOM: matrices with a chosen spectral decay, and
 * the quantities the instrument shows for a rank k: energy retained
 * sum_{i<=k} s_i^2 / sum_i s_i^2, the relative error ||A - A_k||_F / ||A||_F (measured on
 * the reconstruction, and predicted by Eckart-Young as sqrt(sum_{i>k} s_i^2) / ||A||_F) and
 * the storage of the rank-k factors, k(m + n + 1) numbers against mn.
 */
import { Matrix, cumulativeEnergy, eckartYoungError, energyRatio, matmul, qr, svd, type Svd } from '../../src/browser.js';

/** Built-in spectra: fast (geometric) decay, slow (power-law) decay, or flat noise. */
export type Decay = 'fast' | 'slow' | 'flat';

/** The singular values of a built-in matrix: s_i = 0.75^i, (i+1)^-0.35, or all ones. */
export function plantedSpectrum(decay: Decay, r: number): Float64Array {
  const s = new Float64Array(r);
  for (let i = 0; i < r; i++) s[i] = decay === 'fast' ? 0.75 ** i : decay === 'slow' ? (i + 1) ** -0.35 : 1;
  return s;
}

/** A = Q1 diag(s) Q2^T with random orthonormal Q1 (m x r), Q2 (n x r) from QR of Gaussian matrices. */
export function matrixWithSpectrum(s: ArrayLike<number>, m: number, n: number, seed = 1): Matrix {
  const r = s.length;
  const Q1 = qr(Matrix.random(m, r, { seed, distribution: 'normal' })).Q;
  const Q2 = qr(Matrix.random(n, r, { seed: seed + 1, distribution: 'normal' })).Q;
  const Q1s = Q1.copy();
  for (let j = 0; j < r; j++) for (let i = 0; i < m; i++) Q1s.set(i, j, Q1.get(i, j) * s[j]!);
  return matmul(Q1s, Q2, { transB: true });
}

/** What the instrument shows for one k. */
export interface RankKSummary {
  readonly k: number;
  /** Fraction of sum s_i^2 kept by the first k components. */
  readonly energy: number;
  /** ||A - A_k||_F / ||A||_F measured on the reconstruction. */
  readonly relError: number;
  /** sqrt(sum_{i>k} s_i^2) / ||A||_F (Eckart-Young). */
  readonly eckartYoung: number;
  /** k(m + n + 1) / (mn): storage of U_k, s_k, V_k relative to A. */
  readonly storage: number;
}

/** A matrix's SVD with the per-component energies, ready to be queried for any k. */
export class Spectrum {
  readonly A: Matrix;
  readonly svd: Svd;
  readonly s: Float64Array;
  /** s_i^2 / sum s^2. */
  readonly share: Float64Array;
  /** Cumulative share, cumulative[i] = energy kept with k = i + 1. */
  readonly cumulative: Float64Array;
  readonly normA: number;

  constructor(A: Matrix) {
    this.A = A;
    this.svd = svd(A);
    this.s = Float64Array.from(this.svd.s);
    this.share = energyRatio(this.s);
    this.cumulative = cumulativeEnergy(this.s);
    this.normA = A.norm('fro');
  }

  /** Largest meaningful k, min(m, n). */
  get maxK(): number {
    return this.s.length;
  }

  /** Energy, errors and storage at rank k (1 <= k <= maxK). Cost: one m x n x k product. */
  at(k: number): RankKSummary {
    const { rows: m, cols: n } = this.A;
    const Ak = this.svd.truncate(k).reconstruct();
    const relError = this.normA > 0 ? this.A.sub(Ak).norm('fro') / this.normA : 0;
    return {
      k,
      energy: k === 0 ? 0 : this.cumulative[k - 1]!,
      relError,
      eckartYoung: this.normA > 0 ? eckartYoungError(this.s, k) / this.normA : 0,
      storage: (k * (m + n + 1)) / (m * n),
    };
  }
}

/**
 * Parse a numeric table (CSV, TSV or whitespace separated; a non-numeric first line is
 * taken as a header) into a Matrix. Throws an Error with a readable message otherwise.
 */
export function parseNumberTable(text: string): Matrix {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('%'));
  const rows: number[][] = [];
  lines.forEach((line, li) => {
    const cells = line.split(/[,;\t ]+/).filter((c) => c !== '');
    const nums = cells.map(Number);
    if (nums.some((v) => !Number.isFinite(v))) {
      if (li === 0) return; // header
      throw new Error(`line ${li + 1}: not a number in '${line.slice(0, 40)}'`);
    }
    rows.push(nums);
  });
  if (rows.length === 0) throw new Error('no numeric rows found');
  const n = rows[0]!.length;
  const bad = rows.findIndex((r) => r.length !== n);
  if (bad >= 0) throw new Error(`row ${bad + 1} has ${rows[bad]!.length} values, the first has ${n}`);
  if (rows.length * n > 400 * 400) throw new Error(`${rows.length}x${n} is larger than the Lab's limit of 160,000 entries`);
  return Matrix.from(rows);
}
