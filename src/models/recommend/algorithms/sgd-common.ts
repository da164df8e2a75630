/**
 * Pieces shared by the SGD-trained recommenders (Baseline 'sgd', FunkSVD, SVDpp): the
 * empty-table check, factor initialisation, the seeded rating order, LIBMF block grouping, and the
 * assembly of a {@link FactorModelState}.
 */
import { ConvergenceError, InvalidArgumentError } from '../../../errors.js';
import { allFinite } from '../../../fit-async.js';
import type { SgdBuffers } from '../../../kernels/sgd.js';
import type { LongTaskOptions } from '../../../progress.js';
import type { Rng } from '../../../random.js';
import type { FactorModelState, RecommenderAlgorithm } from '../model/state.js';
import { ratingScaleOf } from '../model/latent-factor-model.js';
import type { Ratings } from '../data/ratings.js';

/** Refuse an empty training table: there is no mean to start from. */
export function checkTrain(owner: string, train: Ratings): void {
  if (train.size === 0) throw new InvalidArgumentError(`${owner}.fit: the training ratings are empty`);
}

/**
 * The error of an SGD fit whose epoch `epoch` (1-based) ended with a non-finite error sum or
 * parameter: the updates overshoot and grow without bound, which a smaller learning rate
 * cures (a larger regularization only delays it).
 */
export function sgdDiverged(owner: string, epoch: number, epochs: number, lr: number, defaultLr: number): ConvergenceError {
  return new ConvergenceError(
    `${owner}: training diverged in epoch ${epoch} of ${epochs} (the training error or a parameter became NaN/Infinity); ` +
    `lower the learning rate lr (now ${lr}; the default is ${defaultLr})`,
  );
}

/**
 * True when every trained parameter of the buffers (factors, biases, SVD++'s y) is finite:
 * one pass over them at the end of a fit, O((users + items) factors), a small fraction of
 * one epoch, so divergence is caught without testing every update.
 */
export function sgdParametersFinite(b: SgdBuffers, nUsers: number, nItems: number): boolean {
  return allFinite(b.P.subarray(0, nUsers * b.ld)) && allFinite(b.Q.subarray(0, nItems * b.ld)) &&
    allFinite(b.bu.subarray(0, nUsers)) && allFinite(b.bi.subarray(0, nItems)) &&
    (b.Y === undefined || allFinite(b.Y.subarray(0, nItems * b.ld)));
}

/** The parts of an SGD fit's resolved options that its epoch checks name. */
export interface SgdSchedule {
  /** Passes over the training ratings. */
  readonly epochs: number;
  /** Learning rate of the factors (named in the divergence error). */
  readonly lr: number;
}

/**
 * The end of epoch `epoch` (0-based) of an SGD fit whose updates met the error sum `sse`
 * over `nRatings` ratings: a non-finite sum is divergence ({@link sgdDiverged}); otherwise
 * report `{ stage: 'epoch', done, total, metrics: { trainRmse } }`.
 */
export function sgdEpochDone(
  owner: string, o: SgdSchedule, defaultLr: number, epoch: number, sse: number, nRatings: number,
  onProgress: LongTaskOptions['onProgress'],
): void {
  if (!Number.isFinite(sse)) throw sgdDiverged(owner, epoch + 1, o.epochs, o.lr, defaultLr);
  onProgress?.({ stage: 'epoch', done: epoch + 1, total: o.epochs, metrics: { trainRmse: Math.sqrt(sse / nRatings) } });
}

/**
 * After the last epoch: its error sum misses what its own updates did, so scan the trained
 * parameters once ({@link sgdParametersFinite}) and throw {@link sgdDiverged} on a non-finite one.
 */
export function checkSgdParameters(owner: string, o: SgdSchedule, defaultLr: number, b: SgdBuffers, nUsers: number, nItems: number): void {
  if (!sgdParametersFinite(b, nUsers, nItems)) throw sgdDiverged(owner, o.epochs, o.epochs, o.lr, defaultLr);
}

/** Mean of the ratings, accumulated in f64. */
export function meanOf(values: Float32Array): number {
  let s = 0;
  for (let k = 0; k < values.length; k++) s += values[k]!;
  return values.length > 0 ? s / values.length : 0;
}

/**
 * Fill rows 0..rows-1 of a row-major f32 matrix with stride `ld` with N(mean, std^2) draws,
 * row by row, `factors` per row (the padding stays 0). Surprise draws its factors the same
 * way (`rng.normal(init_mean, init_std_dev, (n, n_factors))`), though from another generator.
 */
export function initNormal(a: Float32Array, rows: number, factors: number, ld: number, mean: number, std: number, r: Rng): void {
  for (let u = 0; u < rows; u++) {
    const o = u * ld;
    for (let k = 0; k < factors; k++) a[o + k] = mean + std * r.nextNormal();
  }
}

/** Copy rows of a strided f32 matrix into a dense rows x factors row-major array. */
export function unpad(a: Float32Array, rows: number, factors: number, ld: number): Float32Array {
  if (ld === factors) return a.slice(0, rows * factors);
  const out = new Float32Array(rows * factors);
  for (let u = 0; u < rows; u++) out.set(a.subarray(u * ld, u * ld + factors), u * factors);
  return out;
}

/** Fisher-Yates shuffle of positions [start, end) of the three rating arrays, in place. */
export function shuffleRatings(users: Int32Array, items: Int32Array, values: Float32Array, start: number, end: number, r: Rng): void {
  for (let k = end - 1; k > start; k--) {
    const j = start + r.nextInt(k - start + 1);
    const tu = users[k]!;
    users[k] = users[j]!;
    users[j] = tu;
    const ti = items[k]!;
    items[k] = items[j]!;
    items[j] = ti;
    const tv = values[k]!;
    values[k] = values[j]!;
    values[j] = tv;
  }
}

/** Copy the ratings into `b` in table order, then shuffle them once with `r` when asked. */
export function loadInOrder(b: SgdBuffers, train: Ratings, shuffle: boolean, r: Rng): void {
  b.users.set(train.users);
  b.items.set(train.items);
  b.values.set(train.values);
  if (shuffle) shuffleRatings(b.users, b.items, b.values, 0, train.size, r);
  b.tasks[0] = 0;
  b.tasks[1] = train.size;
}

/**
 * Cut `n` ids into `g` groups of about equal rating count, as contiguous runs of a new
 * numbering: ids are visited in a seeded random order (so a group is a random sample, as LIBMF
 * randomly permutes rows and columns before gridding), id perm[k] gets row k, and the
 * group of row k changes where the running rating count passes j / g of the total.
 * Returns the row of every id and the first row of every group (g + 1 entries).
 */
function balancedGroups(counts: Int32Array, total: number, g: number, r: Rng): { row: Int32Array; groupStart: Int32Array } {
  const n = counts.length;
  const perm = permutation(n, r);
  const row = new Int32Array(n);
  const groupStart = new Int32Array(g + 1);
  let run = 0;
  let grp = 0;
  for (let k = 0; k < n; k++) {
    const id = perm[k]!;
    row[id] = k;
    const want = Math.min(g - 1, Math.floor((run * g) / Math.max(total, 1)));
    while (grp < want) groupStart[++grp] = k;
    run += counts[id]!;
  }
  while (grp < g) groupStart[++grp] = n;
  return { row, groupStart };
}

/** Ratings grouped into a g x g grid of (user group, item group) blocks. */
export interface BlockGrid {
  readonly g: number;
  /** Block (a, b) holds ratings [starts[a * g + b], starts[a * g + b + 1]). */
  readonly starts: Int32Array;
  /** Kernel row of each user and item: the groups are contiguous row ranges. */
  readonly userRow: Int32Array;
  readonly itemRow: Int32Array;
}

/**
 * LIBMF's grid (Chin, Zhuang, Juan & Lin 2015, "A fast parallel stochastic gradient method
 * for matrix factorization in shared memory systems"): users and items are cut into g
 * random groups of about equal rating count and the ratings are written into `b` grouped by
 * block (a counting sort straight from the table into the kernel buffers, so no extra copy of
 * the ratings is held), then shuffled inside each block when asked. Blocks (a, b) and
 * (a', b') with a != a' and b != b' share no user and no item, so they can be updated
 * concurrently without locks.
 *
 * Users and items are renumbered so that every group's factor rows are contiguous in the
 * kernel buffers (`b.users`/`b.items` hold kernel rows): a block then reads its rows from two
 * compact regions, which matters when the factor matrices are far larger than the cache (a
 * 192 MB user matrix at Netflix scale: scattered rows cost a DRAM access and a TLB miss each).
 * Read results back through `userRow`/`itemRow`.
 *
 * With `byUser`, each block is then ordered by user (a stable sort, so a user's ratings keep
 * their shuffled order): FPSGD's "partial random" order (Zhuang, Chin, Juan & Lin 2013, "A
 * fast parallel SGD for matrix factorization in shared memory systems"), blocks in random
 * order, ratings in order inside a block. A user's row then stays in L1 across her ratings
 * and user rows are read in address order; worth it when the rows do not fit in cache.
 */
export function loadInBlocks(b: SgdBuffers, train: Ratings, g: number, shuffle: boolean, r: Rng, byUser = false): BlockGrid {
  const n = train.size;
  const uc = new Int32Array(train.nUsers);
  const ic = new Int32Array(train.nItems);
  const { users, items, values } = train;
  for (let k = 0; k < n; k++) {
    uc[users[k]!] = uc[users[k]!]! + 1;
    ic[items[k]!] = ic[items[k]!]! + 1;
  }
  const ug = balancedGroups(uc, n, g, r);
  const ig = balancedGroups(ic, n, g, r);
  // Group of each user / item, from the row ranges.
  const groupOf = (row: Int32Array, starts: Int32Array): Uint8Array => {
    const out = new Uint8Array(row.length);
    for (let id = 0; id < row.length; id++) {
      let a = 0;
      while (row[id]! >= starts[a + 1]!) a++;
      out[id] = a;
    }
    return out;
  };
  const ugrp = groupOf(ug.row, ug.groupStart);
  const igrp = groupOf(ig.row, ig.groupStart);
  const starts = new Int32Array(g * g + 1);
  for (let k = 0; k < n; k++) {
    const blk = ugrp[users[k]!]! * g + igrp[items[k]!]!;
    starts[blk + 1] = starts[blk + 1]! + 1;
  }
  for (let blk = 0; blk < g * g; blk++) starts[blk + 1] = starts[blk + 1]! + starts[blk]!;
  const next = starts.slice(0, g * g);
  for (let k = 0; k < n; k++) {
    const u = users[k]!;
    const i = items[k]!;
    const blk = ugrp[u]! * g + igrp[i]!;
    const p = next[blk]!;
    next[blk] = p + 1;
    b.users[p] = ug.row[u]!;
    b.items[p] = ig.row[i]!;
    b.values[p] = values[k]!;
  }
  if (shuffle) for (let blk = 0; blk < g * g; blk++) shuffleRatings(b.users, b.items, b.values, starts[blk]!, starts[blk + 1]!, r);
  if (byUser) sortBlocksByUser(b, g, starts, ug.groupStart);
  return { g, starts, userRow: ug.row, itemRow: ig.row };
}

// Stable counting sort of every block by user row (block (a, *) holds rows of user group a).
function sortBlocksByUser(b: SgdBuffers, g: number, starts: Int32Array, groupStart: Int32Array): void {
  let maxLen = 0;
  for (let blk = 0; blk < g * g; blk++) maxLen = Math.max(maxLen, starts[blk + 1]! - starts[blk]!);
  const tu = new Int32Array(maxLen);
  const ti = new Int32Array(maxLen);
  const tv = new Float32Array(maxLen);
  for (let a = 0; a < g; a++) {
    const r0 = groupStart[a]!;
    const count = new Int32Array(groupStart[a + 1]! - r0 + 1);
    for (let c = 0; c < g; c++) {
      const s0 = starts[a * g + c]!;
      const s1 = starts[a * g + c + 1]!;
      if (s1 - s0 < 2) continue;
      count.fill(0);
      for (let k = s0; k < s1; k++) count[b.users[k]! - r0 + 1]!++;
      for (let k = 1; k < count.length; k++) count[k] = count[k]! + count[k - 1]!;
      for (let k = s0; k < s1; k++) {
        const at = count[b.users[k]! - r0]!++;
        tu[at] = b.users[k]!;
        ti[at] = b.items[k]!;
        tv[at] = b.values[k]!;
      }
      b.users.set(tu.subarray(0, s1 - s0), s0);
      b.items.set(ti.subarray(0, s1 - s0), s0);
      b.values.set(tv.subarray(0, s1 - s0), s0);
    }
  }
}

/** Rows `rowOf[id]` of a strided f32 matrix, gathered into a dense ids x factors row-major array. */
export function gatherRows(a: Float32Array, rowOf: Int32Array, factors: number, ld: number): Float32Array {
  const out = new Float32Array(rowOf.length * factors);
  for (let id = 0; id < rowOf.length; id++) {
    const o = rowOf[id]! * ld;
    out.set(a.subarray(o, o + factors), id * factors);
  }
  return out;
}

/**
 * Write the task table of sub-epoch `s` of the grid: task a is block (a, (a + s) mod g), a
 * Latin-square diagonal, so the g tasks share no user group and no item group.
 */
export function setDiagonalTasks(b: SgdBuffers, grid: BlockGrid, s: number): void {
  const g = grid.g;
  for (let a = 0; a < g; a++) {
    const blk = a * g + ((a + s) % g);
    b.tasks[2 * a] = grid.starts[blk]!;
    b.tasks[2 * a + 1] = grid.starts[blk + 1]!;
  }
}

/** A seeded random permutation of 0..n-1. */
export function permutation(n: number, r: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let k = 0; k < n; k++) p[k] = k;
  for (let k = n - 1; k > 0; k--) {
    const j = r.nextInt(k + 1);
    const t = p[k]!;
    p[k] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** Parts of a state the estimator computes; the rest comes from the training table. */
export interface StateParts {
  algorithm: RecommenderAlgorithm;
  factors: number;
  globalMean: number;
  userBias: Float32Array;
  itemBias: Float32Array;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  hyperparameters: Record<string, number | string | boolean>;
  extra?: Record<string, Float32Array>;
}

/** Complete a {@link FactorModelState} (explicit kind) from the estimator's parameters and `train`. */
export function explicitState(train: Ratings, p: StateParts): FactorModelState {
  const { seenIndptr, seenItems } = seenCsr(train);
  return {
    algorithm: p.algorithm,
    kind: 'explicit',
    ids: train.ids,
    factors: p.factors,
    globalMean: p.globalMean,
    userBias: p.userBias,
    itemBias: p.itemBias,
    userFactors: p.userFactors,
    itemFactors: p.itemFactors,
    ratingScale: ratingScaleOf(train),
    seenIndptr,
    seenItems,
    hyperparameters: p.hyperparameters,
    ...(p.extra ? { extra: p.extra } : {}),
  };
}

/**
 * Items each user rated, as CSR with items ascending in a row: one counting sort by user
 * (4 bytes per rating beyond the output, unlike `Ratings.byUser()` which also keeps values and
 * positions: this matters at Netflix scale, 100M ratings).
 */
export function seenCsr(train: Ratings): { seenIndptr: Int32Array; seenItems: Int32Array } {
  const { users, items } = train;
  const n = train.size;
  const indptr = new Int32Array(train.nUsers + 1);
  for (let k = 0; k < n; k++) indptr[users[k]! + 1] = indptr[users[k]! + 1]! + 1;
  for (let u = 0; u < train.nUsers; u++) indptr[u + 1] = indptr[u + 1]! + indptr[u]!;
  const next = indptr.slice(0, train.nUsers);
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const u = users[k]!;
    out[next[u]!] = items[k]!;
    next[u] = next[u]! + 1;
  }
  for (let u = 0; u < train.nUsers; u++) out.subarray(indptr[u]!, indptr[u + 1]!).sort();
  return { seenIndptr: indptr, seenItems: out };
}
