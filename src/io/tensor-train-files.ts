/**
 * A tensor train as a directory of `.npy` cores, `core_0.npy` ... `core_{d-1}.npy`, core k
 * a 3-d float64 array of shape (r_k, n_k, r_{k+1}) -- what `lowrank tt --out DIR` writes and
 * what numpy reads back with `np.load`; entry (i_0, ..., i_{d-1}) of the tensor is
 * `G_0[:, i_0, :] @ G_1[:, i_1, :] @ ... @ G_{d-1}[:, i_{d-1}, :]`.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ParseError } from '../errors.js';
import { TensorTrain } from '../models/tensor/tensor-train.js';
import type { Tensor } from '../tensor/tensor.js';
import { readTensor, readTensorSync, writeTensor, writeTensorSync } from './npy.js';

const CORE = /^core_(\d+)\.npy$/;

/** The file name of core k. */
function coreName(k: number): string {
  return `core_${k}.npy`;
}

/** Indices k of the `core_k.npy` files in a directory listing, ascending. */
function coreIndices(names: string[]): number[] {
  const out: number[] = [];
  for (const n of names) {
    const m = CORE.exec(n);
    if (m && String(Number(m[1])) === m[1]) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}

/**
 * Write the train's cores into `dir` (created if needed) as `core_0.npy` ... `core_{d-1}.npy`,
 * each atomically; core files of higher index left there by an earlier train are removed,
 * so that the directory reads back as this train.
 * @throws file system errors (with the path).
 */
export async function writeTensorTrain(dir: string, tt: TensorTrain): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let k = 0; k < tt.ndim; k++) {
    const path = join(dir, coreName(k));
    await writeTensor(path, tt.cores[k]!);
    files.push(path);
  }
  for (const k of coreIndices(await readdir(dir))) if (k >= tt.ndim) await rm(join(dir, coreName(k)), { force: true });
  return files;
}

/** Synchronous {@link writeTensorTrain}. */
export function writeTensorTrainSync(dir: string, tt: TensorTrain): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let k = 0; k < tt.ndim; k++) {
    const path = join(dir, coreName(k));
    writeTensorSync(path, tt.cores[k]!);
    files.push(path);
  }
  for (const k of coreIndices(readdirSync(dir))) if (k >= tt.ndim) rmSync(join(dir, coreName(k)), { force: true });
  return files;
}

/**
 * Read a train written by {@link writeTensorTrain} (or by numpy: any 3-d float arrays
 * `core_k.npy` with matching ranks, float32 widened to float64).
 * @throws ParseError naming the directory when it holds no core_0.npy or the indices have a
 *   gap, and naming the file when a core is not 3-d or its ranks do not chain (r_0 = r_d = 1,
 *   core k's last axis = core k+1's first); ParseError for a bad .npy file; file system errors.
 */
export async function readTensorTrain(dir: string): Promise<TensorTrain> {
  const d = checkIndices(dir, coreIndices(await readdir(dir)));
  const cores: Tensor[] = [];
  for (let k = 0; k < d; k++) cores.push(await readTensor(join(dir, coreName(k)), { dtype: 'float64' }));
  return assemble(dir, cores);
}

/** Synchronous {@link readTensorTrain}. */
export function readTensorTrainSync(dir: string): TensorTrain {
  const d = checkIndices(dir, coreIndices(readdirSync(dir)));
  const cores: Tensor[] = [];
  for (let k = 0; k < d; k++) cores.push(readTensorSync(join(dir, coreName(k)), { dtype: 'float64' }));
  return assemble(dir, cores);
}

/** The number of cores: indices 0 .. d-1 without a gap, d >= 2. */
function checkIndices(dir: string, ks: number[]): number {
  if (ks.length === 0 || ks[0] !== 0) throw new ParseError(dir, {}, 'holds no core_0.npy: not a tensor train directory (core_0.npy ... core_{d-1}.npy)');
  for (let i = 0; i < ks.length; i++) {
    if (ks[i] !== i) throw new ParseError(dir, {}, `has core files up to core_${ks[ks.length - 1]}.npy but no ${coreName(i)}`);
  }
  if (ks.length < 2) throw new ParseError(dir, {}, 'holds only core_0.npy; a tensor train has at least 2 cores');
  return ks.length;
}

/** The train of the cores, with shape and rank errors naming the file. */
function assemble(dir: string, cores: Tensor[]): TensorTrain {
  const d = cores.length;
  cores.forEach((G, k) => {
    const file = join(dir, coreName(k));
    if (G.ndim !== 3) throw new ParseError(file, {}, `holds a ${G.ndim}-d array of shape (${G.shape.join(', ')}); a core is 3-d (r_k, n_k, r_k+1)`);
    if (k === 0 && G.shape[0] !== 1) throw new ParseError(file, {}, `has shape (${G.shape.join(', ')}); the first core starts with rank 1`);
    if (k === d - 1 && G.shape[2] !== 1) throw new ParseError(file, {}, `has shape (${G.shape.join(', ')}); the last core ends with rank 1`);
    if (k > 0 && cores[k - 1]!.shape[2] !== G.shape[0]) {
      throw new ParseError(file, {}, `starts with rank ${G.shape[0]} but ${coreName(k - 1)} ends with rank ${cores[k - 1]!.shape[2]}`);
    }
  });
  try {
    return new TensorTrain(cores);
  } catch (e) {
    throw new ParseError(dir, {}, (e as Error).message, { cause: e });
  }
}
