import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mapIdSpace } from '../../../../src/models/recommend/data/id-space.js';
import { LatentFactorModel } from '../../../../src/models/recommend/model/latent-factor-model.js';
import { screen } from '../../../../src/models/recommend/model/scoring.js';
import type { FactorModelState } from '../../../../src/models/recommend/model/state.js';
import { BACKEND_NAMES, rng, withBackend } from '../../../helpers.js';

/**
 * The ranking the serving code must reproduce: every item scored in float64 as
 * (mu + b_u + b_j) + sum_a p_ua q_ja (sequential sum; mu + b_u for items without training
 * ratings), non-finite scores and seen items left out, sorted by score descending and then
 * by index, first n.
 */
function reference(s: FactorModelState, u: number, n: number, excludeSeen: boolean): { items: number[]; scores: number[] } {
  const f = s.factors;
  const ni = s.ids.itemIds.length;
  const trained = new Uint8Array(ni);
  for (const j of s.seenItems) trained[j] = 1;
  const skip = new Uint8Array(ni);
  if (excludeSeen) for (let p = s.seenIndptr[u]!; p < s.seenIndptr[u + 1]!; p++) skip[s.seenItems[p]!] = 1;
  const base = s.globalMean + s.userBias[u]!;
  const all: [number, number][] = [];
  for (let j = 0; j < ni; j++) {
    let e = base;
    if (trained[j] === 1) {
      let d = 0;
      for (let a = 0; a < f; a++) d += s.userFactors[u * f + a]! * s.itemFactors[j * f + a]!;
      e = base + s.itemBias[j]! + d;
    }
    if (skip[j] === 0 && Number.isFinite(e)) all.push([j, e]);
  }
  all.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const top = all.slice(0, n);
  return { items: top.map((t) => t[0]), scores: top.map((t) => t[1]) };
}

/**
 * A random explicit state whose catalogue has exact ties (items copied from others) and
 * near-ties (copies with one factor nudged by an ulp of float32), untrained items and a few
 * seen items per user.
 */
function randomState(seed: number, nu: number, ni: number, f: number, biased = true): FactorModelState {
  const r = rng(seed);
  const P = Float32Array.from({ length: nu * f }, () => r.nextNormal() * 0.3);
  const Q = Float32Array.from({ length: ni * f }, () => r.nextNormal() * 0.3);
  const bi = Float32Array.from({ length: ni }, () => (biased ? r.nextNormal() * 0.2 : 0));
  for (let j = 1; j < ni; j++) {
    const c = r.nextDouble();
    if (c < 0.15) {
      const src = r.nextInt(j);
      Q.copyWithin(j * f, src * f, src * f + f);
      bi[j] = bi[src]!;
      if (c < 0.07 && f > 0) {
        const a = r.nextInt(f);
        const v = Q[j * f + a]!;
        Q[j * f + a] = new Float32Array([v * (1 + 2 ** -23)])[0]!;
      }
    }
  }
  const indptr = new Int32Array(nu + 1);
  const items: number[] = [];
  for (let u = 0; u < nu; u++) {
    const k = 1 + r.nextInt(Math.min(8, ni));
    for (let t = 0; t < k; t++) items.push(r.nextInt(ni));
    indptr[u + 1] = items.length;
  }
  // Most items rated by someone; a few stay untrained.
  for (let j = 0; j < ni; j++) if (r.nextDouble() < 0.95) items.push(j);
  indptr[nu] = items.length;
  return {
    algorithm: 'funksvd',
    kind: 'explicit',
    ids: mapIdSpace(Array.from({ length: nu }, (_, i) => `u${i}`), Array.from({ length: ni }, (_, i) => `i${i}`)),
    factors: f,
    globalMean: 3.5,
    userBias: Float32Array.from({ length: nu }, () => (biased ? r.nextNormal() * 0.2 : 0)),
    itemBias: bi,
    userFactors: P,
    itemFactors: Q,
    ratingScale: [1, 5],
    seenIndptr: indptr,
    seenItems: Int32Array.from(items),
    hyperparameters: {},
  };
}

describe('screen (candidates of a top-n)', () => {
  it('returns exactly the entries >= (n-th largest) - margin, in index order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -6, max: 6 }).map((k) => k / 4), fc.constant(-Infinity), fc.constant(NaN)), { maxLength: 60 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(0, 0.25, 1),
        (vals, n, margin) => {
          const y = Float32Array.from([7, ...vals]);
          const got = Array.from(screen(y, 1, vals.length, n, margin));
          const finite = vals.filter((v) => v > -Infinity).sort((a, b) => b - a);
          let want: number[];
          if (n === 0) want = [];
          else if (finite.length < n) want = vals.flatMap((v, j) => (v > -Infinity ? [j] : []));
          else want = vals.flatMap((v, j) => (v >= finite[n - 1]! - margin ? [j] : []));
          assert.deepEqual(got, want);
        },
      ),
      { numRuns: 300 },
    );
  });
});

for (const backend of BACKEND_NAMES) {
  describe(`recommend through the screen (${backend})`, () => {
    it('gives the float64 ranking, ties and near-ties included, with and without seen items', () => {
      withBackend(backend, () => {
        for (const [seed, nu, ni, f, biased] of [[1, 6, 300, 7, true], [2, 5, 1000, 32, true], [3, 4, 257, 1, false], [4, 3, 50, 0, true], [5, 4, 90, 13, false]] as const) {
          const s = randomState(seed, nu, ni, f, biased);
          const m = new LatentFactorModel(s);
          for (let u = 0; u < nu; u++) {
            for (const n of [0, 1, 10, ni - 3, ni + 5]) {
              for (const excludeSeen of [true, false]) {
                const ref = reference(s, u, n, excludeSeen);
                const got = m.recommend(`u${u}`, { n, excludeSeen });
                assert.deepEqual(got.map((g) => g.item), ref.items.map((j) => `i${j}`), `seed ${seed} user ${u} n ${n} excludeSeen ${excludeSeen}`);
                // Reported scores: the exact ones, clipped to the rating scale.
                assert.deepEqual(got.map((g) => g.score), ref.scores.map((e) => Math.min(5, Math.max(1, e))));
              }
            }
          }
        }
      });
    });

    it('ranks a catalogue of near-identical items (float32 sums scramble their order) as float64 does', () => {
      withBackend(backend, () => {
        // 400 copies of one item vector, each with a few coordinates moved by 1-3 float32
        // ulps: their exact scores differ by less than a float32 dot product's rounding.
        const f = 64;
        const ni = 400;
        const s = randomState(21, 3, ni, f);
        const r = rng(22);
        const ulp = new Float32Array(1);
        for (let j = 1; j < ni; j++) {
          s.itemFactors.copyWithin(j * f, 0, f);
          s.itemBias[j] = s.itemBias[0]!;
          for (let t = 0; t < 3; t++) {
            const a = r.nextInt(f);
            ulp[0] = s.itemFactors[j * f + a]!;
            const bits = new Int32Array(ulp.buffer);
            bits[0] = bits[0]! + (r.nextInt(7) - 3);
            s.itemFactors[j * f + a] = ulp[0]!;
          }
        }
        const m = new LatentFactorModel(s);
        for (let u = 0; u < 3; u++) {
          for (const n of [1, 10, 50]) {
            assert.deepEqual(m.recommend(`u${u}`, { n, excludeSeen: false }).map((g) => g.item), reference(s, u, n, false).items.map((j) => `i${j}`), `user ${u} n ${n}`);
          }
        }
        // The same users through one gemm.
        const lists = m.topNForUsers(Int32Array.of(0, 1, 2), 10, false);
        for (let u = 0; u < 3; u++) assert.deepEqual(Array.from(lists[u]!), reference(s, u, 10, false).items);
      });
    });

    it('ranks tiny factors (float32 products underflow to subnormals) as float64 does', () => {
      withBackend(backend, () => {
        const s = { ...randomState(31, 4, 300, 24, false), globalMean: 0 };
        for (let k = 0; k < s.userFactors.length; k++) s.userFactors[k] = s.userFactors[k]! * 1e-22;
        for (let k = 0; k < s.itemFactors.length; k++) s.itemFactors[k] = s.itemFactors[k]! * 1e-21;
        const m = new LatentFactorModel(s);
        for (let u = 0; u < 4; u++) {
          for (const n of [1, 10, 40]) assert.deepEqual(m.recommend(`u${u}`, { n, excludeSeen: false }).map((g) => g.item), reference(s, u, n, false).items.map((j) => `i${j}`), `user ${u} n ${n}`);
        }
      });
    });

    it('topNForUsers (users in gemm batches) gives each user the ranking of recommend', () => {
      withBackend(backend, () => {
        const s = randomState(9, 300, 400, 16);
        const m = new LatentFactorModel(s);
        const users = Int32Array.from({ length: 300 }, (_, u) => u);
        for (const excludeSeen of [true, false]) {
          const lists = m.topNForUsers(users, 7, excludeSeen);
          for (let u = 0; u < 300; u += 1) assert.deepEqual(Array.from(lists[u]!), reference(s, u, 7, excludeSeen).items, `user ${u}`);
        }
      });
    });

    it('falls back to the scalar loop when factors are not finite', () => {
      withBackend(backend, () => {
        const s = randomState(11, 3, 120, 5);
        s.itemFactors[7 * 5 + 2] = NaN; // item 7 scores NaN: never recommended
        s.itemFactors[9 * 5] = Infinity; // item 9: +/-Infinity (dropped as non-finite)
        const m = new LatentFactorModel(s);
        for (let u = 0; u < 3; u++) assert.deepEqual(m.recommend(`u${u}`, { n: 200 }).map((g) => g.item), reference(s, u, 200, true).items.map((j) => `i${j}`));
        const big = randomState(12, 2, 80, 4);
        for (let k = 0; k < big.userFactors.length; k++) big.userFactors[k] = big.userFactors[k]! * 3e36;
        const mb = new LatentFactorModel(big);
        assert.deepEqual(mb.recommend('u1', { n: 5 }).map((g) => g.item), reference(big, 1, 5, true).items.map((j) => `i${j}`));
      });
    });
  });
}
