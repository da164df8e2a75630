/**
 * `lowrank pca X --components 0.95 --out DIR`: principal component analysis of a data
 * file whose rows are samples (scikit-learn's PCA, or IncrementalPCA with `--batch-size`).
 * Writes, with numpy-checkable names (a contract):
 *
 * - components.npy              k x n_features, one component per row (`components_`)
 * - explained_variance_ratio.npy (k,)
 * - explained_variance.npy       (k,)
 * - singular_values.npy          (k,)
 * - mean.npy                     (n_features,)
 * - scores.npy                   n_samples x k, the transformed data (unless --no-scores)
 *
 * A coordinate `.mtx` file is read as a sparse CSR matrix and never densified (solvers
 * lanczos, covariance-eigh, randomized).
 */
import { Option, type Command } from 'commander';
import type { Matrix } from '../../matrix/matrix.js';
import { batchSlices, IncrementalPCA } from '../../models/decomposition/incremental-pca.js';
import { PCA } from '../../models/decomposition/pca.js';
import type { PCAModel } from '../../models/decomposition/pca-model.js';
import { PCA_SOLVERS, type PCASolver } from '../../options.js';
import { CsrMatrix } from '../../sparse/csr.js';
import { runFactorCommand, type Factor, type FactorCommandOptions } from '../factor-files.js';
import { atMost, count, either, flagOption, integer, number } from '../flags.js';
import { addTextInputOptions, dtypeOption, textReadOptions, UsageError, type TextInputFlags } from '../options.js';
import { readDenseOrSparseInput } from '../read-input.js';
import { withProgress } from '../progress-bar.js';

interface PcaFlags extends FactorCommandOptions, TextInputFlags {
  components?: number;
  solver: PCASolver;
  whiten?: boolean;
  seed?: number;
  powerIters?: number;
  tol?: number;
  batchSize?: number;
  scores: boolean;
}

/**
 * Check an integer --components against the data (a usage error, like `svd --rank`):
 * k <= min(n_samples, n_features), or with --batch-size k <= n_features and k <= the rows
 * of the first batch (IncrementalPCA's first step needs k of them).
 */
function checkComponents(k: number, n: number, p: number, batchSize: number | undefined): void {
  if (batchSize === undefined) {
    atMost('--components', k, Math.min(n, p), `min(rows, cols) = ${Math.min(n, p)} for this ${n}x${p} matrix`);
    return;
  }
  atMost('--components', k, p, `the ${p} columns (features) of this ${n}x${p} matrix`);
  const [start, end] = batchSlices(n, batchSize, k)[0] ?? [0, 0];
  atMost('--components', k, end - start, `the ${end - start} rows of the first batch (--batch-size ${batchSize} of ${n} rows; raise --batch-size)`);
}

/** Register `lowrank pca`. */
export function registerPca(program: Command): void {
  const command = program
    .command('pca')
    .description('principal component analysis, rows are samples (components.npy one per row, explained_variance_ratio.npy, explained_variance.npy, singular_values.npy, mean.npy, scores.npy)')
    .argument('<x>', 'data file, rows are samples (.npy, .mtx, .csv, .tsv, .txt); a coordinate .mtx stays sparse')
    .addOption(flagOption('-k, --components <k>', 'components to keep: an integer k, or a fraction in (0, 1) of the variance to explain (default: all)', either(count, number({ above: 0, below: 1 }, 'a fraction'))))
    .addOption(new Option('--solver <name>', 'auto (as scikit-learn), full (SVD), covariance-eigh, randomized, lanczos (alias arpack)').choices(PCA_SOLVERS).default('auto'))
    .option('--whiten', 'scale the scores to unit variance')
    .addOption(flagOption('--batch-size <b>', 'incremental PCA in batches of b rows (memory O((k + b) n_features)); needs an integer --components or none', count))
    .addOption(flagOption('--power-iters <q>', 'randomized: power iterations (default auto)', integer({ min: 0 })))
    .addOption(flagOption('--tol <t>', 'lanczos: residual tolerance relative to the largest singular value (default 1e-10)', number({ above: 0, below: 1 })))
    .addOption(flagOption('--seed <s>', 'seed of the randomized and lanczos solvers (default 0)', integer()))
    .option('--no-scores', 'do not compute or write scores.npy')
    .option('-o, --out <dir>', 'write the results as .npy files into this directory (created if needed); without it they are printed')
    .addOption(dtypeOption('read the data in this precision (default: as stored; computation is float64)'))
    .option('--json', 'print one JSON object');
  addTextInputOptions(command)
    .action(async (x: string, opts: PcaFlags, cmd: Command) => {
      const { components: c, seed, powerIters, tol, batchSize } = opts;
      if (batchSize !== undefined) {
        if (c !== undefined && c < 1) throw new UsageError('--batch-size (incremental PCA) needs an integer --components, not a variance fraction');
        if (opts.solver !== 'auto' || powerIters !== undefined || tol !== undefined) throw new UsageError('--batch-size (incremental PCA) takes none of --solver, --power-iters, --tol');
      }
      if (c !== undefined && c < 1 && (opts.solver === 'randomized' || opts.solver === 'lanczos' || opts.solver === 'arpack')) {
        throw new UsageError(`--components ${c} is a variance fraction; it needs --solver auto, full or covariance-eigh`);
      }
      const X = (await readDenseOrSparseInput(x, { dtype: opts.dtype, ...textReadOptions(opts) })).matrix;
      if (c !== undefined && c >= 1) checkComponents(c, X.shape[0], X.shape[1], batchSize);
      await runFactorCommand(cmd, 'pca', [X], opts, () => {
        const { model, transformed: scores } = withProgress('pca', (onProgress): { model: PCAModel; transformed?: Matrix } => {
          if (batchSize !== undefined) {
            const fitted = new IncrementalPCA({ components: c, batchSize, whiten: opts.whiten ?? false }).fit(X, { onProgress });
            return { model: fitted, transformed: opts.scores ? fitted.transform(X) : undefined };
          }
          const pca = new PCA({ components: c, solver: opts.solver, whiten: opts.whiten ?? false, seed: seed ?? 0, powerIters: powerIters ?? 'auto', tol });
          return opts.scores ? pca.fitTransform(X, { onProgress }) : { model: pca.fit(X, { onProgress }) };
        });
        const factors: Factor[] = [
          { name: 'components', matrix: model.components },
          { name: 'explained_variance_ratio', vector: model.explainedVarianceRatio },
          { name: 'explained_variance', vector: model.explainedVariance },
          { name: 'singular_values', vector: model.singularValues },
          { name: 'mean', vector: model.mean },
        ];
        if (scores) factors.push({ name: 'scores', matrix: scores });
        const facts: Record<string, number | string | boolean> = {
          solver: model.solver,
          components: model.nComponents,
          explained: model.totalExplainedVarianceRatio,
          noise_variance: model.noiseVariance,
        };
        if (X instanceof CsrMatrix) facts.nnz = X.nnz;
        return { factors, facts };
      });
    });
}
