// SGD kernels (src/kernels/sgd.ts, assembly/sgd.ts): the WASM builds against the TypeScript
// twin (bit for bit on the baseline SIMD build, f32 rounding on the FMA build), both against a
// literal f64 transcription of Surprise's updates, and parallel blocks against sequential ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocSgdBuffers, funkSgd, releaseSgdBuffers, svdppSgd, type FunkStep, type SgdBuffers, type SvdppStep } from '../../../../src/kernels/sgd.js';
import { BACKEND_NAMES, rng, withBackend } from '../../../helpers.js';

interface Problem {
  nUsers: number;
  nItems: number;
  users: Int32Array;
  items: Int32Array;
  values: Float32Array;
  P0: Float32Array; // nUsers x f
  Q0: Float32Array;
  Y0: Float32Array;
  f: number;
}

// Random ratings; with `distinct`, no (user, item) pair twice (SVD++ treats N(u) as a set).
function problem(seed: number, nUsers: number, nItems: number, n: number, f: number, distinct = false): Problem {
  const r = rng(seed);
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const values = new Float32Array(n);
  const seen = new Set<number>();
  for (let k = 0; k < n; k++) {
    do {
      users[k] = r.nextInt(nUsers);
      items[k] = r.nextInt(nItems);
    } while (distinct && seen.has(users[k]! * nItems + items[k]!));
    seen.add(users[k]! * nItems + items[k]!);
    values[k] = 1 + r.nextInt(5);
  }
  const normal = (m: number): Float32Array => Float32Array.from({ length: m }, () => 0.1 * r.nextNormal());
  return { nUsers, nItems, users, items, values, f, P0: normal(nUsers * f), Q0: normal(nItems * f), Y0: normal(nItems * f) };
}

function pad(dst: Float32Array, src: Float32Array, rows: number, f: number, ld: number): void {
  for (let u = 0; u < rows; u++) dst.set(src.subarray(u * f, (u + 1) * f), u * ld);
}

interface Out {
  P: Float32Array;
  Q: Float32Array;
  Y?: Float32Array;
  bu: Float32Array;
  bi: Float32Array;
  sse: number[];
}

function snapshot(b: SgdBuffers, sse: number[]): Out {
  return { P: b.P.slice(), Q: b.Q.slice(), ...(b.Y ? { Y: b.Y.slice() } : {}), bu: b.bu.slice(), bi: b.bi.slice(), sse };
}

const funkStep: FunkStep = { mu: 3.1, lr: 0.01, reg: 0.05, lrBias: 0.02, regBias: 0.03, biased: true };

function runFunk(p: Problem, epochs: number, step = funkStep): Out {
  const b = allocSgdBuffers({ nUsers: p.nUsers, nItems: p.nItems, nRatings: p.users.length, factors: p.f });
  try {
    b.users.set(p.users);
    b.items.set(p.items);
    b.values.set(p.values);
    pad(b.P, p.P0, p.nUsers, p.f, b.ld);
    pad(b.Q, p.Q0, p.nItems, p.f, b.ld);
    b.tasks[0] = 0;
    b.tasks[1] = p.users.length;
    const sse: number[] = [];
    for (let e = 0; e < epochs; e++) sse.push(funkSgd(b, step, 1));
    return snapshot(b, sse);
  } finally {
    releaseSgdBuffers(b);
  }
}

const ppStep: SvdppStep = { mu: 3.1, lr: 0.01, reg: 0.05, lrBias: 0.02, regBias: 0.03, biased: true, lrY: 0.015, regY: 0.04 };

// Ratings grouped by user (CSR), users visited in a fixed shuffled order.
function runSvdpp(p: Problem, epochs: number): Out {
  const n = p.users.length;
  const b = allocSgdBuffers({ nUsers: p.nUsers, nItems: p.nItems, nRatings: n, factors: p.f, svdpp: true });
  try {
    const indptr = b.indptr!;
    for (let k = 0; k < n; k++) indptr[p.users[k]! + 1]!++;
    for (let u = 0; u < p.nUsers; u++) indptr[u + 1] = indptr[u + 1]! + indptr[u]!;
    const next = indptr.slice(0, p.nUsers);
    for (let k = 0; k < n; k++) {
      const at = next[p.users[k]!]!++;
      b.users[at] = p.users[k]!;
      b.items[at] = p.items[k]!;
      b.values[at] = p.values[k]!;
    }
    const r = rng(99);
    for (let u = 0; u < p.nUsers; u++) b.order![u] = u;
    for (let u = p.nUsers - 1; u > 0; u--) {
      const j = r.nextInt(u + 1);
      [b.order![u], b.order![j]] = [b.order![j]!, b.order![u]!];
    }
    pad(b.P, p.P0, p.nUsers, p.f, b.ld);
    pad(b.Q, p.Q0, p.nItems, p.f, b.ld);
    pad(b.Y!, p.Y0, p.nItems, p.f, b.ld);
    const sse: number[] = [];
    for (let e = 0; e < epochs; e++) sse.push(svdppSgd(b, ppStep, p.nUsers));
    const out = snapshot(b, sse);
    return { ...out, P: unpadded(out.P, p.nUsers, p.f, b.ld), Q: unpadded(out.Q, p.nItems, p.f, b.ld), Y: unpadded(out.Y!, p.nItems, p.f, b.ld) };
  } finally {
    releaseSgdBuffers(b);
  }
}

function unpadded(a: Float32Array, rows: number, f: number, ld: number): Float32Array {
  const o = new Float32Array(rows * f);
  for (let u = 0; u < rows; u++) o.set(a.subarray(u * ld, u * ld + f), u * f);
  return o;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

// Surprise's SVD.sgd, transcribed in f64 (explicit loops over factors, per rating).
function surpriseFunk(p: Problem, epochs: number, s: FunkStep): { P: Float64Array; Q: Float64Array; bu: Float64Array; bi: Float64Array } {
  const f = p.f;
  const P = Float64Array.from(p.P0);
  const Q = Float64Array.from(p.Q0);
  const bu = new Float64Array(p.nUsers);
  const bi = new Float64Array(p.nItems);
  for (let e = 0; e < epochs; e++) {
    for (let k = 0; k < p.users.length; k++) {
      const u = p.users[k]!;
      const i = p.items[k]!;
      let dot = 0;
      for (let c = 0; c < f; c++) dot += P[u * f + c]! * Q[i * f + c]!;
      const err = p.values[k]! - (s.mu + bu[u]! + bi[i]! + dot);
      bu[u] = bu[u]! + s.lrBias * (err - s.regBias * bu[u]!);
      bi[i] = bi[i]! + s.lrBias * (err - s.regBias * bi[i]!);
      for (let c = 0; c < f; c++) {
        const pf = P[u * f + c]!;
        const qf = Q[i * f + c]!;
        P[u * f + c] = pf + s.lr * (err * qf - s.reg * pf);
        Q[i * f + c] = qf + s.lr * (err * pf - s.reg * qf);
      }
    }
  }
  return { P, Q, bu, bi };
}

// Surprise's SVDpp.sgd, transcribed in f64: y_j of every rated item updated after each rating.
function surpriseSvdpp(p: Problem, epochs: number, s: SvdppStep, userOrder: Int32Array, byUser: { indptr: Int32Array; items: Int32Array; values: Float32Array }) {
  const f = p.f;
  const P = Float64Array.from(p.P0);
  const Q = Float64Array.from(p.Q0);
  const Y = Float64Array.from(p.Y0);
  const bu = new Float64Array(p.nUsers);
  const bi = new Float64Array(p.nItems);
  const z = new Float64Array(f);
  for (let e = 0; e < epochs; e++) {
    for (const u of userOrder) {
      const st = byUser.indptr[u]!;
      const en = byUser.indptr[u + 1]!;
      const sq = Math.sqrt(en - st);
      for (let r = st; r < en; r++) {
        const i = byUser.items[r]!;
        z.fill(0);
        for (let t = st; t < en; t++) for (let c = 0; c < f; c++) z[c] = z[c]! + Y[byUser.items[t]! * f + c]! / sq;
        let dot = 0;
        for (let c = 0; c < f; c++) dot += Q[i * f + c]! * (P[u * f + c]! + z[c]!);
        const err = byUser.values[r]! - (s.mu + bu[u]! + bi[i]! + dot);
        bu[u] = bu[u]! + s.lrBias * (err - s.regBias * bu[u]!);
        bi[i] = bi[i]! + s.lrBias * (err - s.regBias * bi[i]!);
        for (let c = 0; c < f; c++) {
          const pf = P[u * f + c]!;
          const qf = Q[i * f + c]!;
          P[u * f + c] = pf + s.lr * (err * qf - s.reg * pf);
          Q[i * f + c] = qf + s.lr * (err * (pf + z[c]!) - s.reg * qf);
          for (let t = st; t < en; t++) {
            const j = byUser.items[t]! * f + c;
            Y[j] = Y[j]! + s.lrY * (err * qf / sq - s.regY * Y[j]!);
          }
        }
      }
    }
  }
  return { P, Q, Y, bu, bi };
}

test('FunkSVD kernel: WASM SIMD equals the TypeScript twin bit for bit; the FMA build to f32 rounding', () => {
  for (const f of [100, 7, 0]) {
    const p = problem(1, 30, 20, 400, f);
    const js = withBackend('js', () => runFunk(p, 3));
    for (const be of BACKEND_NAMES.filter((b) => b !== 'js')) {
      const w = withBackend(be, () => runFunk(p, 3));
      if (be === 'wasm') {
        assert.deepEqual(w.P, js.P, `P f=${f}`);
        assert.deepEqual(w.Q, js.Q);
        assert.deepEqual(w.bu, js.bu);
        assert.deepEqual(w.bi, js.bi);
        assert.deepEqual(w.sse, js.sse);
      } else {
        assert.ok(maxDiff(w.P, js.P) < 1e-5, `${be} P f=${f}: ${maxDiff(w.P, js.P)}`);
        assert.ok(maxDiff(w.Q, js.Q) < 1e-5);
        assert.ok(maxDiff(w.bu, js.bu) < 1e-5);
        assert.ok(Math.abs(w.sse[2]! - js.sse[2]!) < 1e-6 * js.sse[2]!);
      }
      // Padding lanes of f = 7 rows stay zero.
      if (f === 7) for (let u = 0; u < p.nUsers; u++) assert.equal(w.P[u * 8 + 7], 0);
    }
  }
});

test('FunkSVD kernel follows Surprise SVD update (f64 transcription) to f32 accuracy', () => {
  const p = problem(2, 25, 15, 300, 12);
  const ref = surpriseFunk(p, 4, funkStep);
  for (const be of BACKEND_NAMES) {
    const out = withBackend(be, () => runFunk(p, 4));
    assert.ok(maxDiff(unpadded(out.P, p.nUsers, p.f, 12), ref.P) < 2e-5, `${be} P ${maxDiff(unpadded(out.P, p.nUsers, p.f, 12), ref.P)}`);
    assert.ok(maxDiff(unpadded(out.Q, p.nItems, p.f, 12), ref.Q) < 2e-5);
    assert.ok(maxDiff(out.bu, ref.bu) < 2e-5);
    assert.ok(maxDiff(out.bi, ref.bi) < 2e-5);
  }
});

test('unbiased FunkSVD leaves the biases at zero', () => {
  const p = problem(3, 10, 10, 100, 4);
  for (const be of BACKEND_NAMES) {
    const out = withBackend(be, () => runFunk(p, 2, { ...funkStep, mu: 0, biased: false }));
    assert.ok(out.bu.every((x) => x === 0) && out.bi.every((x) => x === 0));
    assert.ok(out.sse[1]! < out.sse[0]!);
  }
});

test('SVD++ kernel: O(f)-per-rating update equals Surprise SVDpp per-rating y_j updates; backends agree', () => {
  const p = problem(4, 12, 10, 90, 8, true);
  const js = withBackend('js', () => runSvdpp(p, 3));
  // Reference over the same per-user order and CSR layout.
  const n = p.users.length;
  const indptr = new Int32Array(p.nUsers + 1);
  for (let k = 0; k < n; k++) indptr[p.users[k]! + 1]!++;
  for (let u = 0; u < p.nUsers; u++) indptr[u + 1] = indptr[u + 1]! + indptr[u]!;
  const next = indptr.slice(0, p.nUsers);
  const items = new Int32Array(n);
  const values = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const at = next[p.users[k]!]!++;
    items[at] = p.items[k]!;
    values[at] = p.values[k]!;
  }
  const order = Int32Array.from({ length: p.nUsers }, (_, u) => u);
  const r = rng(99);
  for (let u = p.nUsers - 1; u > 0; u--) {
    const j = r.nextInt(u + 1);
    [order[u], order[j]] = [order[j]!, order[u]!];
  }
  const ref = surpriseSvdpp(p, 3, ppStep, order, { indptr, items, values });
  assert.ok(maxDiff(js.P, ref.P) < 5e-5, `P ${maxDiff(js.P, ref.P)}`);
  assert.ok(maxDiff(js.Q, ref.Q) < 5e-5, `Q ${maxDiff(js.Q, ref.Q)}`);
  assert.ok(maxDiff(js.Y!, ref.Y) < 5e-5, `Y ${maxDiff(js.Y!, ref.Y)}`);
  assert.ok(maxDiff(js.bu, ref.bu) < 5e-5);
  for (const be of BACKEND_NAMES.filter((b) => b !== 'js')) {
    const w = withBackend(be, () => runSvdpp(p, 3));
    if (be === 'wasm') {
      assert.deepEqual(w.P, js.P);
      assert.deepEqual(w.Q, js.Q);
      assert.deepEqual(w.Y, js.Y);
      assert.deepEqual(w.sse, js.sse);
    } else {
      assert.ok(maxDiff(w.Y!, js.Y!) < 1e-5 && maxDiff(w.P, js.P) < 1e-5);
    }
  }
});

test('parallel SGD blocks give the same result as running the same blocks in order', () => {
  // Users 0..9 / items 0..9 in group 0, 10..19 in group 1: blocks (0,0),(1,1) then (0,1),(1,0).
  const p = problem(5, 20, 20, 2000, 16);
  const grp = (x: number): number => (x < 10 ? 0 : 1);
  const blocks: number[][] = [[], [], [], []];
  for (let k = 0; k < p.users.length; k++) blocks[grp(p.users[k]!) * 2 + grp(p.items[k]!)]!.push(k);
  const flat = blocks.flat();
  const starts = [0];
  for (const b of blocks) starts.push(starts[starts.length - 1]! + b.length);
  const run = (threads: number): Out => {
    const b = allocSgdBuffers({ nUsers: 20, nItems: 20, nRatings: flat.length, factors: 16, maxTasks: 2 });
    try {
      flat.forEach((k, at) => {
        b.users[at] = p.users[k]!;
        b.items[at] = p.items[k]!;
        b.values[at] = p.values[k]!;
      });
      pad(b.P, p.P0, 20, 16, 16);
      pad(b.Q, p.Q0, 20, 16, 16);
      const sse: number[] = [];
      for (let e = 0; e < 3; e++) {
        for (const diag of [[0, 3], [1, 2]]) {
          diag.forEach((blk, t) => {
            b.tasks[2 * t] = starts[blk]!;
            b.tasks[2 * t + 1] = starts[blk + 1]!;
          });
          sse.push(funkSgd(b, funkStep, 2, threads));
        }
      }
      return snapshot(b, sse);
    } finally {
      releaseSgdBuffers(b);
    }
  };
  for (const be of BACKEND_NAMES) {
    const one = withBackend(be, () => run(1));
    const two = withBackend(be, () => run(2));
    assert.deepEqual(two.P, one.P, be);
    assert.deepEqual(two.Q, one.Q);
    assert.deepEqual(two.bu, one.bu);
    assert.deepEqual(two.sse, one.sse);
  }
});

test('seed 001 worked example: from mu 3.5, b_u -0.2, b_i 0.1, p (1, 0.5), q (0.2, 0.6), a rating of 4 has error 0.1 and one step moves every parameter by the SGD rule', () => {
  const step: FunkStep = { mu: 3.5, lr: 0.5, reg: 0.1, lrBias: 0.5, regBias: 0.1, biased: true };
  for (const be of BACKEND_NAMES) {
    withBackend(be, () => {
      const b = allocSgdBuffers({ nUsers: 1, nItems: 1, nRatings: 1, factors: 2 });
      try {
        b.values[0] = 4;
        b.bu[0] = -0.2;
        b.bi[0] = 0.1;
        b.P.set([1, 0.5]);
        b.Q.set([0.2, 0.6]);
        b.tasks.set([0, 1]);
        const sse = funkSgd(b, step, 1);
        const e = 4 - 3.9;
        assert.ok(Math.abs(sse - e * e) < 1e-7, `${be} sse ${sse}`);
        const near = (got: number, want: number) => assert.ok(Math.abs(got - want) < 1e-6, `${be}: ${got} vs ${want}`);
        near(b.bu[0]!, -0.2 + 0.5 * (e - 0.1 * -0.2));
        near(b.bi[0]!, 0.1 + 0.5 * (e - 0.1 * 0.1));
        near(b.P[0]!, 1 + 0.5 * (e * 0.2 - 0.1 * 1));
        near(b.P[1]!, 0.5 + 0.5 * (e * 0.6 - 0.1 * 0.5));
        near(b.Q[0]!, 0.2 + 0.5 * (e * 1 - 0.1 * 0.2));
        near(b.Q[1]!, 0.6 + 0.5 * (e * 0.5 - 0.1 * 0.6));
      } finally {
        releaseSgdBuffers(b);
      }
    });
  }
});

test('LIBMF grid loading: blocks hold exactly their ratings, groups are contiguous rows, by-user order when asked', async () => {
  const { loadInBlocks } = await import('../../../../src/models/recommend/algorithms/sgd-common.js');
  const { Ratings } = await import('../../../../src/models/recommend/data/ratings.js');
  const p = problem(6, 50, 40, 1500, 4, true);
  const train = Ratings.fromTriples(Array.from(p.users), Array.from(p.items), Array.from(p.values));
  for (const byUser of [false, true]) {
    const b = allocSgdBuffers({ nUsers: train.nUsers, nItems: train.nItems, nRatings: train.size, factors: 4 });
    try {
      const g = 3;
      const grid = loadInBlocks(b, train, g, true, rng(1), byUser);
      // Rows are a permutation; map back and compare multisets of (user, item, value).
      const userOfRow = new Int32Array(train.nUsers);
      grid.userRow.forEach((row, u) => { userOfRow[row] = u; });
      const itemOfRow = new Int32Array(train.nItems);
      grid.itemRow.forEach((row, i) => { itemOfRow[row] = i; });
      const key = (u: number, i: number, v: number) => `${u}/${i}/${v}`;
      const want = Array.from({ length: train.size }, (_, k) => key(train.users[k]!, train.items[k]!, train.values[k]!)).sort();
      const got = Array.from({ length: train.size }, (_, k) => key(userOfRow[b.users[k]!]!, itemOfRow[b.items[k]!]!, b.values[k]!)).sort();
      assert.deepEqual(got, want);
      // Within a block, all users share a group and all items share a group: a block's row ranges do not overlap other blocks of its diagonal.
      for (let s = 0; s < g; s++) {
        const usersSeen = new Set<number>();
        const itemsSeen = new Set<number>();
        for (let a = 0; a < g; a++) {
          const blk = a * g + ((a + s) % g);
          const bu = new Set<number>();
          const bi = new Set<number>();
          for (let k = grid.starts[blk]!; k < grid.starts[blk + 1]!; k++) {
            bu.add(b.users[k]!);
            bi.add(b.items[k]!);
            if (byUser && k > grid.starts[blk]!) assert.ok(b.users[k]! >= b.users[k - 1]!);
          }
          for (const x of bu) assert.ok(!usersSeen.has(x));
          for (const x of bi) assert.ok(!itemsSeen.has(x));
          bu.forEach((x) => usersSeen.add(x));
          bi.forEach((x) => itemsSeen.add(x));
        }
      }
    } finally {
      releaseSgdBuffers(b);
    }
  }
});
