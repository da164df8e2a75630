/**
 * The fitted latent-factor recommender every estimator returns (Baseline, FunkSVD, SVDpp,
 * ALS, ImplicitALS): predictions r = mu + b_u + b_i + p_u . q_i (Koren, Bell & Volinsky 2009,
 * "Matrix factorization techniques for recommender systems"), clipped to the training rating
 * scale, with the cold-start fallbacks of that paper: an unknown user gets mu + b_i, an
 * unknown item mu + b_u, both unknown the global mean mu, and every prediction says which
 * fallback it used. Implicit-feedback models (kind 'implicit') predict unclipped preference
 * scores p_u . q_i instead.
 *
 * IDs: `user` and `item` arguments are external IDs compared as strings (the user `7` and
 * `'7'` are the same); internal dense indices are used only by the `*Index` fast paths.
 */
import { InvalidArgumentError } from '../../../errors.js';
import { Matrix } from '../../../matrix/matrix.js';
import { AlsScratch, gramPlusRidge, solveExplicitRow, solveImplicitRowCholesky } from '../../../kernels/als-row-solve.js';
import { decodeModel, encodeModel } from './file.js';
import type { FactorModelState } from './state.js';
import type { Ratings } from '../data/ratings.js';
import { ItemScorer, type RankedIndices, type ScoringQuery } from './scoring.js';
import { topN } from './top-n.js';

/** Which side of a prediction had no training data. */
export type ColdStart = 'none' | 'user' | 'item' | 'both';

/** One prediction. */
export interface Prediction {
  /** Predicted rating (explicit models, clipped to the rating scale) or preference score (implicit). */
  readonly value: number;
  /** True when the raw prediction lay outside the rating scale and was clipped. */
  readonly clipped: boolean;
  /** 'user' when the user was unknown (fallback mu + b_i), 'item' when the item was (mu + b_u), 'both' (mu). */
  readonly coldStart: ColdStart;
}

/** Options of {@link LatentFactorModel.recommend}. */
export interface RecommendOptions {
  /** How many items (default 10). */
  n?: number;
  /** Leave out items the user rated in training (default true). */
  excludeSeen?: boolean;
}

/** One user's top-n as model indices: item indices best first and their scores as {@link LatentFactorModel.recommend} reports them. */
export interface RankedItems {
  /** Item indices (into `state.ids.itemIds`), best first. */
  readonly items: Int32Array;
  /** Predicted rating (clipped, explicit models) or preference score of each. */
  readonly scores: Float64Array;
}

/** One recommended (or similar) item. */
export interface ScoredItem {
  /** External item ID. */
  readonly item: string;
  /** Predicted rating / preference (recommend) or cosine similarity (similarItems). */
  readonly score: number;
}

/** One (item, rating) of a user not seen in training, for {@link LatentFactorModel.foldIn}. */
export interface FoldInRating {
  /** External item ID (a number is matched as its string form). */
  readonly item: string | number;
  /** The user's rating of it (a finite number; >= 0 for implicit models). */
  readonly rating: number;
}

/** Options of {@link LatentFactorModel.foldIn}. */
export interface FoldInOptions {
  /**
   * Ridge penalty lambda (times the number of ratings, as in ALS-WR). Default: the model's
   * `reg` hyperparameter, else 0.1 (explicit) / 0.01 (implicit).
   */
  reg?: number;
}

/** A user folded into a fitted model without retraining ({@link LatentFactorModel.foldIn}). */
export interface FoldedUser {
  /** The user's latent factors (length = model factors). */
  readonly factors: Float32Array;
  /** The user's bias b_u (0 for models without biases). */
  readonly bias: number;
  /** Model indices of the known items the user rated (excluded by recommendFor). */
  readonly seen: Int32Array;
  /** Items given to foldIn that the model does not know (ignored by the solve). */
  readonly unknownItems: readonly string[];
}

/** Factor matrices and biases as dense matrices, for `.npy` export. */
export interface ExportedFactors {
  /** nUsers x factors, float32. */
  readonly userFactors: Matrix;
  /** nItems x factors, float32. */
  readonly itemFactors: Matrix;
  /** b_u of each user (a copy; zeros for unbiased models). */
  readonly userBias: Float32Array;
  /** b_i of each item (a copy; zeros for unbiased models). */
  readonly itemBias: Float32Array;
}

/**
 * A fitted latent-factor recommender. Construct from a {@link FactorModelState} (estimators'
 * `fit` do) or {@link LatentFactorModel.fromBytes}.
 */
export class LatentFactorModel {
  /** The learned parameters (shared, not copied: treat as read-only). */
  readonly state: FactorModelState;
  private itemNorms: Float64Array | undefined;
  private implicitGram: Float64Array | undefined;
  private itemCounts: Int32Array | undefined;
  private scorer: ItemScorer | null | undefined;
  private readonly testMaps = new WeakMap<object, { users: Int32Array; items: Int32Array }>();
  // 1 for users/items with at least one training rating: the others (present in a shared ID
  // space but absent from the training part of a split) take the cold-start path.
  private readonly userTrained: Uint8Array;
  private readonly itemTrained: Uint8Array;
  /** Users known to the model. */
  readonly nUsers: number;
  /** Items known to the model. */
  readonly nItems: number;

  /** @throws InvalidArgumentError when the arrays of `state` do not fit its dimensions. */
  constructor(state: FactorModelState) {
    const nu = state.ids.userIds.length;
    const ni = state.ids.itemIds.length;
    const f = state.factors;
    const bad = (what: string, got: number, want: number): never => {
      throw new InvalidArgumentError(`LatentFactorModel: ${what} has length ${got}, expected ${want} (${nu} users, ${ni} items, ${f} factors)`);
    };
    if (!(Number.isInteger(f) && f >= 0)) throw new InvalidArgumentError(`LatentFactorModel: factors must be a non-negative integer, got ${f}`);
    if (state.userBias.length !== nu) bad('userBias', state.userBias.length, nu);
    if (state.itemBias.length !== ni) bad('itemBias', state.itemBias.length, ni);
    if (state.userFactors.length !== nu * f) bad('userFactors', state.userFactors.length, nu * f);
    if (state.itemFactors.length !== ni * f) bad('itemFactors', state.itemFactors.length, ni * f);
    if (state.seenIndptr.length !== nu + 1) bad('seenIndptr', state.seenIndptr.length, nu + 1);
    if (state.seenIndptr[nu] !== state.seenItems.length) bad('seenItems', state.seenItems.length, state.seenIndptr[nu]!);
    const [lo, hi] = state.ratingScale;
    if (!(lo <= hi)) throw new InvalidArgumentError(`LatentFactorModel: ratingScale [${lo}, ${hi}] is empty`);
    this.state = state;
    this.nUsers = nu;
    this.nItems = ni;
    this.userTrained = new Uint8Array(nu);
    this.itemTrained = new Uint8Array(ni);
    for (let u = 0; u < nu; u++) this.userTrained[u] = state.seenIndptr[u + 1]! > state.seenIndptr[u]! ? 1 : 0;
    for (const j of state.seenItems) {
      if (!(j >= 0 && j < ni)) throw new InvalidArgumentError(`LatentFactorModel: seen item index ${j} outside 0..${ni - 1}`);
      this.itemTrained[j] = 1;
    }
    // A model imported without its training ratings (a Spark ALSModel, src/io/spark.ts) knows
    // every user and item it has factors for.
    if (state.hyperparameters['seenRecorded'] === false) {
      this.userTrained.fill(1);
      this.itemTrained.fill(1);
    }
  }

  /** Whether the model learned anything about this user (known and rated at least one training item). */
  hasUser(user: string | number): boolean {
    const u = this.userIndex(user);
    return u >= 0 && this.userTrained[u] === 1;
  }

  /** Whether the model learned anything about this item (known and rated in training). */
  hasItem(item: string | number): boolean {
    const i = this.itemIndex(item);
    return i >= 0 && this.itemTrained[i] === 1;
  }

  /** The estimator that produced this model ('funksvd', 'als', ...). */
  get algorithm(): FactorModelState['algorithm'] {
    return this.state.algorithm;
  }

  /** 'explicit' (ratings) or 'implicit' (preferences). */
  get kind(): 'explicit' | 'implicit' {
    return this.state.kind;
  }

  /** Latent dimension. */
  get factors(): number {
    return this.state.factors;
  }

  /** Index of an external user ID, or -1 when the model does not know it. */
  userIndex(user: string | number): number {
    return this.state.ids.userIndex.get(String(user)) ?? -1;
  }

  /** Index of an external item ID, or -1 when the model does not know it. */
  itemIndex(item: string | number): number {
    return this.state.ids.itemIndex.get(String(item)) ?? -1;
  }

  /**
   * Predict the rating (or preference) of `user` for `item`, with cold-start fallbacks.
   * O(factors).
   */
  predict(user: string | number, item: string | number): Prediction {
    const u = this.known(this.userIndex(user), this.userTrained);
    const i = this.known(this.itemIndex(item), this.itemTrained);
    const raw = this.rawIndex(u, i);
    const coldStart: ColdStart = u < 0 ? (i < 0 ? 'both' : 'user') : i < 0 ? 'item' : 'none';
    return this.finish(raw, coldStart);
  }

  /**
   * Fast path of {@link predict} on model indices (a negative index means unknown and takes
   * the cold-start fallback); the value is clipped for explicit models. O(factors).
   */
  predictIndex(u: number, i: number): number {
    return this.clip(this.rawIndex(this.known(u, this.userTrained), this.known(i, this.itemTrained)));
  }

  /**
   * Predictions for every rating of `test`, in its order. `test` may share the model's ID
   * space (a split of the training table: indices are used directly) or have its own
   * (IDs are matched by string; unknown ones take the cold-start fallback). O(size * factors).
   */
  predictRatings(test: Ratings): Float32Array {
    const out = new Float32Array(test.size);
    const same = test.ids === this.state.ids;
    const map = same ? undefined : this.mapIds(test);
    for (let r = 0; r < test.size; r++) {
      const u = map ? map.users[test.users[r]!]! : test.users[r]!;
      const i = map ? map.items[test.items[r]!]! : test.items[r]!;
      out[r] = this.clip(this.rawIndex(this.known(u, this.userTrained), this.known(i, this.itemTrained)));
    }
    return out;
  }

  /**
   * Top-n items for `user` by predicted score, leaving out the items the user rated in
   * training unless `excludeSeen: false`; ties go to the item first seen in training. An
   * unknown user gets the items with the largest mu + b_i (explicit models) or the
   * most-rated items (implicit): check {@link hasUser} to tell.
   *
   * Every item is scored by one float32 gemv (WASM SIMD) over a copy of the item factors
   * made in the kernels' memory on the first call (nItems x factors floats, kept while the
   * model lives), a bounded heap keeps the items that can still be in the top n, and those
   * are scored exactly in float64: the list is the one ranking every item in float64 would
   * give (see ./scoring.ts). O(nItems * factors) in gemv + O(nItems + n log n).
   */
  recommend(user: string | number, options: RecommendOptions = {}): ScoredItem[] {
    const { n, excludeSeen } = recommendOptions(options);
    const u = this.known(this.userIndex(user), this.userTrained);
    const r = this.rankUsers(Int32Array.of(u), n, excludeSeen)[0]!;
    return this.scoredItems(r);
  }

  /**
   * {@link recommend} for many users at once, by model index (-1, or a user without training
   * ratings, gets the cold-start ranking): the same lists and scores, with the users scored in
   * batches by one float32 gemm each (WASM SIMD, threads as set by `setThreads`). For
   * serving a whole user base (`lowrank recommend top --all`, Spark's recommendForAllUsers)
   * and evaluation. O(users * nItems * factors) in gemm + O(users * (nItems + n log n)).
   */
  recommendBatch(users: Int32Array, options: RecommendOptions = {}): RankedItems[] {
    const { n, excludeSeen } = recommendOptions(options);
    return this.rankUsers(users, n, excludeSeen).map((r) => ({ items: r.items, scores: r.scores.map((v) => this.clip(v)) }));
  }

  /**
   * Top-n item indices for many users at once, for evaluation: {@link recommendBatch}'s
   * lists (ranking by the unclipped score, as {@link recommend}) without the scores.
   */
  topNForUsers(users: Int32Array, n: number, excludeSeen = true): Int32Array[] {
    checkCount(n, 'topNForUsers: n');
    return this.rankUsers(users, n, excludeSeen).map((r) => r.items);
  }

  /**
   * The `n` items most similar to `item` by cosine similarity of their factor vectors
   * (the item itself excluded). Item norms are computed once, on first call. O(nItems * factors).
   * @throws InvalidArgumentError when the item is unknown or the model has no factors.
   */
  similarItems(item: string | number, n = 10): ScoredItem[] {
    const i = this.known(this.itemIndex(item), this.itemTrained);
    if (i < 0) throw new InvalidArgumentError(`similarItems: item '${item}' is not in the model (or has no training ratings)`);
    const f = this.factors;
    if (f === 0) throw new InvalidArgumentError(`similarItems: a ${this.algorithm} model has no item factors`);
    checkCount(n, 'similarItems: n');
    const Q = this.state.itemFactors;
    if (!this.itemNorms) {
      const norms = new Float64Array(this.nItems);
      for (let j = 0; j < this.nItems; j++) {
        let s = 0;
        for (let a = 0; a < f; a++) s += Q[j * f + a]! * Q[j * f + a]!;
        norms[j] = Math.sqrt(s);
      }
      this.itemNorms = norms;
    }
    const norms = this.itemNorms;
    const scores = new Float64Array(this.nItems);
    this.scoreAll(Q, i * f, 0, scores, true);
    const ni = norms[i]!;
    for (let j = 0; j < this.nItems; j++) {
      const d = ni * norms[j]!;
      scores[j] = d > 0 ? scores[j]! / d : 0;
    }
    const skip = new Uint8Array(this.nItems);
    skip[i] = 1;
    return this.ranked(scores, n, skip, true);
  }

  /**
   * Factors (and bias) for a user not in the training data, from their ratings, without
   * retraining: one ALS half-step for that user with the item side fixed (Zhou et al. 2008
   * ridge problem with penalty reg * n; for implicit models the Hu et al. 2008 confidence-
   * weighted problem with the model's alpha). Unknown items are ignored and listed. A user
   * with no known item gets zero factors and bias (predictions fall back to mu + b_i).
   * O(n f^2 + f^3).
   */
  foldIn(ratings: readonly FoldInRating[], options: FoldInOptions = {}): FoldedUser {
    const hp = this.state.hyperparameters;
    const implicit = this.kind === 'implicit';
    const reg = options.reg ?? (typeof hp['reg'] === 'number' ? hp['reg'] : implicit ? 0.01 : 0.1);
    if (!(Number.isFinite(reg) && reg >= 0)) throw new InvalidArgumentError(`foldIn: reg must be a finite number >= 0, got ${reg}`);
    const idx: number[] = [];
    const vals: number[] = [];
    const unknownItems: string[] = [];
    const seenSet = new Set<number>();
    for (const { item, rating } of ratings) {
      if (!Number.isFinite(rating)) throw new InvalidArgumentError(`foldIn: rating of item '${item}' is ${rating}; ratings must be finite`);
      if (implicit && rating < 0) throw new InvalidArgumentError(`foldIn: implicit feedback must be >= 0, got ${rating} for item '${item}'`);
      const i = this.known(this.itemIndex(item), this.itemTrained);
      if (i < 0) {
        unknownItems.push(String(item));
        continue;
      }
      idx.push(i);
      vals.push(rating);
      seenSet.add(i);
    }
    const f = this.factors;
    const factors = new Float32Array(f);
    let bias = 0;
    const seen = Int32Array.from([...seenSet].sort((a, b) => a - b));
    if (idx.length > 0 && (f > 0 || this.biased())) {
      const I = Int32Array.from(idx);
      const V = Float32Array.from(vals);
      if (implicit) {
        const alpha = typeof hp['alpha'] === 'number' ? hp['alpha'] : 1;
        this.implicitGram ??= gramPlusRidge(this.state.itemFactors, this.nItems, f, 0);
        const G = this.implicitGram.slice();
        for (let a = 0; a < f; a++) G[a * f + a] = G[a * f + a]! + reg;
        const s = new AlsScratch(f, false);
        solveImplicitRowCholesky(G, this.state.itemFactors, f, I, V, 0, I.length, alpha, s, factors, 0);
      } else {
        const biased = this.biased();
        const s = new AlsScratch(f + (biased ? 1 : 0), false);
        bias = solveExplicitRow(this.state.itemFactors, this.state.itemBias, f, I, V, 0, I.length, this.state.globalMean, reg, biased, s, factors, 0);
      }
    }
    return { factors, bias, seen, unknownItems };
  }

  /** {@link predict} for a folded-in user. */
  predictFor(user: FoldedUser, item: string | number): Prediction {
    this.checkFolded(user);
    const i = this.known(this.itemIndex(item), this.itemTrained);
    const s = this.state;
    if (i < 0) return this.finish(s.globalMean + user.bias, 'item');
    const f = this.factors;
    let raw = s.globalMean + user.bias + s.itemBias[i]!;
    for (let a = 0; a < f; a++) raw += user.factors[a]! * s.itemFactors[i * f + a]!;
    return this.finish(raw, 'none');
  }

  /** {@link recommend} for a folded-in user (excludeSeen leaves out the items given to foldIn). */
  recommendFor(user: FoldedUser, options: RecommendOptions = {}): ScoredItem[] {
    this.checkFolded(user);
    const { n, excludeSeen } = recommendOptions(options);
    const q: ScoringQuery = { x: user.factors, off: 0, base: this.state.globalMean + user.bias, seen: excludeSeen ? user.seen : null, seenStart: 0, seenEnd: user.seen.length };
    return this.scoredItems(this.rankQueries([q], n)[0]!);
  }

  /** Factors and biases as float32 matrices (row u of userFactors is p_u), e.g. to write `.npy` files. */
  exportFactors(): ExportedFactors {
    const s = this.state;
    const f = s.factors;
    // Row-major nUsers x f is a column-major view with row stride f and column stride 1.
    return {
      userFactors: new Matrix(s.userFactors, this.nUsers, f, 0, Math.max(1, f), 1).copy(),
      itemFactors: new Matrix(s.itemFactors, this.nItems, f, 0, Math.max(1, f), 1).copy(),
      userBias: s.userBias.slice(),
      itemBias: s.itemBias.slice(),
    };
  }

  /** The model as a versioned `.lrm` byte image (see ./file.ts). */
  toBytes(): Uint8Array {
    return encodeModel(this.state);
  }

  /**
   * Read a model from {@link toBytes} output.
   * @throws ParseError on a truncated, corrupt or unknown-version image.
   */
  static fromBytes(bytes: Uint8Array, source = '<buffer>'): LatentFactorModel {
    return new LatentFactorModel(decodeModel(bytes, source));
  }

  // --- internals ---

  /** Whether predictions use biases: explicit models unless hyperparameters.biased === false. */
  private biased(): boolean {
    return this.kind === 'explicit' && this.state.hyperparameters['biased'] !== false;
  }

  // The index when it is in range and has training data, else -1 (cold start).
  private known(k: number, trained: Uint8Array): number {
    return k >= 0 && k < trained.length && trained[k] === 1 ? k : -1;
  }

  private rawIndex(u: number, i: number): number {
    const s = this.state;
    let raw = s.globalMean;
    if (u >= 0) raw += s.userBias[u]!;
    if (i >= 0) raw += s.itemBias[i]!;
    if (u >= 0 && i >= 0) {
      const f = s.factors;
      const P = s.userFactors;
      const Q = s.itemFactors;
      const pu = u * f;
      const qi = i * f;
      let d = 0;
      for (let a = 0; a < f; a++) d += P[pu + a]! * Q[qi + a]!;
      raw += d;
    }
    return raw;
  }

  private clip(raw: number): number {
    if (this.kind === 'implicit') return raw;
    const [lo, hi] = this.state.ratingScale;
    return raw < lo ? lo : raw > hi ? hi : raw;
  }

  private finish(raw: number, coldStart: ColdStart): Prediction {
    const value = this.clip(raw);
    return { value, clipped: value !== raw, coldStart };
  }

  // scores[j] = base + b_j + x . q_j with base = mu + b_u (or the bare dot products when `dotOnly`).
  private scoreAll(x: Float32Array, off: number, base: number, scores: Float64Array, dotOnly = false): void {
    const s = this.state;
    const f = s.factors;
    const Q = s.itemFactors;
    const xs = new Float64Array(f);
    for (let a = 0; a < f; a++) xs[a] = x[off + a]!;
    if (dotOnly) base = 0;
    for (let j = 0; j < this.nItems; j++) {
      const q = j * f;
      let d = 0;
      for (let a = 0; a < f; a++) d += xs[a]! * Q[q + a]!;
      scores[j] = base + (dotOnly ? 0 : s.itemBias[j]!) + d;
    }
    // Items without training ratings take their fallback (mu + b_u), or drop out (NaN) of similarity rankings.
    for (let j = 0; j < this.nItems; j++) if (this.itemTrained[j] === 0) scores[j] = dotOnly ? NaN : base;
  }

  // Unknown user: explicit mu + b_i; implicit (no biases) training popularity.
  private coldScores(scores: Float64Array): void {
    const s = this.state;
    if (this.kind === 'explicit') {
      for (let j = 0; j < this.nItems; j++) scores[j] = s.globalMean + s.itemBias[j]!;
      return;
    }
    if (!this.itemCounts) {
      const c = new Int32Array(this.nItems);
      for (const j of s.seenItems) c[j] = c[j]! + 1;
      this.itemCounts = c;
    }
    for (let j = 0; j < this.nItems; j++) scores[j] = this.itemCounts[j]!;
  }

  // The top n of each user (model indices; cold users by coldScores), unclipped scores.
  private rankUsers(users: Int32Array, n: number, excludeSeen: boolean): RankedIndices[] {
    const s = this.state;
    const f = s.factors;
    const out: RankedIndices[] = new Array(users.length);
    const queries: ScoringQuery[] = [];
    const slots: number[] = [];
    let cold: RankedIndices | undefined;
    for (let k = 0; k < users.length; k++) {
      const u = this.known(users[k]!, this.userTrained);
      if (u < 0) {
        if (!cold) {
          const scores = new Float64Array(this.nItems);
          this.coldScores(scores);
          const items = topN(scores, n, null);
          cold = { items, scores: Float64Array.from(items, (j) => scores[j]!) };
        }
        out[k] = cold;
        continue;
      }
      const a = s.seenIndptr[u]!;
      const e = s.seenIndptr[u + 1]!;
      queries.push({ x: s.userFactors, off: u * f, base: s.globalMean + s.userBias[u]!, seen: excludeSeen ? s.seenItems : null, seenStart: a, seenEnd: e });
      slots.push(k);
    }
    const ranked = this.rankQueries(queries, n);
    for (let t = 0; t < slots.length; t++) out[slots[t]!] = ranked[t]!;
    return out;
  }

  // Known users through the screening scorer (./scoring.ts); the scalar loop when there is
  // none (no factors or biases, no room for the copy) or a query is outside its range.
  private rankQueries(queries: readonly ScoringQuery[], n: number): RankedIndices[] {
    if (this.scorer && !this.scorer.current()) {
      this.scorer.release();
      this.scorer = undefined;
    }
    if (this.scorer === undefined) this.scorer = ItemScorer.build(this.state, this.itemTrained, this) ?? null;
    if (n === 0) return queries.map(() => ({ items: new Int32Array(0), scores: new Float64Array(0) }));
    const screened = this.scorer ? this.scorer.topN(queries, n) : [];
    return queries.map((q, k) => screened[k] ?? this.rankScalar(q, n));
  }

  // Every item scored by the scalar loop, then topN.
  private rankScalar(q: ScoringQuery, n: number): RankedIndices {
    const scores = new Float64Array(this.nItems);
    this.scoreAll(q.x, q.off, q.base, scores);
    const skip = q.seen ? this.seenMask(q.seen, q.seenStart, q.seenEnd) : null;
    const items = topN(scores, n, skip);
    return { items, scores: Float64Array.from(items, (j) => scores[j]!) };
  }

  private scoredItems(r: RankedIndices): ScoredItem[] {
    const ids = this.state.ids.itemIds;
    return Array.from(r.items, (j, k) => ({ item: ids[j]!, score: this.clip(r.scores[k]!) }));
  }

  private seenMask(items: Int32Array, start: number, end: number): Uint8Array {
    const m = new Uint8Array(this.nItems);
    for (let p = start; p < end; p++) m[items[p]!] = 1;
    return m;
  }

  // Rank by raw score (clipping would tie every item above the scale), report clipped scores.
  private ranked(scores: Float64Array, n: number, skip: Uint8Array | null, similarity = false): ScoredItem[] {
    const ids = this.state.ids.itemIds;
    return Array.from(topN(scores, n, skip), (j) => ({ item: ids[j]!, score: similarity ? scores[j]! : this.clip(scores[j]!) }));
  }

  private mapIds(test: Ratings): { users: Int32Array; items: Int32Array } {
    let m = this.testMaps.get(test.ids);
    if (!m) {
      const users = Int32Array.from(test.ids.userIds, (id) => this.userIndex(id));
      const items = Int32Array.from(test.ids.itemIds, (id) => this.itemIndex(id));
      m = { users, items };
      this.testMaps.set(test.ids, m);
    }
    return m;
  }

  private checkFolded(user: FoldedUser): void {
    if (user.factors.length !== this.factors) {
      throw new InvalidArgumentError(`folded user has ${user.factors.length} factors; this model has ${this.factors} (fold in with this model)`);
    }
  }
}

function checkCount(n: number, what: string): void {
  if (!(Number.isInteger(n) && n >= 0)) throw new InvalidArgumentError(`${what} must be an integer >= 0, got ${n}`);
}

function recommendOptions(o: RecommendOptions): { n: number; excludeSeen: boolean } {
  const n = o.n ?? 10;
  checkCount(n, 'recommend: n');
  return { n, excludeSeen: o.excludeSeen ?? true };
}

/**
 * Items each user rated in `train`, as the CSR pair of {@link FactorModelState}
 * (seenIndptr, seenItems), with duplicates kept as in the table. For estimators building a state.
 */
export function seenItemsOf(train: Ratings): { seenIndptr: Int32Array; seenItems: Int32Array } {
  const csr = train.byUser();
  return { seenIndptr: csr.indptr.slice(), seenItems: csr.indices.slice() };
}

/** [min, max] of the ratings of `train` ([0, 0] when empty), for {@link FactorModelState.ratingScale}. */
export function ratingScaleOf(train: Ratings): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of train.values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}
