/**
 * `lowrank nmf V --rank k [--solver cd|mu] [--init nndsvda] --out DIR`: nonnegative matrix
 * factorization V ≈ W H (W.npy m x k, H.npy k x n; numpy: `W @ H`). A coordinate `.mtx`
 * file is read as a sparse CSR matrix and never densified.
 */
import { Option, type Command } from 'commander';
import { NMF_INIT_METHODS, type NMFInitMethod } from '../../models/nmf/init.js';
import { NMF, NMF_SOLVERS, type NMFBetaLoss, type NMFSolver } from '../../models/nmf/nmf.js';
import { runFactorCommand, type FactorCommandOptions } from '../factor-files.js';
import { atMost, choice, count, either, flagOption, integer, number } from '../flags.js';
import { addTextInputOptions, dtypeOption, textReadOptions, UsageError, type TextInputFlags } from '../options.js';
import { readDenseOrSparseInput } from '../read-input.js';
import { withProgress } from '../progress-bar.js';

/** --beta-loss names, with their short forms, as the NMF options spell them. */
const BETA_LOSSES = {
  frobenius: 'frobenius',
  'kullback-leibler': 'kullback-leibler',
  kl: 'kullback-leibler',
  'itakura-saito': 'itakura-saito',
  is: 'itakura-saito',
} as const satisfies Record<string, NMFBetaLoss>;

/** --beta-loss: a name (kept as typed, for the messages) or a number. */
const betaLoss = either(choice(Object.keys(BETA_LOSSES) as (keyof typeof BETA_LOSSES)[]), number(), "'frobenius', 'kullback-leibler' (kl), 'itakura-saito' (is) or a number");

const nonNegative = number({ min: 0 });

interface NmfFlags extends FactorCommandOptions, TextInputFlags {
  rank: number;
  solver: NMFSolver;
  init?: NMFInitMethod;
  betaLoss: keyof typeof BETA_LOSSES | number;
  maxIter: number;
  tol: number;
  alphaW: number;
  alphaH?: number;
  l1Ratio: number;
  shuffle?: boolean;
  seed: number;
}

/** Register `lowrank nmf`. */
export function registerNmf(program: Command): void {
  const command = program
    .command('nmf')
    .description('nonnegative matrix factorization V ≈ W H, W >= 0 and H >= 0 (W.npy, H.npy)')
    .argument('<v>', 'nonnegative data file, rows are samples (.npy, .mtx, .csv, .tsv, .txt); a coordinate .mtx stays sparse')
    .addOption(flagOption('-k, --rank <k>', 'number of components k', count).makeOptionMandatory())
    .addOption(new Option('--solver <name>', 'cd (coordinate descent / HALS, Frobenius only) or mu (multiplicative updates, any beta-loss)').choices(NMF_SOLVERS).default('cd'))
    .addOption(new Option('--init <name>', 'starting point (default: nndsvda when k <= min(m, n), else random)').choices(NMF_INIT_METHODS))
    .addOption(flagOption('--beta-loss <loss>', 'frobenius, kullback-leibler (kl), itakura-saito (is) or a number (beta); other than frobenius needs --solver mu', betaLoss, { default: 'frobenius' }))
    .addOption(flagOption('--max-iter <n>', 'iteration cap', count, { default: '200' }))
    .addOption(flagOption('--tol <t>', 'stopping tolerance (cd: projected-gradient ratio; mu: relative loss drop per 10 iterations)', nonNegative, { default: '1e-4' }))
    .addOption(flagOption('--alpha-w <a>', 'penalty weight on W (scaled by the number of columns)', nonNegative, { default: '0' }))
    .addOption(flagOption('--alpha-h <a>', 'penalty weight on H (default: --alpha-w; scaled by the number of rows)', nonNegative))
    .addOption(flagOption('--l1-ratio <r>', 'penalty mix: 0 = L2, 1 = L1 (sparse factors)', number({ min: 0, max: 1 }), { default: '0' }))
    .option('--shuffle', 'visit the components in random order in each cd sweep')
    .addOption(flagOption('--seed <s>', 'seed of random starts, the randomized SVD of nndsvd* and --shuffle', integer(), { default: '0' }))
    .option('-o, --out <dir>', 'write W.npy and H.npy into this directory (created if needed); without it they are printed')
    .addOption(dtypeOption('read the file in this precision (the fit itself runs in float64)'))
    .option('--json', 'print one JSON object');
  addTextInputOptions(command)
    .action(async (v: string, opts: NmfFlags, cmd: Command) => {
      const loss = typeof opts.betaLoss === 'number' ? opts.betaLoss : BETA_LOSSES[opts.betaLoss];
      if (opts.solver === 'cd' && loss !== 'frobenius' && loss !== 2) throw new UsageError(`--beta-loss ${opts.betaLoss} needs --solver mu (cd handles only frobenius)`);
      const nmf = new NMF({
        components: opts.rank,
        solver: opts.solver,
        init: opts.init,
        betaLoss: loss,
        maxIter: opts.maxIter,
        tol: opts.tol,
        alphaW: opts.alphaW,
        alphaH: opts.alphaH ?? 'same',
        l1Ratio: opts.l1Ratio,
        shuffle: opts.shuffle ?? false,
        seed: opts.seed,
      });
      const V = (await readDenseOrSparseInput(v, { dtype: opts.dtype, ...textReadOptions(opts) })).matrix;
      const [m, n] = V.shape;
      if (opts.init !== undefined && opts.init.startsWith('nndsvd')) {
        // Any k works with a random start; the SVD-based starts need k singular vectors.
        atMost('--rank', opts.rank, Math.min(m, n), `min(rows, cols) = ${Math.min(m, n)} for this ${m}x${n} matrix with --init ${opts.init} (use --init random for more)`);
      }
      await runFactorCommand(cmd, 'nmf', [V], opts, () => {
        const { model, transformed: W } = withProgress('nmf', (onProgress) => nmf.fitTransform(V, { onProgress }));
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
