// Stochastic gradient descent epochs for biased matrix factorization (FunkSVD) and SVD++,
// f32 factors, SIMD f32x4 over the factor dimension.
//
// Factor rows are row-major with a leading dimension `ld` (the factor count rounded up to a
// multiple of 4, padding zeros, which stay zero under every update), so a row is ld / 4 whole
// vectors and never needs a scalar tail.
//
// FunkSVD (Koren, Bell & Volinsky 2009, eq. 5; the update of Surprise's SVD.sgd): for each
// rating (u, i, r) in the given order,
//   e   = r - (mu + b_u + b_i + p_u . q_i)
//   b_u += lrb (e - regb b_u);  b_i += lrb (e - regb b_i)          (when biased)
//   p_u, q_i := p_u (1 - lr reg) + lr e q_i,  q_i (1 - lr reg) + lr e p_u   (simultaneously)
// The arithmetic order is fixed and mirrored operation for operation by the TypeScript
// fallback (src/kernels/sgd.ts), so the baseline SIMD build and the fallback agree bit for bit;
// the relaxed-SIMD build fuses the multiply-adds and differs by f32 rounding.
//
// Parameters are read from a parameter block in memory (SgdParams, declared in
// scripts/kernel-abi.mjs) so the same code runs on the calling thread and as a thread-pool
// task (pool.ts, job kind SGD): a task t processes ratings [tasks[2t], tasks[2t+1]) and writes
// its sum of squared errors to sse[t].
import { SgdParams } from './generated/abi';
import { hsum, vmadd } from './simd';

// p . q over ld floats (ld % 4 == 0): four vector accumulators (enough to cover the
// multiply-add latency), combined as (acc0 + acc2) + (acc1 + acc3), lanes summed in f64.
@inline function dotRow(p: usize, q: usize, ld: i32): f64 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let acc2 = f32x4.splat(0);
  let acc3 = f32x4.splat(0);
  const bytes = <usize>ld << 2;
  let o: usize = 0;
  for (; o + 64 <= bytes; o += 64) {
    acc0 = vmadd<f32>(v128.load(p + o), v128.load(q + o), acc0);
    acc1 = vmadd<f32>(v128.load(p + o, 16), v128.load(q + o, 16), acc1);
    acc2 = vmadd<f32>(v128.load(p + o, 32), v128.load(q + o, 32), acc2);
    acc3 = vmadd<f32>(v128.load(p + o, 48), v128.load(q + o, 48), acc3);
  }
  for (; o < bytes; o += 16) acc0 = vmadd<f32>(v128.load(p + o), v128.load(q + o), acc0);
  return hsum<f32>(f32x4.add(f32x4.add(acc0, acc2), f32x4.add(acc1, acc3)));
}

// p := p * decay + g * q and q := q * decay + g * p (simultaneous), over ld floats.
@inline function updateRows(pu: usize, qi: usize, g: v128, vdecay: v128, bytes: usize): void {
  let o: usize = 0;
  for (; o + 32 <= bytes; o += 32) {
    const p0 = v128.load(pu + o);
    const q0 = v128.load(qi + o);
    const p1 = v128.load(pu + o, 16);
    const q1 = v128.load(qi + o, 16);
    v128.store(pu + o, vmadd<f32>(g, q0, f32x4.mul(p0, vdecay)));
    v128.store(qi + o, vmadd<f32>(g, p0, f32x4.mul(q0, vdecay)));
    v128.store(pu + o, vmadd<f32>(g, q1, f32x4.mul(p1, vdecay)), 16);
    v128.store(qi + o, vmadd<f32>(g, p1, f32x4.mul(q1, vdecay)), 16);
  }
  if (o < bytes) {
    const p = v128.load(pu + o);
    const q = v128.load(qi + o);
    v128.store(pu + o, vmadd<f32>(g, q, f32x4.mul(p, vdecay)));
    v128.store(qi + o, vmadd<f32>(g, p, f32x4.mul(q, vdecay)));
  }
}

/**
 * FunkSVD SGD over ratings [start, end). Returns the sum of squared errors e^2 (each e taken
 * before its update), i.e. the epoch's training error for free.
 *
 * Two consecutive ratings with different users and different items touch disjoint
 * parameters, so they are processed together: both dot products in one loop, both updates
 * in another. Each rating's arithmetic is exactly what it would be alone (the results are
 * identical to one-at-a-time processing); the gain is instruction-level parallelism: the
 * two dependency chains (dot -> error -> update) and their cache misses overlap.
 */
export function funkRun(
  users: usize, items: usize, values: usize, start: i32, end: i32,
  P: usize, Q: usize, bu: usize, bi: usize, ld: i32,
  mu: f32, lr: f32, reg: f32, lrb: f32, regb: f32, biased: bool,
): f64 {
  const bytes = <usize>ld << 2;
  const decay: f32 = <f32>1 - lr * reg;
  const vdecay = f32x4.splat(decay);
  let sse: f64 = 0;
  let r = start;
  while (r < end) {
    const u = load<i32>(users + (<usize>r << 2));
    const i = load<i32>(items + (<usize>r << 2));
    const pu = P + <usize>u * bytes;
    const qi = Q + <usize>i * bytes;
    const bpu = bu + (<usize>u << 2);
    const bpi = bi + (<usize>i << 2);
    if (r + 1 < end) {
      const u2 = load<i32>(users + (<usize>(r + 1) << 2));
      const i2 = load<i32>(items + (<usize>(r + 1) << 2));
      if (u2 != u && i2 != i) {
        const pu2 = P + <usize>u2 * bytes;
        const qi2 = Q + <usize>i2 * bytes;
        // Both dot products, each with dotRow's accumulators and order.
        let a0 = f32x4.splat(0);
        let a1 = f32x4.splat(0);
        let a2 = f32x4.splat(0);
        let a3 = f32x4.splat(0);
        let c0 = f32x4.splat(0);
        let c1 = f32x4.splat(0);
        let c2 = f32x4.splat(0);
        let c3 = f32x4.splat(0);
        let o: usize = 0;
        for (; o + 64 <= bytes; o += 64) {
          a0 = vmadd<f32>(v128.load(pu + o), v128.load(qi + o), a0);
          c0 = vmadd<f32>(v128.load(pu2 + o), v128.load(qi2 + o), c0);
          a1 = vmadd<f32>(v128.load(pu + o, 16), v128.load(qi + o, 16), a1);
          c1 = vmadd<f32>(v128.load(pu2 + o, 16), v128.load(qi2 + o, 16), c1);
          a2 = vmadd<f32>(v128.load(pu + o, 32), v128.load(qi + o, 32), a2);
          c2 = vmadd<f32>(v128.load(pu2 + o, 32), v128.load(qi2 + o, 32), c2);
          a3 = vmadd<f32>(v128.load(pu + o, 48), v128.load(qi + o, 48), a3);
          c3 = vmadd<f32>(v128.load(pu2 + o, 48), v128.load(qi2 + o, 48), c3);
        }
        for (; o < bytes; o += 16) {
          a0 = vmadd<f32>(v128.load(pu + o), v128.load(qi + o), a0);
          c0 = vmadd<f32>(v128.load(pu2 + o), v128.load(qi2 + o), c0);
        }
        const dot = <f32>hsum<f32>(f32x4.add(f32x4.add(a0, a2), f32x4.add(a1, a3)));
        const dot2 = <f32>hsum<f32>(f32x4.add(f32x4.add(c0, c2), f32x4.add(c1, c3)));
        const bpu2 = bu + (<usize>u2 << 2);
        const bpi2 = bi + (<usize>i2 << 2);
        const bU = load<f32>(bpu);
        const bI = load<f32>(bpi);
        const bU2 = load<f32>(bpu2);
        const bI2 = load<f32>(bpi2);
        const err: f32 = load<f32>(values + (<usize>r << 2)) - (((mu + bU) + bI) + dot);
        const err2: f32 = load<f32>(values + (<usize>(r + 1) << 2)) - (((mu + bU2) + bI2) + dot2);
        sse += <f64>err * <f64>err;
        sse += <f64>err2 * <f64>err2;
        if (biased) {
          store<f32>(bpu, bU + lrb * (err - regb * bU));
          store<f32>(bpi, bI + lrb * (err - regb * bI));
          store<f32>(bpu2, bU2 + lrb * (err2 - regb * bU2));
          store<f32>(bpi2, bI2 + lrb * (err2 - regb * bI2));
        }
        const g = f32x4.splat(lr * err);
        const g2 = f32x4.splat(lr * err2);
        o = 0;
        for (; o + 32 <= bytes; o += 32) {
          const p0 = v128.load(pu + o);
          const q0 = v128.load(qi + o);
          const s0 = v128.load(pu2 + o);
          const t0 = v128.load(qi2 + o);
          const p1 = v128.load(pu + o, 16);
          const q1 = v128.load(qi + o, 16);
          const s1 = v128.load(pu2 + o, 16);
          const t1 = v128.load(qi2 + o, 16);
          v128.store(pu + o, vmadd<f32>(g, q0, f32x4.mul(p0, vdecay)));
          v128.store(qi + o, vmadd<f32>(g, p0, f32x4.mul(q0, vdecay)));
          v128.store(pu2 + o, vmadd<f32>(g2, t0, f32x4.mul(s0, vdecay)));
          v128.store(qi2 + o, vmadd<f32>(g2, s0, f32x4.mul(t0, vdecay)));
          v128.store(pu + o, vmadd<f32>(g, q1, f32x4.mul(p1, vdecay)), 16);
          v128.store(qi + o, vmadd<f32>(g, p1, f32x4.mul(q1, vdecay)), 16);
          v128.store(pu2 + o, vmadd<f32>(g2, t1, f32x4.mul(s1, vdecay)), 16);
          v128.store(qi2 + o, vmadd<f32>(g2, s1, f32x4.mul(t1, vdecay)), 16);
        }
        if (o < bytes) {
          const p = v128.load(pu + o);
          const q = v128.load(qi + o);
          const s2 = v128.load(pu2 + o);
          const t2 = v128.load(qi2 + o);
          v128.store(pu + o, vmadd<f32>(g, q, f32x4.mul(p, vdecay)));
          v128.store(qi + o, vmadd<f32>(g, p, f32x4.mul(q, vdecay)));
          v128.store(pu2 + o, vmadd<f32>(g2, t2, f32x4.mul(s2, vdecay)));
          v128.store(qi2 + o, vmadd<f32>(g2, s2, f32x4.mul(t2, vdecay)));
        }
        r += 2;
        continue;
      }
    }
    const dot = <f32>dotRow(pu, qi, ld);
    const bU = load<f32>(bpu);
    const bI = load<f32>(bpi);
    const err: f32 = load<f32>(values + (<usize>r << 2)) - (((mu + bU) + bI) + dot);
    sse += <f64>err * <f64>err;
    if (biased) {
      store<f32>(bpu, bU + lrb * (err - regb * bU));
      store<f32>(bpi, bI + lrb * (err - regb * bI));
    }
    updateRows(pu, qi, f32x4.splat(lr * err), vdecay, bytes);
    r++;
  }
  return sse;
}

/** Run FunkSVD task `t` of the SgdParams block `prm`. */
export function funkTask(prm: usize, t: i32): void {
  const tasks = SgdParams.tasks(prm);
  const start = load<i32>(tasks + (<usize>t << 3));
  const end = load<i32>(tasks + (<usize>t << 3) + 4);
  const sse = funkRun(
    SgdParams.users(prm), SgdParams.items(prm), SgdParams.values(prm), start, end,
    SgdParams.P(prm), SgdParams.Q(prm), SgdParams.bu(prm), SgdParams.bi(prm),
    SgdParams.ld(prm), SgdParams.mu(prm), SgdParams.lr(prm), SgdParams.reg(prm),
    SgdParams.lrb(prm), SgdParams.regb(prm), SgdParams.biased(prm),
  );
  store<f64>(SgdParams.sse(prm) + (<usize>t << 3), sse);
}

/** FunkSVD on the calling thread: every task of the SgdParams block, in order. Returns the total SSE. */
export function sgd_funk(prm: usize, tasks: i32): f64 {
  let sse: f64 = 0;
  for (let t = 0; t < tasks; t++) {
    funkTask(prm, t);
    sse += load<f64>(SgdParams.sse(prm) + (<usize>t << 3));
  }
  return sse;
}

/**
 * One SVD++ epoch (Koren 2008, "Factorization meets the neighborhood", eq. 15), users in the
 * order `order[0..nOrder)`, each user's ratings at CSR positions indptr[u]..indptr[u+1] of
 * items/values. Prediction mu + b_u + b_i + q_i . (p_u + z_u), z_u = |N(u)|^-1/2 sum_{j in N(u)} y_j
 * with N(u) the user's rated items.
 *
 * Surprise updates every y_j (j in N(u)) after each rating: y_j += lry (e q_i / sqrt|N(u)| - regy y_j),
 * costing O(|N(u)| f) per rating. Because every y_j of the user receives the same increment
 * plus the same decay, the exact same result follows in O(f) per rating from two running
 * vectors: z itself (z' = z (1 - lry regy) + lry e q_i, since |N(u)| * |N(u)|^-1 = 1) and
 * acc, the increment every y_j will receive (acc' = acc (1 - lry regy) + lry e q_i / sqrt|N(u)|);
 * at the user's end y_j := y_j (1 - lry regy)^n + acc. So this is Surprise's SVD++ update,
 * only in O(f (|N(u)| + |R(u)|)) per user instead of O(f |N(u)| |R(u)|).
 * `work` holds 3 * ld floats of scratch (z, acc, p_u + z). Returns the SSE.
 */
export function sgd_svdpp(
  order: usize, nOrder: i32, indptr: usize, items: usize, values: usize,
  P: usize, Q: usize, Y: usize, bu: usize, bi: usize, ld: i32,
  mu: f32, lr: f32, reg: f32, lrb: f32, regb: f32, lry: f32, regy: f32, work: usize,
): f64 {
  const bytes = <usize>ld << 2;
  const z = work;
  const acc = work + bytes;
  const pz = work + 2 * bytes;
  const decay: f32 = <f32>1 - lr * reg;
  const vdecay = f32x4.splat(decay);
  const dy: f32 = <f32>1 - lry * regy;
  const vdy = f32x4.splat(dy);
  let sse: f64 = 0;
  for (let k = 0; k < nOrder; k++) {
    const u = load<i32>(order + (<usize>k << 2));
    const s = load<i32>(indptr + (<usize>u << 2));
    const e = load<i32>(indptr + (<usize>u << 2) + 4);
    const n = e - s;
    if (n <= 0) continue;
    const inv: f32 = <f32>1 / <f32>Mathf.sqrt(<f32>n);
    // z = inv * sum_j y_j; acc = 0
    for (let o: usize = 0; o < bytes; o += 16) {
      v128.store(z + o, f32x4.splat(0));
      v128.store(acc + o, f32x4.splat(0));
    }
    for (let r = s; r < e; r++) {
      const yj = Y + <usize>load<i32>(items + (<usize>r << 2)) * bytes;
      for (let o: usize = 0; o < bytes; o += 16) v128.store(z + o, f32x4.add(v128.load(z + o), v128.load(yj + o)));
    }
    const vinv = f32x4.splat(inv);
    for (let o: usize = 0; o < bytes; o += 16) v128.store(z + o, f32x4.mul(v128.load(z + o), vinv));
    const pu = P + <usize>u * bytes;
    const bpu = bu + (<usize>u << 2);
    let pw: f32 = 1;
    for (let r = s; r < e; r++) {
      const i = load<i32>(items + (<usize>r << 2));
      const v = load<f32>(values + (<usize>r << 2));
      const qi = Q + <usize>i * bytes;
      for (let o: usize = 0; o < bytes; o += 16) v128.store(pz + o, f32x4.add(v128.load(pu + o), v128.load(z + o)));
      const dot = <f32>dotRow(pz, qi, ld);
      const bpi = bi + (<usize>i << 2);
      const bU = load<f32>(bpu);
      const bI = load<f32>(bpi);
      const err: f32 = v - (((mu + bU) + bI) + dot);
      sse += <f64>err * <f64>err;
      store<f32>(bpu, bU + lrb * (err - regb * bU));
      store<f32>(bpi, bI + lrb * (err - regb * bI));
      const g = f32x4.splat(lr * err);
      const gy = f32x4.splat(lry * err);
      const ga = f32x4.splat(lry * err * inv);
      for (let o: usize = 0; o < bytes; o += 16) {
        const p = v128.load(pu + o);
        const q = v128.load(qi + o);
        const zz = v128.load(z + o);
        v128.store(pu + o, vmadd<f32>(g, q, f32x4.mul(p, vdecay)));
        v128.store(qi + o, vmadd<f32>(g, v128.load(pz + o), f32x4.mul(q, vdecay)));
        v128.store(z + o, vmadd<f32>(gy, q, f32x4.mul(zz, vdy)));
        v128.store(acc + o, vmadd<f32>(ga, q, f32x4.mul(v128.load(acc + o), vdy)));
      }
      pw = pw * dy;
    }
    // y_j := y_j dy^n + acc for every j in N(u).
    const vpw = f32x4.splat(pw);
    for (let r = s; r < e; r++) {
      const yj = Y + <usize>load<i32>(items + (<usize>r << 2)) * bytes;
      for (let o: usize = 0; o < bytes; o += 16) v128.store(yj + o, vmadd<f32>(v128.load(yj + o), vpw, v128.load(acc + o)));
    }
  }
  return sse;
}
