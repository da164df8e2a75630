// Alternating-least-squares row solves (ALS-WR, Zhou et al. 2008; implicit feedback,
// Hu, Koren & Volinsky 2008): for each row r in [rowStart, rowEnd) of a CSR ratings table,
// build the n x n normal equations from the gathered rows of the fixed factor matrix,
// factor them by Cholesky and write the solution into the row's factors (and bias).
//
//   mode 0 (explicit): G = sum_j z_j z_j^T + reg * cnt * I,   b = sum_j (r_j - mu - fb_j) z_j,
//                      z_j = [q_j; 1] when n == f + 1 (the bias column), else q_j;
//                      Gram in f32 lanes (see explicitRowsF32), solve in f64.
//   mode 1 (implicit): G = base + sum_j alpha r_j y_j y_j^T, b = sum_j (1 + alpha r_j) y_j,
//                      base = Y^T Y + reg I (n x n, row-major, given).
//   mode 2 (implicit, conjugate gradient): cgSteps CG iterations on the mode-1 system,
//                      warm-started from the current row of `out`, never forming G
//                      (Takacs, Pilaszy & Tikk 2011; the `implicit` library's solver).
//
// Mode 1 accumulates the Gram four ratings at a time into the lower triangle (rank-4 updates
// on f64x2 lanes), in f64 from the f32 factors; mode 0 in f32 register tiles (gramChunk).
// Both factor and solve two rows' systems at once, one per f64x2 lane (solvePair: Cholesky
// in dpotf2's order, then the two substitutions).
// Pointers are byte offsets; fixed/out have row stride f (f32); indptr/indices are i32,
// values f32. work: f64 scratch of ALS_WORK_DOUBLES(n) elements.
import { AlsParams } from './generated/abi';
import { vmadd } from './simd';

// Ratings gathered per register-blocked Gram pass of the explicit path (see gramChunk).
const GRAM_CHUNK = 32;

/** Doubles of scratch `als_rows` needs for systems of size n. */
export function als_work_doubles(n: i32): i32 {
  const ldg = (n + 3) & ~3;
  // + the two interleaved systems of the explicit path (see solvePair): 2 n^2 + 4 n doubles
  // and 2 for 16-byte alignment.
  return n * n + 2 + n + 4 * n + 2 + ((ldg * ldg + GRAM_CHUNK * ldg) >> 1) + 4 + 2 * n * n + 4 * n + 2;
}

export function als_rows(
  rowStart: i32, rowEnd: i32, indptr: usize, indices: usize, values: usize,
  fixed: usize, fixedBias: usize, f: i32, n: i32,
  mu: f64, reg: f64, alpha: f64, mode: i32, base: usize,
  out: usize, outBias: usize, work: usize, cgSteps: i32,
): void {
  if (mode == 2) {
    cgRows(rowStart, rowEnd, indptr, indices, values, fixed, f, alpha, base, out, work, cgSteps);
    return;
  }
  if (mode == 0) {
    explicitRowsF32(rowStart, rowEnd, indptr, indices, values, fixed, fixedBias, f, n, mu, reg, out, outBias, work);
    return;
  }
  const G = work;
  const b = G + <usize>(n * n + 2) * 8;
  const Z = b + <usize>n * 8;
  const aug = n > f;
  const fz = <usize>f;
  const H = pairBase(work, n);
  const b2 = H + <usize>(n * n) * 16;
  let held = -1;
  for (let row = rowStart; row < rowEnd; row++) {
    const start = load<i32>(indptr + <usize>row * 4);
    const end = load<i32>(indptr + <usize>(row + 1) * 4);
    const o = out + <usize>row * fz * 4;
    if (start == end) {
      for (let a = 0; a < f; a++) store<f32>(o + <usize>a * 4, 0);
      if (outBias) store<f32>(outBias + <usize>row * 4, 0);
      continue;
    }
    // G and b start at zero (explicit) or at the shared Gram (implicit).
    if (mode == 1) memory.copy(G, base, <usize>(n * n) * 8);
    else memory.fill(G, 0, <usize>(n * n) * 8);
    memory.fill(b, 0, <usize>n * 8);
    let p = start;
    while (p < end) {
      const m = min(4, end - p);
      // Gather up to 4 rows (f64) with their Gram weights and add their right-hand sides.
      let w0: f64 = 0, w1: f64 = 0, w2: f64 = 0, w3: f64 = 0;
      for (let k = 0; k < m; k++) {
        const j = load<i32>(indices + <usize>(p + k) * 4);
        const r = <f64>load<f32>(values + <usize>(p + k) * 4);
        const src = fixed + <usize>j * fz * 4;
        const z = Z + <usize>(k * n) * 8;
        for (let a = 0; a < f; a++) store<f64>(z + <usize>a * 8, <f64>load<f32>(src + <usize>a * 4));
        if (aug) store<f64>(z + fz * 8, 1);
        let w: f64;
        let coef: f64;
        if (mode == 1) {
          w = alpha * r;
          coef = 1 + alpha * r;
        } else {
          w = 1;
          coef = r - mu - (aug ? <f64>load<f32>(fixedBias + <usize>j * 4) : 0);
        }
        for (let a = 0; a < n; a++) {
          const pb = b + <usize>a * 8;
          store<f64>(pb, load<f64>(pb) + coef * load<f64>(z + <usize>a * 8));
        }
        if (k == 0) w0 = w;
        else if (k == 1) w1 = w;
        else if (k == 2) w2 = w;
        else w3 = w;
      }
      // Unused slots get weight 0 and zero rows (the scratch may hold anything, even NaN).
      if (m < 4) memory.fill(Z + <usize>(m * n) * 8, 0, <usize>((4 - m) * n) * 8);
      const z0 = Z;
      const z1 = Z + <usize>n * 8;
      const z2 = Z + <usize>(2 * n) * 8;
      const z3 = Z + <usize>(3 * n) * 8;
      for (let a = 0; a < n; a++) {
        const oa = <usize>a * 8;
        const s0 = f64x2.splat(w0 * load<f64>(z0 + oa));
        const s1 = f64x2.splat(w1 * load<f64>(z1 + oa));
        const s2 = f64x2.splat(w2 * load<f64>(z2 + oa));
        const s3 = f64x2.splat(w3 * load<f64>(z3 + oa));
        const rowp = G + <usize>(a * n) * 8;
        // c in [0, a], two at a time; an odd count writes one element past the diagonal
        // (upper triangle, never read; the last row spills into the 2-double pad).
        for (let c = 0; c <= a; c += 2) {
          const oc = <usize>c * 8;
          let g = v128.load(rowp + oc);
          g = vmadd<f64>(s0, v128.load(z0 + oc), g);
          g = vmadd<f64>(s1, v128.load(z1 + oc), g);
          g = vmadd<f64>(s2, v128.load(z2 + oc), g);
          g = vmadd<f64>(s3, v128.load(z3 + oc), g);
          v128.store(rowp + oc, g);
        }
      }
      p += m;
    }
    if (mode == 0) {
      const lam = reg * <f64>(end - start);
      for (let a = 0; a < n; a++) {
        const pd = G + <usize>(a * n + a) * 8;
        store<f64>(pd, load<f64>(pd) + lam);
      }
    }
    // Into lane 0 or 1 of the interleaved pair (see explicitRowsF32); solved two at a time.
    const lane = <usize>(held < 0 ? 0 : 8);
    for (let a = 0; a < n; a++) {
      const src = G + <usize>(a * n) * 8;
      const dst = H + <usize>(a * n) * 16 + lane;
      for (let c = 0; c <= a; c++) store<f64>(dst + <usize>c * 16, load<f64>(src + <usize>c * 8));
      store<f64>(b2 + <usize>a * 16 + lane, load<f64>(b + <usize>a * 8));
    }
    if (held < 0) {
      held = row;
      continue;
    }
    solvePair(H, b2, H + <usize>(n * n + n) * 16, n);
    storeLane(b2, 0, held, f, aug, out, outBias);
    storeLane(b2, 8, row, f, aug, out, outBias);
    held = -1;
  }
  if (held >= 0) solveLone(H, b2, H + <usize>(n * n + n) * 16, n, held, f, aug, out, outBias);
}

// Conjugate-gradient rows (mode 2), in f32 lanes (4 per vector; the `implicit` library's
// GPU solver is f32 too): a row's system is rebuilt from scratch (r = b - A x) at every
// sweep, so rounding does not accumulate across sweeps; step sizes are computed in f64.
// Scratch: base as f32 (f x f), then x, r, p, ap (f floats each).
function cgRows(
  rowStart: i32, rowEnd: i32, indptr: usize, indices: usize, values: usize,
  fixed: usize, f: i32, alpha: f64, base: usize, out: usize, work: usize, steps: i32,
): void {
  const fz = <usize>f;
  const B = work;
  for (let k = 0; k < f * f; k++) store<f32>(B + <usize>k * 4, <f32>load<f64>(base + <usize>k * 8));
  const x = B + fz * fz * 4;
  const r = x + fz * 4;
  const p = r + fz * 4;
  const ap = p + fz * 4;
  for (let row = rowStart; row < rowEnd; row++) {
    const start = load<i32>(indptr + <usize>row * 4);
    const end = load<i32>(indptr + <usize>(row + 1) * 4);
    const o = out + <usize>row * fz * 4;
    if (start == end) {
      for (let a = 0; a < f; a++) store<f32>(o + <usize>a * 4, 0);
      continue;
    }
    memory.copy(x, o, fz * 4);
    // r = b - A x = sum_j (c_j - (c_j - 1) y_j.x) y_j - base x
    symv32(B, f, x, r, -1);
    for (let q = start; q < end; q++) {
      const y = fixed + <usize>load<i32>(indices + <usize>q * 4) * fz * 4;
      const cm1 = alpha * <f64>load<f32>(values + <usize>q * 4);
      axpy32(<f32>(1 + cm1 - cm1 * dot32(y, x, f)), y, r, f);
    }
    memory.copy(p, r, fz * 4);
    let rsold = dot32(r, r, f);
    for (let it = 0; it < steps && rsold > 1e-20; it++) {
      symv32(B, f, p, ap, 1);
      for (let q = start; q < end; q++) {
        const y = fixed + <usize>load<i32>(indices + <usize>q * 4) * fz * 4;
        const cm1 = alpha * <f64>load<f32>(values + <usize>q * 4);
        axpy32(<f32>(cm1 * dot32(y, p, f)), y, ap, f);
      }
      const pap = dot32(p, ap, f);
      if (!(pap > 0)) break;
      const step = <f32>(rsold / pap);
      axpy32(step, p, x, f);
      axpy32(-step, ap, r, f);
      const rsnew = dot32(r, r, f);
      const beta = <f32>(rsnew / rsold);
      // p = r + beta p
      const vb = f32x4.splat(beta);
      let a = 0;
      for (; a + 4 <= f; a += 4) {
        const oa = <usize>a * 4;
        v128.store(p + oa, vmadd<f32>(vb, v128.load(p + oa), v128.load(r + oa)));
      }
      for (; a < f; a++) store<f32>(p + <usize>a * 4, load<f32>(r + <usize>a * 4) + beta * load<f32>(p + <usize>a * 4));
      rsold = rsnew;
    }
    memory.copy(o, x, fz * 4);
  }
}

// y = sign * M v for a full row-major f x f M (all f32).
function symv32(M: usize, f: i32, v: usize, y: usize, sign: f32): void {
  for (let i = 0; i < f; i++) store<f32>(y + <usize>i * 4, sign * <f32>dot32(M + <usize>(i * f) * 4, v, f));
}

// sum_a x[a] y[a] on f32 lanes (two accumulators), returned as f64.
@inline function dot32(x: usize, y: usize, f: i32): f64 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let a = 0;
  for (; a + 8 <= f; a += 8) {
    const oa = <usize>a * 4;
    acc0 = vmadd<f32>(v128.load(x + oa), v128.load(y + oa), acc0);
    acc1 = vmadd<f32>(v128.load(x + oa + 16), v128.load(y + oa + 16), acc1);
  }
  for (; a + 4 <= f; a += 4) {
    const oa = <usize>a * 4;
    acc0 = vmadd<f32>(v128.load(x + oa), v128.load(y + oa), acc0);
  }
  const s = f32x4.add(acc0, acc1);
  let sum = <f64>f32x4.extract_lane(s, 0) + <f64>f32x4.extract_lane(s, 1) + <f64>f32x4.extract_lane(s, 2) + <f64>f32x4.extract_lane(s, 3);
  for (; a < f; a++) sum += <f64>load<f32>(x + <usize>a * 4) * <f64>load<f32>(y + <usize>a * 4);
  return sum;
}

// t += c * y on f32 lanes.
@inline function axpy32(c: f32, y: usize, t: usize, f: i32): void {
  const vc = f32x4.splat(c);
  let a = 0;
  for (; a + 4 <= f; a += 4) {
    const oa = <usize>a * 4;
    v128.store(t + oa, vmadd<f32>(vc, v128.load(y + oa), v128.load(t + oa)));
  }
  for (; a < f; a++) store<f32>(t + <usize>a * 4, load<f32>(t + <usize>a * 4) + c * load<f32>(y + <usize>a * 4));
}

// Explicit rows (mode 0) with the Gram accumulated in f32 lanes (f32x4 rank-4 updates, twice
// the f64 rate). Safe here because ALS-WR adds lambda * n to the diagonal: the eigenvalues of
// Z^T Z + lambda n I lie in [lambda n, n (|q|^2 + 1) + lambda n], so the system is well
// conditioned and f32 rounding of the Gram (relative 1e-7 sqrt(n)) changes the solution far
// below the f32 precision the factors are stored in. Cholesky and solves stay in f64.
function explicitRowsF32(
  rowStart: i32, rowEnd: i32, indptr: usize, indices: usize, values: usize,
  fixed: usize, fixedBias: usize, f: i32, n: i32, mu: f64, reg: f64,
  out: usize, outBias: usize, work: usize,
): void {
  const ldg = (n + 3) & ~3;
  const G = work;
  const b = G + <usize>(n * n + 2) * 8;
  // Gf: ldg x ldg (the 4-row tiles of gramChunk may run past row n - 1); Zf: GRAM_CHUNK rows.
  const Gf = b + <usize>(n + 4 * n + 2) * 8;
  const Zf = Gf + <usize>(ldg * ldg) * 4;
  const aug = n > f;
  const fz = <usize>f;
  const zrow = <usize>ldg * 4;
  // Two systems interleaved lane by lane (f64x2: lane 0 the held row, lane 1 the next),
  // 16-byte aligned after the f32 blocks: H (n x n), b2, inv (n each).
  const H = pairBase(work, n);
  const b2 = H + <usize>(n * n) * 16;
  const inv = b2 + <usize>n * 16;
  // The row whose system waits in lane 0 for a partner (-1: none).
  let held = -1;
  // Padding lanes of the gathered rows stay zero for the whole call.
  memory.fill(Zf, 0, <usize>GRAM_CHUNK * zrow);
  for (let row = rowStart; row < rowEnd; row++) {
    const start = load<i32>(indptr + <usize>row * 4);
    const end = load<i32>(indptr + <usize>(row + 1) * 4);
    const o = out + <usize>row * fz * 4;
    if (start == end) {
      for (let a = 0; a < f; a++) store<f32>(o + <usize>a * 4, 0);
      if (outBias) store<f32>(outBias + <usize>row * 4, 0);
      continue;
    }
    memory.fill(b, 0, <usize>n * 8);
    let p = start;
    while (p < end) {
      const m = min(GRAM_CHUNK, end - p);
      for (let k = 0; k < m; k++) {
        const j = load<i32>(indices + <usize>(p + k) * 4);
        const src = fixed + <usize>j * fz * 4;
        const z = Zf + <usize>k * zrow;
        memory.copy(z, src, fz * 4);
        if (aug) store<f32>(z + fz * 4, 1);
        const t = <f64>load<f32>(values + <usize>(p + k) * 4) - mu - (aug ? <f64>load<f32>(fixedBias + <usize>j * 4) : 0);
        for (let a = 0; a < f; a++) {
          const pb = b + <usize>a * 8;
          store<f64>(pb, load<f64>(pb) + t * <f64>load<f32>(z + <usize>a * 4));
        }
        if (aug) {
          const pb = b + fz * 8;
          store<f64>(pb, load<f64>(pb) + t);
        }
      }
      // Every Gram entry is the same sequence of f32 multiply-adds over the ratings in
      // order, however a row's ratings split into chunks; the first chunk starts from zero.
      gramChunk(Gf, zrow, Zf, m, n, p == start);
      p += m;
    }
    // Into lane 0 or 1 of the interleaved pair; factor and solve once both lanes are filled.
    const lane = <usize>(held < 0 ? 0 : 8);
    const lam = reg * <f64>(end - start);
    for (let a = 0; a < n; a++) {
      const src = Gf + <usize>a * zrow;
      const dst = H + <usize>(a * n) * 16 + lane;
      for (let c = 0; c <= a; c++) store<f64>(dst + <usize>c * 16, <f64>load<f32>(src + <usize>c * 4));
      store<f64>(dst + <usize>a * 16, load<f64>(dst + <usize>a * 16) + lam);
      store<f64>(b2 + <usize>a * 16 + lane, load<f64>(b + <usize>a * 8));
    }
    if (held < 0) {
      held = row;
      continue;
    }
    solvePair(H, b2, inv, n);
    storeLane(b2, 0, held, f, aug, out, outBias);
    storeLane(b2, 8, row, f, aug, out, outBias);
    held = -1;
  }
  if (held >= 0) solveLone(H, b2, inv, n, held, f, aug, out, outBias);
}

// Gf[a][0..a] += sum_k z_k[a] z_k[0..a] over the K gathered rows z_k of Zf (stride zrow),
// from zero when `first`, in register tiles of 4 Gram rows x 8 columns: each entry stays in
// a register for the whole chunk (one Gram load and store per chunk instead of one per 4
// ratings) and is updated with the ratings in order, so its value is the same as with
// rank-1 updates. Tiles cover c < a0 + 4 and rows up to a0 + 3 (Gf has ldg rows; entries
// above the diagonal and rows >= n are scratch, never read).
function gramChunk(Gf: usize, zrow: usize, Zf: usize, K: i32, n: i32, first: bool): void {
  for (let a0 = 0; a0 < n; a0 += 4) {
    const r0 = Gf + <usize>a0 * zrow;
    const r1 = r0 + zrow;
    const r2 = r1 + zrow;
    const r3 = r2 + zrow;
    const oa = <usize>a0 * 4;
    const cEnd = a0 + 4;
    let c = 0;
    for (; c + 8 <= cEnd; c += 8) {
      const oc = <usize>c * 4;
      let g00 = f32x4.splat(0), g01 = f32x4.splat(0), g10 = f32x4.splat(0), g11 = f32x4.splat(0);
      let g20 = f32x4.splat(0), g21 = f32x4.splat(0), g30 = f32x4.splat(0), g31 = f32x4.splat(0);
      if (!first) {
        g00 = v128.load(r0 + oc); g01 = v128.load(r0 + oc + 16);
        g10 = v128.load(r1 + oc); g11 = v128.load(r1 + oc + 16);
        g20 = v128.load(r2 + oc); g21 = v128.load(r2 + oc + 16);
        g30 = v128.load(r3 + oc); g31 = v128.load(r3 + oc + 16);
      }
      for (let k = 0; k < K; k++) {
        const z = Zf + <usize>k * zrow;
        const x0 = v128.load(z + oc);
        const x1 = v128.load(z + oc + 16);
        const s0 = v128.load_splat<f32>(z + oa);
        const s1 = v128.load_splat<f32>(z + oa + 4);
        const s2 = v128.load_splat<f32>(z + oa + 8);
        const s3 = v128.load_splat<f32>(z + oa + 12);
        g00 = vmadd<f32>(s0, x0, g00); g01 = vmadd<f32>(s0, x1, g01);
        g10 = vmadd<f32>(s1, x0, g10); g11 = vmadd<f32>(s1, x1, g11);
        g20 = vmadd<f32>(s2, x0, g20); g21 = vmadd<f32>(s2, x1, g21);
        g30 = vmadd<f32>(s3, x0, g30); g31 = vmadd<f32>(s3, x1, g31);
      }
      v128.store(r0 + oc, g00); v128.store(r0 + oc + 16, g01);
      v128.store(r1 + oc, g10); v128.store(r1 + oc + 16, g11);
      v128.store(r2 + oc, g20); v128.store(r2 + oc + 16, g21);
      v128.store(r3 + oc, g30); v128.store(r3 + oc + 16, g31);
    }
    if (c < cEnd) {
      const oc = <usize>c * 4;
      let g0 = f32x4.splat(0), g1 = f32x4.splat(0), g2 = f32x4.splat(0), g3 = f32x4.splat(0);
      if (!first) {
        g0 = v128.load(r0 + oc); g1 = v128.load(r1 + oc);
        g2 = v128.load(r2 + oc); g3 = v128.load(r3 + oc);
      }
      for (let k = 0; k < K; k++) {
        const z = Zf + <usize>k * zrow;
        const x0 = v128.load(z + oc);
        g0 = vmadd<f32>(v128.load_splat<f32>(z + oa), x0, g0);
        g1 = vmadd<f32>(v128.load_splat<f32>(z + oa + 4), x0, g1);
        g2 = vmadd<f32>(v128.load_splat<f32>(z + oa + 8), x0, g2);
        g3 = vmadd<f32>(v128.load_splat<f32>(z + oa + 12), x0, g3);
      }
      v128.store(r0 + oc, g0); v128.store(r1 + oc, g1);
      v128.store(r2 + oc, g2); v128.store(r3 + oc, g3);
    }
  }
}

// Where the interleaved pair of systems (H, then b2 and inv) starts in the scratch of als_rows:
// after G, b, Z and the f32 Gram and gathered rows of the explicit path, 16-byte aligned.
@inline function pairBase(work: usize, n: i32): usize {
  const ldg = (n + 3) & ~3;
  const end = work + <usize>(n * n + 2 + n + 4 * n + 2) * 8 + <usize>(ldg * ldg + GRAM_CHUNK * ldg) * 4;
  return (end + 15) & ~(<usize>15);
}

// Write lane `lane` (byte offset 0 or 8) of the interleaved solution as a row's f32 factors and bias.
@inline function storeLane(b2: usize, lane: usize, row: i32, f: i32, aug: bool, out: usize, outBias: usize): void {
  const o = out + <usize>row * <usize>f * 4;
  for (let a = 0; a < f; a++) store<f32>(o + <usize>a * 4, <f32>load<f64>(b2 + <usize>a * 16 + lane));
  if (outBias) store<f32>(outBias + <usize>row * 4, aug ? <f32>load<f64>(b2 + <usize>f * 16 + lane) : 0);
}

// A lone last system (held in lane 0 of the interleaved pair, row `row`): lane 1 repeats it
// (a well-posed copy whose answer is dropped), the pair is solved and lane 0 stored. The
// end of both paired row solvers (als_rows' exact rows and explicitRowsF32).
function solveLone(H: usize, b2: usize, inv: usize, n: i32, row: i32, f: i32, aug: bool, out: usize, outBias: usize): void {
  for (let k = 0; k < n * n; k++) {
    const e = H + <usize>k * 16;
    store<f64>(e + 8, load<f64>(e));
  }
  for (let a = 0; a < n; a++) store<f64>(b2 + <usize>a * 16 + 8, load<f64>(b2 + <usize>a * 16));
  solvePair(H, b2, inv, n);
  storeLane(b2, 0, row, f, aug, out, outBias);
}

// Two SPD systems at once, one per f64x2 lane (H: lower triangles, row-major n x n of lane
// pairs, overwritten by the Cholesky factors; b2 by the solutions; inv: n lane pairs of
// scratch). The arithmetic of choleskySolveInPlace in src/kernels/small-spd-solve.ts (dpotf2's Cholesky-Banachiewicz order, the
// same 1e-12 * max-diagonal floor for a non-positive pivot, per lane) but every operation is
// a full-width vector one: the scalar Cholesky of one system runs short dot products whose
// set-up and horizontal sums cost as much as their multiply-adds at n ~ 50, which made the
// factorizations (n^3 / 6 each, one per item even for an item with one rating) most of an
// explicit ALS sweep over a catalogue of rarely rated items. Rows are factored two at a time
// (i, i+1), so each loaded L[j][k] serves two multiply-adds.
function solvePair(H: usize, b2: usize, inv: usize, n: i32): void {
  const rs = <usize>n * 16;
  let maxDiag = f64x2.splat(0);
  for (let i = 0; i < n; i++) maxDiag = f64x2.max(maxDiag, v128.load(H + <usize>i * (rs + 16)));
  const zero = f64x2.splat(0);
  const floor = f64x2.mul(v128.bitselect(maxDiag, f64x2.splat(1), f64x2.gt(maxDiag, zero)), f64x2.splat(1e-12));
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const ri = H + <usize>i * rs;
    const ri1 = ri + rs;
    let sq0 = zero;
    let sq1 = zero;
    let cross = zero;
    let j = 0;
    // Columns j, j+1 of rows i, i+1 together: four independent multiply-add chains (a single
    // chain waits on the FMA latency) and four loads per four multiply-adds.
    for (; j + 2 <= i; j += 2) {
      const rj = H + <usize>j * rs;
      const rj1 = rj + rs;
      let a00 = zero;
      let a01 = zero;
      let a10 = zero;
      let a11 = zero;
      for (let k = 0; k < j; k++) {
        const ok = <usize>k * 16;
        const x0 = v128.load(ri + ok);
        const x1 = v128.load(ri1 + ok);
        const l0 = v128.load(rj + ok);
        const l1 = v128.load(rj1 + ok);
        a00 = vmadd<f64>(x0, l0, a00);
        a01 = vmadd<f64>(x0, l1, a01);
        a10 = vmadd<f64>(x1, l0, a10);
        a11 = vmadd<f64>(x1, l1, a11);
      }
      const oj = <usize>j * 16;
      const oj1 = oj + 16;
      const iv = v128.load(inv + oj);
      const iv1 = v128.load(inv + oj1);
      const ljj1 = v128.load(rj1 + oj);
      const l00 = f64x2.mul(f64x2.sub(v128.load(ri + oj), a00), iv);
      const l10 = f64x2.mul(f64x2.sub(v128.load(ri1 + oj), a10), iv);
      const l01 = f64x2.mul(f64x2.sub(v128.load(ri + oj1), vmadd<f64>(l00, ljj1, a01)), iv1);
      const l11 = f64x2.mul(f64x2.sub(v128.load(ri1 + oj1), vmadd<f64>(l10, ljj1, a11)), iv1);
      v128.store(ri + oj, l00);
      v128.store(ri1 + oj, l10);
      v128.store(ri + oj1, l01);
      v128.store(ri1 + oj1, l11);
      sq0 = vmadd<f64>(l01, l01, vmadd<f64>(l00, l00, sq0));
      sq1 = vmadd<f64>(l11, l11, vmadd<f64>(l10, l10, sq1));
      cross = vmadd<f64>(l01, l11, vmadd<f64>(l00, l10, cross));
    }
    for (; j < i; j++) {
      const rj = H + <usize>j * rs;
      let a0 = zero;
      let a1 = zero;
      for (let k = 0; k < j; k++) {
        const ok = <usize>k * 16;
        const l = v128.load(rj + ok);
        a0 = vmadd<f64>(v128.load(ri + ok), l, a0);
        a1 = vmadd<f64>(v128.load(ri1 + ok), l, a1);
      }
      const oj = <usize>j * 16;
      const iv = v128.load(inv + oj);
      const l0 = f64x2.mul(f64x2.sub(v128.load(ri + oj), a0), iv);
      const l1 = f64x2.mul(f64x2.sub(v128.load(ri1 + oj), a1), iv);
      v128.store(ri + oj, l0);
      v128.store(ri1 + oj, l1);
      sq0 = vmadd<f64>(l0, l0, sq0);
      sq1 = vmadd<f64>(l1, l1, sq1);
      cross = vmadd<f64>(l0, l1, cross);
    }
    const oi = <usize>i * 16;
    let d = f64x2.sub(v128.load(ri + oi), sq0);
    d = v128.bitselect(d, floor, f64x2.gt(d, floor));
    const lii = f64x2.sqrt(d);
    v128.store(ri + oi, lii);
    const iv = f64x2.div(f64x2.splat(1), lii);
    v128.store(inv + oi, iv);
    const l10 = f64x2.mul(f64x2.sub(v128.load(ri1 + oi), cross), iv);
    v128.store(ri1 + oi, l10);
    sq1 = vmadd<f64>(l10, l10, sq1);
    const oi1 = oi + 16;
    let d1 = f64x2.sub(v128.load(ri1 + oi1), sq1);
    d1 = v128.bitselect(d1, floor, f64x2.gt(d1, floor));
    const l11 = f64x2.sqrt(d1);
    v128.store(ri1 + oi1, l11);
    v128.store(inv + oi1, f64x2.div(f64x2.splat(1), l11));
  }
  if (i < n) {
    const ri = H + <usize>i * rs;
    let sq0 = zero;
    for (let j = 0; j < i; j++) {
      const rj = H + <usize>j * rs;
      let a0 = zero;
      for (let k = 0; k < j; k++) {
        const ok = <usize>k * 16;
        a0 = vmadd<f64>(v128.load(ri + ok), v128.load(rj + ok), a0);
      }
      const oj = <usize>j * 16;
      const l0 = f64x2.mul(f64x2.sub(v128.load(ri + oj), a0), v128.load(inv + oj));
      v128.store(ri + oj, l0);
      sq0 = vmadd<f64>(l0, l0, sq0);
    }
    const oi = <usize>i * 16;
    let d = f64x2.sub(v128.load(ri + oi), sq0);
    d = v128.bitselect(d, floor, f64x2.gt(d, floor));
    const lii = f64x2.sqrt(d);
    v128.store(ri + oi, lii);
    v128.store(inv + oi, f64x2.div(f64x2.splat(1), lii));
  }
  // L y = b, then L^T x = y.
  for (let r = 0; r < n; r++) {
    const rr = H + <usize>r * rs;
    let s0 = zero;
    let s1 = zero;
    let k = 0;
    for (; k + 2 <= r; k += 2) {
      const ok = <usize>k * 16;
      s0 = vmadd<f64>(v128.load(rr + ok), v128.load(b2 + ok), s0);
      s1 = vmadd<f64>(v128.load(rr + ok + 16), v128.load(b2 + ok + 16), s1);
    }
    if (k < r) s0 = vmadd<f64>(v128.load(rr + <usize>k * 16), v128.load(b2 + <usize>k * 16), s0);
    const s = f64x2.sub(v128.load(b2 + <usize>r * 16), f64x2.add(s0, s1));
    v128.store(b2 + <usize>r * 16, f64x2.div(s, v128.load(rr + <usize>r * 16)));
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = v128.load(b2 + <usize>r * 16);
    for (let k = r + 1; k < n; k++) s = f64x2.sub(s, f64x2.mul(v128.load(H + <usize>k * rs + <usize>r * 16), v128.load(b2 + <usize>k * 16)));
    v128.store(b2 + <usize>r * 16, f64x2.div(s, v128.load(H + <usize>r * (rs + 16))));
  }
}

/**
 * Task t of a parallel half-step (als_parallel in pool.ts) described by the AlsParams block at
 * `prm`, on scratch slot `slot`: rows [t * chunk, min(rows, (t + 1) * chunk)). Rows are
 * independent, so the result does not depend on which thread ran which task.
 */
export function alsTask(prm: usize, t: i32, slot: i32): void {
  const rows = AlsParams.rows(prm);
  const chunk = AlsParams.chunk(prm);
  const r0 = t * chunk;
  const r1 = min(rows, r0 + chunk);
  if (r0 >= r1) return;
  als_rows(
    r0, r1, AlsParams.indptr(prm), AlsParams.indices(prm), AlsParams.values(prm),
    AlsParams.fixed(prm), AlsParams.fixedBias(prm), AlsParams.f(prm), AlsParams.n(prm),
    AlsParams.mu(prm), AlsParams.reg(prm), AlsParams.alpha(prm), AlsParams.mode(prm), AlsParams.base(prm),
    AlsParams.out(prm), AlsParams.outBias(prm),
    AlsParams.work(prm) + <usize>slot * <usize>AlsParams.workStride(prm), AlsParams.cgSteps(prm),
  );
}
