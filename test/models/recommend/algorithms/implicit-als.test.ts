import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbortedError } from '../../../../src/errors.js';
import { evaluate } from '../../../../src/models/recommend/evaluation/evaluate.js';
import { ImplicitALS } from '../../../../src/models/recommend/algorithms/implicit-als.js';
import { rankingMetrics, relevantItems } from '../../../../src/models/recommend/evaluation/metrics.js';
import { Ratings } from '../../../../src/models/recommend/data/ratings.js';
import { randomSplit } from '../../../../src/models/recommend/data/split.js';
import { topN } from '../../../../src/models/recommend/model/top-n.js';
import type { LatentFactorModel } from '../../../../src/models/recommend/model/latent-factor-model.js';
import { BACKEND_NAMES, rng, withBackend } from '../../../helpers.js';

/**
 * Planted implicit feedback: users and items with rank-4 tastes; each user interacts with the
 * 25 items of highest affinity among a random 60% of the catalogue (what they happened to
 * see), with play counts 1..5. Item popularity is roughly uniform, so a popularity ranking
 * carries little signal and the factor model must find the tastes.
 */
function plantedImplicit(nu: number, ni: number, seed: number): Ratings {
  const r = rng(seed);
  const rank = 4;
  const P = Float64Array.from({ length: nu * rank }, () => r.nextNormal());
  const Q = Float64Array.from({ length: ni * rank }, () => r.nextNormal());
  const users: number[] = [];
  const items: number[] = [];
  const values: number[] = [];
  const aff = new Float64Array(ni);
  for (let u = 0; u < nu; u++) {
    for (let i = 0; i < ni; i++) {
      let d = 0;
      for (let a = 0; a < rank; a++) d += P[u * rank + a]! * Q[i * rank + a]!;
      aff[i] = r.nextDouble() < 0.6 ? d : -Infinity;
    }
    for (const i of topN(aff, 25, null)) {
      users.push(u);
      items.push(i);
      values.push(1 + r.nextInt(5));
    }
  }
  return Ratings.fromTriples(users, items, values);
}

const data = plantedImplicit(300, 200, 5);
const [train, test] = randomSplit(data, { test: 0.2, seed: 2 });

describe('ImplicitALS (Hu, Koren & Volinsky 2008)', () => {
  it('ranks held-out interactions far better than popularity and random', () => {
    const model = new ImplicitALS({ factors: 8, iterations: 8, alpha: 10, reg: 0.1 }).fit(train);
    assert.equal(model.kind, 'implicit');
    const ev = evaluate(model, test, { k: 10 });
    // popularity baseline: most-interacted training items the user has not seen
    const counts = new Float64Array(train.nItems);
    for (const i of train.items) counts[i] = counts[i]! + 1;
    const byUser = train.byUser();
    const rel = relevantItems(test, { threshold: 1e-9 });
    const pop: Int32Array[] = [];
    const rand: Int32Array[] = [];
    const r = rng(1);
    for (let u = 0; u < train.nUsers; u++) {
      const skip = new Uint8Array(train.nItems);
      for (let p = byUser.indptr[u]!; p < byUser.indptr[u + 1]!; p++) skip[byUser.indices[p]!] = 1;
      pop.push(topN(counts, 10, skip));
      rand.push(topN(Float64Array.from({ length: train.nItems }, () => r.nextDouble()), 10, skip));
    }
    const popM = rankingMetrics(pop, rel, 10);
    const randM = rankingMetrics(rand, rel, 10);
    assert.ok(ev.precision > 2 * popM.precision, `ALS p@10 ${ev.precision} vs popularity ${popM.precision}`);
    assert.ok(ev.ndcg > 2 * randM.ndcg, `ALS ndcg ${ev.ndcg} vs random ${randM.ndcg}`);
    assert.ok(Number.isNaN(ev.rmse));
  });

  it('CG with enough steps matches the exact Cholesky sweeps; 3 CG steps come close', () => {
    const f = 6;
    const chol = new ImplicitALS({ factors: f, iterations: 4, solver: 'cholesky', seed: 4 }).fit(train);
    const cgFull = new ImplicitALS({ factors: f, iterations: 4, solver: 'cg', cgSteps: 3 * f, seed: 4 }).fit(train);
    let maxd = 0;
    for (let u = 0; u < 50; u++) {
      for (let i = 0; i < 50; i++) maxd = Math.max(maxd, Math.abs(chol.predictIndex(u, i) - cgFull.predictIndex(u, i)));
    }
    assert.ok(maxd < 1e-3, `CG vs Cholesky scores differ by ${maxd}`);
    const losses = (solver: 'cg' | 'cholesky'): number[] => {
      const out: number[] = [];
      new ImplicitALS({ factors: f, iterations: 6, solver, seed: 4 }).fit(train, { onProgress: (p) => out.push(p.metrics!['loss']!) });
      return out;
    };
    const lc = losses('cholesky');
    const lg = losses('cg');
    for (let k = 1; k < lc.length; k++) assert.ok(lc[k]! <= lc[k - 1]! * (1 + 1e-9), `cholesky loss rose at ${k}`);
    assert.ok(Math.abs(lg.at(-1)! - lc.at(-1)!) / lc.at(-1)! < 0.02, `final loss cg ${lg.at(-1)} vs cholesky ${lc.at(-1)}`);
  });

  it('gives the same factors on the WASM kernels and the TypeScript fallback, for both solvers', () => {
    for (const solver of ['cg', 'cholesky'] as const) {
      const fit = (): LatentFactorModel => new ImplicitALS({ factors: 5, iterations: 3, solver, seed: 8 }).fit(train);
      const ref = withBackend('js', fit);
      for (const backend of BACKEND_NAMES) {
        const m = withBackend(backend, fit);
        let maxd = 0;
        for (let u = 0; u < 40; u++) for (let i = 0; i < 40; i++) maxd = Math.max(maxd, Math.abs(m.predictIndex(u, i) - ref.predictIndex(u, i)));
        assert.ok(maxd < 1e-4, `${solver} on ${backend}: differs from js by ${maxd}`);
      }
    }
  });

  it('folds in a user with the confidence-weighted solve', () => {
    const model = new ImplicitALS({ factors: 8, iterations: 6, alpha: 10, reg: 0.1 }).fit(train);
    const u = 3;
    const bu = train.byUser();
    const mine: { item: string; rating: number }[] = [];
    for (let p = bu.indptr[u]!; p < bu.indptr[u + 1]!; p++) mine.push({ item: train.ids.itemIds[bu.indices[p]!]!, rating: bu.values[p]! });
    const folded = model.foldIn(mine);
    // The fold-in is the user's own half-step against the final item factors: close to the trained factors.
    const f = 8;
    let diff = 0;
    let norm = 0;
    for (let a = 0; a < f; a++) {
      diff += (folded.factors[a]! - model.state.userFactors[u * f + a]!) ** 2;
      norm += model.state.userFactors[u * f + a]! ** 2;
    }
    assert.ok(Math.sqrt(diff / norm) < 0.05, `relative difference ${Math.sqrt(diff / norm)}`);
    assert.throws(() => model.foldIn([{ item: mine[0]!.item, rating: -1 }]), /implicit/);
  });

  it('validates options and values, and honours an aborted signal', () => {
    assert.throws(() => new ImplicitALS({ solver: 'lu' as 'cg' }), /solver/);
    assert.throws(() => new ImplicitALS({ alpha: -1 }), /alpha/);
    assert.throws(() => new ImplicitALS({ cgSteps: 0 }), /cgSteps/);
    assert.throws(() => new ImplicitALS({ computeLoss: 'no' as never }), /option 'computeLoss' must be true or false/);
    assert.throws(() => new ImplicitALS({ confidence: 40 } as never), /ImplicitALS: unknown option 'confidence'/);
    const neg = Ratings.fromTriples(['a'], ['b'], [-1]);
    assert.throws(() => new ImplicitALS().fit(neg), />= 0/);
    const ac = new AbortController();
    ac.abort();
    assert.throws(() => new ImplicitALS({ factors: 2 }).fit(train, { signal: ac.signal }), AbortedError);
  });
});
