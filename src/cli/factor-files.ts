/**
 * Shared plumbing of the decomposition commands: read the input matrix, time the
 * factorization, write each factor as `<DIR>/<name>.npy` (so numpy can check it), and
 * report in words or one JSON line.
 */
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../io/write-chunks.js';
import { join } from 'node:path';
import type { Command } from 'commander';
import { encodeNpyIndices, writeNpy } from '../io/npy.js';
import { kernels } from '../kernels/index.js';
import type { DType, FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { checkMemory, type MemoryBlock } from '../matrix/memory.js';
import { CsrMatrix } from '../sparse/csr.js';
import { onFile } from './options.js';
import { inputHeader, readDenseOrSparseInput, readMatrixInput } from './read-input.js';
import { human, printJson, stdoutOf } from './output.js';

/** One output of a factorization: a matrix, a 1-D float vector, or a 1-D index vector. */
export type Factor =
  | { name: string; matrix: Matrix }
  | { name: string; vector: FloatArray }
  | { name: string; indices: Int32Array };

/** What a factorization command computed. */
export interface FactorResult {
  factors: Factor[];
  /** Extra facts for the report (rank, singular, ...), printed as `key value`. */
  facts?: Record<string, number | boolean | string>;
}

/** What a computation will allocate; see {@link FactorCommandOptions.memory}. */
export interface MemoryNeed {
  /** The computation, as the message starts: `'svd --full of 2147483647 x 0'`. */
  what: string;
  /** Its outputs and largest work arrays. */
  blocks: MemoryBlock[];
}

/** The part of an input a memory estimate looks at. */
export interface InputShape {
  rows: number;
  cols: number;
  dtype: DType;
  /** True for a sparse (CSR) input, which the computation never densifies. */
  sparse: boolean;
}

/** Options every decomposition command takes. */
export interface FactorCommandOptions {
  out?: string;
  dtype?: DType;
  json?: boolean;
  /**
   * Not a flag: set by the command to the memory its computation needs for the inputs as
   * read. {@link runFactorCommand} refuses with an OutOfMemoryError (exit 1, one line that
   * names the need) before computing when the machine cannot hold it. It travels with the
   * options because `svd --rank` reads its input in svd-rank.ts, which then hands these
   * same options to runFactorCommand.
   */
  memory?: (inputs: readonly InputShape[]) => MemoryNeed;
}

/**
 * Read a matrix argument (any supported format) through the shared CLI reader: file errors
 * name the file, and NaN or Inf is refused naming the file and entry (read-input.ts).
 */
export async function readInput(path: string, dtype?: DType): Promise<Matrix> {
  return (await readMatrixInput(path, { dtype })).matrix;
}

/**
 * A coordinate .mtx file as a CSR matrix (O(nnz) memory, as scipy.io.mmread(...).tocsr());
 * any other file as a dense Matrix (see {@link readInput}). For commands whose computation
 * takes sparse input without densifying it.
 */
export async function readDenseOrSparse(path: string, dtype?: DType): Promise<Matrix | CsrMatrix> {
  return (await readDenseOrSparseInput(path, { dtype })).matrix;
}

// Factors are streamed to disk a few megabytes at a time (writeNpy), not encoded into one
// file-sized buffer first: that would hold a large factor twice, and past 2^32 bytes no
// typed array can hold the file at all.
function writeFactor(path: string, f: Factor): Promise<void> {
  if ('matrix' in f) return writeNpy(path, f.matrix);
  if ('indices' in f) return writeFileAtomic(path, encodeNpyIndices(f.indices));
  return writeNpy(path, new Matrix(f.vector, f.vector.length, 1), { shape1d: true });
}

function describe(f: Factor): string {
  if ('matrix' in f) return `${f.matrix.rows}x${f.matrix.cols}`;
  return `(${('indices' in f ? f.indices : f.vector).length},)`;
}

/**
 * Run `compute` on the loaded inputs, then write the factors under `--out` (or print them)
 * and report the time. `inputs` are the matrices as read.
 * @throws OutOfMemoryError before computing when `opts.memory` needs more than the machine
 *   has (or more than one typed array holds).
 */
export async function runFactorCommand(
  cmd: Command, command: string, inputs: readonly Pick<Matrix, 'rows' | 'cols' | 'dtype'>[], opts: FactorCommandOptions, compute: () => FactorResult,
): Promise<void> {
  if (opts.memory) {
    const need = opts.memory(inputs.map((A) => ({ rows: A.rows, cols: A.cols, dtype: A.dtype, sparse: A instanceof CsrMatrix })));
    checkMemory(need.what, need.blocks);
  }
  kernels(); // load the kernels first, so the time reported is the factorization's alone
  const t0 = performance.now();
  const result = compute();
  const seconds = (performance.now() - t0) / 1000;
  const files: string[] = [];
  if (opts.out !== undefined) {
    const dir = opts.out;
    await onFile(dir, () => mkdir(dir, { recursive: true }));
    for (const f of result.factors) {
      const path = join(dir, `${f.name}.npy`);
      await onFile(path, () => writeFactor(path, f));
      files.push(path);
    }
  }
  const shapes = inputs.map((A) => [A.rows, A.cols]);
  if (opts.json) {
    const factors = Object.fromEntries(result.factors.map((f) => [f.name, 'matrix' in f ? [f.matrix.rows, f.matrix.cols] : [('indices' in f ? f.indices : f.vector).length]]));
    // headers[i]: whether input i is a text file whose first row was read as column names.
    printJson(cmd, { command, inputs: shapes, headers: inputs.map(inputHeader), dtype: inputs[0]?.dtype, seconds, backend: kernels().name, factors, files, ...result.facts });
    return;
  }
  const out = stdoutOf(cmd);
  const head = `${command}: ${shapes.map(([m, n]) => `${m}x${n}`).join(', ')} ${inputs[0]?.dtype ?? ''} in ${human(seconds)} s`;
  const facts = Object.entries(result.facts ?? {}).map(([k, v]) => `${k} ${typeof v === 'number' ? human(v) : String(v)}`);
  out([head, ...facts].join(', ') + '\n');
  for (const f of result.factors) {
    if (opts.out !== undefined) {
      out(`  ${f.name}.npy  ${describe(f)}  -> ${join(opts.out, `${f.name}.npy`)}\n`);
    } else {
      const body = 'matrix' in f ? f.matrix.toString() : `[${Array.from('indices' in f ? f.indices : f.vector, (v) => human(v)).join(', ')}]`;
      out(`${f.name} ${describe(f)} =\n${body}\n`);
    }
  }
}
