/**
 * The boundary between the TypeScript wrappers (src/kernels/) and the WebAssembly kernels
 * (assembly/), declared once. scripts/gen-kernel-abi.mjs turns this table into
 *   assembly/generated/abi.ts      the parameter blocks' offsets and typed field accessors
 *   src/kernels/generated/abi.ts   the typed `WasmExports` interface, a run-time check of
 *                                  the module's exports, and the parameter-block writers
 * and scripts/build-wasm.mjs checks every compiled module against it (each export's kind,
 * parameter and result types), so a kernel whose AssemblyScript signature drifts from this
 * table fails the build instead of reading garbage at run time.
 *
 * Types at the boundary:
 *   i32, f32, f64   WebAssembly value types
 *   ptr             a byte address into the kernels' memory (i32 in WebAssembly, `usize` in
 *                   AssemblyScript, a `number` in TypeScript)
 *   bool            parameter-block fields only: an i32 holding 0 or 1 (`bool` in
 *                   AssemblyScript, `boolean` in TypeScript)
 * In a signature, `T` is f64 for the d* routine and f32 for the s* routine of a `pair`.
 */

// A d*/s* pair: the same signature with T = f64 and T = f32.
function pair(base, signature, doc) {
  return [
    { name: `d${base}`, signature: signature.replaceAll(/\bT\b/g, 'f64'), doc },
    { name: `s${base}`, signature: signature.replaceAll(/\bT\b/g, 'f32'), doc },
  ];
}

/** Every export of the kernel module, in no particular order. */
export const EXPORTS = [
  { name: 'FMA', global: 'i32', doc: '1 when this module was built with relaxed-SIMD FMA.' },
  { name: 'LU_SCRATCH_BYTES', global: 'i32', doc: 'Bytes of scratch the LU kernels (getrf_panel, trsm_llnu) need.' },

  // BLAS (assembly/index.ts over gemm.ts, level1.ts, level2.ts)
  { name: 'dgemm_workspace', signature: '(): i32', doc: 'Bytes of workspace dgemm needs.' },
  { name: 'sgemm_workspace', signature: '(): i32', doc: 'Bytes of workspace sgemm needs.' },
  { name: 'dsyrk_workspace', signature: '(): i32', doc: 'Bytes of workspace dsyrk needs.' },
  { name: 'ssyrk_workspace', signature: '(): i32', doc: 'Bytes of workspace ssyrk needs.' },
  { name: 'tile_f64', signature: '(): i32', doc: 'The f64 register tile, MR << 8 | NR.' },
  { name: 'tile_f32', signature: '(): i32', doc: 'The f32 register tile, MR << 8 | NR.' },
  ...pair('gemm', '(ta: i32, tb: i32, m: i32, n: i32, k: i32, alpha: T, a: ptr, lda: i32, b: ptr, ldb: i32, beta: T, c: ptr, ldc: i32, work: ptr): void', 'C := alpha op(A) op(B) + beta C.'),
  ...pair('gemv', '(t: i32, m: i32, n: i32, alpha: T, a: ptr, lda: i32, x: ptr, incx: i32, beta: T, y: ptr, incy: i32): void', 'y := alpha op(A) x + beta y.'),
  ...pair('syrk', '(lower: i32, t: i32, n: i32, k: i32, alpha: T, a: ptr, lda: i32, beta: T, c: ptr, ldc: i32, work: ptr): void', 'One triangle of C := alpha op(A) op(A)^T + beta C.'),
  ...pair('dot', '(n: i32, x: ptr, incx: i32, y: ptr, incy: i32): f64', 'sum x_i y_i.'),
  ...pair('axpy', '(n: i32, alpha: T, x: ptr, incx: i32, y: ptr, incy: i32): void', 'y := alpha x + y.'),
  ...pair('scal', '(n: i32, alpha: T, x: ptr, incx: i32): void', 'x := alpha x.'),
  ...pair('nrm2', '(n: i32, x: ptr, incx: i32): f64', '||x||_2 without overflow or underflow.'),

  // Symmetric eigenproblems (symv.ts, sytd2.ts)
  ...pair('symv_lower', '(n: i32, alpha: T, a: ptr, lda: i32, x: ptr, beta: T, y: ptr): void', 'y := alpha A x + beta y from the lower triangle of A.'),
  { name: 'dsytd2_lower', signature: '(n: i32, a: ptr, lda: i32, d: ptr, e: ptr, tau: ptr, w: ptr): void', doc: 'Householder tridiagonalization (LAPACK dsytd2, uplo L).' },
  { name: 'dorm2tr_lower', signature: '(n: i32, ncols: i32, a: ptr, lda: i32, tau: ptr, c: ptr, ldc: i32): void', doc: 'C := Q C with Q from dsytd2_lower.' },
  { name: 'dlatrd_lower', signature: '(n: i32, j0: i32, kb: i32, a: ptr, lda: i32, e: ptr, tau: ptr, p: ptr, ldp: i32, t1: ptr, t2: ptr, w: ptr, parts: i32): void', doc: 'One panel of the blocked tridiagonalization (LAPACK dlatrd, uplo L; sytrd.ts panel loop).' },

  // Blocked Householder drivers' scalar parts (householder.ts)
  { name: 'dgeqr2', signature: '(m: i32, n: i32, a: ptr, lda: i32, tau: ptr, work: ptr): void', doc: 'Unblocked QR of a panel in place (LAPACK dgeqr2).' },
  { name: 'dlarft_tri', signature: '(k: i32, t: ptr, ldt: i32): void', doc: 'The triangular factor of a block reflector from V^T V and tau (LAPACK dlarft recurrence).' },

  // Small dense decompositions in one call each (small.ts)
  { name: 'dgeqr_small', signature: '(m: i32, n: i32, a: ptr, lda: i32, tau: ptr, q: ptr, ldq: i32, qcols: i32, diag: ptr): void', doc: 'Householder QR and its Q, unblocked (LAPACK dgeqr2 + dorg2r).' },
  { name: 'dgesvd_small_work', signature: '(m: i32, n: i32): i32', doc: 'Bytes of scratch dgesvd_small needs.' },
  { name: 'dgesvd_small', signature: '(m: i32, n: i32, a: ptr, lda: i32, s: ptr, u: ptr, ldu: i32, v: ptr, ldv: i32, work: ptr): i32', doc: 'Thin SVD of a tall matrix, V as columns (dgebd2 + dorgbr + dbdsqr); 0 or the unconverged count.' },
  { name: 'dsyev_small_work', signature: '(n: i32): i32', doc: 'Bytes of scratch dsyev_small needs.' },
  { name: 'dsyev_small', signature: '(n: i32, a: ptr, lda: i32, upper: i32, w: ptr, z: ptr, ldz: i32, work: ptr): i32', doc: 'Symmetric eigenvalues and vectors (dsytd2 + dorm2r + dsteqr); 0, -1 for NaN/Inf in the read triangle, or the unconverged count.' },
  { name: 'dgetrf_small', signature: '(m: i32, n: i32, a: ptr, lda: i32, piv: ptr): i32', doc: 'LU with partial pivoting, rank-4 delayed updates (LAPACK dgetrf, nb = 4); 0 or 1 + the first zero pivot.' },

  // Divide-and-conquer SVD and symmetric eigensolver (bdsdc.ts, stedc.ts; the gemms stay in TypeScript)
  { name: 'dlasdq_leaf', signature: '(n: i32, sqre: i32, d: ptr, e: ptr, u: ptr, ldu: i32, vt: ptr, ldvt: i32, work: ptr): i32', doc: 'One-sided Jacobi SVD of a bidiagonal leaf; 0, or 1 if not converged.' },
  { name: 'dlasd23', signature: '(nl: i32, nr: i32, sqre: i32, d: ptr, alpha: f64, beta: f64, u: ptr, ldu: i32, vt: ptr, ldvt: i32, idxq: ptr, z: ptr, dsigma: ptr, u2: ptr, vt2: ptr, q: ptr, ints: ptr, ilen: i32): i32', doc: 'Bidiagonal merge up to its gemms (LAPACK dlasd2 + dlasd3 with dlasd4); k, or -1.' },
  { name: 'dlasd3_right', signature: '(k: i32, vt: ptr, ldvt: i32, q: ptr, idxc: ptr): void', doc: 'Right vectors of the arrow matrix, transposed (end of dlasd3).' },
  { name: 'dlaed_merge', signature: '(n: i32, n1: i32, beta: f64, d: ptr, q: ptr, ldq: i32, s: ptr, gather: ptr, vecs: ptr, ints: ptr, ilen: i32): i32', doc: 'Tridiagonal merge up to its gemms (LAPACK dlaed2 + dlaed3 with dlaed4); K, or -1.' },
  { name: 'dlaed_finish', signature: '(n: i32, k: i32, d: ptr, q: ptr, ldq: i32, out: ptr, vecs: ptr, ints: ptr, ilen: i32): void', doc: 'Tridiagonal merge after its gemms: eigenpairs written back in ascending order.' },
  { name: 'dsteqr_vectors', signature: '(n: i32, d: ptr, e: ptr, z: ptr, ldz: i32, nz: i32): i32', doc: 'Implicit QL/QR of a symmetric tridiagonal with its rotations applied to Z (LAPACK dsteqr); 0 or the unconverged count.' },

  // LU (laswp.ts, getrf.ts)
  ...pair('laswp', '(n: i32, a: ptr, lda: i32, k0: i32, k1: i32, piv: ptr): void', 'Row interchanges k0..k1-1 (LAPACK dlaswp, forward).'),
  ...pair('getrf_panel', '(m: i32, n: i32, a: ptr, lda: i32, piv: ptr, base: i32, sfmin: f64, scratch: ptr, work: ptr): i32', 'Recursive LU of a panel (LAPACK dgetrf2); 0 or 1 + the first zero pivot.'),
  ...pair('trsm_llnu', '(m: i32, n: i32, a: ptr, lda: i32, b: ptr, ldb: i32, scratch: ptr, work: ptr): void', 'B := L^-1 B, L unit lower triangular.'),

  // Prepacked gemm (gemm-prepacked.ts)
  ...pair('packed_elements', '(m: i32, k: i32): i32', 'Elements of a packed m x k op(A).'),
  ...pair('pack_chunk_cols', '(): i32', 'Columns per chunk of pack_columns (the k-blocking depth KC).'),
  ...pair('pack_columns', '(rows: i32, cols: i32, c0: i32, w: i32, chunk: ptr, ld: i32, p: ptr, pt: ptr): void', 'Pack one chunk of columns into P (op(A) = A) and/or PT (op(A) = A^T).'),
  ...pair('gemm_prepacked', '(m: i32, n: i32, k: i32, alpha: T, ap: ptr, tb: i32, b: ptr, ldb: i32, beta: T, c: ptr, ldc: i32, work: ptr): void', 'gemm with a prepacked op(A).'),

  // Thread pool (pool.ts; the control block is PoolControl below)
  { name: 'worker_loop', signature: '(ctl: ptr, slot: i32): void', doc: "A worker's entry: serve jobs until pool_stop." },
  { name: 'pool_stop', signature: '(ctl: ptr): void', doc: 'Ask every worker to leave worker_loop.' },
  {
    name: 'gemm_parallel',
    signature: '(ctl: ptr, kind: i32, ta: i32, tb: i32, m: i32, n: i32, k: i32, alpha: f64, a: ptr, lda: i32, b: ptr, ldb: i32, beta: f64, c: ptr, ldc: i32, mt: i32, nt: i32, ws: ptr, wsStride: i32, canBlock: i32): void',
    doc: 'gemm shared out on the pool (kind 0/1: f64/f32, 4/5: with a prepacked op(A)).',
  },
  { name: 'sgd_parallel', signature: '(ctl: ptr, prm: ptr, tasks: i32, canBlock: i32): void', doc: 'The SGD tasks of the SgdParams block at prm, shared out on the pool.' },
  { name: 'als_parallel', signature: '(ctl: ptr, prm: ptr, tasks: i32, canBlock: i32): void', doc: 'The ALS row chunks of the AlsParams block at prm, shared out on the pool.' },
  {
    name: 'gemv_parallel',
    signature: '(ctl: ptr, trans: i32, m: i32, n: i32, alpha: f64, a: ptr, lda: i32, x: ptr, beta: f64, y: ptr, tasks: i32, canBlock: i32): void',
    doc: 'f64 gemv with unit strides, slices of y shared out on the pool (bit-identical to dgemv).',
  },
  {
    name: 'gemv_parts',
    signature: '(ctl: ptr, trans: i32, m: i32, n: i32, alpha: f64, a: ptr, lda: i32, x: ptr, beta: f64, y: ptr, w: ptr, parts: i32, tasks: i32, canBlock: i32): void',
    doc: 'f64 gemv with unit strides over a fixed number of column parts (ctl = 0: on the caller); w: parts * gemv_parts_stride(m) doubles for the untransposed partial sums.',
  },
  { name: 'gemv_parts_stride', signature: '(m: i32): i32', doc: "Doubles per part of gemv_parts' workspace for m rows." },
  {
    name: 'symv_parts',
    signature: '(ctl: ptr, n: i32, parts: i32, alpha: f64, a: ptr, lda: i32, x: ptr, beta: f64, y: ptr, w: ptr, canBlock: i32): void',
    doc: 'f64 lower symv split into parts (w: parts * n doubles) added in a fixed order; ctl = 0 runs them on the caller.',
  },
  { name: 'dc_pool', signature: '(ctl: ptr, threads: i32, canBlock: i32): void', doc: "The pool (0: none) the divide-and-conquer merges share their secular equations' roots on." },

  // Recommenders (sgd.ts, als.ts)
  { name: 'sgd_funk', signature: '(prm: ptr, tasks: i32): f64', doc: 'FunkSVD SGD over the tasks of the SgdParams block at prm; the total squared error.' },
  {
    name: 'sgd_svdpp',
    signature: '(order: ptr, nOrder: i32, indptr: ptr, items: ptr, values: ptr, P: ptr, Q: ptr, Y: ptr, bu: ptr, bi: ptr, ld: i32, mu: f32, lr: f32, reg: f32, lrb: f32, regb: f32, lry: f32, regy: f32, work: ptr): f64',
    doc: 'One SVD++ epoch; the squared error.',
  },
  {
    name: 'als_rows',
    signature: '(rowStart: i32, rowEnd: i32, indptr: ptr, indices: ptr, values: ptr, fixed: ptr, fixedBias: ptr, f: i32, n: i32, mu: f64, reg: f64, alpha: f64, mode: i32, base: ptr, out: ptr, outBias: ptr, work: ptr, cgSteps: i32): void',
    doc: 'ALS row solves (mode 0 explicit, 1 implicit, 2 implicit by conjugate gradient).',
  },
  { name: 'als_work_doubles', signature: '(n: i32): i32', doc: 'Doubles of scratch als_rows needs for systems of size n.' },

  // Sparse products (sparse.ts); alpha and beta are f64 for both dtypes.
  ...pair('csr_mv', '(m: i32, indptr: ptr, indices: ptr, data: ptr, x: ptr, alpha: f64, beta: f64, y: ptr): void', 'y := alpha A x + beta y.'),
  ...pair('csr_rmv', '(m: i32, n: i32, indptr: ptr, indices: ptr, data: ptr, x: ptr, alpha: f64, beta: f64, y: ptr): void', 'y := alpha A^T x + beta y.'),
  ...pair('csr_mm', '(m: i32, p: i32, indptr: ptr, indices: ptr, data: ptr, X: ptr, alpha: f64, Y: ptr): void', 'Y := alpha A X, row-major blocks.'),
  ...pair('csr_rmm', '(m: i32, n: i32, p: i32, indptr: ptr, indices: ptr, data: ptr, X: ptr, alpha: f64, Y: ptr): void', 'Y := alpha A^T X, row-major blocks.'),

  // NMF (nmf.ts)
  {
    name: 'nmf_cd_sweep',
    signature: '(w: ptr, r: ptr, rs: i32, cs: i32, i0: i32, i1: i32, k: i32, g: ptr, order: ptr, scratch: ptr, l1: f64, l2: f64): f64',
    doc: 'One HALS sweep over rows i0..i1-1; the violation.',
  },
  { name: 'nmf_gram_rows', signature: '(f: ptr, rows: i32, k: i32, g: ptr): void', doc: 'G := F^T F for a row-major F.' },
  { name: 'nmf_mu_ratio', signature: '(a: ptr, num: ptr, den: ptr, n: i32, l1: f64, l2: f64, eps: f64): void', doc: 'The Frobenius multiplicative update A <- A num / (den + l1 + l2 A).' },
];

/**
 * Parameter blocks: structs in the kernels' memory, fields at their natural alignment in
 * the order listed. `writer` says which side fills them: 'ts' (the TypeScript wrapper writes
 * a block and passes its address; AssemblyScript only reads it) or 'wasm' (AssemblyScript
 * writes and reads it; TypeScript only allocates and zeroes `BYTES`).
 */
export const BLOCKS = [
  {
    name: 'SgdParams',
    doc: 'One FunkSVD call (assembly/sgd.ts funkTask): task t covers ratings [tasks[2t], tasks[2t+1]) and writes its squared error to sse[t].',
    writer: 'ts',
    fields: [
      ['users', 'ptr', 'i32 user of each rating'],
      ['items', 'ptr', 'i32 item of each rating'],
      ['values', 'ptr', 'f32 rating values'],
      ['P', 'ptr', 'f32 user factors, row stride ld'],
      ['Q', 'ptr', 'f32 item factors, row stride ld'],
      ['bu', 'ptr', 'f32 user biases'],
      ['bi', 'ptr', 'f32 item biases'],
      ['ld', 'i32', 'factor row stride (a multiple of 4)'],
      ['mu', 'f32', 'global mean'],
      ['lr', 'f32', 'learning rate of the factors'],
      ['reg', 'f32', 'regularization of the factors'],
      ['lrb', 'f32', 'learning rate of the biases'],
      ['regb', 'f32', 'regularization of the biases'],
      ['biased', 'bool', 'update the biases'],
      ['tasks', 'ptr', 'i32 pairs [start, end) of each task'],
      ['sse', 'ptr', 'f64 squared error of each task (output)'],
    ],
  },
  {
    name: 'AlsParams',
    doc: 'A parallel ALS half-step (assembly/als.ts alsTask): task t solves rows [t chunk, min(rows, (t + 1) chunk)) on the scratch of its thread slot.',
    writer: 'ts',
    fields: [
      ['rows', 'i32', 'rows of the side being solved'],
      ['chunk', 'i32', 'rows per task'],
      ['indptr', 'ptr', 'i32 CSR row starts'],
      ['indices', 'ptr', 'i32 CSR column indices'],
      ['values', 'ptr', 'f32 CSR values'],
      ['fixed', 'ptr', 'f32 factors of the fixed side, row stride f'],
      ['fixedBias', 'ptr', 'f32 biases of the fixed side (0: none)'],
      ['f', 'i32', 'factors'],
      ['n', 'i32', 'system size (f, or f + 1 with a bias)'],
      ['mode', 'i32', '0 explicit, 1 implicit, 2 implicit by conjugate gradient'],
      ['base', 'ptr', 'f64 Y^T Y + reg I (implicit modes)'],
      ['out', 'ptr', 'f32 factors solved for (output)'],
      ['outBias', 'ptr', 'f32 biases solved for (output; 0: none)'],
      ['work', 'ptr', 'scratch of thread slot 0'],
      ['workStride', 'i32', 'bytes between the scratch of consecutive slots'],
      ['cgSteps', 'i32', 'conjugate-gradient steps (mode 2)'],
      ['mu', 'f64', 'global mean (explicit)'],
      ['reg', 'f64', 'regularization (explicit)'],
      ['alpha', 'f64', 'confidence scale (implicit)'],
    ],
  },
  {
    name: 'PoolControl',
    doc: "The thread pool's control block (assembly/pool.ts): the job's ticket word, counters and gemm parameters.",
    writer: 'wasm',
    fields: [
      ['state', 'i32', 'job << 16 | next task (atomic)'],
      ['done', 'i32', 'tasks finished (atomic)'],
      ['ntasks', 'i32', 'tasks of the current job (atomic)'],
      ['kind', 'i32', '0/1 f64/f32 gemm, 2 SGD, 3 ALS, 4/5 f64/f32 prepacked gemm, 6 f64 gemv, 7 f64 symv part, 8/9 tridiagonal/bidiagonal secular roots, 10 f64 gemv column parts'],
      ['ta', 'i32', 'gemm: op(A) = A^T'],
      ['tb', 'i32', 'gemm: op(B) = B^T'],
      ['m', 'i32', 'gemm: rows of C'],
      ['n', 'i32', 'gemm: columns of C'],
      ['k', 'i32', 'gemm: inner dimension'],
      ['lda', 'i32', 'gemm: leading dimension of A'],
      ['ldb', 'i32', 'gemm: leading dimension of B'],
      ['ldc', 'i32', 'gemm: leading dimension of C'],
      ['pa', 'ptr', 'gemm: A (or the packed op(A)); SGD/ALS: the parameter block'],
      ['pb', 'ptr', 'gemm: B'],
      ['pc', 'ptr', 'gemm: C'],
      ['mt', 'i32', 'gemm: blocks of C down the rows'],
      ['mch', 'i32', 'gemm: rows per block'],
      ['nch', 'i32', 'gemm: columns per block'],
      ['ws', 'ptr', 'gemm workspace of slot 0'],
      ['wsStride', 'i32', 'bytes between the workspaces of consecutive slots'],
      ['stop', 'i32', 'set by pool_stop (atomic)'],
      ['alpha', 'f64', 'gemm: alpha'],
      ['beta', 'f64', 'gemm: beta'],
      ['pd', 'ptr', 'secular-equation jobs (kinds 8, 9): where the roots go; gemv parts (kind 10): the partial sums'],
    ],
  },
];
