/**
 * The tensor-train instrument's work, run in the Lab's compute worker: TT-SVD of the
 * chosen tensor at one eps, the tensor's entropy per bond, and one point of the eps sweep.
 * The tensor of the last (source, d) is kept, so moving eps does not rebuild it.
 */
import { compressAt, makeProblem, sweepPoint, tensorEntropy, type SweepPoint, type TtProblem } from './tensor-train-model.js';

/** Which tensor: a source id and its number of modes. */
export interface TtKey {
  source: string;
  d: number;
}

/** Output of 'tensor-train.compress': what the view shows (plain data). */
export interface TtCompressOutput {
  shape: number[];
  size: number;
  eps: number;
  bondRanks: number[];
  maxRanks: number[];
  params: number;
  storage: number;
  relError: number;
  /** The quantics signal and the train's entries (chirp only). */
  signal?: Float64Array;
  approx?: Float64Array;
}

let cached: { key: string; problem: TtProblem } | undefined;

function problemFor(k: TtKey): TtProblem {
  const key = `${k.source}:${k.d}`;
  if (cached?.key !== key) cached = { key, problem: makeProblem(k.source, k.d) };
  return cached.problem;
}

/** TT-SVD at eps = 10^logEps. */
export function ttCompress(input: TtKey & { logEps: number }): TtCompressOutput {
  const p = problemFor(input);
  const r = compressAt(p, 10 ** input.logEps);
  return {
    shape: [...p.shape],
    size: r.size,
    eps: r.eps,
    bondRanks: [...r.bondRanks],
    maxRanks: [...r.maxRanks],
    params: r.params,
    storage: r.storage,
    relError: r.relError,
    ...(p.signal ? { signal: p.signal, approx: r.approx } : {}),
  };
}

/** The entropy of T / ||T|| across each bond, in bits. */
export function ttEntropy(input: TtKey): Float64Array {
  return tensorEntropy(problemFor(input));
}

/** One point of the error/storage sweep. */
export function ttSweepPoint(input: TtKey & { logEps: number }): SweepPoint {
  return sweepPoint(problemFor(input), input.logEps);
}

/** The jobs this instrument runs in the worker. */
export const jobs = { 'tensor-train.compress': ttCompress, 'tensor-train.entropy': ttEntropy, 'tensor-train.sweep': ttSweepPoint };
