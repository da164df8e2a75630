/**
 * Train/test splits of a ratings table, in the spirit of scikit-learn's and Surprise's
 * splitters (`train_test_split`, `KFold`, `LeaveOneOut`). Every split:
 * - is seeded (`seed`, default 0) and reproducible: the same table and options give the same parts;
 * - returns parts that share the table's ID space (index u is the same user in train and test);
 * - keeps each part in the table's original order (positions ascending), so a split of a
 *   time-ordered file stays time-ordered. Estimators that need a random visiting order
 *   (SGD) shuffle on their own.
 * A rating lands in exactly one part of a split.
 */
import { InvalidArgumentError } from '../../../errors.js';
import { rng, type Rng } from '../../../random.js';
import type { Ratings } from './ratings.js';

/** A (train, test) pair. */
export type TrainTest = [train: Ratings, test: Ratings];

/** Options of {@link randomSplit}. */
export interface RandomSplitOptions {
  /** Test share: a fraction in (0, 1) or a number of ratings (an integer >= 1). Default 0.2. */
  test?: number;
  /** Seed (default 0). */
  seed?: number;
}

/**
 * Uniformly random split of the ratings (Surprise's `train_test_split`). Users or items may
 * end up only in the test part (cold start); use {@link userHoldout} to guarantee every
 * test user has training ratings.
 * @returns [train, test] with round(test * size) test ratings (or `test` of them if it is a count).
 */
export function randomSplit(r: Ratings, options: RandomSplitOptions = {}): TrainTest {
  const nTest = testCount(options.test ?? 0.2, r.size, 'randomSplit');
  const perm = permutation(rng(options.seed ?? 0), r.size);
  const inTest = new Uint8Array(r.size);
  for (let k = 0; k < nTest; k++) inTest[perm[k]!] = 1;
  return partition(r, inTest);
}

/** Options of {@link userHoldout}. */
export interface UserHoldoutOptions {
  /** Per user: an integer count (default 1, leave-one-out) or a fraction in (0, 1) of her ratings (rounded). */
  perUser?: number;
  /** Ratings a user keeps in train at least (default 1): users with at most this many have none held out. */
  minTrain?: number;
  /** Seed (default 0). */
  seed?: number;
}

/**
 * Per-user holdout: from every user, `perUser` of her ratings (chosen uniformly at random)
 * go to test, keeping at least `minTrain` in train — so every test user is known to the
 * model (Surprise's `LeaveOneOut` with `min_n_ratings`). O(size).
 */
export function userHoldout(r: Ratings, options: UserHoldoutOptions = {}): TrainTest {
  const perUser = options.perUser ?? 1;
  const minTrain = options.minTrain ?? 1;
  const isFraction = perUser > 0 && perUser < 1;
  if (!isFraction && !(Number.isSafeInteger(perUser) && perUser >= 1)) {
    throw new InvalidArgumentError(`userHoldout: perUser must be a fraction in (0, 1) or an integer >= 1, got ${perUser}`);
  }
  if (!(Number.isSafeInteger(minTrain) && minTrain >= 0)) throw new InvalidArgumentError(`userHoldout: minTrain must be an integer >= 0, got ${minTrain}`);
  const g = rng(options.seed ?? 0);
  const csr = r.byUser();
  const inTest = new Uint8Array(r.size);
  const scratch = new Int32Array(maxRow(csr.indptr));
  for (let u = 0; u < r.nUsers; u++) {
    const start = csr.indptr[u]!;
    const c = csr.indptr[u + 1]! - start;
    const want = isFraction ? Math.round(perUser * c) : perUser;
    const h = Math.min(want, c - minTrain);
    if (h <= 0) continue;
    // Partial Fisher-Yates over the user's positions: the first h are the held-out ones.
    for (let k = 0; k < c; k++) scratch[k] = csr.positions[start + k]!;
    for (let k = 0; k < h; k++) {
      const j = k + g.nextInt(c - k);
      const pick = scratch[j]!;
      scratch[j] = scratch[k]!;
      scratch[k] = pick;
      inTest[pick] = 1;
    }
  }
  return partition(r, inTest);
}

/** Options of {@link timeSplit}: a global cut by share or by time, or the latest ratings of each user. */
export type TimeSplitOptions =
  | { /** Share of the latest ratings in test: fraction in (0, 1) or a count (default 0.2). */ test?: number; before?: never; lastPerUser?: never }
  | { /** Ratings with timestamp < before go to train, the others to test. */ before: number; test?: never; lastPerUser?: never }
  | {
      /** Each user's `lastPerUser` latest ratings go to test (keeping `minTrain` in train, default 1). */
      lastPerUser: number;
      /** Ratings of each user always kept in train (default 1). */
      minTrain?: number;
      /** Not used with `lastPerUser`. */
      test?: never;
      /** Not used with `lastPerUser`. */
      before?: never;
    };

/**
 * Split by time (needs timestamps): the latest `test` share of all ratings (a global cut,
 * what a deployed model faces), everything from `before` on, or each user's `lastPerUser`
 * latest ratings. Ties in time are broken by position, so the split is deterministic.
 * O(size log size) for a share cut, O(size) otherwise.
 * @throws InvalidArgumentError when the table has no timestamps.
 */
export function timeSplit(r: Ratings, options: TimeSplitOptions = {}): TrainTest {
  const ts = r.timestamps;
  if (!ts) throw new InvalidArgumentError('timeSplit: the ratings have no timestamps (read a file with a timestamp column, or split with randomSplit)');
  const inTest = new Uint8Array(r.size);
  if (options.before !== undefined) {
    const cut = options.before;
    if (typeof cut !== 'number' || Number.isNaN(cut)) throw new InvalidArgumentError(`timeSplit: before must be a number, got ${String(cut)}`);
    for (let k = 0; k < r.size; k++) if (ts[k]! >= cut) inTest[k] = 1;
  } else if (options.lastPerUser !== undefined) {
    const last = options.lastPerUser;
    const minTrain = options.minTrain ?? 1;
    if (!(Number.isSafeInteger(last) && last >= 1)) throw new InvalidArgumentError(`timeSplit: lastPerUser must be an integer >= 1, got ${last}`);
    if (!(Number.isSafeInteger(minTrain) && minTrain >= 0)) throw new InvalidArgumentError(`timeSplit: minTrain must be an integer >= 0, got ${minTrain}`);
    const csr = r.byUser();
    const row: number[] = [];
    for (let u = 0; u < r.nUsers; u++) {
      const start = csr.indptr[u]!;
      const c = csr.indptr[u + 1]! - start;
      const h = Math.min(last, c - minTrain);
      if (h <= 0) continue;
      row.length = 0;
      for (let k = 0; k < c; k++) row.push(csr.positions[start + k]!);
      row.sort((a, b) => ts[a]! - ts[b]! || a - b);
      for (let k = c - h; k < c; k++) inTest[row[k]!] = 1;
    }
  } else {
    const nTest = testCount(options.test ?? 0.2, r.size, 'timeSplit');
    const order = new Int32Array(r.size);
    for (let k = 0; k < r.size; k++) order[k] = k;
    order.sort((a, b) => ts[a]! - ts[b]! || a - b);
    for (let k = r.size - nTest; k < r.size; k++) inTest[order[k]!] = 1;
  }
  return partition(r, inTest);
}

/** Options of {@link kFold}. */
export interface KFoldOptions {
  /** Number of folds, >= 2 (default 5). */
  folds?: number;
  /** Seed of the shuffle (default 0). */
  seed?: number;
}

/**
 * K-fold cross-validation splits (scikit-learn's `KFold(shuffle=True)`, Surprise's `KFold`):
 * the ratings are shuffled once and cut into `folds` parts of sizes differing by at most one
 * (the first size % folds parts are one larger); fold f tests on part f and trains on the rest.
 * Every rating is in exactly one test part. O(folds * size).
 */
export function kFold(r: Ratings, options: KFoldOptions = {}): TrainTest[] {
  const folds = options.folds ?? 5;
  if (!(Number.isSafeInteger(folds) && folds >= 2)) throw new InvalidArgumentError(`kFold: folds must be an integer >= 2, got ${folds}`);
  if (folds > r.size) throw new InvalidArgumentError(`kFold: ${folds} folds need at least ${folds} ratings, the table has ${r.size}`);
  const perm = permutation(rng(options.seed ?? 0), r.size);
  const fold = new Uint8Array(r.size);
  const base = Math.floor(r.size / folds);
  const extra = r.size % folds;
  for (let f = 0, at = 0; f < folds; f++) {
    const len = base + (f < extra ? 1 : 0);
    for (let k = at; k < at + len; k++) fold[perm[k]!] = f;
    at += len;
  }
  const out: TrainTest[] = [];
  const inTest = new Uint8Array(r.size);
  for (let f = 0; f < folds; f++) {
    for (let k = 0; k < r.size; k++) inTest[k] = fold[k] === f ? 1 : 0;
    out.push(partition(r, inTest));
  }
  return out;
}

function testCount(test: number, n: number, who: string): number {
  if (test > 0 && test < 1) return Math.round(test * n);
  if (Number.isSafeInteger(test) && test >= 1 && test <= n) return test;
  throw new InvalidArgumentError(`${who}: test must be a fraction in (0, 1) or a count in 1..${n}, got ${test}`);
}

function permutation(g: Rng, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let k = 0; k < n; k++) p[k] = k;
  for (let k = n - 1; k > 0; k--) {
    const j = g.nextInt(k + 1);
    const t = p[k]!;
    p[k] = p[j]!;
    p[j] = t;
  }
  return p;
}

function maxRow(indptr: Int32Array): number {
  let m = 0;
  for (let k = 0; k + 1 < indptr.length; k++) m = Math.max(m, indptr[k + 1]! - indptr[k]!);
  return m;
}

function partition(r: Ratings, inTest: Uint8Array): TrainTest {
  let nTest = 0;
  for (let k = 0; k < inTest.length; k++) nTest += inTest[k]!;
  const train = new Int32Array(r.size - nTest);
  const test = new Int32Array(nTest);
  for (let k = 0, a = 0, b = 0; k < inTest.length; k++) {
    if (inTest[k] === 1) test[b++] = k;
    else train[a++] = k;
  }
  return [r.subset(train), r.subset(test)];
}
