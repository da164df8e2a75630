// lowrank WASM kernels: flat exports with BLAS names, d* for f64 and s* for f32.
// Pointers are byte offsets into the (imported, shared) memory; leading dimensions and
// increments are in elements. Nothing here allocates: callers pass workspaces.
import { gemm, gemmWorkspaceBytes, KC, MR, NR } from './gemm';
import { gemmPrepacked, packColumnChunk, packedElements } from './gemm-prepacked';
import { axpy, dot, nrm2, scal } from './level1';
import { gemv, syrk, syrkWorkspaceBytes } from './level2';
import { symvLower } from './symv';
import { orm2trLower, sytd2Lower } from './sytd2';
import { geqr2, larftTri } from './householder';
import { latrdLower } from './latrd';
import { laswp } from './laswp';
import { getrfPanel, trsmLowerUnit } from './getrf';
export { LU_SCRATCH_BYTES } from './getrf';
export { worker_loop, pool_stop, gemm_parallel } from './pool';
export { sgd_parallel, als_parallel } from './pool';
export { gemv_parallel, gemv_parts, gemv_parts_stride, symv_parts, dc_pool } from './pool';
export { sgd_funk, sgd_svdpp } from './sgd';
export { dcsr_mv, scsr_mv, dcsr_rmv, scsr_rmv, dcsr_mm, scsr_mm, dcsr_rmm, scsr_rmm } from './sparse';
export { als_rows, als_work_doubles } from './als';
export { nmf_cd_sweep, nmf_gram_rows, nmf_mu_ratio } from './nmf';
import { lasd23, lasd3Right, lasdqLeaf } from './bdsdc';
import { laedFinish, laedMerge } from './stedc';
import { steqrVectors } from './steqr';
export { dgeqr_small, dgesvd_small, dgesvd_small_work, dsyev_small, dsyev_small_work, dgetrf_small } from './small';

/** 1 when this module was built with relaxed-SIMD FMA. */
export const FMA: i32 = ASC_FEATURE_RELAXED_SIMD ? 1 : 0;

export function dgemm_workspace(): i32 { return gemmWorkspaceBytes<f64>(); }
export function sgemm_workspace(): i32 { return gemmWorkspaceBytes<f32>(); }
export function dsyrk_workspace(): i32 { return syrkWorkspaceBytes<f64>(); }
export function ssyrk_workspace(): i32 { return syrkWorkspaceBytes<f32>(); }
export function tile_f64(): i32 { return (MR<f64>() << 8) | NR<f64>(); }
export function tile_f32(): i32 { return (MR<f32>() << 8) | NR<f32>(); }

export function dgemm(ta: i32, tb: i32, m: i32, n: i32, k: i32, alpha: f64, a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32, work: usize): void {
  gemm<f64>(ta != 0, tb != 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work);
}
export function sgemm(ta: i32, tb: i32, m: i32, n: i32, k: i32, alpha: f32, a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize): void {
  gemm<f32>(ta != 0, tb != 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work);
}
export function dgemv(t: i32, m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, incx: i32, beta: f64, y: usize, incy: i32): void {
  gemv<f64>(t != 0, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
export function sgemv(t: i32, m: i32, n: i32, alpha: f32, a: usize, lda: i32, x: usize, incx: i32, beta: f32, y: usize, incy: i32): void {
  gemv<f32>(t != 0, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
export function dsyrk(lower: i32, t: i32, n: i32, k: i32, alpha: f64, a: usize, lda: i32, beta: f64, c: usize, ldc: i32, work: usize): void {
  syrk<f64>(lower != 0, t != 0, n, k, alpha, a, lda, beta, c, ldc, work);
}
export function ssyrk(lower: i32, t: i32, n: i32, k: i32, alpha: f32, a: usize, lda: i32, beta: f32, c: usize, ldc: i32, work: usize): void {
  syrk<f32>(lower != 0, t != 0, n, k, alpha, a, lda, beta, c, ldc, work);
}
export function ddot(n: i32, x: usize, incx: i32, y: usize, incy: i32): f64 { return dot<f64>(n, x, incx, y, incy); }
export function sdot(n: i32, x: usize, incx: i32, y: usize, incy: i32): f64 { return dot<f32>(n, x, incx, y, incy); }
export function daxpy(n: i32, alpha: f64, x: usize, incx: i32, y: usize, incy: i32): void { axpy<f64>(n, alpha, x, incx, y, incy); }
export function saxpy(n: i32, alpha: f32, x: usize, incx: i32, y: usize, incy: i32): void { axpy<f32>(n, alpha, x, incx, y, incy); }
export function dscal(n: i32, alpha: f64, x: usize, incx: i32): void { scal<f64>(n, alpha, x, incx); }
export function sscal(n: i32, alpha: f32, x: usize, incx: i32): void { scal<f32>(n, alpha, x, incx); }
export function dnrm2(n: i32, x: usize, incx: i32): f64 { return nrm2<f64>(n, x, incx); }
export function snrm2(n: i32, x: usize, incx: i32): f64 { return nrm2<f32>(n, x, incx); }
export function dsymv_lower(n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void { symvLower<f64>(n, alpha, a, lda, x, beta, y); }
export function ssymv_lower(n: i32, alpha: f32, a: usize, lda: i32, x: usize, beta: f32, y: usize): void { symvLower<f32>(n, alpha, a, lda, x, beta, y); }
export function dsytd2_lower(n: i32, a: usize, lda: i32, d: usize, e: usize, tau: usize, w: usize): void { sytd2Lower(n, a, lda, d, e, tau, w); }
export function dorm2tr_lower(n: i32, ncols: i32, a: usize, lda: i32, tau: usize, c: usize, ldc: i32): void { orm2trLower(n, ncols, a, lda, tau, c, ldc); }
export function dlatrd_lower(n: i32, j0: i32, kb: i32, a: usize, lda: i32, e: usize, tau: usize, p: usize, ldp: i32, t1: usize, t2: usize, w: usize, parts: i32): void {
  latrdLower(n, j0, kb, a, lda, e, tau, p, ldp, t1, t2, w, parts);
}
export function dgeqr2(m: i32, n: i32, a: usize, lda: i32, tau: usize, work: usize): void { geqr2(m, n, a, lda, tau, work); }
export function dlarft_tri(k: i32, t: usize, ldt: i32): void { larftTri(k, t, ldt); }
export function dlaswp(n: i32, a: usize, lda: i32, k0: i32, k1: i32, piv: usize): void { laswp<f64>(n, a, lda, k0, k1, piv); }
export function slaswp(n: i32, a: usize, lda: i32, k0: i32, k1: i32, piv: usize): void { laswp<f32>(n, a, lda, k0, k1, piv); }
export function dgetrf_panel(m: i32, n: i32, a: usize, lda: i32, piv: usize, base: i32, sfmin: f64, scratch: usize, work: usize): i32 {
  return getrfPanel<f64>(m, n, a, lda, piv, base, sfmin, scratch, work);
}
export function sgetrf_panel(m: i32, n: i32, a: usize, lda: i32, piv: usize, base: i32, sfmin: f64, scratch: usize, work: usize): i32 {
  return getrfPanel<f32>(m, n, a, lda, piv, base, sfmin, scratch, work);
}
export function dtrsm_llnu(m: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, scratch: usize, work: usize): void { trsmLowerUnit<f64>(m, n, a, lda, b, ldb, scratch, work); }
export function strsm_llnu(m: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, scratch: usize, work: usize): void { trsmLowerUnit<f32>(m, n, a, lda, b, ldb, scratch, work); }

// Prepacked op(A) for repeated products (gemm-prepacked.ts).
export function dpacked_elements(m: i32, k: i32): i32 { return packedElements<f64>(m, k); }
export function spacked_elements(m: i32, k: i32): i32 { return packedElements<f32>(m, k); }
/** Columns per chunk of packColumnChunk (the k-blocking depth KC). */
export function dpack_chunk_cols(): i32 { return KC<f64>(); }
export function spack_chunk_cols(): i32 { return KC<f32>(); }
export function dpack_columns(rows: i32, cols: i32, c0: i32, w: i32, chunk: usize, ld: i32, p: usize, pt: usize): void {
  packColumnChunk<f64>(rows, cols, c0, w, chunk, ld, p, pt);
}
export function spack_columns(rows: i32, cols: i32, c0: i32, w: i32, chunk: usize, ld: i32, p: usize, pt: usize): void {
  packColumnChunk<f32>(rows, cols, c0, w, chunk, ld, p, pt);
}
export function dgemm_prepacked(m: i32, n: i32, k: i32, alpha: f64, ap: usize, tb: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32, work: usize): void {
  gemmPrepacked<f64>(m, 0, m, n, k, alpha, ap, tb != 0, b, ldb, beta, c, ldc, work);
}
export function sgemm_prepacked(m: i32, n: i32, k: i32, alpha: f32, ap: usize, tb: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize): void {
  gemmPrepacked<f32>(m, 0, m, n, k, alpha, ap, tb != 0, b, ldb, beta, c, ldc, work);
}

// Divide-and-conquer SVD and symmetric eigensolver scalar work (bdsdc.ts, stedc.ts).
export function dlasdq_leaf(n: i32, sqre: i32, d: usize, e: usize, u: usize, ldu: i32, vt: usize, ldvt: i32, work: usize): i32 {
  return lasdqLeaf(n, sqre, d, e, u, ldu, vt, ldvt, work);
}
export function dlasd23(nl: i32, nr: i32, sqre: i32, d: usize, alpha: f64, beta: f64, u: usize, ldu: i32, vt: usize, ldvt: i32, idxq: usize, z: usize, dsigma: usize, u2: usize, vt2: usize, q: usize, ints: usize, ilen: i32): i32 {
  return lasd23(nl, nr, sqre, d, alpha, beta, u, ldu, vt, ldvt, idxq, z, dsigma, u2, vt2, q, ints, ilen);
}
export function dlasd3_right(k: i32, vt: usize, ldvt: i32, q: usize, idxc: usize): void { lasd3Right(k, vt, ldvt, q, idxc); }
export function dlaed_merge(n: i32, n1: i32, beta: f64, d: usize, q: usize, ldq: i32, s: usize, gather: usize, vecs: usize, ints: usize, ilen: i32): i32 {
  return laedMerge(n, n1, beta, d, q, ldq, s, gather, vecs, ints, ilen);
}
export function dlaed_finish(n: i32, k: i32, d: usize, q: usize, ldq: i32, out: usize, vecs: usize, ints: usize, ilen: i32): void {
  laedFinish(n, k, d, q, ldq, out, vecs, ints, ilen);
}
export function dsteqr_vectors(n: i32, d: usize, e: usize, z: usize, ldz: i32, nz: i32): i32 { return steqrVectors(n, d, e, z, ldz, nz); }
