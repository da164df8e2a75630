// One coordinate-descent (HALS) sweep of NMF over the k columns of W (Cichocki & Phan 2009;
// scikit-learn's _update_cdnmf_fast), f64, SIMD over pairs of rows. The TypeScript fallback
// is halsSweepJs in src/kernels/nmf.ts; see src/models/nmf/cd.ts for the math.
//
// Column t's update of row i reads only row i of W (and G, R), so the k column updates of a
// row can run back to back: the sweep walks blocks of rows and keeps a block's k entries of
// W in scratch (L1) through all k columns. W and R are then read once per sweep instead of
// k times, and the O(k^2) multiply-adds per row run from registers and L1. The arithmetic
// per entry is the column-by-column sweep's, in the same column order.
import { vmadd } from './simd';

// Element (i, c) of W and R is at base + i * rs + c * cs bytes: column-major (rs = 8) for
// dense data, row-major (cs = 8) for sparse data (whose products are row-major).

@inline function loadRows(p: usize, rs: usize): v128 {
  if (rs == 8) return v128.load(p);
  return v128.load64_lane(p + rs, v128.load64_zero(p), 1);
}

@inline function storeRows(p: usize, rs: usize, v: v128): void {
  if (rs == 8) {
    v128.store(p, v);
  } else {
    v128.store64_lane(p, v, 0);
    v128.store64_lane(p + rs, v, 1);
  }
}

// Projected gradient (at a zero entry only a descent direction into w > 0 counts), as |.|.
@inline function projected(w: v128, grad: v128): v128 {
  return f64x2.abs(v128.bitselect(f64x2.pmin(grad, f64x2.splat(0)), grad, f64x2.eq(w, f64x2.splat(0))));
}

// Per column t of a block: the k-term dot product of each row pair with G[:, t] runs as
// two partial sums (even and odd terms) and the block holds four pairs, so eight
// independent FMA chains hide the multiply-add latency, and each splat of G serves all
// four pairs. The updates of column t must wait for all of them (the next column reads
// the new W[:, t]), so fewer rows per block leave the sweep latency-bound.
//
// The four pairs of a column sit side by side (64 bytes), so one pointer with constant
// offsets reaches them all: in W itself when it is column-major, else in scratch
// (at scratch + 64 c).

// Update W[pair, t] (16 bytes at `o`) from its gradient; returns |projected gradient|.
@inline function pairUpdate(o: usize, grad: v128, vinv: v128): v128 {
  const x = v128.load(o);
  v128.store(o, f64x2.pmax(f64x2.splat(0), f64x2.sub(x, f64x2.mul(grad, vinv))));
  return projected(x, grad);
}

/**
 * W (m x k) updated in place, column order[s] for s = 0..k-1, rows i0..i1-1:
 *   grad = W[i, :] G[:, t] + l2 W[i, t] - R[i, t] + l1,
 *   violation += |projected grad|,  W[i, t] = max(W[i, t] - grad / (G[t, t] + l2), 0)
 * (no update where G[t, t] + l2 = 0). G is k x k column-major symmetric (without l2), R is
 * m x k in W's layout (rs, cs: byte strides of a row and a column), `order` k i32.
 * `scratch`: 72 k bytes, 16-byte aligned. Returns the violation of these rows.
 */
export function nmf_cd_sweep(w: usize, r: usize, rs: i32, cs: i32, i0: i32, i1: i32, k: i32, g: usize, order: usize, scratch: usize, l1: f64, l2: f64): f64 {
  const rsb = <usize>rs;
  const csb = <usize>cs;
  const sc = scratch;
  const inv = scratch + (<usize>k << 6);
  for (let t = 0; t < k; t++) {
    const hess = load<f64>(g + ((<usize>t * <usize>k + <usize>t) << 3)) + l2;
    // One division per column: an update w - grad * (1 / hess). With hess = 0 the factor 0
    // leaves w unchanged (w >= 0), as scikit-learn skips the update.
    store<f64>(inv + (<usize>t << 3), hess != 0 ? 1 / hess : 0);
  }
  const vl1 = f64x2.splat(l1);
  const vl2 = f64x2.splat(l2);
  const kEven = k & ~1;
  let violation = f64x2.splat(0);
  let i = i0;
  // Blocks of eight rows (four pairs). Column-major W is updated in place (its row pairs
  // are contiguous); row-major W is gathered into scratch and written back.
  const inPlace = rsb == 8;
  const cstr: usize = inPlace ? csb : 64;
  for (; i + 8 <= i1; i += 8) {
    const wb = w + <usize>i * rsb;
    const rb = r + <usize>i * rsb;
    const r2 = rsb << 1;
    const sp = inPlace ? wb : sc;
    if (!inPlace) {
      for (let c = 0; c < k; c++) {
        const p = wb + <usize>c * csb;
        const o = sc + (<usize>c << 6);
        v128.store(o, loadRows(p, rsb));
        v128.store(o, loadRows(p + r2, rsb), 16);
        v128.store(o, loadRows(p + 2 * r2, rsb), 32);
        v128.store(o, loadRows(p + 3 * r2, rsb), 48);
      }
    }
    for (let s = 0; s < k; s++) {
      const t = load<i32>(order + (<usize>s << 2));
      const gt = g + ((<usize>t * <usize>k) << 3);
      const rt = rb + <usize>t * csb;
      let a0 = f64x2.sub(vl1, loadRows(rt, rsb));
      let b0 = f64x2.sub(vl1, loadRows(rt + r2, rsb));
      let c0 = f64x2.sub(vl1, loadRows(rt + 2 * r2, rsb));
      let d0 = f64x2.sub(vl1, loadRows(rt + 3 * r2, rsb));
      let a1 = f64x2.splat(0);
      let b1 = f64x2.splat(0);
      let c1 = f64x2.splat(0);
      let d1 = f64x2.splat(0);
      let pg = gt;
      let ps = sp;
      const pe = gt + (<usize>kEven << 3);
      for (; pg < pe; pg += 16) {
        const g0 = v128.load64_splat(pg);
        a0 = vmadd<f64>(g0, v128.load(ps), a0);
        b0 = vmadd<f64>(g0, v128.load(ps, 16), b0);
        c0 = vmadd<f64>(g0, v128.load(ps, 32), c0);
        d0 = vmadd<f64>(g0, v128.load(ps, 48), d0);
        ps += cstr;
        const g1 = v128.load64_splat(pg, 8);
        a1 = vmadd<f64>(g1, v128.load(ps), a1);
        b1 = vmadd<f64>(g1, v128.load(ps, 16), b1);
        c1 = vmadd<f64>(g1, v128.load(ps, 32), c1);
        d1 = vmadd<f64>(g1, v128.load(ps, 48), d1);
        ps += cstr;
      }
      if (kEven < k) {
        const g0 = v128.load64_splat(pg);
        a0 = vmadd<f64>(g0, v128.load(ps), a0);
        b0 = vmadd<f64>(g0, v128.load(ps, 16), b0);
        c0 = vmadd<f64>(g0, v128.load(ps, 32), c0);
        d0 = vmadd<f64>(g0, v128.load(ps, 48), d0);
      }
      const o = sp + <usize>t * cstr;
      const ga = vmadd<f64>(vl2, v128.load(o), f64x2.add(a0, a1));
      const gb = vmadd<f64>(vl2, v128.load(o, 16), f64x2.add(b0, b1));
      const gc = vmadd<f64>(vl2, v128.load(o, 32), f64x2.add(c0, c1));
      const gd = vmadd<f64>(vl2, v128.load(o, 48), f64x2.add(d0, d1));
      const vinv = v128.load64_splat(inv + (<usize>t << 3));
      const v01 = f64x2.add(pairUpdate(o, ga, vinv), pairUpdate(o + 16, gb, vinv));
      const v23 = f64x2.add(pairUpdate(o + 32, gc, vinv), pairUpdate(o + 48, gd, vinv));
      violation = f64x2.add(violation, f64x2.add(v01, v23));
    }
    if (!inPlace) {
      for (let c = 0; c < k; c++) {
        const p = wb + <usize>c * csb;
        const o = sc + (<usize>c << 6);
        storeRows(p, rsb, v128.load(o));
        storeRows(p + r2, rsb, v128.load(o, 16));
        storeRows(p + 2 * r2, rsb, v128.load(o, 32));
        storeRows(p + 3 * r2, rsb, v128.load(o, 48));
      }
    }
  }
  // Pairs, then a last single row (both lanes on that row: stride 0, lane 0 counted); the
  // pair's values sit at the first 16 bytes of each column's scratch slot.
  for (; i < i1; i += 2) {
    const single = i + 1 == i1;
    const step: usize = single ? 0 : rsb;
    const wa = w + <usize>i * rsb;
    const ra = r + <usize>i * rsb;
    for (let c = 0; c < k; c++) v128.store(sc + (<usize>c << 6), loadRows(wa + <usize>c * csb, step));
    let v = f64x2.splat(0);
    for (let s = 0; s < k; s++) {
      const t = load<i32>(order + (<usize>s << 2));
      const gt = g + ((<usize>t * <usize>k) << 3);
      let a0 = f64x2.sub(vl1, loadRows(ra + <usize>t * csb, step));
      for (let c = 0; c < k; c++) a0 = vmadd<f64>(v128.load64_splat(gt + (<usize>c << 3)), v128.load(sc + (<usize>c << 6)), a0);
      const o = sc + (<usize>t << 6);
      const grad = vmadd<f64>(vl2, v128.load(o), a0);
      v = f64x2.add(v, pairUpdate(o, grad, v128.load64_splat(inv + (<usize>t << 3))));
    }
    for (let c = 0; c < k; c++) storeRows(wa + <usize>c * csb, step, v128.load(sc + (<usize>c << 6)));
    violation = f64x2.add(violation, single ? f64x2.replace_lane(v, 1, 0) : v);
  }
  return f64x2.extract_lane(violation, 0) + f64x2.extract_lane(violation, 1);
}

/**
 * The multiplicative update of a factor A (n values) for the Frobenius loss (Lee & Seung
 * 2001; scikit-learn's _multiplicative_update_w / _h with gamma = 1):
 *   d = den + l1 + l2 A (a zero d replaced by `eps`),  A <- A * (num / d).
 */
export function nmf_mu_ratio(a: usize, num: usize, den: usize, n: i32, l1: f64, l2: f64, eps: f64): void {
  const vl1 = f64x2.splat(l1);
  const vl2 = f64x2.splat(l2);
  const veps = f64x2.splat(eps);
  const zero = f64x2.splat(0);
  const n2 = n & ~1;
  let o: usize = 0;
  const end = <usize>n2 << 3;
  for (; o < end; o += 16) {
    const x = v128.load(a + o);
    // (den + l1) + l2 x, the order of the scalar loop; FMA would round differently.
    let d = f64x2.add(f64x2.add(v128.load(den + o), vl1), f64x2.mul(vl2, x));
    d = v128.bitselect(veps, d, f64x2.eq(d, zero));
    v128.store(a + o, f64x2.mul(x, f64x2.div(v128.load(num + o), d)));
  }
  if (n2 < n) {
    const x = load<f64>(a + o);
    let d = load<f64>(den + o) + l1 + l2 * x;
    if (d == 0) d = eps;
    store<f64>(a + o, x * (load<f64>(num + o) / d));
  }
}

// One 4 x 4 tile of G = F^T F for row-major F: rows a0.. (wa of them) by columns b0..
// (wb), accumulated over all rows of F. Per row: the tile's 4 values of F[r, b0..] as two
// vectors (contiguous) and 4 splats of F[r, a0..]: 8 multiply-adds per 6 loads, as the
// gemm micro-kernel. Reads stay inside each row: a short b block loads fewer lanes and a
// short a block repeats its last index (computed, not stored).
function gramTile(f: usize, rows: i32, k: i32, a0: i32, wa: i32, b0: i32, wb: i32, g: usize): void {
  const rowBytes = <usize>k << 3;
  const oa0 = <usize>a0 << 3;
  const oa1 = <usize>(a0 + min(1, wa - 1)) << 3;
  const oa2 = <usize>(a0 + min(2, wa - 1)) << 3;
  const oa3 = <usize>(a0 + min(3, wa - 1)) << 3;
  const ob = <usize>b0 << 3;
  let c00 = f64x2.splat(0);
  let c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0);
  let c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0);
  let c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0);
  let c31 = f64x2.splat(0);
  let p = f;
  const end = f + <usize>rows * rowBytes;
  for (; p < end; p += rowBytes) {
    const q = p + ob;
    const x0 = wb >= 2 ? v128.load(q) : v128.load64_zero(q);
    const x1 = wb == 4 ? v128.load(q, 16) : wb == 3 ? v128.load64_zero(q, 16) : f64x2.splat(0);
    let s = v128.load64_splat(p + oa0);
    c00 = vmadd<f64>(s, x0, c00);
    c01 = vmadd<f64>(s, x1, c01);
    s = v128.load64_splat(p + oa1);
    c10 = vmadd<f64>(s, x0, c10);
    c11 = vmadd<f64>(s, x1, c11);
    s = v128.load64_splat(p + oa2);
    c20 = vmadd<f64>(s, x0, c20);
    c21 = vmadd<f64>(s, x1, c21);
    s = v128.load64_splat(p + oa3);
    c30 = vmadd<f64>(s, x0, c30);
    c31 = vmadd<f64>(s, x1, c31);
  }
  storeTileRow(g, k, a0, b0, wb, c00, c01);
  if (wa > 1) storeTileRow(g, k, a0 + 1, b0, wb, c10, c11);
  if (wa > 2) storeTileRow(g, k, a0 + 2, b0, wb, c20, c21);
  if (wa > 3) storeTileRow(g, k, a0 + 3, b0, wb, c30, c31);
}

// G[a, b0 + j] and G[b0 + j, a] for j < wb from the two lane pairs of one tile row.
@inline function storeTileRow(g: usize, k: i32, a: i32, b0: i32, wb: i32, lo: v128, hi: v128): void {
  for (let j = 0; j < wb; j++) {
    const v = j == 0 ? f64x2.extract_lane(lo, 0) : j == 1 ? f64x2.extract_lane(lo, 1) : j == 2 ? f64x2.extract_lane(hi, 0) : f64x2.extract_lane(hi, 1);
    const b = b0 + j;
    store<f64>(g + ((<usize>a + <usize>b * <usize>k) << 3), v);
    store<f64>(g + ((<usize>b + <usize>a * <usize>k) << 3), v);
  }
}

/**
 * G := F^T F (k x k column-major, both triangles) for a row-major F (rows x k): the Gram
 * matrix of NMF's factors on sparse data, where F^T F is the "A A^T" form of the
 * column-major k x rows matrix F^T, whose rows are strided. 4 x 4 tiles on and above the
 * diagonal, each streaming F once with its accumulators in registers.
 */
export function nmf_gram_rows(f: usize, rows: i32, k: i32, g: usize): void {
  for (let a0 = 0; a0 < k; a0 += 4) {
    for (let b0 = a0; b0 < k; b0 += 4) gramTile(f, rows, k, a0, min(4, k - a0), b0, min(4, k - b0), g);
  }
}
