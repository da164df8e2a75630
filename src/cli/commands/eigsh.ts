/**
 * `lowrank eigsh A.mtx -k 6 --which SA --out DIR`: k eigenpairs of a symmetric matrix by
 * thick-restart Lanczos (src/lowrank/eigsh.ts; scipy's eigsh). A coordinate .mtx file stays
 * sparse. Writes, with numpy-checkable names (a contract):
 *
 * - w.npy  (k,)   the eigenvalues, ascending
 * - V.npy  n x k  the eigenvectors, column i for w[i]
 *
 * A matrix that is not symmetric is an error naming an entry and its mirror (exit 1); a
 * Matrix Market file with the `symmetric` banner is symmetric as read and is not checked.
 */
import { open } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { EIGSH_METHODS, EIGSH_WHICH, eigsh, type EigshMethod, type EigshWhich } from '../../lowrank/eigsh.js';
import { CsrMatrix } from '../../sparse/csr.js';
import { factorCommand, runFactorCommand, type FactorCommandOptions } from '../factor-files.js';
import { atMost, count, flagOption, integer, number } from '../flags.js';
import { readDenseOrSparseInput } from '../read-input.js';
import { withProgress } from '../progress-bar.js';

/**
 * Whether `path` is a Matrix Market file whose banner says `symmetric`: the reader mirrors
 * its entries, so the matrix is symmetric by construction and eigsh's O(nnz) check can be
 * skipped (a tenth of a second at 4 million nonzeros). Reads the first line only.
 */
async function symmetricBanner(path: string): Promise<boolean> {
  if (!/\.mtx$/i.test(path)) return false;
  const f = await open(path, 'r');
  try {
    const buf = Buffer.alloc(256);
    const { bytesRead } = await f.read(buf, 0, 256, 0);
    const line = buf.subarray(0, bytesRead).toString('latin1').split('\n')[0] ?? '';
    return /^%%MatrixMarket\s+matrix\s+\S+\s+\S+\s+symmetric\s*$/i.test(line.trim());
  } finally {
    await f.close();
  }
}

interface EigshFlags extends FactorCommandOptions {
  k: number;
  which: EigshWhich;
  sigma?: number;
  tol?: number;
  maxIter?: number;
  ncv?: number;
  seed: number;
  method: EigshMethod;
}

/** Register `lowrank eigsh`. */
export function registerEigsh(program: Command): void {
  factorCommand(program, 'eigsh', 'k eigenpairs of a symmetric (sparse) matrix by thick-restart Lanczos: w.npy (ascending), V.npy (one eigenvector per column)')
    .argument('<A>', 'symmetric square matrix (.mtx stays sparse; .npy, .csv, .tsv, .txt)')
    .addOption(flagOption('-k, --k <k>', 'number of eigenpairs', count, { default: '6' }))
    .addOption(new Option('--which <which>', 'LA largest, SA smallest (algebraic), LM largest magnitude; with --sigma: relative to sigma').choices(EIGSH_WHICH).default('LM'))
    .addOption(flagOption('--sigma <s>', 'shift-invert: the eigenvalues nearest s (needs A dense or n <= 4096)', number()))
    .addOption(flagOption('--tol <t>', 'residual tolerance relative to ||A|| (default 1e-10)', number({ above: 0, below: 1 })))
    .addOption(flagOption('--max-iter <n>', 'cap on restarts, or LOBPCG iterations (default 10 n; lobpcg 1000)', integer({ min: 0 })))
    .addOption(flagOption('--ncv <n>', 'Lanczos basis size (default max(2k + 1, k + 20))', integer({ min: 2 })))
    .addOption(flagOption('--seed <s>', 'seed of the start vector', integer(), { default: '0' }))
    .addOption(new Option('--method <m>', 'lanczos (thick-restart Lanczos) or lobpcg').choices(EIGSH_METHODS).default('lanczos'))
    .action(async (path: string, opts: EigshFlags, cmd: Command) => {
      const A = (await readDenseOrSparseInput(path, { dtype: opts.dtype })).matrix;
      const checkSymmetry = !(await symmetricBanner(path));
      const [m, n] = A.shape;
      if (m === n) atMost('-k', opts.k, n, `the order n = ${n} of this ${m}x${n} matrix`);
      if (opts.ncv !== undefined && m === n) atMost('--ncv', opts.ncv, n, `the order n = ${n}`);
      await runFactorCommand(cmd, 'eigsh', [A], opts, () => {
        const r = withProgress('eigsh', (onProgress) => eigsh(A, opts.k, {
          which: opts.which, sigma: opts.sigma, tol: opts.tol, maxIter: opts.maxIter, ncv: opts.ncv, seed: opts.seed, method: opts.method, checkSymmetry, onProgress,
        }));
        const facts: Record<string, number | string> = {
          method: r.info.method,
          which: r.info.which,
          restarts: r.info.restarts,
          matvecs: r.info.matvecs,
          max_residual: Math.max(...r.info.residuals),
        };
        if (opts.sigma !== undefined) facts.sigma = opts.sigma;
        if (A instanceof CsrMatrix) facts.nnz = A.nnz;
        return { factors: [{ name: 'w', vector: r.w }, { name: 'V', matrix: r.V }], facts };
      });
    });
}
