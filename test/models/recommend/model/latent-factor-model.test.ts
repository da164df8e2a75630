import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError, ParseError } from '../../../../src/errors.js';
import { mapIdSpace } from '../../../../src/models/recommend/data/id-space.js';
import { LatentFactorModel } from '../../../../src/models/recommend/model/latent-factor-model.js';
import { crc32, decodeModel } from '../../../../src/models/recommend/model/file.js';
import type { FactorModelState } from '../../../../src/models/recommend/model/state.js';
import { topN } from '../../../../src/models/recommend/model/top-n.js';
import { Ratings } from '../../../../src/models/recommend/data/ratings.js';
import { rng } from '../../../helpers.js';

/** A hand-made explicit state: users u1..u3, items i1..i4, f = 2. */
function handState(over: Partial<FactorModelState> = {}): FactorModelState {
  return {
    algorithm: 'funksvd',
    kind: 'explicit',
    ids: mapIdSpace(['u1', 'u2', 'u3'], ['i1', 'i2', 'i3', 'i4']),
    factors: 2,
    globalMean: 3.5,
    userBias: Float32Array.from([-0.2, 0.3, 0]),
    itemBias: Float32Array.from([0.1, -0.5, 0.4, 0]),
    // p_u1 = (1, 0.5) as in seed 001's worked example
    userFactors: Float32Array.from([1, 0.5, 2, 2, 0, 0]),
    // q_i1 = (0.2, 0.6)
    itemFactors: Float32Array.from([0.2, 0.6, -1, 1, 0.5, 0.5, 3, 3]),
    ratingScale: [1, 5],
    // u1 rated i2; u2 rated i1, i2; u3 rated i3. (i4 never rated in training)
    seenIndptr: Int32Array.from([0, 1, 3, 4]),
    seenItems: Int32Array.from([1, 0, 1, 2]),
    hyperparameters: { reg: 0.02 },
    ...over,
  };
}

describe('LatentFactorModel.predict', () => {
  it("reproduces seed 001's worked example mu + b_u + b_i + p.q = 3.9", () => {
    const m = new LatentFactorModel(handState());
    const p = m.predict('u1', 'i1');
    assert.ok(Math.abs(p.value - 3.9) < 1e-6, `got ${p.value}`);
    assert.equal(p.clipped, false);
    assert.equal(p.coldStart, 'none');
    assert.ok(Math.abs(m.predictIndex(0, 0) - 3.9) < 1e-6);
  });

  it('clips to the rating scale and says so', () => {
    const m = new LatentFactorModel(handState());
    // u2 . i3 = 3.5 + 0.3 + 0.4 + 2 = 6.2 -> 5
    const p = m.predict('u2', 'i3');
    assert.equal(p.value, 5);
    assert.equal(p.clipped, true);
    // u2 . i2 = 3.5 + 0.3 - 0.5 + 0 = 3.3
    assert.ok(Math.abs(m.predict('u2', 'i2').value - 3.3) < 1e-6);
  });

  it('falls back to biases, then the mean, for unknown or untrained users and items', () => {
    const m = new LatentFactorModel(handState());
    const u = m.predict('nobody', 'i1');
    assert.equal(u.coldStart, 'user');
    assert.ok(Math.abs(u.value - 3.6) < 1e-6);
    const i = m.predict('u1', 'new-item');
    assert.equal(i.coldStart, 'item');
    assert.ok(Math.abs(i.value - 3.3) < 1e-6);
    const b = m.predict('x', 'y');
    assert.deepEqual(b, { value: 3.5, clipped: false, coldStart: 'both' });
    // i4 is in the ID space but has no training rating: its factors (3, 3) must not be used.
    const t = m.predict('u2', 'i4');
    assert.equal(t.coldStart, 'item');
    assert.ok(Math.abs(t.value - 3.8) < 1e-6);
    assert.equal(m.hasItem('i4'), false);
    assert.equal(m.hasItem('i1'), true);
    assert.equal(m.hasUser('u3'), true);
    assert.equal(m.predictIndex(-1, -1), 3.5);
  });

  it('treats numeric IDs as strings', () => {
    const st = handState({ ids: mapIdSpace(['1', '2', '3'], ['10', '20', '30', '40']) });
    const m = new LatentFactorModel(st);
    assert.equal(m.predict(1, 10).value, m.predict('1', '10').value);
    assert.equal(m.predict(1, 10).coldStart, 'none');
  });

  it('predictRatings works for a split sharing the ID space and for a table with its own IDs', () => {
    const m = new LatentFactorModel(handState());
    const own = Ratings.fromTriples(['u2', 'zz', 'u1'], ['i3', 'i1', 'i1'], [1, 1, 1]);
    const p = m.predictRatings(own);
    assert.equal(p[0], 5);
    assert.ok(Math.abs(p[1]! - 3.6) < 1e-6);
    assert.ok(Math.abs(p[2]! - 3.9) < 1e-6);
    const shared = new Ratings(m.state.ids, Int32Array.from([0, 1]), Int32Array.from([0, 2]), Float32Array.from([1, 1]));
    const q = m.predictRatings(shared);
    assert.ok(Math.abs(q[0]! - 3.9) < 1e-6);
    assert.equal(q[1], 5);
  });

  it('rejects states whose arrays do not fit', () => {
    assert.throws(() => new LatentFactorModel(handState({ userBias: new Float32Array(2) })), InvalidArgumentError);
    assert.throws(() => new LatentFactorModel(handState({ itemFactors: new Float32Array(7) })), /itemFactors/);
  });
});

describe('LatentFactorModel.recommend / similarItems', () => {
  it('ranks by predicted score and excludes seen items', () => {
    const m = new LatentFactorModel(handState());
    // u2 scores (raw): i1 3.5+.3+.1+(0.4+1.2)=5.5, i2 3.3, i3 6.2, i4 untrained -> 3.8
    const all = m.recommend('u2', { n: 4, excludeSeen: false });
    assert.deepEqual(all.map((r) => r.item), ['i3', 'i1', 'i4', 'i2']);
    assert.equal(all[0]!.score, 5); // clipped score reported
    const unseen = m.recommend('u2', { n: 10 });
    assert.deepEqual(unseen.map((r) => r.item), ['i3', 'i4']);
    assert.equal(m.recommend('u2', { n: 0 }).length, 0);
  });

  it('recommends by item bias to unknown users', () => {
    const m = new LatentFactorModel(handState());
    assert.deepEqual(m.recommend('stranger', { n: 2 }).map((r) => r.item), ['i3', 'i1']);
  });

  it('topNForUsers agrees with recommend', () => {
    const m = new LatentFactorModel(handState());
    const lists = m.topNForUsers(Int32Array.from([0, 1, 2, -1]), 2);
    for (const [k, u] of ['u1', 'u2', 'u3', 'ghost'].entries()) {
      assert.deepEqual(Array.from(lists[k]!, (j) => m.state.ids.itemIds[j]), m.recommend(u, { n: 2 }).map((r) => r.item));
    }
  });

  it('similarItems uses cosine in factor space and skips the item itself', () => {
    const m = new LatentFactorModel(handState());
    const s = m.similarItems('i3', 3);
    // i3 = (0.5, 0.5): cos with i1 (0.2, 0.6) = 0.894, i2 (-1, 1) = 0; i4 untrained: excluded
    assert.deepEqual(s.map((x) => x.item), ['i1', 'i2']);
    assert.ok(Math.abs(s[0]!.score - 0.8 / Math.sqrt(0.8)) < 1e-6);
    assert.throws(() => m.similarItems('nope'), InvalidArgumentError);
  });
});

describe('LatentFactorModel.foldIn', () => {
  it('recovers a user whose ratings follow the model exactly', () => {
    const r = rng(3);
    const f = 4;
    const ni = 60;
    const nu = 2;
    const Q = Float32Array.from({ length: ni * f }, () => r.nextNormal());
    const ib = Float32Array.from({ length: ni }, () => 0.3 * r.nextNormal());
    const itemIds = Array.from({ length: ni }, (_, i) => `m${i}`);
    const state: FactorModelState = {
      algorithm: 'als', kind: 'explicit', ids: mapIdSpace(['a', 'b'], itemIds), factors: f, globalMean: 3,
      userBias: new Float32Array(nu), itemBias: ib, userFactors: new Float32Array(nu * f), itemFactors: Q,
      ratingScale: [-100, 100], seenIndptr: Int32Array.from([0, ni, ni]), seenItems: Int32Array.from({ length: ni }, (_, i) => i),
      hyperparameters: { reg: 0.1 },
    };
    const m = new LatentFactorModel(state);
    const p = [0.5, -1, 0.25, 2];
    const bu = 0.7;
    const ratings = itemIds.map((item, i) => {
      let d = 0;
      for (let a = 0; a < f; a++) d += p[a]! * Q[i * f + a]!;
      return { item, rating: 3 + bu + ib[i]! + d };
    });
    ratings.push({ item: 'unknown-movie', rating: 5 });
    const folded = m.foldIn(ratings, { reg: 1e-6 });
    assert.deepEqual(folded.unknownItems, ['unknown-movie']);
    for (let a = 0; a < f; a++) assert.ok(Math.abs(folded.factors[a]! - p[a]!) < 1e-3, `factor ${a}: ${folded.factors[a]} vs ${p[a]}`);
    assert.ok(Math.abs(folded.bias - bu) < 1e-3);
    const pr = m.predictFor(folded, 'm7');
    assert.ok(Math.abs(pr.value - ratings[7]!.rating) < 1e-3);
    assert.equal(m.recommendFor(folded, { n: 5 }).length, 0); // all rated
    assert.equal(m.recommendFor(folded, { n: 5, excludeSeen: false }).length, 5);
    // Regularization shrinks toward zero.
    const shrunk = m.foldIn(ratings, { reg: 10 });
    let n0 = 0;
    let n1 = 0;
    for (let a = 0; a < f; a++) {
      n0 += folded.factors[a]! ** 2;
      n1 += shrunk.factors[a]! ** 2;
    }
    assert.ok(n1 < n0);
    // No known items: zero factors, predictions fall back to mu + b_i.
    const empty = m.foldIn([{ item: 'zzz', rating: 4 }]);
    assert.ok(empty.factors.every((x) => x === 0));
    assert.throws(() => m.foldIn([{ item: 'm1', rating: NaN }]), InvalidArgumentError);
  });
});

describe('model files', () => {
  it('round-trips through toBytes/fromBytes', () => {
    const st = handState({ extra: { y: Float32Array.from([1, 2, 3]) }, hyperparameters: { reg: 0.02, biased: true, solver: 'x' } });
    const m = new LatentFactorModel(st);
    const bytes = m.toBytes();
    assert.equal(String.fromCharCode(...bytes.subarray(0, 4)), 'LRM1');
    // decoding from an unaligned view works
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const back = LatentFactorModel.fromBytes(shifted.subarray(3));
    assert.deepEqual(back.state.hyperparameters, st.hyperparameters);
    assert.deepEqual([...back.state.ids.itemIds], [...st.ids.itemIds]);
    for (const key of ['userBias', 'itemBias', 'userFactors', 'itemFactors', 'seenIndptr', 'seenItems'] as const) {
      assert.deepEqual(back.state[key], st[key], key);
    }
    assert.deepEqual(back.state.extra?.['y'], st.extra!['y']);
    assert.equal(back.predict('u1', 'i1').value, m.predict('u1', 'i1').value);
    assert.deepEqual(back.recommend('u2'), m.recommend('u2'));
  });

  it('rejects truncated, corrupt, foreign and unknown-version images with ParseError', () => {
    const bytes = new LatentFactorModel(handState()).toBytes();
    assert.throws(() => decodeModel(bytes.subarray(0, bytes.length - 4)), /truncated/);
    assert.throws(() => decodeModel(bytes.subarray(0, 10)), ParseError);
    assert.throws(() => decodeModel(new Uint8Array(0)), ParseError);
    const flipped = bytes.slice();
    flipped[flipped.length - 5] = flipped[flipped.length - 5]! ^ 0xff;
    assert.throws(() => decodeModel(flipped), /checksum/);
    const v3 = bytes.slice();
    v3[4] = 3;
    assert.throws(() => decodeModel(v3), /version 3/);
    const magic = bytes.slice();
    magic[0] = 0x50;
    assert.throws(() => decodeModel(magic), /not a lowrank model/);
    const json = bytes.slice();
    json[25] = 0x7b; // break the JSON (it starts at byte 24); the whole-file checksum catches it
    assert.throws(() => decodeModel(json), /checksum/);
    const huge = bytes.slice();
    new DataView(huge.buffer).setUint32(8, 0xfffffff0, true); // the declared file length
    assert.throws(() => decodeModel(huge), /truncated/);
  });

  it('crc32 matches the standard check value', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  });
});

describe('topN', () => {
  it('matches a full sort on random scores with ties and skips', () => {
    const r = rng(9);
    for (let trial = 0; trial < 30; trial++) {
      const N = 1 + r.nextInt(200);
      const scores = Float64Array.from({ length: N }, () => r.nextInt(20));
      const skip = Uint8Array.from({ length: N }, () => (r.nextDouble() < 0.2 ? 1 : 0));
      const n = r.nextInt(N + 3);
      const want = [...Array(N).keys()].filter((i) => skip[i] === 0).sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, n);
      assert.deepEqual([...topN(scores, n, skip)], want);
    }
  });
});
