/**
 * `lowrank nmf V --rank k [--solver cd|mu] [--init nndsvda] --out DIR`: nonnegative matrix
 * factorization V ≈ W H (W.npy m x k, H.npy k x n; numpy: `W @ H`). A coordinate `.mtx`
 * file is read as a sparse CSR matrix and never densified.
 */
import { Option, type Command } from 'commander';
import { NMF, type NMFBetaLoss, type NMFInit, type NMFSolver } from '../../models/nmf/nmf.js';
import { runFactorCommand, type FactorCommandOptions } from '../factor-files.js';
import { addTextInputOptions, atMost, dtypeOption, textReadOptions, UsageError, type TextInputFlags } from '../options.js';
import { readDenseOrSparseInput } from '../read-input.js';
import { progressBar } from '../progress-bar.js';

interface NmfFlags extends FactorCommandOptions, TextInputFlags {
  rank: string;
  solver: NMFSolver;
  init?: NMFInit;
  betaLoss: string;
  maxIter: string;
  tol: string;
  alphaW: string;
  alphaH?: string;
  l1Ratio: string;
  shuffle?: boolean;
  seed: string;
}

function parseNumber(flag: string, value: string, rule: (v: number) => boolean, what: string): number {
  const v = value.trim() === '' ? NaN : Number(value);
  if (!rule(v)) throw new UsageError(`${flag} must be ${what}, got '${value}'`);
  return v;
}

const isCount = (v: number): boolean => Number.isInteger(v) && v >= 1;
const isNonNegative = (v: number): boolean => Number.isFinite(v) && v >= 0;

/** --beta-loss: a name or a number. */
function betaLossOf(value: string): NMFBetaLoss {
  if (value === 'frobenius' || value === 'kullback-leibler' || value === 'itakura-saito') return value;
  if (value === 'kl') return 'kullback-leibler';
  if (value === 'is') return 'itakura-saito';
  return parseNumber('--beta-loss', value, Number.isFinite, "'frobenius', 'kullback-leibler' (kl), 'itakura-saito' (is) or a number");
}


/** Register `lowrank nmf`. */
export function registerNmf(program: Command): void {
  const command = program
    .command('nmf')
    .description('nonnegative matrix factorization V ≈ W H, W >= 0 and H >= 0 (W.npy, H.npy)')
    .argument('<v>', 'nonnegative data file, rows are samples (.npy, .mtx, .csv, .tsv, .txt); a coordinate .mtx stays sparse')
    .requiredOption('-k, --rank <k>', 'number of components k')
    .addOption(new Option('--solver <name>', 'cd (coordinate descent / HALS, Frobenius only) or mu (multiplicative updates, any beta-loss)').choices(['cd', 'mu']).default('cd'))
    .addOption(new Option('--init <name>', 'starting point (default: nndsvda when k <= min(m, n), else random)').choices(['random', 'nndsvd', 'nndsvda', 'nndsvdar']))
    .option('--beta-loss <loss>', "frobenius, kullback-leibler (kl), itakura-saito (is) or a number (beta); other than frobenius needs --solver mu", 'frobenius')
    .option('--max-iter <n>', 'iteration cap', '200')
    .option('--tol <t>', 'stopping tolerance (cd: projected-gradient ratio; mu: relative loss drop per 10 iterations)', '1e-4')
    .option('--alpha-w <a>', 'penalty weight on W (scaled by the number of columns)', '0')
    .option('--alpha-h <a>', 'penalty weight on H (default: --alpha-w; scaled by the number of rows)')
    .option('--l1-ratio <r>', 'penalty mix: 0 = L2, 1 = L1 (sparse factors)', '0')
    .option('--shuffle', 'visit the components in random order in each cd sweep')
    .option('--seed <s>', 'seed of random starts, the randomized SVD of nndsvd* and --shuffle', '0')
    .option('-o, --out <dir>', 'write W.npy and H.npy into this directory (created if needed); without it they are printed')
    .addOption(dtypeOption('read the file in this precision (the fit itself runs in float64)'))
    .option('--json', 'print one JSON object');
  addTextInputOptions(command)
    .action(async (v: string, opts: NmfFlags, cmd: Command) => {
      const components = parseNumber('--rank', opts.rank, isCount, 'an integer >= 1');
      const betaLoss = betaLossOf(opts.betaLoss);
      if (opts.solver === 'cd' && betaLoss !== 'frobenius' && betaLoss !== 2) throw new UsageError(`--beta-loss ${opts.betaLoss} needs --solver mu (cd handles only frobenius)`);
      const alphaW = parseNumber('--alpha-w', opts.alphaW, isNonNegative, 'a number >= 0');
      const nmf = new NMF({
        components,
        solver: opts.solver,
        init: opts.init,
        betaLoss,
        maxIter: parseNumber('--max-iter', opts.maxIter, isCount, 'an integer >= 1'),
        tol: parseNumber('--tol', opts.tol, isNonNegative, 'a number >= 0'),
        alphaW,
        alphaH: opts.alphaH === undefined ? 'same' : parseNumber('--alpha-h', opts.alphaH, isNonNegative, 'a number >= 0'),
        l1Ratio: parseNumber('--l1-ratio', opts.l1Ratio, (x) => x >= 0 && x <= 1, 'a number in [0, 1]'),
        shuffle: opts.shuffle ?? false,
        seed: parseNumber('--seed', opts.seed, Number.isInteger, 'an integer'),
      });
      const V = (await readDenseOrSparseInput(v, { dtype: opts.dtype, ...textReadOptions(opts) })).matrix;
      const [m, n] = V.shape;
      if (opts.init !== undefined && opts.init.startsWith('nndsvd')) {
        // Any k works with a random start; the SVD-based starts need k singular vectors.
        atMost('--rank', components, Math.min(m, n), `min(rows, cols) = ${Math.min(m, n)} for this ${m}x${n} matrix with --init ${opts.init} (use --init random for more)`);
      }
      await runFactorCommand(cmd, 'nmf', [V], opts, () => {
        const bar = progressBar('nmf');
        let fit;
        try {
          fit = nmf.fitTransform(V, { onProgress: bar.onProgress });
        } finally {
          bar.stop();
        }
        const { model, W } = fit;
        return {
          factors: [{ name: 'W', matrix: W }, { name: 'H', matrix: model.components }],
          facts: {
            solver: model.settings.solver,
            beta: model.settings.beta,
            iterations: model.iterations,
            converged: model.converged,
            reconstruction_error: model.reconstructionError,
          },
        };
      });
    });
}
