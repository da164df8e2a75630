// fitAsync, for every estimator with a long fit: the same fit as `fit` (bit for bit, same
// progress), an already-aborted signal rejects before any work, AbortSignal.timeout stops a
// fit that would run for minutes within about one iteration, timers keep firing meanwhile,
// and an aborted fit frees its WebAssembly buffers. Plus the driver itself (src/fit-async.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AbortedError } from '../../src/errors.js';
import { macrotaskScheduler, nextMacrotask, runSteps, runStepsAsync, SLICE_MS, type FitSteps } from '../../src/fit-async.js';
import { activeWasm } from '../../src/kernels/index.js';
import { matmul } from '../../src/linalg/matmul.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { IncrementalPCA, type IncrementalPCAModel } from '../../src/models/decomposition/incremental-pca.js';
import { NMF, type NMFModel } from '../../src/models/nmf/nmf.js';
import { PCA, type PCAModel } from '../../src/models/decomposition/pca.js';
import { ALS } from '../../src/models/recommend/algorithms/als.js';
import { Baseline } from '../../src/models/recommend/algorithms/baseline.js';
import type { RecommenderEstimator } from '../../src/models/recommend/algorithms/estimator.js';
import { FunkSVD, PARALLEL_MIN_RATINGS } from '../../src/models/recommend/algorithms/funk-svd.js';
import { ImplicitALS } from '../../src/models/recommend/algorithms/implicit-als.js';
import type { LatentFactorModel } from '../../src/models/recommend/model/latent-factor-model.js';
import { SVDpp } from '../../src/models/recommend/algorithms/svdpp.js';
import { plantedRatings } from '../../src/models/recommend/data/synthetic.js';
import { SoftImpute, type CooEntries, type SoftImputeFit } from '../../src/models/completion/soft-impute.js';
import { LSA, type LSAModel } from '../../src/models/text/lsa.js';
import { ppmiEmbeddings, ppmiEmbeddingsAsync, type WordEmbeddings } from '../../src/models/text/ppmi.js';
import { CountVectorizer, TfidfVectorizer, type CountVectorizerModel } from '../../src/models/text/vectorize.js';
import { NMFTopics, type NMFTopicsModel } from '../../src/models/text/topics.js';
import { TruncatedSVD, type TruncatedSVDModel } from '../../src/models/decomposition/truncated-svd.js';
import type { LongTaskOptions, Progress } from '../../src/progress.js';
import { CsrMatrix } from '../../src/sparse/csr.js';
import { rng } from '../helpers.js';
import { smallSplit } from './recommend/algorithms/sgd-fixtures.js';

// ---------------------------------------------------------------------------------------
// Data: small and seeded, so that each fit takes milliseconds. The "long" fits below run
// the same data for an iteration count that would take minutes.

const { train: ratings } = smallSplit(); // 400 users x 300 items, 24k ratings
const gridRatings = plantedRatings({ users: 500, items: 400, ratings: PARALLEL_MIN_RATINGS + 2000, rank: 3, seed: 9 }).ratings;

const X = Matrix.random(60, 40, { seed: 3 }); // >= 0, for NMF
const Xsparse = CsrMatrix.random(80, 50, 0.2, { seed: 4 });
const Y = matmul(Matrix.random(300, 6, { seed: 5, distribution: 'normal' }), Matrix.random(6, 30, { seed: 6, distribution: 'normal' }));

function observedEntries(m: number, n: number, frac: number, seed: number): CooEntries {
  const L = matmul(Matrix.random(m, 3, { seed, distribution: 'normal' }), Matrix.random(3, n, { seed: seed + 1, distribution: 'normal' }));
  const g = rng(seed + 2);
  const rows: number[] = [], cols: number[] = [], values: number[] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) if (g.nextDouble() < frac) { rows.push(i); cols.push(j); values.push(L.get(i, j)); }
  return { rows, cols, values, shape: [m, n] };
}
const observed = observedEntries(80, 60, 0.4, 7);

function themedDocs(n: number): string[] {
  const themes = [
    ['tax', 'budget', 'deficit', 'spending', 'revenue', 'dollars'],
    ['war', 'army', 'soldiers', 'peace', 'treaty', 'enemy'],
    ['school', 'teachers', 'students', 'education', 'college', 'learning'],
  ];
  const filler = ['nation', 'people', 'year', 'congress', 'great', 'country'];
  const g = rng(8);
  const docs: string[] = [];
  for (let d = 0; d < n; d++) {
    const words: string[] = [];
    for (let w = 0; w < 12; w++) words.push(w % 3 === 2 ? filler[g.nextInt(6)]! : themes[d % 3]![g.nextInt(6)]!);
    docs.push(words.join(' '));
  }
  return docs;
}
const docs = themedDocs(240);

/** A million documents (the same 240 strings over and over): a pass over them takes tens of seconds. */
let longDocs: string[] | undefined;
const longCorpus = (): string[] => (longDocs ??= Array.from({ length: 1_000_000 }, (_, i) => docs[i % docs.length]!));

/** An endless stream of 30-row batches, for an IncrementalPCA fit that never ends by itself. */
function* endlessBatches(): Generator<Matrix> {
  for (let b = 0; ; b++) yield Y.rowRange((b * 30) % 270, ((b * 30) % 270) + 30);
}

// ---------------------------------------------------------------------------------------
// Every estimator as one case: its fit and fitAsync, an exact comparison of two fits, and
// (for those that yield per iteration) a fitAsync that would run for minutes.

interface Case<M> {
  name: string;
  fit(o: LongTaskOptions): M;
  fitAsync(o: LongTaskOptions): Promise<M>;
  /** Flat parts of a fit that must agree bit for bit. */
  parts(m: M): ArrayLike<number>[];
  /** A fitAsync with an iteration count that would take minutes (absent: the fit is one block). */
  long?(o: LongTaskOptions): Promise<unknown>;
  /** False for fits that report no progress (PCA's 'full' and 'covariance-eigh'). */
  reports?: boolean;
  /**
   * False when each fit makes new sparse data (NMFTopics' TF-IDF matrix): the sparse kernels
   * keep a WebAssembly copy of it until the matrix is garbage-collected (src/kernels/sparse.ts),
   * so the heap does not return to its level at once.
   */
  heapReturns?: boolean;
}

const recommenderParts = (m: LatentFactorModel): ArrayLike<number>[] => {
  const s = m.state;
  return [s.userFactors, s.itemFactors, s.userBias, s.itemBias, [s.globalMean]];
};

function recommender(name: string, make: (long: boolean) => RecommenderEstimator, data = ratings): Case<LatentFactorModel> {
  return {
    name,
    fit: (o) => make(false).fit(data, o),
    fitAsync: (o) => make(false).fitAsync(data, o),
    parts: recommenderParts,
    long: (o) => make(true).fitAsync(data, o),
  };
}

const many = 1_000_000;
const cases: Case<unknown>[] = [
  recommender('FunkSVD', (l) => new FunkSVD({ factors: 8, epochs: l ? many : 5, threads: 1, seed: 1 })),
  recommender('FunkSVD on the 2-thread block grid', (l) => new FunkSVD({ factors: 4, epochs: l ? many : 2, threads: 2, seed: 1 }), gridRatings),
  recommender('SVDpp', (l) => new SVDpp({ factors: 6, epochs: l ? many : 4, seed: 2 })),
  recommender("Baseline 'als'", (l) => new Baseline({ epochs: l ? many : 5 })),
  recommender("Baseline 'sgd'", (l) => new Baseline({ method: 'sgd', epochs: l ? many : 5 })),
  recommender('ALS', (l) => new ALS({ factors: 6, iterations: l ? many : 4, seed: 3 })),
  recommender('ImplicitALS', (l) => new ImplicitALS({ factors: 6, iterations: l ? many : 3, alpha: 5, seed: 4 })),
  ...(['cd', 'mu'] as const).map((solver): Case<NMFModel> => ({
    name: `NMF '${solver}'`,
    fit: (o) => new NMF({ components: 5, solver, maxIter: 30 }).fit(X, o),
    fitAsync: (o) => new NMF({ components: 5, solver, maxIter: 30 }).fitAsync(X, o),
    parts: (m) => [m.components.toFlat(), m.lossHistory, [m.iterations]],
    long: (o) => new NMF({ components: 5, solver, tol: 0, maxIter: 1e9 }).fitAsync(X, o),
  })),
  {
    name: "NMF 'mu' Kullback-Leibler on sparse data",
    fit: (o) => new NMF({ components: 4, solver: 'mu', betaLoss: 'kullback-leibler', maxIter: 30 }).fit(Xsparse, o),
    fitAsync: (o) => new NMF({ components: 4, solver: 'mu', betaLoss: 'kullback-leibler', maxIter: 30 }).fitAsync(Xsparse, o),
    parts: (m: NMFModel) => [m.components.toFlat(), m.lossHistory],
    long: (o) => new NMF({ components: 4, solver: 'mu', betaLoss: 'kullback-leibler', tol: 0, maxIter: 1e9 }).fitAsync(Xsparse, o),
  },
  ...(['als', 'svd'] as const).map((algorithm): Case<SoftImputeFit> => ({
    name: `SoftImpute '${algorithm}'`,
    fit: (o) => new SoftImpute({ algorithm, rank: 5, lambda: 0.5, maxIter: 20 }).fit(observed, o),
    fitAsync: (o) => new SoftImpute({ algorithm, rank: 5, lambda: 0.5, maxIter: 20 }).fitAsync(observed, o),
    parts: (m) => [m.factors.U.toFlat(), m.factors.s, m.factors.Vt.toFlat(), m.objective, m.change],
    long: (o) => new SoftImpute({ algorithm, rank: 5, lambda: 0.5, tol: 0, maxIter: 1e9 }).fitAsync(observed, o),
  })),
  {
    name: 'IncrementalPCA',
    fit: (o) => new IncrementalPCA({ components: 4, batchSize: 25 }).fit(Y, o),
    fitAsync: (o) => new IncrementalPCA({ components: 4, batchSize: 25 }).fitAsync(Y, o),
    parts: (m: IncrementalPCAModel) => [m.components.toFlat(), m.singularValues, m.mean, m.variance],
    long: (o) => new IncrementalPCA({ components: 4 }).fitAsync(endlessBatches(), o),
  },
  {
    name: 'NMFTopics',
    fit: (o) => new NMFTopics({ topics: 3, nmf: { maxIter: 30 } }).fit(docs, o),
    fitAsync: (o) => new NMFTopics({ topics: 3, nmf: { maxIter: 30 } }).fitAsync(docs, o),
    parts: (m: NMFTopicsModel) => [m.topicTerms.toFlat(), m.documentTopics.toFlat()],
    long: (o) => new NMFTopics({ topics: 3, nmf: { tol: 0, maxIter: 1e9 } }).fitAsync(docs, o),
    heapReturns: false,
  },
  // One block each (solvers in src/lowrank that do not yield yet): equality and abort only.
  ...(['full', 'covariance-eigh', 'randomized', 'lanczos'] as const).map((solver): Case<PCAModel> => ({
    name: `PCA '${solver}'`,
    fit: (o) => new PCA({ components: 4, solver }).fit(Y, o),
    fitAsync: (o) => new PCA({ components: 4, solver }).fitAsync(Y, o),
    parts: (m) => [m.components.toFlat(), m.singularValues, m.explainedVarianceRatio, m.mean],
    reports: solver === 'randomized' || solver === 'lanczos',
  })),
  ...(['randomized', 'lanczos'] as const).map((algorithm): Case<TruncatedSVDModel> => ({
    name: `TruncatedSVD '${algorithm}'`,
    fit: (o) => new TruncatedSVD({ components: 4, algorithm }).fit(Xsparse, o),
    fitAsync: (o) => new TruncatedSVD({ components: 4, algorithm }).fitAsync(Xsparse, o),
    parts: (m) => [m.components.toFlat(), m.singularValues, m.explainedVarianceRatio],
  })),
  ...([['CountVectorizer', CountVectorizer], ['TfidfVectorizer', TfidfVectorizer]] as const).map(([name, V]): Case<CountVectorizerModel> => ({
    name,
    fit: (o) => new V({ minDf: 2 }).fit(docs, o),
    fitAsync: (o) => new V({ minDf: 2 }).fitAsync(docs, o),
    parts: (m) => [m.documentFrequency, m.transform(docs).data, m.vocabulary.map((t) => t.codePointAt(0)!)],
    long: (o) => new V().fitAsync(longCorpus(), o),
  })),
  {
    name: 'ppmiEmbeddings',
    fit: (o) => ppmiEmbeddings(docs, { dim: 4, minCount: 1, ...o }),
    fitAsync: (o) => ppmiEmbeddingsAsync(docs, { dim: 4, minCount: 1, ...o }),
    parts: (m: WordEmbeddings) => [m.vectors.toFlat(), m.singularValues, m.counts],
    long: (o) => ppmiEmbeddingsAsync(longCorpus(), { dim: 4, minCount: 1, ...o }),
  },
  {
    name: 'LSA',
    fit: (o) => new LSA({ components: 3 }).fit(docs, o),
    fitAsync: (o) => new LSA({ components: 3 }).fitAsync(docs, o),
    parts: (m: LSAModel) => [m.components.toFlat(), m.singularValues, m.documentVectors.toFlat()],
  },
] as Case<unknown>[];

function assertSameFit<M>(c: Case<M>, a: M, b: M): void {
  const pa = c.parts(a);
  const pb = c.parts(b);
  assert.equal(pa.length, pb.length);
  pa.forEach((x, i) => assert.deepEqual(Array.from(pb[i]!), Array.from(x), `${c.name}: part ${i} differs`));
}

const heapInUse = (): number => activeWasm()?.heap.allocated ?? 0;

for (const c of cases) {
  describe(`${c.name}.fitAsync`, () => {
    it('gives the fit of fit, bit for bit, with the same progress reports', async () => {
      const syncReports: Progress[] = [];
      const asyncReports: Progress[] = [];
      const a = c.fit({ onProgress: (p) => syncReports.push(p) });
      const b = await c.fitAsync({ onProgress: (p) => asyncReports.push(p) });
      assertSameFit(c, a, b);
      assert.deepEqual(asyncReports, syncReports);
      // Without options as well (no progress: some fits then skip their loss pass).
      assertSameFit(c, a, await c.fitAsync({}));
    });

    it('rejects an already-aborted signal with AbortedError before doing any work', async () => {
      const reports: Progress[] = [];
      const reason = new Error('stop');
      const t0 = performance.now();
      await assert.rejects(c.fitAsync({ signal: AbortSignal.abort(reason), onProgress: (p) => reports.push(p) }),
        (e: Error) => e instanceof AbortedError && (e as AbortedError).reason === reason && /(\.fitAsync|^ppmiEmbeddingsAsync) was aborted$/.test(e.message));
      assert.equal(reports.length, 0);
      assert.ok(performance.now() - t0 < 200, `took ${performance.now() - t0} ms`);
    });

    if (c.reports !== false) {
      it('stops when aborted from its own progress callback', async () => {
        const ctl = new AbortController();
        let reports = 0;
        await assert.rejects(c.fitAsync({ signal: ctl.signal, onProgress: () => { reports++; ctl.abort(); } }), AbortedError);
        // PCA, TruncatedSVD and LSA report from inside their solver (power iterations,
        // Lanczos restarts, the vectorizer), which checks the signal itself.
        assert.equal(reports, 1);
      });
    }

    if (c.long) {
      const long = c.long;
      it('AbortSignal.timeout(50) stops a fit of minutes within 1.5 s and frees its buffers', async () => {
        const before = heapInUse();
        const t0 = performance.now();
        await assert.rejects(long({ signal: AbortSignal.timeout(50) }),
          (e: Error) => e instanceof AbortedError && ((e as AbortedError).reason as Error).name === 'TimeoutError');
        const elapsed = performance.now() - t0;
        assert.ok(elapsed < 1500, `aborted after ${elapsed.toFixed(0)} ms`);
        // At most what it was: a garbage collection during the fit may run the sparse
        // kernels' FinalizationRegistry and free blocks that earlier tests left behind, so
        // the heap can end below its starting point (CI saw 116 kB less); a leak of the
        // aborted fit's own buffers would leave it above.
        if (c.heapReturns !== false) {
          const after = heapInUse();
          assert.ok(after <= before, `WebAssembly buffers released: ${after} bytes in use after, ${before} before`);
        }
      });

      it('lets a 5 ms interval timer fire while it iterates', { timeout: 20_000 }, async () => {
        // The interval starts at the first progress report (the set-up before it is one
        // block) and aborts the fit at its 10th tick: a fit that blocked the event loop would
        // never see that abort and would time the test out. Gaps between ticks are compared
        // with the longest iteration, which a loaded machine stretches just as much.
        const ctl = new AbortController();
        let timer: ReturnType<typeof setInterval> | undefined;
        let ticks = 0;
        let maxGap = 0;
        let last = 0;
        let lastReport = 0;
        let maxIteration = 0;
        const onProgress = (): void => {
          const t = performance.now();
          if (timer === undefined) {
            last = t;
            timer = setInterval(() => {
              const now = performance.now();
              maxGap = Math.max(maxGap, now - last);
              last = now;
              if (++ticks === 10) ctl.abort();
            }, 5);
          } else {
            maxIteration = Math.max(maxIteration, t - lastReport);
          }
          lastReport = t;
        };
        try {
          await assert.rejects(long({ signal: ctl.signal, onProgress }), AbortedError);
        } finally {
          clearInterval(timer);
        }
        assert.equal(ticks, 10);
        assert.ok(maxGap < 2 * maxIteration + 2 * SLICE_MS + 50,
          `the event loop was blocked for ${maxGap.toFixed(0)} ms; longest iteration ${maxIteration.toFixed(1)} ms`);
      });
    }
  });
}

describe('concurrent fitAsync runs', () => {
  it('interleave at their yields and each gives the fit of fit', async () => {
    const make = (seed: number): FunkSVD => new FunkSVD({ factors: 6, epochs: 4, threads: 1, seed });
    const [a, b] = await Promise.all([make(1).fitAsync(ratings), make(2).fitAsync(ratings)]);
    assert.deepEqual(Array.from(a.state.userFactors), Array.from(make(1).fit(ratings).state.userFactors));
    assert.deepEqual(Array.from(b.state.userFactors), Array.from(make(2).fit(ratings).state.userFactors));
  });
});

// ---------------------------------------------------------------------------------------
// The driver.

/** n steps that each record themselves; `finally` records the cleanup. */
function* counted(n: number, log: string[], work = 0): FitSteps<number> {
  try {
    for (let i = 0; i < n; i++) {
      yield;
      const end = performance.now() + work;
      while (performance.now() < end) { /* busy: a step of `work` ms */ }
      log.push(`step ${i}`);
    }
    return n;
  } finally {
    log.push('cleanup');
  }
}

describe('runSteps / runStepsAsync', () => {
  it('runSteps runs every step in one go and returns the result', () => {
    const log: string[] = [];
    assert.equal(runSteps(counted(3, log), undefined, 'test'), 3);
    assert.deepEqual(log, ['step 0', 'step 1', 'step 2', 'cleanup']);
  });

  it('an abort is seen at the next yield; the generator\'s finally runs before the error leaves', () => {
    const ctl = new AbortController();
    const log: string[] = [];
    function* steps(): FitSteps<void> {
      try {
        yield;
        log.push('one');
        ctl.abort('why');
        log.push('two');
        yield;
        log.push('never');
      } finally {
        log.push('cleanup');
      }
    }
    assert.throws(() => runSteps(steps(), ctl.signal, 'Thing.fit'),
      (e: Error) => e instanceof AbortedError && e.message === 'Thing.fit was aborted' && (e as AbortedError).reason === 'why');
    assert.deepEqual(log, ['one', 'two', 'cleanup']);
  });

  it('errors thrown by a step propagate from both drivers after its cleanup', async () => {
    function* failing(log: string[]): FitSteps<number> {
      try {
        yield;
        throw new RangeError('bad step');
      } finally {
        log.push('cleanup');
      }
    }
    const log: string[] = [];
    assert.throws(() => runSteps(failing(log), undefined, 'x'), RangeError);
    await assert.rejects(runStepsAsync(failing(log), undefined, 'x'), RangeError);
    assert.deepEqual(log, ['cleanup', 'cleanup']);
  });

  it('runStepsAsync returns before the first step and gives the event loop a turn every SLICE_MS', async () => {
    // Steps of 1 ms (busy) and a 1 ms interval that writes into the same log: between two
    // ticks run at most about SLICE_MS steps, however loaded the machine (a slice is
    // measured on the same clock as the steps). Without slicing all 200 would run in one go.
    const log: string[] = [];
    const p = runStepsAsync(counted(200, log, 1), undefined, 'test');
    assert.equal(log.length, 0, 'nothing ran inside the call');
    const timer = setInterval(() => log.push('tick'), 1);
    try {
      assert.equal(await p, 200);
    } finally {
      clearInterval(timer);
    }
    let run = 0;
    let longest = 0;
    for (const e of log) {
      if (e === 'tick') run = 0;
      else if (e.startsWith('step')) longest = Math.max(longest, ++run);
    }
    assert.ok(log.filter((e) => e === 'tick').length >= 5);
    assert.ok(longest <= SLICE_MS + 2, `${longest} steps of 1 ms ran without a turn of the event loop`);
  });

  it('runStepsAsync closes the generator when aborted between steps', async () => {
    const ctl = new AbortController();
    const log: string[] = [];
    const watcher = setInterval(() => { if (log.length >= 3) ctl.abort(); }, 1);
    try {
      await assert.rejects(runStepsAsync(counted(1e9, log, 1), ctl.signal, 'Long.fitAsync'), /Long.fitAsync was aborted/);
    } finally {
      clearInterval(watcher);
    }
    assert.equal(log.at(-1), 'cleanup');
    assert.ok(log.length > 3 && log.length < 1e9);
  });

  it('nextMacrotask resolves after timers and immediates already queued, not as a microtask', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('immediate'));
    void Promise.resolve().then(() => order.push('microtask'));
    await nextMacrotask();
    order.push('after');
    assert.deepEqual(order, ['microtask', 'immediate', 'after']);
  });

  it('macrotaskScheduler falls back to MessageChannel, then setTimeout, where setImmediate is missing (browsers)', async () => {
    const used: string[] = [];
    const viaChannel = macrotaskScheduler({ MessageChannel });
    const viaTimeout = macrotaskScheduler({ setTimeout: (cb, ms) => { used.push(`setTimeout ${ms}`); return setTimeout(cb, ms); } });
    await new Promise<void>((resolve) => viaChannel(resolve));
    await new Promise<void>((resolve) => viaTimeout(resolve));
    assert.deepEqual(used, ['setTimeout 0']);
  });

  it('src/fit-async.ts is browser-safe: no node: imports', () => {
    const src = readFileSync(new URL('../../src/fit-async.ts', import.meta.url), 'utf8');
    assert.doesNotMatch(src, /from ['"]node:/);
    assert.doesNotMatch(src, /require\(/);
  });
});
