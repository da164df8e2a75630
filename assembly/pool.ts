// Fork-join parallel gemm over shared memory.
//
// The caller (main thread) publishes a job in a control block, workers blocked in
// `worker_loop` wake up, and every participant, the caller included, takes tasks (blocks
// of C) from an atomic counter until none are left. Dynamic task taking means a job never
// waits on a worker that is still starting or busy: the caller simply does more of it.
//
// Protocol (all control-word accesses are sequentially consistent atomics):
//   1. close the door: NEXT = CLOSED, so stragglers from the last job take no task;
//   2. write parameters; DONE = 0; NTASKS = t;
//   3. open the door: NEXT = 0; GEN += 1; notify workers waiting on GEN;
//   4. take tasks; then wait until DONE == NTASKS.
// A ticket taken after step 3 always sees the parameters of step 2.
import { gemm, MR, NR } from './gemm';

const GEN: usize = 0;
const NEXT: usize = 4;
const DONE: usize = 8;
const NTASKS: usize = 12;
const KIND: usize = 16; // 0 = f64, 1 = f32
const TA: usize = 20;
const TB: usize = 24;
const M: usize = 28;
const N: usize = 32;
const K: usize = 36;
const LDA: usize = 40;
const LDB: usize = 44;
const LDC: usize = 48;
const PA: usize = 52;
const PB: usize = 56;
const PC: usize = 60;
const MT: usize = 64;
const MCH: usize = 68;
const NCH: usize = 72;
const WS: usize = 76;
const WSSTRIDE: usize = 80;
const STOP: usize = 84;
const ALPHA: usize = 96;
const BETA: usize = 104;
const CLOSED: i32 = 1 << 30;

/** Size in bytes of the control block. */
export const POOL_CONTROL_BYTES: i32 = 128;

function runTask<T>(ctl: usize, t: i32, slot: i32): void {
  const s = <usize>sizeof<T>();
  const m = load<i32>(ctl + M);
  const n = load<i32>(ctl + N);
  const mt = load<i32>(ctl + MT);
  const mch = load<i32>(ctl + MCH);
  const nch = load<i32>(ctl + NCH);
  const i0 = (t % mt) * mch;
  const j0 = (t / mt) * nch;
  const mi = min(mch, m - i0);
  const nj = min(nch, n - j0);
  const ta = load<i32>(ctl + TA) != 0;
  const tb = load<i32>(ctl + TB) != 0;
  const lda = load<i32>(ctl + LDA);
  const ldb = load<i32>(ctl + LDB);
  const ldc = load<i32>(ctl + LDC);
  const a = <usize>load<u32>(ctl + PA) + (ta ? <usize>i0 * <usize>lda : <usize>i0) * s;
  const b = <usize>load<u32>(ctl + PB) + (tb ? <usize>j0 : <usize>j0 * <usize>ldb) * s;
  const c = <usize>load<u32>(ctl + PC) + (<usize>i0 + <usize>j0 * <usize>ldc) * s;
  const work = <usize>load<u32>(ctl + WS) + <usize>slot * <usize>load<u32>(ctl + WSSTRIDE);
  gemm<T>(ta, tb, mi, nj, load<i32>(ctl + K), <T>load<f64>(ctl + ALPHA), a, lda, b, ldb, <T>load<f64>(ctl + BETA), c, ldc, work);
}

// Take and run tasks until none are left; returns when this participant is done.
function drain(ctl: usize, slot: i32): void {
  for (;;) {
    const t = atomic.add<i32>(ctl + NEXT, 1);
    if (t >= atomic.load<i32>(ctl + NTASKS)) return;
    if (load<i32>(ctl + KIND) == 0) runTask<f64>(ctl, t, slot);
    else runTask<f32>(ctl, t, slot);
    atomic.add<i32>(ctl + DONE, 1);
    atomic.notify(ctl + DONE, 1);
  }
}

/** Worker entry: serve jobs forever (until `pool_stop`). `slot` >= 1 selects the workspace. */
export function worker_loop(ctl: usize, slot: i32): void {
  let seen = atomic.load<i32>(ctl + GEN);
  for (;;) {
    atomic.wait<i32>(ctl + GEN, seen, -1);
    const g = atomic.load<i32>(ctl + GEN);
    if (g == seen) continue;
    seen = g;
    if (atomic.load<i32>(ctl + STOP) != 0) return;
    drain(ctl, slot);
  }
}

/** Ask every worker to leave `worker_loop`. */
export function pool_stop(ctl: usize): void {
  atomic.store<i32>(ctl + STOP, 1);
  atomic.add<i32>(ctl + GEN, 1);
  atomic.notify(ctl + GEN, -1);
}

/**
 * Parallel gemm: C (m x n) is cut into an mt x nt grid of blocks (rounded to the register
 * tile) and the blocks are shared out. `canBlock` = 0 spins instead of `atomic.wait`
 * (browsers forbid blocking on the main thread). Workspaces: slot i at ws + i * wsStride.
 */
export function gemm_parallel(
  ctl: usize, kind: i32, transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32,
  mt: i32, nt: i32, ws: usize, wsStride: i32, canBlock: i32,
): void {
  const mr = kind == 0 ? MR<f64>() : MR<f32>();
  const nr = kind == 0 ? NR<f64>() : NR<f32>();
  let mch = (m + mt - 1) / mt;
  mch = ((mch + mr - 1) / mr) * mr;
  let nch = (n + nt - 1) / nt;
  nch = ((nch + nr - 1) / nr) * nr;
  const tasks = ((m + mch - 1) / mch) * ((n + nch - 1) / nch);
  atomic.store<i32>(ctl + NEXT, CLOSED);
  store<i32>(ctl + KIND, kind);
  store<i32>(ctl + TA, transA);
  store<i32>(ctl + TB, transB);
  store<i32>(ctl + M, m);
  store<i32>(ctl + N, n);
  store<i32>(ctl + K, k);
  store<i32>(ctl + LDA, lda);
  store<i32>(ctl + LDB, ldb);
  store<i32>(ctl + LDC, ldc);
  store<u32>(ctl + PA, <u32>a);
  store<u32>(ctl + PB, <u32>b);
  store<u32>(ctl + PC, <u32>c);
  store<i32>(ctl + MT, (m + mch - 1) / mch);
  store<i32>(ctl + MCH, mch);
  store<i32>(ctl + NCH, nch);
  store<u32>(ctl + WS, <u32>ws);
  store<u32>(ctl + WSSTRIDE, <u32>wsStride);
  store<f64>(ctl + ALPHA, alpha);
  store<f64>(ctl + BETA, beta);
  atomic.store<i32>(ctl + DONE, 0);
  atomic.store<i32>(ctl + NTASKS, tasks);
  atomic.store<i32>(ctl + NEXT, 0);
  atomic.add<i32>(ctl + GEN, 1);
  atomic.notify(ctl + GEN, -1);
  drain(ctl, 0);
  for (;;) {
    const d = atomic.load<i32>(ctl + DONE);
    if (d >= tasks) break;
    if (canBlock != 0) atomic.wait<i32>(ctl + DONE, d, 1000000);
  }
}
