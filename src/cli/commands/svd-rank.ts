/**
 * `lowrank svd A --rank k [--method randomized|lanczos|auto]`: the top-k singular triplets
 * (U.npy m x k, s.npy, Vt.npy k x n) by a truncated solver instead of the full SVD. A
 * coordinate `.mtx` file is read as a sparse CSR matrix and never densified. The `svd`
 * command itself: svd.ts.
 */
import { Option, type Command } from 'commander';
import { readMtxHeader } from '../../io/mtx.js';
import { readNpyHeader } from '../../io/npy.js';
import { npyDefaultDtype, npyMatrixShape } from '../../io/npy-codec.js';
import { truncatedSvd, type TruncatedSvdMethod, type TruncatedSvdOptions } from '../../lowrank/truncated-svd.js';
import type { DType } from '../../matrix/dtype.js';
import { checkMemory } from '../../matrix/memory.js';
import { TRUNCATED_SVD_METHODS } from '../../options.js';
import { CsrMatrix } from '../../sparse/csr.js';
import { memoryNeed, readDenseOrSparse, runFactorCommand, type Block, type FactorCommandOptions, type InputShape, type MemoryEstimate } from '../factor-files.js';
import { atMost, choice, count, either, flagOption, integer, number } from '../flags.js';
import { fileFormat, onFile, UsageError } from '../options.js';
import { withProgress } from '../progress-bar.js';

/** The flags `svd` takes for truncated SVDs, as their rules read them. */
export interface SvdRankFlags {
  rank?: number;
  method?: TruncatedSvdMethod;
  oversample?: number;
  powerIters?: number | 'auto';
  tol?: number;
  ncv?: number;
  seed?: number;
}

/** Add --rank and the truncated-solver options to the `svd` command. */
export function addSvdRankOptions(cmd: Command): Command {
  return cmd
    .addOption(flagOption('--rank <k>', 'only the top k singular triplets, by a truncated solver (U is m x k, Vt k x n); a coordinate .mtx stays sparse', count))
    .addOption(new Option('--method <name>', 'truncated solver: randomized (Halko-Martinsson-Tropp), lanczos (restarted bidiagonalization, to --tol), or auto (randomized for dense input, lanczos for sparse or with --tol)').choices(TRUNCATED_SVD_METHODS))
    .addOption(flagOption('--oversample <p>', 'randomized: extra sketch columns (default 10)', integer({ min: 0 })))
    .addOption(flagOption('--power-iters <q>', 'randomized: power iterations (default auto: 7 if k < 0.1 min(m, n), else 4)', either(choice(['auto']), integer({ min: 0 }), "an integer >= 0 or 'auto'")))
    .addOption(flagOption('--tol <t>', 'lanczos: residual tolerance relative to the largest singular value (default 1e-10; 1e-5 for float32)', number({ above: 0, below: 1 })))
    .addOption(flagOption('--ncv <n>', 'lanczos: Krylov basis size (default max(2k + 1, k + 20), at most min(m, n))', count))
    .addOption(flagOption('--seed <s>', 'seed of the random start (default 0)', integer()));
}

/**
 * Check the flags without --rank: the truncated-solver options make no sense alone.
 * @throws UsageError naming the stray flag.
 */
export function rejectStrayRankFlags(opts: SvdRankFlags): void {
  const stray: [keyof SvdRankFlags, string][] = [['method', '--method'], ['oversample', '--oversample'], ['powerIters', '--power-iters'], ['tol', '--tol'], ['ncv', '--ncv'], ['seed', '--seed']];
  for (const [key, flag] of stray) if (opts[key] !== undefined) throw new UsageError(`${flag} needs --rank k (it sets up the truncated SVD)`);
}

/**
 * `svd --rank k`: the truncated solver's work arrays, as lanczos-svd.ts and
 * randomized-svd.ts allocate them (their 'Memory:' notes), plus U (m x k) and Vt (k x n).
 * The method follows chooseTruncatedSvdMethod: Lanczos for sparse input or with --tol,
 * else randomized.
 */
function truncatedSvdNeed(k: number, opts: SvdRankFlags): MemoryEstimate {
  return (inputs) => {
    const A = inputs[0]!;
    const { rows: m, cols: n } = A;
    // Both solvers work on A or A^T, whichever has at least as many rows as columns.
    const mw = Math.max(m, n);
    const nw = Math.min(m, n);
    const method = opts.method === 'lanczos' || opts.method === 'randomized' ? opts.method : A.sparse || opts.tol !== undefined ? 'lanczos' : 'randomized';
    const what = `svd --rank ${k} (${method}) of ${m} x ${n}`;
    const out: Block[] = [['U', m, k], ['Vt', k, n]];
    if (!A.sparse) out.push(['a working copy of A', m, n]);
    if (method === 'lanczos') {
      // (An --ncv above min(m, n) is the solver's error to report, not a memory need.)
      const ncv = Math.min(nw, opts.ncv ?? Math.max(2 * k + 1, k + 20));
      // The Krylov bases and the Gram-Schmidt scratch are float64 whatever A's dtype.
      const basis = memoryNeed(what, 'float64', [], [['the right Krylov basis', nw, ncv + 1], ['the left Krylov basis', mw, ncv], ['the Gram-Schmidt scratch', mw, ncv]]);
      const rest = memoryNeed(what, A.dtype, inputs, out);
      return { what, blocks: [...basis.blocks, ...rest.blocks] };
    }
    const l = Math.min(k + (opts.oversample ?? 10), nw);
    return memoryNeed(what, A.dtype, inputs, [['the sketch', mw, l], ['the test matrix', nw, l], ['the SVD of the projected matrix', nw, l], ...out]);
  };
}

/**
 * The shape and storage of a matrix file from its header alone (.npy header, .mtx banner
 * and size line), as the readers will return it; undefined for text files, whose shape is
 * known only once read (and which are bounded by their size anyway).
 */
async function shapeFromHeader(path: string, dtype: DType | undefined): Promise<InputShape | undefined> {
  const format = fileFormat(path);
  if (format === 'npy') {
    const h = await onFile(path, () => readNpyHeader(path));
    const [rows, cols] = npyMatrixShape(h);
    return { rows, cols, dtype: dtype ?? npyDefaultDtype(h), sparse: false };
  }
  if (format === 'mtx') {
    const h = await onFile(path, () => readMtxHeader(path));
    return { rows: h.rows, cols: h.cols, dtype: dtype ?? 'float64', sparse: h.format === 'coordinate' };
  }
  return undefined;
}

/**
 * Run `svd --rank k`: read (sparse when the file is a coordinate .mtx), solve, write U, s, Vt.
 * When the file's header shows the memory need cannot be met, it is refused before the file
 * is read, since reading a coordinate .mtx builds row pointers as long as the matrix is tall
 * (8.6 GB for 2^31 rows) before any estimate after reading could run. A k above min(m, n) is
 * left to the usage error after reading.
 */
export async function runSvdRank(
  path: string, k: number, opts: FactorCommandOptions & SvdRankFlags & { full?: boolean; valuesOnly?: boolean }, cmd: Command,
): Promise<void> {
  if (opts.full) throw new UsageError('--full and --rank exclude each other (a truncated SVD has k columns)');
  const memory = truncatedSvdNeed(k, opts);
  const shape = await shapeFromHeader(path, opts.dtype);
  if (shape && k <= Math.min(shape.rows, shape.cols)) {
    const need = memory([shape]);
    checkMemory(need.what, need.blocks);
  }
  const options: TruncatedSvdOptions = { method: opts.method ?? 'auto', oversample: opts.oversample, powerIters: opts.powerIters, tol: opts.tol, ncv: opts.ncv, seed: opts.seed };
  const A = await readDenseOrSparse(path, opts.dtype);
  const [m, n] = A.shape;
  atMost('--rank', k, Math.min(m, n), `min(rows, cols) = ${Math.min(m, n)} for this ${m}x${n} matrix`);
  await runFactorCommand(cmd, 'svd', [A], { ...opts, memory }, () => {
    const f = withProgress('svd', (onProgress) => truncatedSvd(A, k, { ...options, onProgress }));
    const facts: Record<string, number | string | boolean> = { method: f.info.method, rank: k, products: f.info.matvecs };
    if (A instanceof CsrMatrix) facts.nnz = A.nnz;
    if (f.info.powerIters !== undefined) facts.power_iters = f.info.powerIters;
    if (f.info.restarts !== undefined) facts.restarts = f.info.restarts;
    const s = { name: 's', vector: f.s };
    if (opts.valuesOnly) return { factors: [s], facts };
    return { factors: [{ name: 'U', matrix: f.U }, s, { name: 'Vt', matrix: f.Vt }], facts };
  });
}

