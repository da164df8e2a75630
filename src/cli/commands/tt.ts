/**
 * `lowrank tt T.npy --eps 1e-6 [--max-rank r] --out DIR`: tensor-train decomposition (TT-SVD)
 * of an n-d array. Writes, with numpy-checkable names (a contract):
 *
 * - core_k.npy   (r_k, n_k, r_{k+1}) for k = 0 .. d-1, r_0 = r_d = 1
 *
 * numpy rebuilds the tensor with
 * `functools.reduce(lambda M, G: np.tensordot(M, G, 1), cores)[0, ..., 0]`, and an entry
 * as `G_0[:, i_0, :] @ ... @ G_{d-1}[:, i_{d-1}, :]`. `--json` prints one object with
 * `ranks` (r_0 .. r_d), `relative_error` (||T - TT||_F / ||T||_F), `params` (numbers
 * stored) and `compression` (entries of T / params).
 */
import type { Command } from 'commander';
import { NonFiniteInputError } from '../../errors.js';
import { writeTensorTrain } from '../../io/tensor-train-files.js';
import { kernels } from '../../kernels/index.js';
import type { DType } from '../../matrix/dtype.js';
import { ttSvd } from '../../models/tensor/tt-svd.js';
import { count, flagOption, list, number } from '../flags.js';
import { dtypeOption, onFile, UsageError } from '../options.js';
import { human, printJson, stdoutOf } from '../output.js';
import { withProgress } from '../progress-bar.js';
import { readTensorInput } from '../read-input.js';
import { timed } from '../timing.js';

interface TtFlags {
  eps: number;
  maxRank?: number[];
  out?: string;
  dtype?: DType;
  json?: boolean;
}

/** Register `lowrank tt`. */
export function registerTt(program: Command): void {
  program
    .command('tt')
    .description('tensor-train (TT-SVD) decomposition of an n-d array: core_0.npy ... core_{d-1}.npy, core k of shape (r_k, n_k, r_k+1)')
    .argument('<t>', 'the tensor, an .npy file with 2 or more dimensions')
    .addOption(flagOption('--eps <e>', 'relative accuracy: ||T - TT||_F <= eps ||T||_F (unless --max-rank caps a bond)', number({ min: 0 }), { default: '1e-10' }))
    .addOption(flagOption('--max-rank <r>', 'rank cap: one for every bond, or one per bond (d - 1 values, comma-separated)', list(count)))
    .option('-o, --out <dir>', 'write core_0.npy ... core_{d-1}.npy into this directory (created if needed; stale higher cores removed); without it the ranks are printed')
    .addOption(dtypeOption('read the file in this precision (the decomposition runs in float64)'))
    .option('--json', 'print one JSON object (ranks, relative_error, params, compression, ...)')
    .action(async (t: string, opts: TtFlags, cmd: Command) => {
      // values: 'any': ttSvd names the index of a NaN/Inf itself (below, with the file).
      const T = await readTensorInput(t, { dtype: opts.dtype, values: 'any' });
      const d = T.ndim;
      if (d < 2) throw new UsageError(`${t}: holds a ${d}-d array (shape [${T.shape.join(', ')}]); a tensor train needs 2 or more dimensions (reshape a vector to 2 x 2 x ... first)`);
      const caps = opts.maxRank;
      if (caps !== undefined && caps.length !== 1 && caps.length !== d - 1) {
        throw new UsageError(`--max-rank must give one rank for every bond or one per bond (${d - 1} for this ${T.shape.join('x')} array), got ${caps.length}`);
      }
      const maxRank = caps === undefined ? undefined : caps.length === 1 ? caps[0]! : caps;
      const run = () => {
        try {
          return withProgress('tt', (onProgress) => ttSvd(T, { eps: opts.eps, maxRank, onProgress }));
        } catch (e) {
          // ttSvd names the index of a NaN/Inf; say which file holds it.
          if (e instanceof NonFiniteInputError) throw new NonFiniteInputError(`${t}: ${e.message.replace(/^ttSvd: the tensor /, '')}`);
          throw e;
        }
      };
      const { result, seconds } = timed(run, { prepare: kernels });
      const { tt, relativeError } = result;
      const files = opts.out === undefined ? [] : await onFile(opts.out, () => writeTensorTrain(opts.out!, tt));
      const facts = {
        ranks: [...tt.ranks],
        relative_error: relativeError,
        params: tt.params,
        compression: tt.compressionRatio,
        eps: opts.eps,
        ...(maxRank === undefined ? {} : { max_rank: maxRank }),
      };
      if (opts.json) {
        printJson(cmd, { command: 'tt', inputs: [[...T.shape]], dtype: T.dtype, seconds, backend: kernels().name, cores: tt.cores.map((c) => [...c.shape]), files, ...facts });
        return;
      }
      const out = stdoutOf(cmd);
      out(`tt: ${T.shape.join('x')} ${T.dtype} in ${human(seconds)} s, ranks ${tt.ranks.join(',')}, relative_error ${human(relativeError)}, params ${tt.params} of ${T.size} (compression ${human(tt.compressionRatio)})\n`);
      tt.cores.forEach((c, k) => out(`  core_${k}.npy  ${c.shape.join('x')}${opts.out === undefined ? '' : `  -> ${files[k]}`}\n`));
    });
}
