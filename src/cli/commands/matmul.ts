import type { Command } from 'commander';
import { writeMatrix } from '../../io/format.js';
import { matmul } from '../../linalg/matmul.js';
import type { DType } from '../../matrix/dtype.js';
import { addTextInputOptions, dtypeOption, fileFormat, onFile, textReadOptions, type TextInputFlags } from '../options.js';
import { human, printJson, stdoutOf } from '../output.js';
import { readMatrixInput } from '../read-input.js';
import { timed } from '../timing.js';
import { kernels } from '../../kernels/index.js';

interface MatmulOptions extends TextInputFlags {
  out?: string;
  transA?: boolean;
  transB?: boolean;
  dtype?: DType;
  json?: boolean;
}

/** `lowrank matmul A B --out C`: the product op(A) op(B) on lowrank's gemm kernels, timed. */
export function registerMatmul(program: Command): void {
  const command = program
    .command('matmul')
    .description('multiply two matrix files, C = op(A) op(B), and report the time taken')
    .argument('<a>', 'left factor A (.npy, .mtx, .csv, .tsv, .txt)')
    .argument('<b>', 'right factor B')
    .option('-o, --out <file>', 'write C here (format by extension); without it C is printed')
    .option('--transA', 'use the transpose of A')
    .option('--transB', 'use the transpose of B')
    .addOption(dtypeOption('compute in this precision (default: float32 only if both inputs are float32)'))
    .option('--json', 'print one JSON object');
  addTextInputOptions(command)
    .action(async (a: string, b: string, opts: MatmulOptions, cmd: Command) => {
      fileFormat(a);
      fileFormat(b);
      if (opts.out !== undefined) fileFormat(opts.out);
      // NaN and Inf pass through a product as they do in numpy: no value check.
      const read = { dtype: opts.dtype, ...textReadOptions(opts), values: 'any' as const };
      const [ia, ib] = await Promise.all([readMatrixInput(a, read), readMatrixInput(b, read)]);
      const [A, B] = [ia.matrix, ib.matrix];
      const { result: C, seconds } = timed(() => matmul(A, B, { transA: opts.transA, transB: opts.transB }), { prepare: kernels });
      const inner = opts.transA ? A.rows : A.cols;
      const gflops = seconds > 0 ? (2 * C.rows * C.cols * inner) / seconds / 1e9 : null;
      if (opts.out !== undefined) await onFile(opts.out, () => writeMatrix(opts.out!, C));
      if (opts.json) {
        printJson(cmd, { shape: [C.rows, C.cols], dtype: C.dtype, out: opts.out ?? null, seconds, gflops, a: [A.rows, A.cols], b: [B.rows, B.cols], headers: [ia.header, ib.header] });
        return;
      }
      const out = stdoutOf(cmd);
      const rate = gflops === null ? '' : ` (${human(gflops)} GFLOP/s)`;
      const ta = opts.transA ? 'A^T' : 'A';
      const tb = opts.transB ? 'B^T' : 'B';
      out(`C = ${ta} ${tb}: ${C.rows} x ${C.cols} ${C.dtype} in ${human(seconds)} s${rate}${opts.out !== undefined ? ` -> ${opts.out}` : ''}\n`);
      if (opts.out === undefined) out(C.toString() + '\n');
    });
}
