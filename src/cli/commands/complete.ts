/**
 * `lowrank complete R.mtx (--rank k | --lambda x) --out DIR`: matrix completion by
 * SoftImpute. A coordinate `.mtx` file lists the observed entries (never densified); a
 * dense file (.npy, .csv, array .mtx) marks missing entries with NaN. Writes the completed
 * matrix's factors U.npy, s.npy, Vt.npy (numpy: `U * s @ Vt`), and completed.npy (the
 * observed entries as given, the others predicted) when it has at most 1e7 entries or with
 * `--dense`.
 */
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../../io/write-chunks.js';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { InvalidArgumentError } from '../../errors.js';
import { readMtx } from '../../io/mtx.js';
import { encodeNpy } from '../../io/npy.js';
import { Matrix } from '../../matrix/matrix.js';
import type { ObservedInput } from '../../models/completion/observed-entries.js';
import { SOFT_IMPUTE_ALGORITHMS, SoftImpute, type SoftImputeAlgorithm } from '../../models/completion/soft-impute.js';
import { kernels } from '../../kernels/index.js';
import { atMost, count, flagOption, integer, number } from '../flags.js';
import { addTextInputOptions, fileFormat, onFile, textReadOptions, UsageError, type TextInputFlags } from '../options.js';
import { human, printJson, stdoutOf } from '../output.js';
import { withProgress } from '../progress-bar.js';
import { checkEntries, checkValues, readMatrixInput } from '../read-input.js';
import { timed } from '../timing.js';

/** completed.npy is written without `--dense` up to this many entries (80 MB of float64). */
export const DENSE_LIMIT = 1e7;

interface CompleteFlags extends TextInputFlags {
  rank?: number;
  lambda?: number;
  maxIter: number;
  tol: number;
  seed: number;
  algorithm: SoftImputeAlgorithm;
  out: string;
  dense?: boolean;
  json?: boolean;
}

interface Observed {
  observed: ObservedInput;
  m: number;
  n: number;
  count: number;
  /** Whether a text file's first row was read as column names. */
  header: boolean;
}

/**
 * The observed entries of a file: coordinate .mtx as triples (every listed value must be
 * finite), anything else as a dense matrix with NaN for missing entries (infinities are
 * refused, naming the file and entry).
 */
async function readObserved(path: string, flags: TextInputFlags): Promise<Observed> {
  if (fileFormat(path) === 'mtx') {
    const f = await onFile(path, () => readMtx(path));
    if (f.format === 'coordinate') {
      if (f.field === 'pattern') throw new InvalidArgumentError(`${path}: a pattern matrix has no values to complete; give a real or integer coordinate file`);
      const e = f.entries!;
      checkEntries(e, path, 'finite');
      return { observed: { rows: e.row, cols: e.col, values: e.val, shape: [f.rows, f.cols] }, m: f.rows, n: f.cols, count: e.val.length, header: false };
    }
    const A = f.dense();
    checkValues(A, path, 'missing');
    return { ...dense(A), header: false };
  }
  const input = await readMatrixInput(path, { ...textReadOptions(flags), values: 'missing' });
  return { ...dense(input.matrix), header: input.header };
}

function dense(A: Matrix): Omit<Observed, 'header'> {
  let count = 0;
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) if (!Number.isNaN(A.get(i, j))) count++;
  return { observed: A, m: A.rows, n: A.cols, count };
}

/** Register `lowrank complete`. */
export function registerComplete(program: Command): void {
  const command = program
    .command('complete')
    .description('matrix completion (SoftImpute): fill in the missing entries of a partly observed matrix (U.npy, s.npy, Vt.npy, completed.npy)')
    .argument('<file>', 'observed entries: coordinate .mtx (the listed entries are observed), or .npy/.csv/.tsv/array .mtx with NaN for missing entries')
    .addOption(flagOption('--rank <k>', 'largest rank of the completed matrix', count))
    .addOption(flagOption('--lambda <x>', 'nuclear-norm shrinkage (default: lambdaMax / 100, lambdaMax = the largest singular value of the observed matrix)', number({ min: 0 })))
    .addOption(flagOption('--max-iter <n>', 'iteration cap', count, { default: '100' }))
    .addOption(flagOption('--tol <t>', 'stop when ||L_old - L_new||^2 / ||L_old||^2 < t', number({ min: 0 }), { default: '1e-5' }))
    .addOption(flagOption('--seed <s>', 'seed of the random start', integer(), { default: '0' }))
    .addOption(new Option('--algorithm <name>', 'solver: als (softImpute-ALS) or svd (Soft-Impute)').choices(SOFT_IMPUTE_ALGORITHMS).default('als'))
    .requiredOption('-o, --out <dir>', 'write U.npy, s.npy, Vt.npy (and completed.npy) into this directory (created if needed)')
    .option('--dense', `write completed.npy even when it has more than ${DENSE_LIMIT} entries`)
    .option('--json', 'print one JSON object');
  addTextInputOptions(command)
    .action(async (file: string, opts: CompleteFlags, cmd: Command) => {
      const { rank, lambda, maxIter, tol, seed } = opts;
      if (rank === undefined && lambda === undefined) throw new UsageError('give --rank k and/or --lambda x');
      if (lambda === 0 && rank === undefined) throw new UsageError('--lambda 0 needs --rank (without shrinkage or a rank cap the completion is not determined)');
      const model = new SoftImpute({ rank, lambda, maxIter, tol, seed, algorithm: opts.algorithm });
      const { observed, m, n, count, header } = await readObserved(file, opts);
      // SoftImpute would clamp a larger rank; on the command line it is a usage error, as in `svd --rank`.
      if (rank !== undefined) atMost('--rank', rank, Math.min(m, n), `min(rows, cols) = ${Math.min(m, n)} for this ${m}x${n} matrix`);

      const { result: fit, seconds } = timed(() => withProgress('complete', (onProgress) => model.fit(observed, { onProgress })), { prepare: kernels });

      const dir = opts.out;
      await onFile(dir, () => mkdir(dir, { recursive: true }));
      const { U, s, Vt } = fit.factors;
      const outputs: [string, Uint8Array | (() => Uint8Array)][] = [
        ['U', encodeNpy(U)],
        ['s', encodeNpy(new Matrix(s, s.length, 1), { shape1d: true })],
        ['Vt', encodeNpy(Vt)],
      ];
      if (opts.dense || m * n <= DENSE_LIMIT) outputs.push(['completed', () => encodeNpy(fit.complete())]);
      const files: string[] = [];
      for (const [name, bytes] of outputs) {
        const path = join(dir, `${name}.npy`);
        await onFile(path, () => writeFileAtomic(path, typeof bytes === 'function' ? bytes() : bytes));
        files.push(path);
      }

      const facts = {
        rank: fit.nComponents,
        lambda: fit.lambda,
        lambdaMax: fit.lambdaMax,
        iterations: fit.iterations,
        converged: fit.converged,
        trainRmse: fit.trainRmse,
        seconds,
      };
      if (opts.json) {
        printJson(cmd, { command: 'complete', shape: [m, n], header, observed: count, algorithm: opts.algorithm, ...facts, backend: kernels().name, files });
        return;
      }
      const out = stdoutOf(cmd);
      const pct = m * n > 0 ? ` (${human((100 * count) / (m * n))}%)` : '';
      out(`complete: ${m}x${n}, ${count} observed${pct}, rank ${fit.nComponents}, lambda ${human(fit.lambda)}, ${fit.iterations} iterations${fit.converged ? '' : ' (not converged; raise --max-iter or --tol)'}, train RMSE ${human(fit.trainRmse)} in ${human(seconds)} s\n`);
      for (const path of files) out(`  -> ${path}\n`);
    });
}
