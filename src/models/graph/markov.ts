/**
 * Markov chains on finite state spaces, given by a row-stochastic transition matrix P
 * (p_ij = probability of moving from i to j; p_ij >= 0, each row sums to 1): their
 * communicating classes, their stationary distribution pi (pi P = pi, sum 1, pi >= 0), and
 * PageRank, the stationary distribution of the "random surfer" chain of a directed graph.
 *
 * Structure first. The states split into communicating classes (the strongly connected
 * components of the graph i -> j when p_ij > 0, Tarjan's algorithm); a class nobody leaves
 * is closed, the others are transient. Every closed class carries one stationary
 * distribution, so pi is unique exactly when there is one closed class: then pi is zero on
 * the transient states and is found on that class. With several closed classes (a
 * reducible chain) there is no unique answer, and {@link stationaryDistribution} says so,
 * naming them. The period of a class (the gcd of its cycle lengths, from breadth-first
 * levels) is reported; it does not change pi.
 *
 * Then pi on the closed class C, with P_C stochastic and irreducible:
 *
 * - up to 1000 states ('direct'), the GTH algorithm (Grassmann, Taksar & Heyman 1985):
 *   Gaussian elimination of the generator without subtractions (the diagonal is rebuilt
 *   from the off-diagonal row sums), so every entry of pi has small relative error even for
 *   nearly decomposable chains; the state eliminations are rank-one gemm updates;
 * - beyond ('arnoldi'), the eigenvector for eigenvalue 1 of the lazy chain's transpose
 *   ((I + P_C) / 2)^T by implicitly restarted Arnoldi ({@link eigs}, 'LM'). A periodic
 *   chain has other eigenvalues on the unit circle (the d-th roots of unity) and a power
 *   method on P would oscillate among them; the lazy chain has the same pi, and 1 is its only
 *   eigenvalue of modulus one.
 */
import { ConvergenceError, InvalidArgumentError, ShapeError } from '../../errors.js';
import { kernels } from '../../kernels/index.js';
import { csrMatvec } from '../../kernels/sparse.js';
import { Workspace } from '../../kernels/workspace.js';
import { eigs } from '../../lowrank/eigs.js';
import { Matrix } from '../../matrix/matrix.js';
import { int, LONG_TASK_OPTIONS, maybe, num, oneOf, opt, randomStateRule, resolveOptions, satisfies, tableFor } from '../../options.js';
import { checkAborted, type LongTaskOptions } from '../../progress.js';
import type { RandomState } from '../../random.js';
import { transposeCompressed } from '../../sparse/build.js';
import { CscMatrix } from '../../sparse/csc.js';
import { CsrMatrix } from '../../sparse/csr.js';
import type { Adjacency } from './laplacian.js';

/** A transition matrix: row-stochastic, n x n, sparse (CSR or CSC) or dense. */
export type TransitionMatrix = CsrMatrix | CscMatrix | Matrix;

/** The communicating classes of a Markov chain. */
export interface CommunicatingClasses {
  /** The classes, each a sorted list of states; ordered by their smallest state. */
  readonly classes: Int32Array[];
  /** Whether each class is closed (no transition leaves it). */
  readonly closed: boolean[];
  /**
   * Period of each class: the gcd of the lengths of its cycles (1: aperiodic); 0 for a
   * transient state that cannot return to itself.
   */
  readonly periods: number[];
  /** Class of each state (index into `classes`). */
  readonly labels: Int32Array;
}

/** Methods of {@link stationaryDistribution}. */
export const STATIONARY_METHODS = ['auto', 'direct', 'arnoldi'] as const;
/** A method of {@link stationaryDistribution}. */
export type StationaryMethod = (typeof STATIONARY_METHODS)[number];

/** Options of {@link stationaryDistribution}. */
export interface StationaryOptions extends LongTaskOptions {
  /**
   * 'direct' (GTH elimination, dense: O(m^3) for a closed class of m states, at most 16384),
   * 'arnoldi' (eigs on the lazy chain, sparse), or 'auto' (default): direct up to 1000 states.
   */
  method?: StationaryMethod;
  /** Arnoldi: residual tolerance (see eigs), in (0, 1); default 1e-12. */
  tol?: number;
  /** Arnoldi: cap on restarts; default eigs' own. */
  maxIter?: number;
  /** Arnoldi: seed of the start vector; default 0. */
  seed?: RandomState;
  /** How far a row sum may be from 1 (rounded text files), >= 0; default 1e-6. */
  rowSumTol?: number;
}

const STATIONARY_OPTIONS = tableFor<StationaryOptions>()({
  method: opt(oneOf(STATIONARY_METHODS), 'auto'),
  tol: opt(num(0, 1, 'both'), 1e-12),
  maxIter: maybe(int(0)),
  seed: opt(randomStateRule, 0),
  rowSumTol: opt(num(0), 1e-6),
  ...LONG_TASK_OPTIONS,
});

/** The stationary distribution of a chain and how it was found. */
export interface StationaryDistribution {
  /** pi: non-negative, sums to 1, pi P = pi (zero on transient states). */
  readonly pi: Float64Array;
  /** ||pi P - pi||_1, computed from P at the end. */
  readonly residual: number;
  /** 'direct' (GTH) or 'arnoldi'. */
  readonly method: 'direct' | 'arnoldi';
  /** The period of the closed class (1: aperiodic). */
  readonly period: number;
  /** The closed class pi lives on (sorted states). */
  readonly closedClass: Int32Array;
  /** The transient states (pi is zero there), sorted. */
  readonly transient: Int32Array;
}

/** Largest closed class solved by GTH under 'auto'. */
const DIRECT_MAX = 1000;
/** Largest closed class 'direct' accepts (a dense m x m float64 matrix of 2 GiB). */
const DIRECT_LIMIT = 16384;

function asCsr(P: TransitionMatrix | Adjacency, routine: string, what: string): CsrMatrix {
  if (!(P instanceof CsrMatrix || P instanceof CscMatrix || P instanceof Matrix)) {
    throw new InvalidArgumentError(`${routine}: expected ${what} (CsrMatrix, CscMatrix or Matrix)`);
  }
  const [m, n] = P.shape;
  if (m !== n) throw new ShapeError(`${routine}: ${what} is ${m}x${n}; it must be square`);
  if (n === 0) throw new InvalidArgumentError(`${routine}: ${what} is 0x0 (no states)`);
  const S = (P instanceof Matrix ? CsrMatrix.fromDense(P, { dtype: 'float64' }) : P instanceof CscMatrix ? P.toCsr() : P).sumDuplicates();
  const csr = S.dtype === 'float64' ? S : S.astype('float64');
  const { indptr, indices, data } = csr;
  for (let i = 0; i < n; i++) {
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
      if (data[q]! < 0) throw new InvalidArgumentError(`${routine}: ${what === 'a transition matrix' ? 'P' : 'A'}[${i}, ${indices[q]}] = ${data[q]} is negative; ${what === 'a transition matrix' ? 'transition probabilities' : 'edge weights'} must be >= 0`);
    }
  }
  return csr;
}

/** The transition matrix as canonical CSR, checked to be row-stochastic. */
function transitionCsr(P: TransitionMatrix, routine: string, rowSumTol: number): CsrMatrix {
  const csr = asCsr(P, routine, 'a transition matrix');
  const sums = csr.rowSums();
  for (let i = 0; i < sums.length; i++) {
    if (!(Math.abs(sums[i]! - 1) <= rowSumTol)) {
      throw new InvalidArgumentError(
        `${routine}: P is not stochastic: row ${i} sums to ${sums[i]} (0-based), not 1; each row of a transition matrix must sum to 1` +
        `${sums[i] === 0 ? ' (a state with no transitions: give it a self-loop p_ii = 1 to make it absorbing)' : ''}`,
      );
    }
  }
  return csr;
}

/**
 * The communicating classes of a chain (strongly connected components of i -> j when
 * p_ij > 0), which of them are closed, and their periods. O(nnz + n). P need only be
 * non-negative here (its pattern matters, not its row sums).
 * @throws ShapeError for a non-square P; InvalidArgumentError for a negative entry or an empty matrix.
 */
export function communicatingClasses(P: TransitionMatrix): CommunicatingClasses {
  return classesOf(asCsr(P, 'communicatingClasses', 'a transition matrix'));
}

function classesOf(P: CsrMatrix): CommunicatingClasses {
  const n = P.rows;
  const { indptr, indices, data } = P;
  // Tarjan's strongly connected components, iteratively.
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  const callV = new Int32Array(n);
  const callQ = new Int32Array(n);
  let counter = 0;
  const comp = new Int32Array(n).fill(-1);
  let ncomp = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    callV[0] = root;
    callQ[0] = indptr[root]!;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callV[depth]!;
      let q = callQ[depth]!;
      let descended = false;
      while (q < indptr[v + 1]!) {
        const w = indices[q]!;
        const p = data[q]!;
        q++;
        if (p <= 0) continue;
        if (index[w] === -1) {
          callQ[depth] = q;
          depth++;
          callV[depth] = w;
          callQ[depth] = indptr[w]!;
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          descended = true;
          break;
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
      }
      if (descended) continue;
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--sp]!;
          onStack[w] = 0;
          comp[w] = ncomp;
        } while (w !== v);
        ncomp++;
      }
      depth--;
      if (depth >= 0) {
        const u = callV[depth]!;
        low[u] = Math.min(low[u]!, low[v]!);
      }
    }
  }
  // Number the classes by their smallest state.
  const firstOf = new Int32Array(ncomp).fill(n);
  for (let i = 0; i < n; i++) firstOf[comp[i]!] = Math.min(firstOf[comp[i]!]!, i);
  const byFirst = Array.from({ length: ncomp }, (_, c) => c).sort((a, b) => firstOf[a]! - firstOf[b]!);
  const rename = new Int32Array(ncomp);
  byFirst.forEach((c, r) => (rename[c] = r));
  const labels = comp.map((c) => rename[c]!);
  const sizes = new Int32Array(ncomp);
  for (let i = 0; i < n; i++) sizes[labels[i]!]!++;
  const classes = Array.from(sizes, (s) => new Int32Array(s));
  const fill = new Int32Array(ncomp);
  for (let i = 0; i < n; i++) classes[labels[i]!]![fill[labels[i]!]!++] = i;
  const closed = new Array<boolean>(ncomp).fill(true);
  for (let i = 0; i < n; i++) {
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
      if (data[q]! > 0 && labels[indices[q]!] !== labels[i]) closed[labels[i]!] = false;
    }
  }
  // Periods: breadth-first levels from each class's first state; the period is the gcd of
  // level(u) + 1 - level(v) over the class's edges u -> v.
  const level = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const periods = classes.map((members, c) => {
    const s = members[0]!;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    level[s] = 0;
    let g = 0;
    while (head < tail) {
      const u = queue[head++]!;
      for (let q = indptr[u]!; q < indptr[u + 1]!; q++) {
        const v = indices[q]!;
        if (!(data[q]! > 0) || labels[v] !== c) continue;
        if (level[v] === -1) {
          level[v] = level[u]! + 1;
          queue[tail++] = v;
        } else {
          g = gcd(g, Math.abs(level[u]! + 1 - level[v]!));
        }
      }
    }
    return g;
  });
  return { classes, closed, periods, labels };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The first few states of a class, for messages. */
function describeClass(c: Int32Array): string {
  const shown = Array.from(c.subarray(0, 6)).join(', ');
  return `{${shown}${c.length > 6 ? `, ... (${c.length} states)` : ''}}`;
}

/**
 * The stationary distribution pi of a Markov chain: pi P = pi, sum(pi) = 1, pi >= 0 (see
 * the file comment for the method). Periodic chains are handled (the lazy chain for the
 * iterative method; the direct method does not care); a chain with one closed class and
 * transient states gets pi = 0 on those; a chain with several closed classes is an error
 * naming them (use {@link communicatingClasses} and restrict P to one of them).
 * @param P - row-stochastic n x n (CsrMatrix, CscMatrix or Matrix).
 * @param options - {@link StationaryOptions}.
 * @throws ShapeError for a non-square P; InvalidArgumentError for an empty P, a negative
 * entry, a row that does not sum to 1 (naming it), or a reducible chain with several
 * closed classes (naming them); ConvergenceError from Arnoldi.
 * @example
 * const { pi } = stationaryDistribution(P); // pi P = pi
 */
export function stationaryDistribution(P: TransitionMatrix, options: StationaryOptions = {}): StationaryDistribution {
  const routine = 'stationaryDistribution';
  const o = resolveOptions(routine, STATIONARY_OPTIONS, options);
  const A = transitionCsr(P, routine, o.rowSumTol);
  const n = A.rows;
  const cls = classesOf(A);
  const closedIdx = cls.closed.flatMap((c, i) => (c ? [i] : []));
  if (closedIdx.length > 1) {
    const list = closedIdx.slice(0, 4).map((i) => describeClass(cls.classes[i]!)).join(', ');
    throw new InvalidArgumentError(
      `${routine}: the chain is reducible with ${closedIdx.length} closed classes (${list}${closedIdx.length > 4 ? ', ...' : ''}): ` +
      `each carries its own stationary distribution, so there is no unique one; restrict P to one closed class (communicatingClasses(P) lists them)`,
    );
  }
  const c = closedIdx[0]!;
  const members = cls.classes[c]!;
  const m = members.length;
  const local = new Int32Array(n).fill(-1);
  members.forEach((s, i) => (local[s] = i));
  const method = o.method === 'auto' ? (m <= DIRECT_MAX ? 'direct' : 'arnoldi') : o.method;
  if (method === 'direct' && m > DIRECT_LIMIT) {
    throw new InvalidArgumentError(`${routine}: method 'direct' would need a dense ${m} x ${m} matrix (GTH) for the closed class of ${m} states; use method 'arnoldi' (or 'auto') above ${DIRECT_LIMIT} states`);
  }
  checkAborted(o.signal, routine);
  let piC: Float64Array;
  if (m === 1) piC = Float64Array.of(1);
  else if (method === 'direct') piC = gth(A, members, local);
  else piC = arnoldiStationary(A, members, local, o);
  const pi = new Float64Array(n);
  members.forEach((s, i) => (pi[s] = piC[i]!));
  // ||pi P - pi||_1 from the full P.
  const piP = new Float64Array(n);
  csrMatvec(A, true, 1, pi, 0, piP);
  let residual = 0;
  for (let i = 0; i < n; i++) residual += Math.abs(piP[i]! - pi[i]!);
  const transient = Int32Array.from({ length: n }, (_, i) => i).filter((i) => local[i] === -1);
  return { pi, residual, method, period: cls.periods[c]!, closedClass: members, transient };
}

/**
 * GTH (Grassmann, Taksar & Heyman 1985) on the closed class: eliminate states m-1 .. 1; the
 * pivot is the off-diagonal row sum (no subtraction), and the update of the leading block
 * is a rank-one gemm.
 */
function gth(P: CsrMatrix, members: Int32Array, local: Int32Array): Float64Array {
  const m = members.length;
  const ws = new Workspace();
  try {
    const a = ws.f64(m * m);
    const { indptr, indices, data } = P;
    for (let r = 0; r < m; r++) {
      const i = members[r]!;
      for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
        const j = local[indices[q]!]!;
        if (j >= 0 && j !== r) a[r + j * m] = a[r + j * m]! + data[q]!;
      }
    }
    const g = kernels();
    for (let k = m - 1; k >= 1; k--) {
      let s = 0;
      for (let j = 0; j < k; j++) s += a[k + j * m]!;
      if (!(s > 0)) throw new InvalidArgumentError('stationaryDistribution: internal: GTH met a zero pivot in a closed class');
      g.scal(k, 1 / s, a, k * m, 1);
      // a[0:k, 0:k] += a[0:k, k] a[k, 0:k]
      g.gemm(false, false, k, k, 1, 1, a, k * m, m, a, k, m, 1, a, 0, m);
    }
    const pi = new Float64Array(m);
    pi[0] = 1;
    let total = 1;
    for (let j = 1; j < m; j++) {
      let v = 0;
      for (let i = 0; i < j; i++) v += pi[i]! * a[i + j * m]!;
      pi[j] = v;
      total += v;
    }
    for (let j = 0; j < m; j++) pi[j] = pi[j]! / total;
    return pi;
  } finally {
    ws.release();
  }
}

/** pi on the closed class from eigs on ((I + P_C) / 2)^T. */
function arnoldiStationary(P: CsrMatrix, members: Int32Array, local: Int32Array, o: StationaryOptions & { tol: number; seed: RandomState }): Float64Array {
  const m = members.length;
  const { indptr, indices, data } = P;
  // P_C (CSR on the class), then its transpose, then (I + P_C^T) / 2 with the diagonal merged.
  const cp = new Int32Array(m + 1);
  for (let r = 0; r < m; r++) {
    const i = members[r]!;
    let cnt = 0;
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) if (local[indices[q]!]! >= 0) cnt++;
    cp[r + 1] = cp[r]! + cnt;
  }
  const ci = new Int32Array(cp[m]!);
  const cv = new Float64Array(cp[m]!);
  for (let r = 0, at = 0; r < m; r++) {
    const i = members[r]!;
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
      const j = local[indices[q]!]!;
      if (j >= 0) {
        ci[at] = j;
        cv[at++] = data[q]!;
      }
    }
  }
  const t = transposeCompressed(cp, ci, cv, m, m);
  const lr = new Int32Array(t.indices.length + m);
  const lc = new Int32Array(t.indices.length + m);
  const lv = new Float64Array(t.indices.length + m);
  let at = 0;
  for (let r = 0; r < m; r++) {
    lr[at] = r;
    lc[at] = r;
    lv[at++] = 0.5;
    for (let q = t.indptr[r]!; q < t.indptr[r + 1]!; q++) {
      lr[at] = r;
      lc[at] = t.indices[q]!;
      lv[at++] = 0.5 * t.data[q]!;
    }
  }
  const L = CsrMatrix.fromCoo(lr, lc, lv, m, m);
  const v0 = new Float64Array(m).fill(1 / Math.sqrt(m));
  const r = eigs(L, 1, { which: 'LM', tol: o.tol, maxIter: o.maxIter, seed: o.seed, v0, onProgress: o.onProgress, signal: o.signal });
  if (Math.abs(r.wReal[0]! - 1) > 1e-8 || r.wImag[0] !== 0) {
    throw new ConvergenceError(`stationaryDistribution: Arnoldi found eigenvalue ${r.wReal[0]}${r.wImag[0] ? ` + ${r.wImag[0]}i` : ''} instead of 1; tighten tol or use method 'direct'`);
  }
  const v = r.VReal.toFlat();
  let s = 0;
  for (let i = 0; i < m; i++) s += v[i]!;
  const pi = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    // Rounding can leave tiny entries of the wrong sign where pi is tiny.
    pi[i] = Math.max(0, v[i]! / s);
    total += pi[i]!;
  }
  for (let i = 0; i < m; i++) pi[i] = pi[i]! / total;
  return pi;
}

// ------------------------------------------------------------------ PageRank

/** Options of {@link pagerank}. */
export interface PageRankOptions {
  /** Probability of following a link (networkx's alpha), in [0, 1); default 0.85. */
  damping?: number;
  /**
   * Where the surfer teleports (and where dangling vertices, those without out-links, send
   * it): non-negative weights, one per vertex, normalized to sum 1. Default uniform.
   */
  personalization?: ArrayLike<number>;
  /** Stop when the L1 change of the scores in one iteration is <= tol; in (0, 1), default 1e-12. */
  tol?: number;
  /** Cap on iterations; a ConvergenceError beyond it. Default 1000. */
  maxIter?: number;
}

const PAGERANK_OPTIONS = tableFor<PageRankOptions>()({
  damping: opt(num(0, 1, 'high'), 0.85),
  personalization: maybe(satisfies('an array of numbers', (v): v is ArrayLike<number> => typeof v === 'object' && v !== null && typeof (v as { length?: unknown }).length === 'number')),
  tol: opt(num(0, 1, 'both'), 1e-12),
  maxIter: opt(int(1), 1000),
});

/** PageRank scores and how they converged. */
export interface PageRank {
  /** One score per vertex, non-negative, summing to 1. */
  readonly scores: Float64Array;
  /** Power iterations run. */
  readonly iterations: number;
  /** The L1 change of the last iteration. */
  readonly delta: number;
}

/**
 * PageRank of a directed weighted graph (a_ij > 0: a link i -> j of weight a_ij; networkx's
 * `pagerank`): the stationary distribution of the chain that follows an out-link of the
 * current vertex (chosen in proportion to the weights) with probability `damping` and
 * teleports to the personalization distribution p otherwise; a vertex without out-links
 * teleports always. Its transition matrix d P + (d 1_dangling + (1 - d) 1) p^T is
 * irreducible and aperiodic whenever p > 0, so the power iteration
 *
 *     x := d (P^T x + (x . 1_dangling) p) + (1 - d) p
 *
 * converges at rate d (without forming the dense matrix: one sparse product per
 * iteration). The diagonal (self-links) counts as links, as in networkx.
 * @param adjacency - n x n non-negative weights (CsrMatrix, CscMatrix or Matrix); need not be symmetric.
 * @param options - {@link PageRankOptions}.
 * @throws ShapeError / InvalidArgumentError for a non-square, empty or negative matrix or
 * a bad personalization; ConvergenceError after maxIter iterations.
 * @example
 * const { scores } = pagerank(links, { damping: 0.85 });
 */
export function pagerank(adjacency: Adjacency, options: PageRankOptions = {}): PageRank {
  const routine = 'pagerank';
  const o = resolveOptions(routine, PAGERANK_OPTIONS, options);
  const A = asCsr(adjacency, routine, 'an adjacency matrix');
  const n = A.rows;
  const p = new Float64Array(n);
  if (o.personalization) {
    if (o.personalization.length !== n) throw new ShapeError(`${routine}: personalization has ${o.personalization.length} entries for ${n} vertices`);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = Number(o.personalization[i]);
      if (!(v >= 0 && Number.isFinite(v))) throw new InvalidArgumentError(`${routine}: personalization[${i}] = ${v}; weights must be finite and >= 0`);
      p[i] = v;
      s += v;
    }
    if (!(s > 0)) throw new InvalidArgumentError(`${routine}: the personalization weights sum to 0`);
    for (let i = 0; i < n; i++) p[i] = p[i]! / s;
  } else {
    p.fill(1 / n);
  }
  const out = A.rowSums();
  const dangling = new Uint8Array(n);
  const inv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (out[i]! > 0) inv[i] = 1 / out[i]!;
    else dangling[i] = 1;
  }
  const P = A.scaleRows(inv);
  const d = o.damping;
  let x = Float64Array.from(p);
  let y = new Float64Array(n);
  let delta = Infinity;
  for (let it = 1; it <= o.maxIter; it++) {
    csrMatvec(P, true, d, x, 0, y);
    let dm = 0;
    for (let i = 0; i < n; i++) if (dangling[i]) dm += x[i]!;
    const coef = d * dm + (1 - d);
    delta = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = y[i]! + coef * p[i]!;
      delta += Math.abs(v - x[i]!);
      y[i] = v;
      total += v;
    }
    // Renormalize against drift (the iteration preserves the sum in exact arithmetic).
    for (let i = 0; i < n; i++) y[i] = y[i]! / total;
    [x, y] = [y, x];
    if (delta <= o.tol) return { scores: x, iterations: it, delta };
  }
  throw new ConvergenceError(`${routine}: the power iteration did not reach tol ${o.tol} in ${o.maxIter} iterations (last L1 change ${delta.toExponential(2)}); raise maxIter or loosen tol`);
}
