/**
 * WASM kernels for the scalar work of the divide-and-conquer solvers (assembly/bdsdc.ts,
 * assembly/stedc.ts, the QL/QR leaves in assembly/steqr.ts): the Jacobi leaf of the bidiagonal SVD, its merge up to the gemms
 * (LAPACK dlasd2 + dlasd3 with dlasd4), the arrow matrix's right vectors, and the
 * tridiagonal merge before and after its gemms (dlaed2/dlaed3 with dlaed4). The gemms
 * themselves stay with the TypeScript callers (src/linalg/lapack/lasd-merge.ts, stedc.ts),
 * which run them through `kernels().gemm` and so on the thread pool.
 *
 * They exist only on the WASM backends and only when every array lives in the kernels'
 * memory (the callers take their scratch from a Workspace); otherwise each function returns
 * undefined without touching anything and the caller runs its TypeScript path, the same
 * arithmetic statement by statement. Why WASM: a process's first call ran these loops in
 * V8's interpreter and baseline tiers (issue 20); WebAssembly needs no warm-up.
 *
 * With more than one thread (`setThreads`) the merges' secular equations, whose roots are
 * independent, are solved on the worker pool (assembly/pool.ts job kinds 8 and 9); every
 * root is computed as by one thread, so results are the same bit for bit.
 */
import { ShapeError } from '../errors.js';
import { canBlock } from './pool.js';
import { defineKernel, wasmFor } from './registry.js';
import type { WasmKernels } from './wasm-kernels.js';
import { checkMatrixArg, checkSize, checkVectorArg } from './validate.js';

type View = Float64Array | Int32Array;

// The WASM kernels when every array lives in their memory.
function resident(...arrays: View[]): WasmKernels | undefined {
  return wasmFor(...arrays);
}

// Byte address of element `off` of a typed array in the kernels' memory.
const at = (a: View, off: number): number => a.byteOffset + off * a.BYTES_PER_ELEMENT;

// Tell the kernels which pool (if any) the next merge may share its roots on.
function shareRoots(w: WasmKernels): void {
  const threads = w.threadCount;
  const pool = threads > 1 ? w.workerPool(threads) : undefined;
  w.rt.exports.dc_pool(pool ? pool.ctl : 0, pool ? pool.size + 1 : 1, canBlock() ? 1 : 0);
}

function checkInts(name: string, a: Int32Array, off: number, n: number): void {
  if (!(Number.isInteger(off) && off >= 0 && off + n <= a.length)) throw new ShapeError(`${name}: ${n} entries from ${off} do not fit in ${a.length}`);
}

/** Doubles of `work` {@link lasdqLeaf} needs for leaves of up to n rows (2 n^2 + m^2 + 3 n, m = n + sqre <= n + 1). */
export function leafWorkDoubles(n: number): number {
  const m = n + 1;
  return 2 * n * n + m * m + 3 * n;
}

type LeafArgs = [n: number, sqre: number, d: Float64Array, dOff: number, e: Float64Array, eOff: number, U: Float64Array, uOff: number, ldu: number, VT: Float64Array, vOff: number, ldvt: number, work: Float64Array];

const leaf = defineKernel<LeafArgs, number | undefined>({
  name: 'lasdq_leaf',
  select: (_n, _s, d, _dO, e, _eO, U, _uO, _ldu, VT, _vO, _ldvt, work) => resident(d, e, U, VT, work),
  wasm: (w, n, sqre, d, dOff, e, eOff, U, uOff, ldu, VT, vOff, ldvt, work) => {
    checkSize('lasdqLeaf: n', n);
    const m = n + sqre;
    checkVectorArg('lasdqLeaf: d', d, dOff, 1, n);
    checkVectorArg('lasdqLeaf: e', e, eOff, 1, n - 1 + sqre);
    checkMatrixArg('lasdqLeaf: U', U, uOff, ldu, n, n);
    checkMatrixArg('lasdqLeaf: VT', VT, vOff, ldvt, m, m);
    checkVectorArg('lasdqLeaf: work', work, 0, 1, 2 * n * n + m * m + 3 * n);
    return w.rt.exports.dlasdq_leaf(n, sqre, at(d, dOff), at(e, eOff), at(U, uOff), ldu, at(VT, vOff), ldvt, work.byteOffset);
  },
  js: () => undefined,
});

/**
 * One-sided Jacobi SVD of an n x (n + sqre) upper bidiagonal leaf (bdsdc-leaf.ts leafSvd)
 * in WASM: 0 on success, 1 if Jacobi did not converge, undefined (nothing done) unless every
 * array lives in the kernels' memory.
 */
export function lasdqLeaf(...args: LeafArgs): number | undefined {
  return leaf(...args);
}

/** Scratch of one bidiagonal merge as the WASM kernel reads it (lasd-merge.ts MergeScratch). */
export interface Lasd23Scratch {
  z: Float64Array;
  dsigma: Float64Array;
  u2: Float64Array;
  vt2: Float64Array;
  q: Float64Array;
  /** idx, idxc, idxp, coltyp, srcOf: five runs of `ilen` entries. */
  ints: Int32Array;
  ilen: number;
}

type Lasd23Args = [
  nl: number, nr: number, sqre: number, d: Float64Array, dOff: number, alpha: number, beta: number,
  U: Float64Array, uOff: number, ldu: number, VT: Float64Array, vOff: number, ldvt: number,
  idxq: Int32Array, qOff: number, s: Lasd23Scratch,
];

const lasd23Kernel = defineKernel<Lasd23Args, number | undefined>({
  name: 'lasd23',
  select: (_nl, _nr, _sq, d, _dO, _a, _b, U, _uO, _ldu, VT, _vO, _ldvt, idxq, _qO, s) =>
    resident(d, U, VT, idxq, s.z, s.dsigma, s.u2, s.vt2, s.q, s.ints),
  wasm: (w, nl, nr, sqre, d, dOff, alpha, beta, U, uOff, ldu, VT, vOff, ldvt, idxq, qOff, s) => {
    const n = nl + nr + 1;
    const m = n + sqre;
    checkVectorArg('lasd23: d', d, dOff, 1, n);
    checkMatrixArg('lasd23: U', U, uOff, ldu, n, n);
    checkMatrixArg('lasd23: VT', VT, vOff, ldvt, m, m);
    checkInts('lasd23: idxq', idxq, qOff, n);
    if (s.ilen < m + 1 || s.ints.length < 5 * s.ilen || s.z.length < m + 1 || s.dsigma.length < m + 1 || s.u2.length < n * n || s.vt2.length < m * m || s.q.length < n * n) {
      throw new ShapeError(`lasd23: scratch too small for n = ${n}`);
    }
    shareRoots(w);
    return w.rt.exports.dlasd23(
      nl, nr, sqre, at(d, dOff), alpha, beta, at(U, uOff), ldu, at(VT, vOff), ldvt, at(idxq, qOff),
      s.z.byteOffset, s.dsigma.byteOffset, s.u2.byteOffset, s.vt2.byteOffset, s.q.byteOffset, s.ints.byteOffset, s.ilen,
    );
  },
  js: () => undefined,
});

/**
 * The scalar part of a bidiagonal merge in WASM (lasd-merge.ts lasd2 and lasd3 up to the
 * left vectors of the arrow matrix), D scaled to max entry 1: k (the secular order; the
 * merge is complete when k = 1), -1 if the secular equation did not converge, undefined
 * (nothing done) unless every array lives in the kernels' memory.
 */
export function lasd23(...args: Lasd23Args): number | undefined {
  return lasd23Kernel(...args);
}

type RightArgs = [k: number, VT: Float64Array, vOff: number, ldvt: number, q: Float64Array, ints: Int32Array, ilen: number];

const right = defineKernel<RightArgs, boolean>({
  name: 'lasd3_right',
  select: (_k, VT, _vO, _ldvt, q, ints) => resident(VT, q, ints),
  wasm: (w, k, VT, vOff, ldvt, q, ints, ilen) => {
    checkMatrixArg('lasd3Right: VT', VT, vOff, ldvt, k, k);
    checkVectorArg('lasd3Right: q', q, 0, 1, k * k);
    checkInts('lasd3Right: idxc', ints, ilen, k + 1);
    w.rt.exports.dlasd3_right(k, at(VT, vOff), ldvt, q.byteOffset, at(ints, ilen));
    return true;
  },
  js: () => false,
});

/**
 * The arrow matrix's right vectors, transposed into q (k x k), from VT(1..k, 1..k) and the
 * grouping idxc (the second run of `ints`), in WASM; false (nothing done) unless resident.
 */
export function lasd3Right(...args: RightArgs): boolean {
  return right(...args);
}

/** Scratch of one tridiagonal merge as the WASM kernels read it (stedc.ts). */
export interface LaedScratch {
  /** z, dd, dlamda, w, lam, dorig, vals, spare: eight runs of `ilen` doubles. */
  vecs: Float64Array;
  /** indx, coltyp, nd, defl, grp, order, spare, info: eight runs of `ilen` ints. */
  ints: Int32Array;
  ilen: number;
  /** n x n: the pool's per-thread laed4 scratch, and the gemms' row blocks when they do not fit in gather. */
  S: Float64Array;
  /** n x n: the gathered columns, the gemms' row blocks after them, the deflated columns stashed at columns K..n (ld n). */
  gather: Float64Array;
  /** Where laedFinish takes the deflated columns back from (stedc.ts passes gather). */
  out: Float64Array;
}

type LaedMergeArgs = [n: number, n1: number, beta: number, d: Float64Array, dOff: number, Z: Float64Array, q0: number, ldq: number, sc: LaedScratch];

const laedMergeKernel = defineKernel<LaedMergeArgs, number | undefined>({
  name: 'laed_merge',
  select: (_n, _n1, _b, d, _dO, Z, _q0, _ldq, sc) => resident(d, Z, sc.vecs, sc.ints, sc.S, sc.gather),
  wasm: (w, n, n1, beta, d, dOff, Z, q0, ldq, sc) => {
    checkSize('laedMerge: n', n);
    checkVectorArg('laedMerge: d', d, dOff, 1, n);
    checkMatrixArg('laedMerge: Z', Z, q0, ldq, n, n);
    if (!(n1 >= 1 && n1 < n) || sc.ilen < n || sc.vecs.length < 8 * sc.ilen || sc.ints.length < 8 * sc.ilen || sc.S.length < n * n || sc.gather.length < n * n) {
      throw new ShapeError(`laedMerge: n1 = ${n1} or scratch wrong for n = ${n}`);
    }
    shareRoots(w);
    return w.rt.exports.dlaed_merge(n, n1, beta, at(d, dOff), at(Z, q0), ldq, sc.S.byteOffset, sc.gather.byteOffset, sc.vecs.byteOffset, sc.ints.byteOffset, sc.ilen);
  },
  js: () => undefined,
});

/**
 * A tridiagonal merge before its gemms in WASM (stedc.ts merge: deflation, secular
 * equation, Löwner z, eigenvectors, grouping and gathers): K (ints' info run holds c1 and
 * c1 + c2), -1 if the secular equation did not converge, undefined (nothing done) unless
 * every array lives in the kernels' memory.
 */
export function laedMerge(...args: LaedMergeArgs): number | undefined {
  return laedMergeKernel(...args);
}

type LaedFinishArgs = [n: number, K: number, d: Float64Array, dOff: number, Z: Float64Array, q0: number, ldq: number, sc: LaedScratch];

const laedFinishKernel = defineKernel<LaedFinishArgs, boolean>({
  name: 'laed_finish',
  select: (_n, _K, d, _dO, Z, _q0, _ldq, sc) => resident(d, Z, sc.vecs, sc.ints, sc.out),
  wasm: (w, n, K, d, dOff, Z, q0, ldq, sc) => {
    checkVectorArg('laedFinish: d', d, dOff, 1, n);
    checkMatrixArg('laedFinish: Z', Z, q0, ldq, n, n);
    if (!(K >= 0 && K <= n) || sc.out.length < n * n) throw new ShapeError(`laedFinish: K = ${K} or scratch wrong for n = ${n}`);
    w.rt.exports.dlaed_finish(n, K, at(d, dOff), at(Z, q0), ldq, sc.out.byteOffset, sc.vecs.byteOffset, sc.ints.byteOffset, sc.ilen);
    return true;
  },
  js: () => false,
});

/**
 * The end of a tridiagonal merge in WASM, after the gemms wrote the new eigenvectors into
 * Z's first K columns: the deflated columns laedMerge stashed in `sc.out` copied back, then
 * the eigenpairs put in ascending order; false (nothing done) unless resident.
 */
export function laedFinish(...args: LaedFinishArgs): boolean {
  return laedFinishKernel(...args);
}

type SteqrArgs = [n: number, d: Float64Array, dOff: number, e: Float64Array, eOff: number, Z: Float64Array, zOff: number, ldz: number, nz: number];

const steqrKernel = defineKernel<SteqrArgs, number | undefined>({
  name: 'steqr_vectors',
  select: (_n, d, _dO, e, _eO, Z) => resident(d, e, Z),
  wasm: (w, n, d, dOff, e, eOff, Z, zOff, ldz, nz) => {
    checkSize('steqrVectors: n', n);
    checkVectorArg('steqrVectors: d', d, dOff, 1, n);
    checkVectorArg('steqrVectors: e', e, eOff, 1, Math.max(n - 1, 0));
    checkMatrixArg('steqrVectors: Z', Z, zOff, ldz, nz, n);
    return w.rt.exports.dsteqr_vectors(n, at(d, dOff), at(e, eOff), at(Z, zOff), ldz, nz);
  },
  js: () => undefined,
});

/**
 * Implicit QL/QR on the n x n symmetric tridiagonal d[dOff..], e[eOff..] with the rotations
 * applied to the n columns of Z (nz rows) and the eigenvalues sorted ascending (steqr.ts
 * steqr with Z, the same operations) in WASM: 0, or the number of off-diagonals that did not
 * converge in 30 n sweeps; undefined (nothing done) unless every array lives in the kernels'
 * memory.
 */
export function steqrVectors(...args: SteqrArgs): number | undefined {
  return steqrKernel(...args);
}
