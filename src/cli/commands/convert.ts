import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { writeMatrix, type WriteMatrixOptions } from '../../io/format.js';
import type { DType } from '../../matrix/dtype.js';
import type { Matrix } from '../../matrix/matrix.js';
import { delimiterOption, dtypeOption, fileFormat, headerMode, headerOption, onFile, UsageError } from '../options.js';
import { printJson, stdoutOf } from '../output.js';
import { readMatrixInput } from '../read-input.js';
import { timedAsync } from '../timing.js';

interface ConvertOptions {
  json?: boolean;
  delimiter?: string;
  header?: string;
  dtype?: DType;
  format?: 'array' | 'coordinate';
  field?: 'real' | 'integer';
  symmetry?: 'general' | 'symmetric';
}

/** True when at most a third of the values are nonzero: coordinate storage is then smaller. */
function mostlyZero(A: Matrix): boolean {
  let nonzero = 0;
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) if (A.data[A.index(i, j)] !== 0) nonzero++;
  return 3 * nonzero <= A.size && A.size > 0;
}

/** `lowrank convert IN OUT`: between npy, Matrix Market and delimited text, by extension. */
export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('convert a matrix file to another format, chosen by the extensions (.npy, .mtx, .csv, .tsv, .txt, .parquet, .arrow/.feather: numeric columns)')
    .argument('<input>', 'file to read')
    .argument('<output>', 'file to write (replaced if it exists)')
    .option('--json', 'print one JSON object')
    .addOption(dtypeOption('element type of the output (default: as read)'))
    .addOption(delimiterOption())
    .addOption(headerOption())
    .addOption(
      new Option('--format <layout>', '.mtx output: dense array, or coordinate entries (default: coordinate when at most a third of the values are nonzero)').choices([
        'array',
        'coordinate',
      ]),
    )
    .addOption(new Option('--field <field>', '.mtx output: real or integer values').choices(['real', 'integer']).default('real'))
    .addOption(new Option('--symmetry <s>', '.mtx output: general, or symmetric (lower triangle)').choices(['general', 'symmetric']).default('general'))
    .action(async (input: string, output: string, opts: ConvertOptions, cmd: Command) => {
      const inFormat = fileFormat(input);
      const outFormat = fileFormat(output);
      if (resolve(input) === resolve(output)) throw new UsageError(`input and output are the same file: ${output}`);
      const { result: read, seconds } = await timedAsync(async () => {
        // Values are converted as they are, NaN and Inf included.
        const read = await readMatrixInput(input, { delimiter: opts.delimiter, header: headerMode(opts.header), values: 'any' });
        const mtxFormat = opts.format ?? (outFormat === 'mtx' && mostlyZero(read.matrix) ? 'coordinate' : 'array');
        const w: WriteMatrixOptions = { dtype: opts.dtype, mtxFormat, field: opts.field, symmetry: opts.symmetry };
        if (read.columnNames && (outFormat === 'csv' || outFormat === 'tsv' || outFormat === 'txt' || outFormat === 'parquet' || outFormat === 'arrow')) w.header = read.columnNames;
        await onFile(output, () => writeMatrix(output, read.matrix, w));
        return read;
      });
      const { rows, cols } = read.matrix;
      const dtype = opts.dtype ?? read.matrix.dtype;
      if (opts.json) {
        printJson(cmd, { input, output, inputFormat: inFormat, outputFormat: outFormat, rows, cols, dtype, header: read.header, seconds });
      } else {
        stdoutOf(cmd)(`${input} (${inFormat}) -> ${output} (${outFormat}): ${rows} x ${cols} ${dtype}, ${seconds.toFixed(3)} s\n`);
      }
    });
}
