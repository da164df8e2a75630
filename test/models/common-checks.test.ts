// The checks every estimator passes (as scikit-learn's `check_estimator`), run over ONE list
// of every estimator in the library. A new estimator goes into ESTIMATORS below: the first
// test scans the public exports of src/index.ts for classes with a `fit` method and fails
// naming any that the list misses.
//
// For each estimator: (1) an unknown option key is an InvalidArgumentError naming the key and
// the estimator; (2) fit modifies neither its input nor the options object; (3) fit is
// deterministic for a seed (two estimators, and one estimator fitted twice, give the same
// model); (4) the fitted model round-trips through JSON (`toJSON`/`fromJSON`) or its model
// file (`toBytes`/`fromBytes`) and predicts/transforms the same after; (5) empty data is a
// LowrankError (not a TypeError from deep inside); (6) an already-aborted signal makes `fit`
// throw and `fitAsync` reject with AbortedError.
//
// A check an estimator does not pass yet is marked `todo` in its entry (the reason says what
// fails); the assertion itself is never weakened.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as api from '../../src/index.js';
import {
  AbortedError,
  ALS,
  cp,
  cpAsync,
  CsrMatrix as Csr,
  mssa,
  mssaAsync,
  spectralClustering,
  spectralClusteringAsync,
  spectralEmbedding,
  spectralEmbeddingAsync,
  ssa,
  ssaAsync,
  Tensor,
  TensorTrain,
  ttSvd,
  ttSvdAsync,
  tucker,
  tuckerAsync,
  Baseline,
  CountVectorizer,
  CountVectorizerModel,
  FunkSVD,
  ImplicitALS,
  IncrementalPCA,
  IncrementalPCAModel,
  InvalidArgumentError,
  LatentFactorModel,
  LowrankError,
  LSA,
  LSAModel,
  Matrix,
  NMF,
  NMFModel,
  NMFTopics,
  NMFTopicsModel,
  PCA,
  PCAModel,
  plantedRatings,
  ppmiEmbeddings,
  ppmiEmbeddingsAsync,
  Ratings,
  SoftImpute,
  SoftImputeFit,
  SVDpp,
  TfidfVectorizer,
  TfidfVectorizerModel,
  TruncatedSVD,
  TruncatedSVDModel,
  WordEmbeddings,
  type CooEntries,
  type CsrMatrix,
  type LongTaskOptions,
} from '../../src/index.js';
import { rng } from '../helpers.js';

// ---------------------------------------------------------------------------------------
// The checks, by name (used in `todo`).

type Check = 'unknown option' | 'input untouched' | 'deterministic' | 'round trip' | 'empty data' | 'abort';

/** What an estimator's `fit` / `fitAsync` look like to the checks. */
interface Fitter<D, M> {
  fit(data: D, options?: LongTaskOptions): M;
  fitAsync?(data: D, options?: LongTaskOptions): Promise<M>;
}

/** One estimator: how to build it, what to fit it on, and how to compare fitted models. */
interface Spec<D, M> {
  /** The exported name (a class, or a function for function-form estimators). */
  name: string;
  /** Small options (with a seed where it has one), fast to fit. */
  options: Record<string, unknown>;
  /** Build the estimator from options (a function-form estimator reads them at fit time). */
  create(options: Record<string, unknown>): Fitter<D, M>;
  /** True for a function-form estimator, which can only reject options when called. */
  optionsAtFit?: boolean;
  /** A small seeded dataset, a fresh copy on every call. */
  data(): D;
  /** The same kind of input with no observations. */
  empty(): D;
  /** The arrays of the input, to compare before and after fit. */
  inputs(data: D): ArrayLike<unknown>[];
  /** Everything a fit learned, compared with deepEqual (bit for bit). */
  fingerprint(model: M): unknown;
  /**
   * The model written out and read back (JSON text, or the model file's bytes). Absent for a
   * decomposition that has no persisted form of its own (its arrays are what the CLI writes as
   * .npy files): the round-trip check is then not generated for it.
   */
  reload?(model: M): M;
  /** What the model predicts / transforms for `data`, compared with deepEqual. */
  outputs(model: M, data: D): unknown;
  /** Checks that fail today, with what fails. */
  todo?: Partial<Record<Check, string>>;
}

function spec<D, M>(s: Spec<D, M>): Spec<unknown, unknown> {
  return s as unknown as Spec<unknown, unknown>;
}

/** Through JSON text: `JSON.stringify` (which calls `toJSON`), then `fromJSON` of the parsed value. */
function viaJson<M>(fromJSON: (json: never) => M): (m: M) => M {
  return (m) => fromJSON(JSON.parse(JSON.stringify(m)) as never);
}

const flat = (m: Matrix): number[] => Array.from(m.toFlat());
const csr = (x: CsrMatrix): number[][] => [Array.from(x.indptr), Array.from(x.indices), Array.from(x.data)];

// ---------------------------------------------------------------------------------------
// Data: small and seeded.

const matrix = (): Matrix => Matrix.random(30, 8, { seed: 11 }); // >= 0, so NMF takes it too
const emptyMatrix = (): Matrix => Matrix.zeros(0, 8);

const ratings = (): Ratings => plantedRatings({ users: 40, items: 30, ratings: 500, rank: 3, seed: 12 }).ratings;
const emptyRatings = (): Ratings => Ratings.fromTriples([], [], []);
const ratingArrays = (r: Ratings): ArrayLike<unknown>[] => [r.users, r.items, r.values, r.ids.userIds, r.ids.itemIds];

function observed(): CooEntries {
  const g = rng(13);
  const rows: number[] = [], cols: number[] = [], values: number[] = [];
  for (let j = 0; j < 15; j++) {
    for (let i = 0; i < 20; i++) {
      if (g.nextDouble() < 0.5) {
        rows.push(i);
        cols.push(j);
        values.push(Math.sin(i + 1) * Math.cos(j + 2) + 0.1 * g.nextDouble());
      }
    }
  }
  return { rows, cols, values, shape: [20, 15] };
}

function docs(): string[] {
  const themes = [
    ['tax', 'budget', 'deficit', 'spending', 'revenue', 'dollars'],
    ['war', 'army', 'soldiers', 'peace', 'treaty', 'enemy'],
    ['school', 'teachers', 'students', 'education', 'college', 'learning'],
  ];
  const filler = ['nation', 'people', 'year', 'congress', 'great', 'country'];
  const g = rng(14);
  const out: string[] = [];
  for (let d = 0; d < 60; d++) {
    const words: string[] = [];
    for (let w = 0; w < 12; w++) words.push(w % 3 === 2 ? filler[g.nextInt(6)]! : themes[d % 3]![g.nextInt(6)]!);
    out.push(words.join(' '));
  }
  return out;
}

const tensor = (): Tensor => Tensor.random([6, 5, 4], { seed: 15 });
const emptyTensor = (): Tensor => Tensor.zeros([0, 5, 4]);
const flatTensor = (T: Tensor): number[] => Array.from(T.toFlat());

/** A noisy seasonal series of 60 values (series `k` shifts the phase). */
function series(k: number): Float64Array {
  const g = rng(16 + k);
  return Float64Array.from({ length: 60 }, (_, t) => 0.05 * t + Math.sin((2 * Math.PI * (t + 3 * k)) / 12) + 0.1 * g.nextDouble());
}

/** Two 6-cliques joined by one edge, as a symmetric CSR adjacency. */
function twoCliques(): Csr {
  const rows: number[] = [], cols: number[] = [], values: number[] = [];
  const edge = (i: number, j: number): void => {
    rows.push(i, j);
    cols.push(j, i);
    values.push(1, 1);
  };
  for (const base of [0, 6]) for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) edge(base + i, base + j);
  edge(5, 6);
  return Csr.fromCoo(rows, cols, values, 12, 12);
}

// ---------------------------------------------------------------------------------------
// Every estimator in the library.

const pcaLike = <M extends PCAModel>(m: M): unknown => m.toJSON();

const recommender = (name: string, make: (o: Record<string, unknown>) => Fitter<Ratings, LatentFactorModel>, options: Record<string, unknown>): Spec<unknown, unknown> =>
  spec<Ratings, LatentFactorModel>({
    name,
    options,
    create: make,
    data: ratings,
    empty: emptyRatings,
    inputs: ratingArrays,
    fingerprint: (m) => m.toBytes(),
    reload: (m) => LatentFactorModel.fromBytes(m.toBytes()),
    outputs: (m, d) => m.predictRatings(d),
  });

const ESTIMATORS: Spec<unknown, unknown>[] = [
  spec<Matrix, PCAModel>({
    name: 'PCA',
    options: { components: 3, solver: 'randomized', seed: 1 },
    create: (o) => new PCA(o),
    data: matrix,
    empty: emptyMatrix,
    inputs: (X) => [X.toFlat()],
    fingerprint: pcaLike,
    reload: viaJson(PCAModel.fromJSON),
    outputs: (m, X) => flat(m.transform(X)),
  }),
  spec<Matrix, IncrementalPCAModel>({
    name: 'IncrementalPCA',
    options: { components: 3, batchSize: 10 },
    create: (o) => new IncrementalPCA(o),
    data: matrix,
    empty: emptyMatrix,
    inputs: (X) => [X.toFlat()],
    fingerprint: pcaLike,
    reload: viaJson(IncrementalPCAModel.fromJSON),
    outputs: (m, X) => flat(m.transform(X)),
  }),
  spec<Matrix, TruncatedSVDModel>({
    name: 'TruncatedSVD',
    options: { components: 3, seed: 1 },
    create: (o) => new TruncatedSVD(o),
    data: matrix,
    empty: emptyMatrix,
    inputs: (X) => [X.toFlat()],
    fingerprint: (m) => m.toJSON(),
    reload: viaJson(TruncatedSVDModel.fromJSON),
    outputs: (m, X) => flat(m.transform(X)),
  }),
  spec<Matrix, NMFModel>({
    name: 'NMF',
    options: { components: 3, maxIter: 20, seed: 1 },
    create: (o) => new NMF(o as { components: number }),
    data: matrix,
    empty: emptyMatrix,
    inputs: (X) => [X.toFlat()],
    fingerprint: (m) => m.toJSON(),
    reload: viaJson(NMFModel.fromJSON),
    outputs: (m, X) => flat(m.transform(X)),
  }),
  spec<CooEntries, SoftImputeFit>({
    name: 'SoftImpute',
    options: { rank: 3, lambda: 0.1, maxIter: 10, seed: 1 },
    create: (o) => new SoftImpute(o),
    data: observed,
    empty: () => ({ rows: [], cols: [], values: [], shape: [0, 15] }),
    inputs: (c) => [c.rows, c.cols, c.values, c.shape],
    fingerprint: (m) => [flat(m.factors.U), Array.from(m.factors.s), flat(m.factors.Vt), Array.from(m.objective)],
    reload: viaJson(SoftImputeFit.fromJSON),
    outputs: (m, c) => [Array.from(m.predictEntries(c.rows, c.cols)), flat(m.complete())],
  }),
  spec<string[], LSAModel>({
    name: 'LSA',
    options: { components: 3, seed: 1 },
    create: (o) => new LSA(o as { components: number }),
    data: docs,
    empty: () => [],
    inputs: (d) => [d],
    fingerprint: (m) => m.toJSON(),
    reload: viaJson(LSAModel.fromJSON),
    outputs: (m, d) => flat(m.transform(d)),
  }),
  spec<string[], NMFTopicsModel>({
    name: 'NMFTopics',
    options: { topics: 3, nmf: { maxIter: 20, seed: 1 } },
    create: (o) => new NMFTopics(o as { topics: number }),
    data: docs,
    empty: () => [],
    inputs: (d) => [d],
    fingerprint: (m) => m.toJSON(),
    reload: viaJson(NMFTopicsModel.fromJSON),
    outputs: (m, d) => flat(m.transform(d)),
  }),
  spec<string[], CountVectorizerModel>({
    name: 'CountVectorizer',
    options: { minDf: 2 },
    create: (o) => new CountVectorizer(o),
    data: docs,
    empty: () => [],
    inputs: (d) => [d],
    fingerprint: (m) => m.toJSON(),
    reload: viaJson(CountVectorizerModel.fromJSON),
    outputs: (m, d) => csr(m.transform(d)),
  }),
  spec<string[], TfidfVectorizerModel>({
    name: 'TfidfVectorizer',
    options: { minDf: 2, sublinearTf: true },
    create: (o) => new TfidfVectorizer(o),
    data: docs,
    empty: () => [],
    inputs: (d) => [d],
    fingerprint: (m) => m.toJSON(),
    reload: viaJson(TfidfVectorizerModel.fromJSON),
    outputs: (m, d) => csr(m.transform(d)),
  }),
  spec<string[], WordEmbeddings>({
    name: 'ppmiEmbeddings',
    options: { dim: 4, window: 2, minCount: 1, seed: 1 },
    create: (o) => ({
      fit: (corpus, f) => ppmiEmbeddings(corpus, { ...o, ...f }),
      fitAsync: (corpus, f) => ppmiEmbeddingsAsync(corpus, { ...o, ...f }),
    }),
    optionsAtFit: true,
    data: docs,
    empty: () => [],
    inputs: (d) => [d],
    fingerprint: (m) => m.toJSON(),
    reload: viaJson(WordEmbeddings.fromJSON),
    outputs: (m) => [flat(m.vectors), m.nearest('tax', 3)],
  }),
  recommender('FunkSVD', (o) => new FunkSVD(o), { factors: 4, epochs: 5, seed: 1 }),
  recommender('SVDpp', (o) => new SVDpp(o), { factors: 4, epochs: 5, seed: 1 }),
  recommender('Baseline', (o) => new Baseline(o), { epochs: 5 }),
  recommender('Baseline', (o) => new Baseline(o), { method: 'sgd', epochs: 5, seed: 1 }),
  recommender('ALS', (o) => new ALS(o), { factors: 4, iterations: 3, seed: 1 }),
  recommender('ImplicitALS', (o) => new ImplicitALS(o), { factors: 4, iterations: 3, alpha: 5, seed: 1 }),
  // Function-form decompositions of the tensor, dynamics and graph families: options are read
  // at call time, so they reject unknown keys when called.
  spec<Tensor, ReturnType<typeof tucker>>({
    name: 'tucker',
    options: { maxIter: 5 },
    create: (o) => ({ fit: (T, f) => tucker(T, [2, 2, 2], { ...o, ...f }), fitAsync: (T, f) => tuckerAsync(T, [2, 2, 2], { ...o, ...f }) }),
    optionsAtFit: true,
    data: tensor,
    empty: emptyTensor,
    inputs: (T) => [T.data],
    fingerprint: (m) => [flatTensor(m.core), m.factors.map(flat), m.relativeError],
    outputs: (m) => flatTensor(m.full()),
  }),
  spec<Tensor, ReturnType<typeof cp>>({
    name: 'cp',
    options: { maxIter: 5, init: 'random', seed: 3 },
    create: (o) => ({ fit: (T, f) => cp(T, 2, { ...o, ...f }), fitAsync: (T, f) => cpAsync(T, 2, { ...o, ...f }) }),
    optionsAtFit: true,
    data: tensor,
    empty: emptyTensor,
    inputs: (T) => [T.data],
    fingerprint: (m) => [Array.from(m.weights), m.factors.map(flat), Array.from(m.fitHistory)],
    outputs: (m) => flatTensor(m.full()),
  }),
  spec<Tensor, ReturnType<typeof ttSvd>>({
    name: 'ttSvd',
    options: { eps: 0.1 },
    create: (o) => ({ fit: (T, f) => ttSvd(T, { ...o, ...f }), fitAsync: (T, f) => ttSvdAsync(T, { ...o, ...f }) }),
    optionsAtFit: true,
    data: tensor,
    empty: emptyTensor,
    inputs: (T) => [T.data],
    fingerprint: (m) => [m.tt.toJSON(), m.relativeError],
    reload: (m) => ({ ...m, tt: TensorTrain.fromJSON(JSON.parse(JSON.stringify(m.tt))) }),
    outputs: (m) => flatTensor(m.tt.full()),
  }),
  spec<Float64Array, ReturnType<typeof ssa>>({
    name: 'ssa',
    options: { window: 12, rank: 4, solver: 'randomized', seed: 2 },
    create: (o) => ({ fit: (x, f) => ssa(x, { ...o, ...f }), fitAsync: (x, f) => ssaAsync(x, { ...o, ...f }) }),
    optionsAtFit: true,
    data: () => series(0),
    empty: () => new Float64Array(0),
    inputs: (x) => [x],
    fingerprint: (m) => [Array.from(m.s), flat(m.U), flat(m.V)],
    outputs: (m) => Array.from(m.forecast(5)),
  }),
  spec<Float64Array[], ReturnType<typeof mssa>>({
    name: 'mssa',
    options: { window: 12, rank: 4, solver: 'randomized', seed: 2 },
    create: (o) => ({ fit: (x, f) => mssa(x, { ...o, ...f }), fitAsync: (x, f) => mssaAsync(x, { ...o, ...f }) }),
    optionsAtFit: true,
    data: () => [series(0), series(1)],
    empty: () => [],
    inputs: (x) => x,
    fingerprint: (m) => [Array.from(m.s), flat(m.U), flat(m.V)],
    outputs: (m) => flat(m.U),
  }),
  spec<Csr, ReturnType<typeof spectralEmbedding>>({
    name: 'spectralEmbedding',
    options: { seed: 4 },
    create: (o) => ({ fit: (A, f) => spectralEmbedding(A, 2, { ...o, ...f }), fitAsync: (A, f) => spectralEmbeddingAsync(A, 2, { ...o, ...f }) }),
    optionsAtFit: true,
    data: twoCliques,
    empty: () => Csr.fromCoo([], [], [], 0, 0),
    inputs: (A) => csr(A),
    fingerprint: (m) => flat(m.embedding),
    outputs: (m) => flat(m.embedding),
  }),
  spec<Csr, ReturnType<typeof spectralClustering>>({
    name: 'spectralClustering',
    options: { seed: 4 },
    create: (o) => ({ fit: (A, f) => spectralClustering(A, 2, { ...o, ...f }), fitAsync: (A, f) => spectralClusteringAsync(A, 2, { ...o, ...f }) }),
    optionsAtFit: true,
    data: twoCliques,
    empty: () => Csr.fromCoo([], [], [], 0, 0),
    inputs: (A) => csr(A),
    fingerprint: (m) => Array.from(m.labels),
    outputs: (m) => Array.from(m.labels),
  }),
];

// ---------------------------------------------------------------------------------------

describe('the estimator list', () => {
  it('names every public class with a fit method (add a new estimator to ESTIMATORS)', () => {
    const listed = new Set(ESTIMATORS.map((s) => s.name));
    const missing = Object.entries(api)
      .filter(([, v]) => typeof v === 'function' && typeof (v as { prototype?: { fit?: unknown } }).prototype?.fit === 'function')
      .map(([k]) => k)
      .filter((k) => !listed.has(k));
    assert.deepEqual(missing, [], `estimators missing from ESTIMATORS in test/models/common-checks.test.ts: ${missing.join(', ')}`);
  });

  it('lists only public names', () => {
    for (const s of ESTIMATORS) assert.equal(typeof (api as Record<string, unknown>)[s.name], 'function', `${s.name} is not exported by src/index.ts`);
  });
});

const clone = (a: ArrayLike<unknown>[]): unknown[][] => a.map((x) => Array.from(x));
const label = (s: Spec<unknown, unknown>): string => (s.options.method ? `${s.name} (${String(s.options.method)})` : s.name);

for (const s of ESTIMATORS) {
  const todo = (c: Check): { todo?: string } => (s.todo?.[c] ? { todo: s.todo[c] } : {});

  describe(label(s), () => {
    it('rejects an unknown option, naming it and the estimator', todo('unknown option'), () => {
      const bad = { ...s.options, notAnOption: 1 };
      const isNamed = (e: unknown): boolean =>
        e instanceof InvalidArgumentError && e.message.includes('notAnOption') && e.message.includes(s.name);
      if (s.optionsAtFit) assert.throws(() => s.create(bad).fit(s.data()), isNamed);
      else assert.throws(() => s.create(bad), isNamed);
    });

    it('modifies neither its input nor its options', todo('input untouched'), () => {
      const data = s.data();
      const before = clone(s.inputs(data));
      const options = structuredClone(s.options);
      s.create(options).fit(data);
      assert.deepEqual(clone(s.inputs(data)), before);
      assert.deepEqual(options, s.options);
    });

    it('fits the same model twice for a seed, from one estimator or two', todo('deterministic'), () => {
      const est = s.create(s.options);
      const a = s.fingerprint(est.fit(s.data()));
      assert.deepEqual(s.fingerprint(est.fit(s.data())), a);
      assert.deepEqual(s.fingerprint(s.create(s.options).fit(s.data())), a);
    });

    if (s.reload) it('round-trips the fitted model and predicts / transforms the same after', todo('round trip'), () => {
      const data = s.data();
      const m = s.create(s.options).fit(data);
      const back = s.reload!(m);
      assert.deepEqual(s.fingerprint(back), s.fingerprint(m));
      assert.deepEqual(s.outputs(back, data), s.outputs(m, data));
    });

    it('throws a LowrankError on empty data', todo('empty data'), async () => {
      const isClear = (e: unknown): boolean => e instanceof LowrankError && !(e instanceof AbortedError);
      assert.throws(() => s.create(s.options).fit(s.empty()), isClear);
      const est = s.create(s.options);
      if (est.fitAsync) await assert.rejects(est.fitAsync(s.empty()), isClear);
    });

    it('stops on an aborted signal: fit throws and fitAsync rejects with AbortedError', todo('abort'), async () => {
      const signal = AbortSignal.abort();
      assert.throws(() => s.create(s.options).fit(s.data(), { signal }), AbortedError);
      const est = s.create(s.options);
      assert.equal(typeof est.fitAsync, 'function', `${s.name} has a fitAsync`);
      await assert.rejects(est.fitAsync!(s.data(), { signal }), AbortedError);
    });
  });
}
