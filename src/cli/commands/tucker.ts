/**
 * `lowrank tucker T.npy --ranks 3,4,5 [--method hooi] --out DIR`: Tucker decomposition of an
 * n-d array (HOSVD, ST-HOSVD or HOOI). Writes, with numpy-checkable names (a contract):
 *
 * - core.npy       r_0 x ... x r_{d-1}, the core tensor G
 * - factor_k.npy   n_k x r_k for each mode k, orthonormal columns
 *
 * numpy rebuilds the tensor as `G` multiplied by `factor_k` along each axis k, e.g. for three
 * modes `np.einsum('abc,ia,jb,kc->ijk', G, U0, U1, U2)`. Also the shared reporting of the
 * tensor commands (cp.ts uses it; inputs are read by read-input.ts's readTensorInput).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { writeNpy, writeTensor } from '../../io/npy.js';
import { kernels } from '../../kernels/index.js';
import type { DType } from '../../matrix/dtype.js';
import { Matrix } from '../../matrix/matrix.js';
import { TUCKER_METHODS, tucker, type TuckerMethod } from '../../models/tensor/tucker.js';
import { Tensor } from '../../tensor/tensor.js';
import { atMost, count, flagOption, list, number } from '../flags.js';
import { dtypeOption, onFile, UsageError } from '../options.js';
import { human, printJson, stdoutOf } from '../output.js';
import { withProgress } from '../progress-bar.js';
import { readTensorInput } from '../read-input.js';
import { timed } from '../timing.js';

/** One output file of a tensor command: an n-d array, a matrix, or a 1-d vector. */
export type TensorOutput = { name: string; tensor: Tensor } | { name: string; matrix: Matrix } | { name: string; vector: Float64Array };

function shapeOf(o: TensorOutput): number[] {
  if ('tensor' in o) return [...o.tensor.shape];
  if ('matrix' in o) return [o.matrix.rows, o.matrix.cols];
  return [o.vector.length];
}

function writeOutput(path: string, o: TensorOutput): Promise<void> {
  if ('tensor' in o) return writeTensor(path, o.tensor);
  if ('matrix' in o) return writeNpy(path, o.matrix);
  return writeNpy(path, new Matrix(o.vector, o.vector.length, 1), { shape1d: true });
}

/** Flags every tensor command takes. */
export interface TensorCommandFlags {
  out?: string;
  dtype?: DType;
  json?: boolean;
}

/**
 * Time `compute` on the tensor read from a file, write its outputs as `<out>/<name>.npy`
 * (or print them), and report in words or one JSON line (`command`, `inputs`, `dtype`,
 * `seconds`, `backend`, `factors` (name -> shape), `files`, then `facts`).
 */
export async function runTensorCommand(
  cmd: Command, command: string, T: Tensor, flags: TensorCommandFlags,
  compute: () => { outputs: TensorOutput[]; facts: Record<string, number | string | boolean | number[]> },
): Promise<void> {
  const { result, seconds } = timed(compute, { prepare: kernels });
  const files: string[] = [];
  if (flags.out !== undefined) {
    const dir = flags.out;
    await onFile(dir, () => mkdir(dir, { recursive: true }));
    for (const o of result.outputs) {
      const path = join(dir, `${o.name}.npy`);
      await onFile(path, () => writeOutput(path, o));
      files.push(path);
    }
  }
  if (flags.json) {
    const factors = Object.fromEntries(result.outputs.map((o) => [o.name, shapeOf(o)]));
    printJson(cmd, { command, inputs: [[...T.shape]], dtype: T.dtype, seconds, backend: kernels().name, factors, files, ...result.facts });
    return;
  }
  const out = stdoutOf(cmd);
  const fact = (v: number | string | boolean | number[]): string => (Array.isArray(v) ? v.join('x') : typeof v === 'number' ? human(v) : String(v));
  const facts = Object.entries(result.facts).map(([k, v]) => `${k} ${fact(v)}`);
  out([`${command}: ${T.shape.join('x')} ${T.dtype} in ${human(seconds)} s`, ...facts].join(', ') + '\n');
  for (const o of result.outputs) {
    if (flags.out !== undefined) {
      out(`  ${o.name}.npy  ${shapeOf(o).join('x')}  -> ${join(flags.out, `${o.name}.npy`)}\n`);
    } else {
      const body = 'tensor' in o ? o.tensor.toString() : 'matrix' in o ? o.matrix.toString() : `[${Array.from(o.vector, (v) => human(v)).join(', ')}]`;
      out(`${o.name} ${shapeOf(o).join('x')} =\n${body}\n`);
    }
  }
}

interface TuckerFlags extends TensorCommandFlags {
  ranks: number[];
  method: TuckerMethod;
  maxIter: number;
  tol: number;
}

/** Register `lowrank tucker`. */
export function registerTucker(program: Command): void {
  program
    .command('tucker')
    .description('Tucker decomposition of an n-d array: core.npy (r_0 x ... x r_{d-1}) and factor_k.npy (n_k x r_k, orthonormal columns)')
    .argument('<t>', 'the tensor, an .npy file with 2 or more dimensions')
    .addOption(flagOption('-r, --ranks <r>', 'multilinear ranks, one per mode (3,4,5), or one rank for every mode', list(count)).makeOptionMandatory())
    .addOption(new Option('--method <name>', 'hooi (higher-order orthogonal iteration, from HOSVD), hosvd (truncated HOSVD) or sthosvd (sequentially truncated)').choices(TUCKER_METHODS).default('hooi'))
    .addOption(flagOption('--max-iter <n>', 'hooi: iteration cap', count, { default: '100' }))
    .addOption(flagOption('--tol <t>', 'hooi: stop when an iteration lowers the squared relative error by at most t (0: run --max-iter)', number({ min: 0 }), { default: '1e-10' }))
    .option('-o, --out <dir>', 'write core.npy and factor_0.npy ... into this directory (created if needed); without it they are printed')
    .addOption(dtypeOption('read the file in this precision (the decomposition runs in float64)'))
    .option('--json', 'print one JSON object')
    .action(async (t: string, opts: TuckerFlags, cmd: Command) => {
      const T = await readTensorInput(t, { dtype: opts.dtype });
      const d = T.ndim;
      if (d < 2) throw new UsageError(`${t}: holds a ${d}-d array (shape [${T.shape.join(', ')}]); Tucker needs 2 or more dimensions`);
      const ranks = opts.ranks.length === 1 ? new Array<number>(d).fill(opts.ranks[0]!) : opts.ranks;
      if (ranks.length !== d) throw new UsageError(`--ranks must give one rank per mode (${d} for this ${T.shape.join('x')} array) or a single rank, got ${opts.ranks.length}`);
      ranks.forEach((r, k) => atMost('--ranks', r, T.shape[k]!, `${T.shape[k]}, the length of mode ${k} of this ${T.shape.join('x')} array`));
      await runTensorCommand(cmd, 'tucker', T, opts, () => {
        const f = withProgress('tucker', (onProgress) => tucker(T, ranks, { method: opts.method, maxIter: opts.maxIter, tol: opts.tol, onProgress }));
        return {
          outputs: [{ name: 'core', tensor: f.core }, ...f.factors.map((U, k) => ({ name: `factor_${k}`, matrix: U }))],
          facts: {
            method: f.method,
            ranks: f.ranks,
            relative_error: f.relativeError,
            iterations: f.iterations,
            converged: f.converged,
            params: f.params,
            compression: f.compressionRatio,
          },
        };
      });
    });
}
