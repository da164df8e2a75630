/**
 * The state both Frobenius NMF solvers (coordinate descent and multiplicative updates)
 * iterate on: W (m x k), Ht = H^T (n x k), the products X Ht and X^T W, and the Gram
 * matrices W^T W and Ht^T Ht, all allocated once per fit in the workspace, which on a WASM
 * backend is the kernels' memory. Products, Grams and sweeps then run where the arrays
 * are: an iteration moves nothing between JavaScript and WASM (at k = 10 the copies cost
 * about as much as the arithmetic).
 *
 * The factors are kept in the layout of the data's products: column-major for dense X
 * (gemm's), row-major for sparse X (the CSR kernels').
 *
 * With these, 1/2 ||X - W H||_F^2 = 1/2 (||X||^2 - 2 <X^T W, Ht> + <W^T W, Ht^T Ht>) costs
 * O(n k + k^2) once the products of an iteration are known.
 */
import { kernels } from '../../kernels/index.js';
import { columnMajor, gramRows, rowMajor, type FactorLayout } from '../../kernels/nmf.js';
import type { Workspace } from '../../kernels/workspace.js';
import type { NmfData } from './data.js';
import { frobeniusLoss } from './loss.js';

/** Factors, products and Gram matrices of one Frobenius NMF fit (see the file comment). */
export class FrobeniusFactors {
  readonly m: number;
  readonly n: number;
  readonly W: Float64Array;
  readonly Ht: Float64Array;
  readonly wLayout: FactorLayout;
  readonly hLayout: FactorLayout;
  /** X Ht (m x k, W's layout). */
  readonly XHt: Float64Array;
  /** X^T W (n x k, Ht's layout). */
  readonly XtW: Float64Array;
  readonly WtW: Float64Array;
  readonly HtH: Float64Array;

  /**
   * @param W0 - initial W, m x k column-major (copied).
   * @param Ht0 - initial H^T, n x k column-major (copied).
   */
  constructor(readonly data: NmfData, W0: Float64Array, Ht0: Float64Array, readonly k: number, ws: Workspace) {
    const { m, n } = data;
    this.m = m;
    this.n = n;
    const alloc = (size: number) => ws.alloc('float64', size, false) as Float64Array;
    const row = data.layout === 'row';
    this.wLayout = row ? rowMajor(k) : columnMajor(m);
    this.hLayout = row ? rowMajor(k) : columnMajor(n);
    this.W = toLayout(W0, m, k, this.wLayout, alloc(m * k));
    this.Ht = toLayout(Ht0, n, k, this.hLayout, alloc(n * k));
    this.XHt = alloc(m * k);
    this.XtW = alloc(n * k);
    this.WtW = alloc(k * k);
    this.HtH = alloc(k * k);
  }

  /** XHt := X Ht. */
  timesHt(): void {
    this.data.timesInto(this.Ht, this.k, this.XHt);
  }

  /** XtW := X^T W. */
  timesW(): void {
    this.data.timesTInto(this.W, this.k, this.XtW);
  }

  /** WtW := W^T W. */
  gramW(): void {
    gramInto(this.W, this.m, this.k, this.wLayout, this.WtW);
  }

  /** HtH := Ht^T Ht. */
  gramH(): void {
    gramInto(this.Ht, this.n, this.k, this.hLayout, this.HtH);
  }

  /** 1/2 ||X - W H||^2 from XtW (at the current W), WtW and HtH (at the current factors). */
  lossFromXtW(): number {
    return frobeniusLoss(this.data.sqNorm, dot(this.XtW, this.Ht), this.WtW, this.HtH);
  }

  /** 1/2 ||X - W H||^2 from XHt (at the current H), WtW and HtH (at the current factors). */
  lossFromXHt(): number {
    return frobeniusLoss(this.data.sqNorm, dot(this.XHt, this.W), this.WtW, this.HtH);
  }

  /** W (m x k) column-major, into `out`. */
  readW(out: Float64Array): Float64Array {
    return fromLayout(this.W, this.m, this.k, this.wLayout, out);
  }

  /** H^T (n x k) column-major, into `out`. */
  readHt(out: Float64Array): Float64Array {
    return fromLayout(this.Ht, this.n, this.k, this.hLayout, out);
  }
}

/**
 * What the two Frobenius solvers share: the factors, the reuse of H H^T from the loss in
 * the next W update, the loss after each update, and reading the factors out.
 */
export abstract class FrobeniusSolver {
  protected readonly f: FrobeniusFactors;
  /** f.HtH holds Ht^T Ht of the current Ht (the loss computed it; the next W update reuses it). */
  private hthCurrent = false;

  /**
   * @param W0 - initial W, m x k column-major (copied).
   * @param Ht0 - initial H^T, n x k column-major (copied).
   */
  constructor(data: NmfData, W0: Float64Array, Ht0: Float64Array, k: number, ws: Workspace) {
    this.f = new FrobeniusFactors(data, W0, Ht0, k, ws);
  }

  /** Before a W update: HtH and XHt at the current H. */
  protected prepareW(): void {
    if (!this.hthCurrent) this.f.gramH();
    this.hthCurrent = true;
    this.f.timesHt();
  }

  /** Before an H update: WtW and XtW at the current W. */
  protected prepareH(): void {
    this.f.gramW();
    this.f.timesW();
    this.hthCurrent = false;
  }

  /** 1/2 ||X - W H||_F^2 after an H update: X^T W and W^T W are current, H H^T is new. */
  lossAfterH(): number {
    this.f.gramH();
    this.hthCurrent = true;
    return this.f.lossFromXtW();
  }

  /** 1/2 ||X - W H||_F^2 after a W update with H fixed (transform). */
  lossAfterW(): number {
    this.f.gramW();
    return this.f.lossFromXHt();
  }

  /** Copy W (column-major, and H^T when `withH`) out into the caller's arrays. */
  readInto(W: Float64Array, Ht: Float64Array, withH: boolean): void {
    this.f.readW(W);
    if (withH) this.f.readHt(Ht);
  }
}

/**
 * G := F^T F (k x k, both triangles) for F rows x k in `layout`, on the arrays in place:
 * column-major F through syrk (the unpacked A^T A kernel), row-major F through gramRows
 * (syrk would take it as the "A A^T" of F^T, a gemm with a packing pass).
 */
function gramInto(F: Float64Array, rows: number, k: number, layout: FactorLayout, G: Float64Array): void {
  if (layout.rowStride !== 1) {
    gramRows(F, rows, k, G);
    return;
  }
  kernels().syrk('L', true, k, rows, 1, F, 0, rows, 0, G, 0, k);
  for (let j = 1; j < k; j++) for (let i = 0; i < j; i++) G[i + j * k] = G[j + i * k]!;
}

/** Sum of A .* B (same layout, same length). */
function dot(A: Float64Array, B: Float64Array): number {
  return kernels().dot(A.length, A, 0, 1, B, 0, 1);
}

function toLayout(F: Float64Array, rows: number, k: number, layout: FactorLayout, out: Float64Array): Float64Array {
  const { rowStride: rs, colStride: cs } = layout;
  for (let c = 0; c < k; c++) for (let i = 0; i < rows; i++) out[i * rs + c * cs] = F[i + c * rows]!;
  return out;
}

function fromLayout(F: Float64Array, rows: number, k: number, layout: FactorLayout, out: Float64Array): Float64Array {
  const { rowStride: rs, colStride: cs } = layout;
  for (let c = 0; c < k; c++) for (let i = 0; i < rows; i++) out[i + c * rows] = F[i * rs + c * cs]!;
  return out;
}
