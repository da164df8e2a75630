/**
 * `lowrank svd A --rank k [--method randomized|lanczos|auto]`: the top-k singular triplets
 * (U.npy m x k, s.npy, Vt.npy k x n) by a truncated solver instead of the full SVD. A
 * coordinate `.mtx` file is read as a sparse CSR matrix and never densified.
 */
import { Option, type Command } from 'commander';
import { truncatedSvd, type TruncatedSvdMethod, type TruncatedSvdOptions } from '../../lowrank/truncated-svd.js';
import { CsrMatrix } from '../../sparse/csr.js';
import { readDenseOrSparse, runFactorCommand, type FactorCommandOptions } from '../factor-files.js';
import { UsageError } from '../options.js';
import { progressBar } from '../progress-bar.js';

/** The flags `svd` takes for truncated SVDs (all strings, as commander hands them over). */
export interface SvdRankFlags {
  rank?: string;
  method?: TruncatedSvdMethod;
  oversample?: string;
  powerIters?: string;
  tol?: string;
  ncv?: string;
  seed?: string;
}

/** Add --rank and the truncated-solver options to the `svd` command. */
export function addSvdRankOptions(cmd: Command): Command {
  return cmd
    .option('--rank <k>', 'only the top k singular triplets, by a truncated solver (U is m x k, Vt k x n); a coordinate .mtx stays sparse')
    .addOption(new Option('--method <name>', 'truncated solver: randomized (Halko-Martinsson-Tropp), lanczos (restarted bidiagonalization, to --tol), or auto (randomized for dense input, lanczos for sparse or with --tol)').choices(['auto', 'randomized', 'lanczos']))
    .option('--oversample <p>', 'randomized: extra sketch columns (default 10)')
    .option('--power-iters <q>', "randomized: power iterations (default auto: 7 if k < 0.1 min(m, n), else 4)")
    .option('--tol <t>', 'lanczos: residual tolerance relative to the largest singular value (default 1e-10; 1e-5 for float32)')
    .option('--ncv <n>', 'lanczos: Krylov basis size (default max(2k + 1, k + 20), at most min(m, n))')
    .option('--seed <s>', 'seed of the random start (default 0)');
}

function parse(flag: string, value: string | undefined, rule: (v: number) => boolean, what: string): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim() === '' ? NaN : Number(value);
  if (!rule(v)) throw new UsageError(`${flag} must be ${what}, got '${value}'`);
  return v;
}

const atLeast = (min: number) => (v: number) => Number.isInteger(v) && v >= min;

/**
 * Check the flags without --rank: the truncated-solver options make no sense alone.
 * @throws UsageError naming the stray flag.
 */
export function rejectStrayRankFlags(opts: SvdRankFlags): void {
  const stray: [keyof SvdRankFlags, string][] = [['method', '--method'], ['oversample', '--oversample'], ['powerIters', '--power-iters'], ['tol', '--tol'], ['ncv', '--ncv'], ['seed', '--seed']];
  for (const [key, flag] of stray) if (opts[key] !== undefined) throw new UsageError(`${flag} needs --rank k (it sets up the truncated SVD)`);
}

/** Run `svd --rank k`: read (sparse when the file is a coordinate .mtx), solve, write U, s, Vt. */
export async function runSvdRank(
  path: string, opts: FactorCommandOptions & SvdRankFlags & { full?: boolean; valuesOnly?: boolean }, cmd: Command,
): Promise<void> {
  if (opts.full) throw new UsageError('--full and --rank exclude each other (a truncated SVD has k columns)');
  const k = parse('--rank', opts.rank, atLeast(1), 'an integer >= 1')!;
  const options: TruncatedSvdOptions = {
    method: opts.method ?? 'auto',
    oversample: parse('--oversample', opts.oversample, atLeast(0), 'an integer >= 0'),
    powerIters: opts.powerIters === 'auto' ? 'auto' : parse('--power-iters', opts.powerIters, atLeast(0), "an integer >= 0 or 'auto'"),
    tol: parse('--tol', opts.tol, (v) => v > 0 && v < 1, 'a number in (0, 1)'),
    ncv: parse('--ncv', opts.ncv, atLeast(1), 'an integer >= 1'),
    seed: parse('--seed', opts.seed, Number.isInteger, 'an integer'),
  };
  const A = await readDenseOrSparse(path, opts.dtype);
  const [m, n] = A.shape;
  if (k > Math.min(m, n)) throw new UsageError(`--rank must be at most min(rows, cols) = ${Math.min(m, n)} for this ${m}x${n} matrix, got ${k}`);
  await runFactorCommand(cmd, 'svd', [A], opts, () => {
    const bar = progressBar('svd');
    let f;
    try {
      f = truncatedSvd(A, k, { ...options, onProgress: bar.onProgress });
    } finally {
      bar.stop();
    }
    const facts: Record<string, number | string | boolean> = { method: f.info.method, rank: k, products: f.info.matvecs };
    if (A instanceof CsrMatrix) facts.nnz = A.nnz;
    if (f.info.powerIters !== undefined) facts.power_iters = f.info.powerIters;
    if (f.info.restarts !== undefined) facts.restarts = f.info.restarts;
    const s = { name: 's', vector: f.s };
    if (opts.valuesOnly) return { factors: [s], facts };
    return { factors: [{ name: 'U', matrix: f.U }, s, { name: 'Vt', matrix: f.Vt }], facts };
  });
}

