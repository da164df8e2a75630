/**
 * Low-rank key/value caches for one attention head. A transformer decoding t tokens keeps,
 * per head, the keys K and values V (t x d each). When their rows lie near an r-dimensional
 * subspace, the cache can hold K P_K (t x r) and V P_V (t x r) instead, with P_K, P_V (d x r)
 * orthonormal: the top-r right singular vectors of K and V, the projections that minimize
 * ||K - K P P^T||_F (Eckart & Young 1936), so that
 *
 *   ||K - K_r||_F^2 = sum_{i>r} s_i(K)^2,   K_r = K P_K P_K^T.
 *
 * Attention scores need no reconstruction: Q K_r^T = (Q P_K) (K P_K)^T, the queries projected
 * once to r dimensions. Low-rank key compression of this kind is studied e.g. by Saxena et
 * al. ("Eigen Attention", 2024) and Chang et al. ("Palu", 2024); this routine measures one
 * head exactly: the error of the caches, of the scores Q K^T on given queries, and of the
 * attention output softmax(Q K^T / sqrt(d)) V (no causal mask), against the memory saved.
 */
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import { matmul } from '../../linalg/matmul.js';
import { svd } from '../../linalg/svd.js';
import { Matrix } from '../../matrix/matrix.js';
import { int, maybe, required, resolveOptions, satisfies, tableFor } from '../../options.js';

/** Options of {@link lowRankKV}. */
export interface LowRankKVOptions {
  /** Rank of the key cache, an integer >= 0 (clamped to min(t, d)); also of the value cache unless `valueRank` is given. */
  rank: number;
  /** Rank of the value cache, an integer >= 0 (clamped to min(t, d)); default `rank`. */
  valueRank?: number;
  /** Queries Q (m x d) on which the score and attention errors are measured; without them those errors are undefined. */
  queries?: Matrix;
}

const LOW_RANK_KV_OPTIONS = tableFor<LowRankKVOptions>()({
  rank: required(int(0)),
  valueRank: maybe(int(0)),
  queries: maybe(satisfies('a Matrix (m x d)', (v): v is Matrix => v instanceof Matrix)),
});

/** Numbers stored, before and after. */
export interface KVMemory {
  /** Full caches: 2 t d. */
  readonly full: number;
  /** Compressed caches and their projections: t (r_K + r_V) + d (r_K + r_V). */
  readonly compressed: number;
  /** 1 - compressed / full (negative when compression does not pay). */
  readonly saved: number;
}

/** What {@link lowRankKV} returns for one head. */
export interface LowRankKV {
  /** d x r_K, orthonormal columns: the key projection. */
  readonly keyProjection: Matrix;
  /** d x r_V, orthonormal columns: the value projection. */
  readonly valueProjection: Matrix;
  /** t x r_K: the compressed key cache K P_K. */
  readonly keys: Matrix;
  /** t x r_V: the compressed value cache V P_V. */
  readonly values: Matrix;
  /** r_K. */
  readonly rank: number;
  /** r_V. */
  readonly valueRank: number;
  /** All min(t, d) singular values of K. */
  readonly keySingularValues: Float64Array;
  /** All min(t, d) singular values of V. */
  readonly valueSingularValues: Float64Array;
  /** ||K - K_r||_F / ||K||_F, measured on the reconstruction (sqrt(sum_{i>r} s_i^2) / ||K||_F by Eckart-Young). */
  readonly keyError: number;
  /** ||V - V_r||_F / ||V||_F, measured. */
  readonly valueError: number;
  /** Numbers stored. */
  readonly memory: KVMemory;
  /** ||Q K^T - Q K_r^T||_F on the queries (undefined without them). */
  readonly scoreError: number | undefined;
  /** scoreError / ||Q K^T||_F. */
  readonly scoreRelativeError: number | undefined;
  /**
   * ||softmax(Q K^T / sqrt(d)) V - softmax(Q K_r^T / sqrt(d)) V_r||_F / ||softmax(Q K^T / sqrt(d)) V||_F,
   * rows softmaxed, no mask (undefined without queries).
   */
  readonly attentionRelativeError: number | undefined;
  /** K_r = keys P_K^T (t x d). */
  reconstructKeys(): Matrix;
  /** V_r = values P_V^T (t x d). */
  reconstructValues(): Matrix;
  /** Q K_r^T = (Q P_K) keys^T for queries Q (m x d): the scores from the compressed cache. */
  scores(Q: Matrix): Matrix;
}

/** ||A - B||_F. */
function distance(A: Matrix, B: Matrix): number {
  let s = 0;
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) s += (A.get(i, j) - B.get(i, j)) ** 2;
  return Math.sqrt(s);
}

/** Rows of S / sqrt(d) softmaxed, then times V. */
function attend(S: Matrix, V: Matrix, d: number): Matrix {
  const [m, t] = S.shape;
  const P = Matrix.zeros(m, t, { dtype: 'float64' });
  const c = 1 / Math.sqrt(d);
  for (let i = 0; i < m; i++) {
    let big = -Infinity;
    for (let j = 0; j < t; j++) big = Math.max(big, S.get(i, j) * c);
    let sum = 0;
    for (let j = 0; j < t; j++) {
      const e = Math.exp(S.get(i, j) * c - big);
      P.data[i + j * m] = e;
      sum += e;
    }
    for (let j = 0; j < t; j++) P.data[i + j * m] = P.data[i + j * m]! / sum;
  }
  return matmul(P, V);
}

/** The top-r right singular vectors (d x r) of X and all its singular values. */
function projection(X: Matrix, r: number): { P: Matrix; s: Float64Array } {
  const f = svd(X);
  return { P: f.Vt.rowRange(0, r).T.copy(), s: Float64Array.from(f.s) };
}

/** ||X - Xr||_F / ||X||_F, measured. */
function relativeDistance(X: Matrix, Xr: Matrix): number {
  const norm = X.norm('fro');
  const e = distance(X, Xr);
  return norm > 0 ? e / norm : e;
}

/**
 * Compress one head's key and value caches to rank r (see the file comment): projections,
 * compressed caches, memory saved and, on given queries, the error of the attention scores
 * and of the attention output.
 *
 * Cost: two thin SVDs of t x d matrices (float64), and with m queries the full and
 * compressed scores (m t d) and attention outputs.
 * @param K - keys, t x d (one row per token).
 * @param V - values, t x d.
 * @throws ShapeError when K and V differ in shape, are empty, or the queries do not have d
 *   columns; InvalidArgumentError for a bad option; NonFiniteInputError on NaN/Inf.
 * @example
 * const kv = lowRankKV(K, V, { rank: 16, queries: Q });
 * kv.memory.saved; kv.scoreRelativeError; kv.attentionRelativeError;
 */
export function lowRankKV(K: Matrix, V: Matrix, options: LowRankKVOptions): LowRankKV {
  const routine = 'lowRankKV';
  if (!(K instanceof Matrix) || !(V instanceof Matrix)) throw new InvalidArgumentError(`${routine}: K and V must be Matrix objects (tokens x d)`);
  const o = resolveOptions(routine, LOW_RANK_KV_OPTIONS, options);
  const [t, d] = K.shape;
  if (V.rows !== t || V.cols !== d) throw new ShapeError(`${routine}: K is ${t}x${d} and V is ${V.rows}x${V.cols}; both must be tokens x d`);
  if (t === 0 || d === 0) throw new ShapeError(`${routine}: the caches are ${t}x${d}; there is nothing to compress`);
  const Q = o.queries;
  if (Q !== undefined && Q.cols !== d) throw new ShapeError(`${routine}: queries must have d = ${d} columns, got ${Q.rows}x${Q.cols}`);
  const k = Math.min(t, d);
  const rK = Math.min(o.rank, k);
  const rV = Math.min(o.valueRank ?? o.rank, k);
  const K64 = K.dtype === 'float64' ? K : K.astype('float64');
  const V64 = V.dtype === 'float64' ? V : V.astype('float64');
  const pk = projection(K64, rK);
  const pv = projection(V64, rV);
  const keys = matmul(K64, pk.P);
  const values = matmul(V64, pv.P);
  const reconstructKeys = () => matmul(keys, pk.P, { transB: true });
  const reconstructValues = () => matmul(values, pv.P, { transB: true });
  const scores = (Qx: Matrix): Matrix => {
    if (Qx.cols !== d) throw new ShapeError(`${routine}.scores: queries must have d = ${d} columns, got ${Qx.rows}x${Qx.cols}`);
    return matmul(matmul(Qx.dtype === 'float64' ? Qx : Qx.astype('float64'), pk.P), keys, { transB: true });
  };
  let scoreError: number | undefined;
  let scoreRelativeError: number | undefined;
  let attentionRelativeError: number | undefined;
  if (Q !== undefined) {
    const Q64 = Q.dtype === 'float64' ? Q : Q.astype('float64');
    const S = matmul(Q64, K64, { transB: true });
    const Sr = scores(Q64);
    scoreError = distance(S, Sr);
    const norm = S.norm('fro');
    scoreRelativeError = norm > 0 ? scoreError / norm : scoreError;
    const out = attend(S, V64, d);
    const outR = attend(Sr, reconstructValues(), d);
    const on = out.norm('fro');
    const e = distance(out, outR);
    attentionRelativeError = on > 0 ? e / on : e;
  }
  const full = 2 * t * d;
  const compressed = (t + d) * (rK + rV);
  return {
    keyProjection: pk.P,
    valueProjection: pv.P,
    keys,
    values,
    rank: rK,
    valueRank: rV,
    keySingularValues: pk.s,
    valueSingularValues: pv.s,
    keyError: relativeDistance(K64, reconstructKeys()),
    valueError: relativeDistance(V64, reconstructValues()),
    memory: { full, compressed, saved: 1 - compressed / full },
    scoreError,
    scoreRelativeError,
    attentionRelativeError,
    reconstructKeys,
    reconstructValues,
    scores,
  };
}
