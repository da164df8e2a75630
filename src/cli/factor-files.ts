/**
 * Shared plumbing of the decomposition commands: read the input matrix, estimate the memory
 * the computation needs, time the factorization, write each factor as `<DIR>/<name>.npy`
 * (so numpy can check it), and report in words or one JSON line; and the options and
 * right-hand sides the dense decompositions and solvers share (commands/svd.ts, qr.ts, ...).
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
import { dtypeOption, onFile } from './options.js';
import { inputHeader, readDenseOrSparseInput, readMatrixInput } from './read-input.js';
import { human, printJson, stdoutOf } from './output.js';
import { timed } from './timing.js';

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
  memory?: MemoryEstimate;
}

/** What a computation needs for inputs of these shapes. */
export type MemoryEstimate = (inputs: readonly InputShape[]) => MemoryNeed;

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
  const { result, seconds } = timed(compute, { prepare: kernels });
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

// ------------------------------------------------------------------ the dense decompositions
//
// Each command states what it will allocate for the inputs as read (its outputs, a working
// copy of A where the routine factors in place, and the inputs themselves, which are held
// throughout), and runFactorCommand refuses before computing when that cannot fit: a
// 2147483647 x 0 file asking for `svd --full` then gets one line naming U's size instead of
// the engine's "Invalid typed array length". Estimates count the large arrays only.

/** An array a computation allocates: its name in the message, its rows and columns. */
export type Block = [name: string, rows: number, cols: number];

/** The need `what`: `blocks` of `dtype` elements, and the inputs, which are held throughout. */
export function memoryNeed(what: string, dtype: DType, inputs: readonly InputShape[], blocks: Block[]): MemoryNeed {
  const size = dtype === 'float32' ? 4 : 8;
  const held: MemoryBlock[] = inputs.map((A, i) =>
    A.sparse
      ? { name: `the sparse input's row pointers`, rows: A.rows + 1, cols: 1, bytesPerElement: 4 }
      : { name: inputs.length > 1 ? `input ${i + 1}` : 'A', rows: A.rows, cols: A.cols, bytesPerElement: A.dtype === 'float32' ? 4 : 8 },
  );
  return { what, blocks: [...blocks.map(([name, rows, cols]) => ({ name, rows, cols, bytesPerElement: size })), ...held] };
}

/** Outputs of a dense decomposition `command`, by an m x n A's shape (and r right-hand sides). */
export function denseNeed(command: string, blocks: (m: number, n: number, r: number) => Block[]): MemoryEstimate {
  return (inputs) => {
    const A = inputs[0]!;
    const r = inputs[1] ? (inputs[1].rows === 1 ? 1 : inputs[1].cols) : 0;
    return memoryNeed(`${command} of ${A.rows} x ${A.cols}`, A.dtype, inputs, blocks(A.rows, A.cols, r));
  };
}

/**
 * Read the dense matrix files `paths` (in `opts.dtype`), then {@link runFactorCommand}
 * `compute` on them, refused first when `memory` cannot fit (see {@link denseNeed}).
 */
export async function runDenseCommand(
  cmd: Command, command: string, paths: readonly string[], opts: FactorCommandOptions, memory: MemoryEstimate, compute: (...inputs: Matrix[]) => FactorResult,
): Promise<void> {
  const inputs = await Promise.all(paths.map((path) => readInput(path, opts.dtype)));
  await runFactorCommand(cmd, command, inputs, { ...opts, memory }, () => compute(...inputs));
}

/** A decomposition command with the options they all share: --out, --dtype, --json. */
export function factorCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .option('-o, --out <dir>', 'write the factors as .npy files into this directory (created if needed); without it they are printed')
    .addOption(dtypeOption('compute in this precision (default: as stored in the file)'))
    .option('--json', 'print one JSON object');
}

/** A right-hand side file as a Matrix: a 1-D vector (stored 1 x n) becomes a column. */
export function rhsOf(B: Matrix): Matrix {
  return B.rows === 1 && B.cols > 1 ? B.transpose() : B;
}

/** The solution as a 1-D vector when b was one, else as a matrix. */
export function rhsFactor(name: string, X: Matrix, B: Matrix): Factor {
  return B.rows === 1 || B.cols === 1 ? { name, vector: X.toFlat() } : { name, matrix: X };
}
