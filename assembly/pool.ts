// Fork-join parallel gemm over shared memory.
//
// The caller (main thread) publishes a job in a control block, workers blocked in
// `worker_loop` wake up, and every participant, the caller included, takes tasks (blocks
// of C) until none are left. Dynamic task taking means a job never waits on a worker that
// is still starting or busy: the caller simply does more of it.
//
// Tickets live in one 32-bit word STATE = job << 16 | next-task, taken by compare-and-swap
// only while the word still names the job the taker has read, so a straggler from an old
// job can never take (or double-count) a task of a new one. Publishing a job:
//   1. write parameters; DONE = 0; NTASKS = t;
//   2. STATE = (job + 1) << 16 (a sequentially consistent store: it releases step 1);
//      notify workers waiting on STATE;
//   3. take tasks; then wait until DONE == t.
//
// Job kinds (KIND): 0 = f64 gemm, 1 = f32 gemm, 2 = SGD block tasks (sgd.ts: the parameter
// block's address is in PA; task t is block t of a sub-epoch whose blocks share no user or
// item, so tasks never write the same factor row), 3 = ALS row chunks (als.ts: parameter
// block in PA; tasks solve disjoint rows, each thread on the scratch of its slot), 4 = f64 and
// 5 = f32 gemm with a prepacked op(A) at PA (gemm-prepacked.ts; tasks are blocks of C as
// for kinds 0/1, and a block's rows start at a multiple of MR inside the packed panels),
// 6 = f64 gemv (task t: rows, or with TA columns, t mch .. (t + 1) mch of y; each entry of y
// is summed in the same order as by one thread, so the result is bit-identical), 7 = part t
// of the split f64 symmetric product (symv.ts symvPart; N = the number of parts, PC = the
// parts' buffers; the caller adds them in a fixed order once all are done), 8 = a range of
// roots of a tridiagonal merge's secular equation (stedc.ts laedRootsTask), 9 = the same for
// a bidiagonal merge (bdsdc.ts lasdRootsTask): every root is computed alone, as by one
// thread, so these are bit-identical too; 10 = a group of column parts of an f64 gemv
// (gemv_parts: the columns of A cut into a fixed number of parts whatever the threads; with
// TA each part's entries of y are whole dots, without it each part sums into its own
// m-vector at PD and the caller adds the parts in a fixed order).
//
// Waiting: a participant spins on the shared word for about a millisecond before it sleeps
// in atomic.wait (as BLAS thread pools do). Iterative solvers publish small jobs back to
// back (NMF: two products of ~100 us per iteration, with ~50 us of other work between),
// and a thread woken from atomic.wait took 50-100+ us to run again on the 2-core VM we
// measure on, more than such a job saves; a spin of ~20 us (2^15 polls) was too short.
//
// The control block's layout is PoolControl (declared in scripts/kernel-abi.mjs); the words
// used atomically are addressed through its *_OFFSET constants.
import { gemm, MR, NR } from './gemm';
import { gemmPrepacked } from './gemm-prepacked';
import { PoolControl as C } from './generated/abi';
import { funkTask } from './sgd';
import { alsTask } from './als';
import { gemv } from './level2';
import { symvPart, symvReduce } from './symv';
import { laedRootsTask } from './stedc';
import { lasdRootsTask } from './bdsdc';

const STATE = C.STATE_OFFSET;
const DONE = C.DONE_OFFSET;
const NTASKS = C.NTASKS_OFFSET;
const STOP = C.STOP_OFFSET;

function runTask<T>(ctl: usize, t: i32, slot: i32, prepacked: bool): void {
  const s = <usize>sizeof<T>();
  const m = C.m(ctl);
  const n = C.n(ctl);
  const mt = C.mt(ctl);
  const mch = C.mch(ctl);
  const nch = C.nch(ctl);
  const i0 = (t % mt) * mch;
  const j0 = (t / mt) * nch;
  const mi = min(mch, m - i0);
  const nj = min(nch, n - j0);
  const ta = C.ta(ctl) != 0;
  const tb = C.tb(ctl) != 0;
  const lda = C.lda(ctl);
  const ldb = C.ldb(ctl);
  const ldc = C.ldc(ctl);
  const b = C.pb(ctl) + (tb ? <usize>j0 : <usize>j0 * <usize>ldb) * s;
  const c = C.pc(ctl) + (<usize>i0 + <usize>j0 * <usize>ldc) * s;
  const work = C.ws(ctl) + <usize>slot * <usize>C.wsStride(ctl);
  const k = C.k(ctl);
  const alpha = <T>C.alpha(ctl);
  const beta = <T>C.beta(ctl);
  if (prepacked) {
    gemmPrepacked<T>(m, i0, mi, nj, k, alpha, C.pa(ctl), tb, b, ldb, beta, c, ldc, work);
    return;
  }
  const a = C.pa(ctl) + (ta ? <usize>i0 * <usize>lda : <usize>i0) * s;
  gemm<T>(ta, tb, mi, nj, k, alpha, a, lda, b, ldb, beta, c, ldc, work);
}

// Task t of a gemv job (kind 6): a slice of y, rows of A (no transpose: each y_i is still
// summed over the columns in order, as gemv's column sweep does) or columns of A (transposed:
// whole dot products). Slices start at multiples of the SIMD width, so no entry moves
// between a vector and a scalar tail.
function gemvTask(ctl: usize, t: i32): void {
  const trans = C.ta(ctl) != 0;
  const m = C.m(ctl);
  const n = C.n(ctl);
  const ch = C.mch(ctl);
  const lo = t * ch;
  const len = min(ch, (trans ? n : m) - lo);
  if (len <= 0) return;
  const lda = C.lda(ctl);
  const y = C.pc(ctl) + <usize>lo * 8;
  if (trans) gemv<f64>(true, m, len, C.alpha(ctl), C.pa(ctl) + <usize>lo * <usize>lda * 8, lda, C.pb(ctl), 1, C.beta(ctl), y, 1);
  else gemv<f64>(false, len, n, C.alpha(ctl), C.pa(ctl) + <usize>lo * 8, lda, C.pb(ctl), 1, C.beta(ctl), y, 1);
}

// Task t of a gemv_parts job (kind 10): parts t P / T .. (t + 1) P / T - 1 of the columns
// (P = MT parts of MCH columns, T = NCH tasks), so a thread that takes the same task in the
// transposed product and the plain one reads the same columns of A in both.
function gemvPartsTask(ctl: usize, t: i32): void {
  gemvPartsRun(C.ta(ctl), C.m(ctl), C.n(ctl), C.alpha(ctl), C.pa(ctl), C.lda(ctl), C.pb(ctl), C.beta(ctl), C.pc(ctl), C.pd(ctl), C.mt(ctl), C.nch(ctl), C.mch(ctl), t);
}

// Doubles between two parts' m-vectors in gemv_parts' workspace: whole cache lines, so two
// threads never write the same line.
@inline function gemvPartStride(m: i32): i32 {
  return ((m + 7) >> 3) << 3;
}

// Take and run tasks of `job` until none are left.
function drain(ctl: usize, job: u32, slot: i32): void {
  for (;;) {
    const st = <u32>atomic.load<i32>(ctl + STATE);
    if (st >>> 16 != job) return;
    const t = <i32>(st & 0xffff);
    if (t >= atomic.load<i32>(ctl + NTASKS)) return;
    if (<u32>atomic.cmpxchg<i32>(ctl + STATE, <i32>st, <i32>(st + 1)) != st) continue;
    const kind = C.kind(ctl);
    if (kind == 0) runTask<f64>(ctl, t, slot, false);
    else if (kind == 1) runTask<f32>(ctl, t, slot, false);
    else if (kind == 2) funkTask(C.pa(ctl), t);
    else if (kind == 3) alsTask(C.pa(ctl), t, slot);
    else if (kind == 4) runTask<f64>(ctl, t, slot, true);
    else if (kind == 5) runTask<f32>(ctl, t, slot, true);
    else if (kind == 6) gemvTask(ctl, t);
    else if (kind == 7) symvPart<f64>(C.m(ctl), t, C.n(ctl), C.alpha(ctl), C.pa(ctl), C.lda(ctl), C.pb(ctl), C.pc(ctl));
    else if (kind == 8) laedRootsTask(ctl, t, slot);
    else if (kind == 10) gemvPartsTask(ctl, t);
    else lasdRootsTask(ctl, t);
    atomic.add<i32>(ctl + DONE, 1);
    atomic.notify(ctl + DONE, 1);
  }
}

// Polls of a shared word before a thread sleeps (an atomic load and a branch, about 1 ns:
// roughly a millisecond in all).
const SPINS: i32 = 1 << 20;

/** Worker entry: serve jobs until `pool_stop`. `slot` >= 1 selects the workspace. */
export function worker_loop(ctl: usize, slot: i32): void {
  let last: u32 = 0xffffffff;
  for (;;) {
    if (atomic.load<i32>(ctl + STOP) != 0) return;
    const st = atomic.load<i32>(ctl + STATE);
    const job = <u32>st >>> 16;
    if (job == last) {
      let spins = SPINS;
      while (spins > 0 && atomic.load<i32>(ctl + STATE) == st) spins--;
      if (spins == 0) atomic.wait<i32>(ctl + STATE, st, -1);
      continue;
    }
    last = job;
    drain(ctl, job, slot);
  }
}

/** Ask every worker to leave `worker_loop`. */
export function pool_stop(ctl: usize): void {
  atomic.store<i32>(ctl + STOP, 1);
  atomic.add<i32>(ctl + STATE, 1 << 16);
  atomic.notify(ctl + STATE, -1);
}

/**
 * Parallel gemm: C (m x n) is cut into an mt x nt grid of blocks (rounded to the register
 * tile) and the blocks are shared out. `canBlock` = 0 spins instead of `atomic.wait`
 * (browsers forbid blocking on the main thread). Workspaces: slot i at ws + i * wsStride.
 * kind 0/1: f64/f32 gemm; 4/5: f64/f32 with op(A) prepacked at `a` (transA, lda unused).
 */
export function gemm_parallel(
  ctl: usize, kind: i32, transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32,
  mt: i32, nt: i32, ws: usize, wsStride: i32, canBlock: i32,
): void {
  const f64 = kind == 0 || kind == 4;
  const mr = f64 ? MR<f64>() : MR<f32>();
  const nr = f64 ? NR<f64>() : NR<f32>();
  let mch = (m + mt - 1) / mt;
  mch = ((mch + mr - 1) / mr) * mr;
  let nch = (n + nt - 1) / nt;
  nch = ((nch + nr - 1) / nr) * nr;
  const tasks = min(0xffff, ((m + mch - 1) / mch) * ((n + nch - 1) / nch));
  const job = ((<u32>atomic.load<i32>(ctl + STATE) >>> 16) + 1) & 0xffff;
  C.setKind(ctl, kind);
  C.setTa(ctl, transA);
  C.setTb(ctl, transB);
  C.setM(ctl, m);
  C.setN(ctl, n);
  C.setK(ctl, k);
  C.setLda(ctl, lda);
  C.setLdb(ctl, ldb);
  C.setLdc(ctl, ldc);
  C.setPa(ctl, a);
  C.setPb(ctl, b);
  C.setPc(ctl, c);
  C.setMt(ctl, (m + mch - 1) / mch);
  C.setMch(ctl, mch);
  C.setNch(ctl, nch);
  C.setWs(ctl, ws);
  C.setWsStride(ctl, wsStride);
  C.setAlpha(ctl, alpha);
  C.setBeta(ctl, beta);
  runJob(ctl, job, tasks, canBlock);
}

// Steps 1 (counters) to 3 of the protocol, once the job's parameters are written.
@inline function runJob(ctl: usize, job: u32, tasks: i32, canBlock: i32): void {
  atomic.store<i32>(ctl + DONE, 0);
  atomic.store<i32>(ctl + NTASKS, tasks);
  atomic.store<i32>(ctl + STATE, <i32>(job << 16));
  atomic.notify(ctl + STATE, -1);
  drain(ctl, job, 0);
  let spins = SPINS;
  for (;;) {
    const d = atomic.load<i32>(ctl + DONE);
    if (d >= tasks) break;
    if (spins > 0) spins--;
    else if (canBlock != 0) atomic.wait<i32>(ctl + DONE, d, 1000000);
  }
}

/**
 * Parallel SGD sub-epoch: the `tasks` blocks described by the SGD parameter block `prm`
 * (sgd.ts) are shared out among the pool; each writes its squared-error sum to its own slot,
 * so the caller can add them in a fixed order (the result does not depend on which thread ran
 * which block).
 */
export function sgd_parallel(ctl: usize, prm: usize, tasks: i32, canBlock: i32): void {
  const job = ((<u32>atomic.load<i32>(ctl + STATE) >>> 16) + 1) & 0xffff;
  C.setKind(ctl, 2);
  C.setPa(ctl, prm);
  runJob(ctl, job, min(tasks, 0xffff), canBlock);
}

/**
 * Parallel ALS half-step: `tasks` chunks of rows described by the parameter block `prm`
 * (als.ts) are shared out among the pool. Rows are independent, so the result is the same
 * as the sequential solve whatever the scheduling.
 */
export function als_parallel(ctl: usize, prm: usize, tasks: i32, canBlock: i32): void {
  const job = ((<u32>atomic.load<i32>(ctl + STATE) >>> 16) + 1) & 0xffff;
  C.setKind(ctl, 3);
  C.setPa(ctl, prm);
  runJob(ctl, job, min(tasks, 0xffff), canBlock);
}

// The parameters a gemv job (kind 6, gemv_parallel; kind 10, gemv_parts) shares: the
// product, and ch = the rows (or with trans the columns) of a slice or part.
@inline function setGemvJob(
  ctl: usize, kind: i32, trans: i32, m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize, ch: i32,
): void {
  C.setKind(ctl, kind);
  C.setTa(ctl, trans);
  C.setM(ctl, m);
  C.setN(ctl, n);
  C.setLda(ctl, lda);
  C.setPa(ctl, a);
  C.setPb(ctl, x);
  C.setPc(ctl, y);
  C.setMch(ctl, ch);
  C.setAlpha(ctl, alpha);
  C.setBeta(ctl, beta);
}

/**
 * Parallel f64 gemv, y := alpha op(A) x + beta y with unit strides: y is cut into `tasks`
 * slices (rows of A, or columns with `trans`) shared out among the pool. Bit-identical to
 * the one-thread gemv.
 */
export function gemv_parallel(
  ctl: usize, trans: i32, m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize,
  tasks: i32, canBlock: i32,
): void {
  const len = trans != 0 ? n : m;
  tasks = max(1, min(tasks, 0xffff));
  // Slices of whole cache lines (8 doubles), hence of whole SIMD vectors.
  let ch = (len + tasks - 1) / tasks;
  ch = ((ch + 7) >> 3) << 3;
  const job = ((<u32>atomic.load<i32>(ctl + STATE) >>> 16) + 1) & 0xffff;
  setGemvJob(ctl, 6, trans, m, n, alpha, a, lda, x, beta, y, ch);
  runJob(ctl, job, (len + ch - 1) / ch, canBlock);
}

/**
 * Split f64 symmetric product from the lower triangle, y := alpha A x + beta y: the
 * triangle's columns are cut into `parts` of about equal size (symv.ts symvPartStart), each
 * part's contribution goes to its own n-vector in w (parts * n doubles), and the parts are
 * added in a fixed order. With ctl = 0 the parts run one after another on the calling thread,
 * otherwise they are shared out among the pool: the result is the same bit for bit.
 */
export function symv_parts(
  ctl: usize, n: i32, parts: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize, w: usize,
  canBlock: i32,
): void {
  if (n <= 0) return;
  if (ctl == 0) {
    for (let p = 0; p < parts; p++) symvPart<f64>(n, p, parts, alpha, a, lda, x, w);
  } else {
    const job = ((<u32>atomic.load<i32>(ctl + STATE) >>> 16) + 1) & 0xffff;
    C.setKind(ctl, 7);
    C.setM(ctl, n);
    C.setN(ctl, parts);
    C.setLda(ctl, lda);
    C.setPa(ctl, a);
    C.setPb(ctl, x);
    C.setPc(ctl, w);
    C.setAlpha(ctl, alpha);
    runJob(ctl, job, parts, canBlock);
  }
  symvReduce<f64>(n, parts, beta, y, w);
}

// The pool the divide-and-conquer merges share their secular equations on (stedc.ts,
// bdsdc.ts), set by dc_pool on the calling thread's instance before a solve: globals belong
// to one instance, so the workers (other instances on the same memory) never see it. 0 = no
// pool: the merges solve on the calling thread.
let dcCtl: usize = 0;
let dcThreadCount: i32 = 1;
let dcBlock: i32 = 0;

/** Share the divide-and-conquer merges' secular equations on the pool at ctl (0: none) with `threads` threads. */
export function dc_pool(ctl: usize, threads: i32, canBlock: i32): void {
  dcCtl = ctl;
  dcThreadCount = max(1, threads);
  dcBlock = canBlock;
}

/** The pool set by {@link dc_pool} (0 when none), for stedc.ts and bdsdc.ts. */
export function dcPool(): usize {
  return dcCtl;
}

/**
 * Roots per task for a secular equation of order k: about four tasks per thread, so a
 * descheduled thread holds back little (roots near a cluster take more iterations).
 */
export function dcRootChunk(k: i32): i32 {
  const tasks = 4 * dcThreadCount;
  return max(1, (k + tasks - 1) / tasks);
}

/** Run the `tasks` tasks of `kind` whose parameters the caller wrote into the dc pool's control block. */
export function runDcJob(kind: i32, tasks: i32): void {
  const ctl = dcCtl;
  const job = ((<u32>atomic.load<i32>(ctl + STATE) >>> 16) + 1) & 0xffff;
  C.setKind(ctl, kind);
  runJob(ctl, job, min(tasks, 0xffff), dcBlock);
}

/**
 * f64 gemv y := alpha op(A) x + beta y with unit strides, the n columns of A cut into `parts`
 * parts of whole cache lines' worth of columns (the same parts for any thread count), run as
 * `tasks` tasks of consecutive parts (ctl = 0: all on the calling thread). Transposed, every
 * y_j is one dot product, as in dgemv (bit-identical to it). Not transposed, part p sums
 * alpha A(:, part p) x(part p) into its own m-vector of w (parts * gemv_parts_stride(m)
 * doubles) and then y_i := beta y_i + w_0i + w_1i + ... in that order (beta = 0: y is not
 * read), so the result does not depend on the thread count (it differs from dgemv's in the
 * last bits). Both products read the same columns in task t, so a thread that takes task t
 * of both reads the same part of A (assembly/pool.ts job kind 10).
 */
export function gemv_parts(
  ctl: usize, trans: i32, m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize, w: usize,
  parts: i32, tasks: i32, canBlock: i32,
): void {
  if (m <= 0 || n <= 0) {
    // Nothing to sum: y := beta y (dgemv's quick return), on the calling thread.
    gemv<f64>(trans != 0, m, n, alpha, a, lda, x, 1, beta, y, 1);
    return;
  }
  parts = max(1, min(parts, 0xffff));
  tasks = max(1, min(tasks, parts));
  let ch = (n + parts - 1) / parts;
  ch = ((ch + 7) >> 3) << 3;
  if (ctl == 0) {
    for (let t = 0; t < tasks; t++) gemvPartsRun(trans, m, n, alpha, a, lda, x, beta, y, w, parts, tasks, ch, t);
  } else {
    const job = ((<u32>atomic.load<i32>(ctl + STATE) >>> 16) + 1) & 0xffff;
    setGemvJob(ctl, 10, trans, m, n, alpha, a, lda, x, beta, y, ch);
    C.setPd(ctl, w);
    C.setMt(ctl, parts);
    C.setNch(ctl, tasks);
    runJob(ctl, job, tasks, canBlock);
  }
  if (trans != 0) return;
  // y := beta y + w_0 + w_1 + ..., each entry in that order.
  const used = (n + ch - 1) / ch;
  const stride = <usize>gemvPartStride(m) * 8;
  const m2 = m & ~1;
  const vb = f64x2.splat(beta);
  for (let i = 0; i < m2; i += 2) {
    const o = <usize>i * 8;
    let s = beta == 0 ? v128.load(w + o) : v128.add<f64>(beta == 1 ? v128.load(y + o) : v128.mul<f64>(vb, v128.load(y + o)), v128.load(w + o));
    for (let p = 1; p < used; p++) s = v128.add<f64>(s, v128.load(w + <usize>p * stride + o));
    v128.store(y + o, s);
  }
  for (let i = m2; i < m; i++) {
    const o = <usize>i * 8;
    let s = beta == 0 ? load<f64>(w + o) : (beta == 1 ? load<f64>(y + o) : beta * load<f64>(y + o)) + load<f64>(w + o);
    for (let p = 1; p < used; p++) s += load<f64>(w + <usize>p * stride + o);
    store<f64>(y + o, s);
  }
}

/** Doubles of gemv_parts' workspace per part for an m-row A (whole cache lines). */
export function gemv_parts_stride(m: i32): i32 {
  return gemvPartStride(m);
}

// Task t of a gemv_parts job, on whichever thread took it (gemvPartsTask) or on the caller.
function gemvPartsRun(
  trans: i32, m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize, w: usize,
  parts: i32, tasks: i32, ch: i32, t: i32,
): void {
  const p0 = (t * parts) / tasks;
  const p1 = ((t + 1) * parts) / tasks;
  if (trans != 0) {
    const lo = p0 * ch;
    const len = min(p1 * ch, n) - lo;
    if (len > 0) gemv<f64>(true, m, len, alpha, a + <usize>lo * <usize>lda * 8, lda, x, 1, beta, y + <usize>lo * 8, 1);
    return;
  }
  const stride = <usize>gemvPartStride(m) * 8;
  for (let p = p0; p < p1; p++) {
    const lo = p * ch;
    const len = min(ch, n - lo);
    if (len <= 0) break;
    gemv<f64>(false, m, len, alpha, a + <usize>lo * <usize>lda * 8, lda, x + <usize>lo * 8, 1, 0, w + <usize>p * stride, 1);
  }
}
