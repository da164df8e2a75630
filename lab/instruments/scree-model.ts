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

/** The largest table the Lab takes (entries), so the SVDs stay interactive. */
export const MAX_TABLE_ENTRIES = 400 * 400;

/** Split one line at `delim` (a character, or null for runs of whitespace), honouring "quoted" fields with "" escapes. */
function splitLine(line: string, delim: string | null): string[] {
  if (delim === null) return line.split(/\s+/).filter((c) => c !== '');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((c) => c.trim());
}

/** A cell as a number, or NaN: '1.5', ' 2 ', '"3"' (quotes already removed), '-4e-3'; with `decimalComma`, '1,5'. */
function cellNumber(cell: string, decimalComma: boolean): number {
  const c = decimalComma ? cell.replace(/^([-+]?\d*),(\d+)$/, '$1.$2') : cell;
  return c === '' ? NaN : Number(c);
}

/**
 * Parse a numeric table into a Matrix: CSV (quoted fields allowed, "1.5" is a number),
 * semicolon-separated (with decimal commas), TSV or whitespace-separated. A first line with
 * anything non-numeric is a header; a first column that is non-numeric on every row is a
 * label column (row names) and is dropped. Blank lines and lines starting with # or % are
 * skipped. Throws an Error naming the line for anything else (a missing or non-numeric
 * cell, a short row, more than {@link MAX_TABLE_ENTRIES} entries).
 */
export function parseNumberTable(text: string): Matrix {
  const lines: { no: number; text: string }[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    const t = l.trim();
    if (t !== '' && !t.startsWith('#') && !t.startsWith('%')) lines.push({ no: i + 1, text: t });
  });
  if (lines.length === 0) throw new Error('no numeric rows found (the file is empty)');
  const first = lines[0]!.text;
  const delim = first.includes('\t') ? '\t' : first.includes(';') ? ';' : first.includes(',') ? ',' : null;
  const decimalComma = delim === ';';
  const rows = lines.map((l) => ({ no: l.no, cells: splitLine(l.text, delim) }));
  const isNum = (c: string): boolean => Number.isFinite(cellNumber(c, decimalComma));
  // A label column: the first cell is not a number on every line after the first (which may be a header).
  const body = rows.length > 1 ? rows.slice(1) : rows;
  const labels = body.every((r) => r.cells.length > 1 && !isNum(r.cells[0]!));
  const from = labels ? 1 : 0;
  const header = rows[0]!.cells.slice(from).some((c) => !isNum(c));
  const data = header ? rows.slice(1) : rows;
  if (data.length === 0) throw new Error('no numeric rows found');
  const n = data[0]!.cells.length - from;
  const values: number[][] = [];
  data.forEach((r, ri) => {
    const cells = r.cells.slice(from);
    if (cells.length !== n) throw new Error(`row ${ri + 1} has ${cells.length} values, the first has ${n} (line ${r.no})`);
    values.push(
      cells.map((c, ci) => {
        const v = cellNumber(c, decimalComma);
        if (!Number.isFinite(v)) throw new Error(`line ${r.no}: ${c === '' ? 'an empty cell' : `'${c.slice(0, 20)}'`} in column ${ci + 1 + from} is not a number`);
        return v;
      }),
    );
    if (values.length * n > MAX_TABLE_ENTRIES) throw new Error(`more than ${MAX_TABLE_ENTRIES.toLocaleString('en-US')} entries: larger than the Lab's limit (400 × 400)`);
  });
  if (n === 0) throw new Error('no numeric columns found');
  return Matrix.from(values);
}
