import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { WriteMatrixOptions } from '../../io/format.js';
import type { FileFormat } from '../../io/format-name.js';
import type { DType } from '../../matrix/dtype.js';
import type { Matrix } from '../../matrix/matrix.js';
import { delimiterOption, dtypeOption, fileFormat, headerMode, headerOption, onFile, UsageError } from '../options.js';
import { printJson, stdoutOf } from '../output.js';
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

/** What a conversion wrote: the matrix's shape and element type, and whether a text header was read. */
interface Converted {
  rows: number;
  cols: number;
  dtype: DType;
  header: boolean;
}

/**
 * .npy to .npy goes through the streaming converter (io/npy-convert.ts: no matrix, the
 * same bytes as the general path), which also spares loading the other formats' modules;
 * everything else is read as a matrix and written. Both are imported only when used, as
 * a short conversion's time is mostly start-up.
 */
async function convertFile(input: string, output: string, inFormat: FileFormat, outFormat: FileFormat, opts: ConvertOptions): Promise<Converted> {
  if (inFormat === 'npy' && outFormat === 'npy') {
    const { convertNpyFile } = await import('../../io/npy-convert.js');
    const r = await onFile(input, () => onFile(output, () => convertNpyFile(input, output, { dtype: opts.dtype })));
    return { rows: r.rows, cols: r.cols, dtype: r.dtype, header: false };
  }
  const [{ writeMatrix }, { readMatrixInput }] = await Promise.all([import('../../io/format.js'), import('../read-input.js')]);
  // Values are converted as they are, NaN and Inf included.
  const read = await readMatrixInput(input, { delimiter: opts.delimiter, header: headerMode(opts.header), values: 'any' });
  const mtxFormat = opts.format ?? (outFormat === 'mtx' && mostlyZero(read.matrix) ? 'coordinate' : 'array');
  const w: WriteMatrixOptions = { dtype: opts.dtype, mtxFormat, field: opts.field, symmetry: opts.symmetry };
  if (read.columnNames && (outFormat === 'csv' || outFormat === 'tsv' || outFormat === 'txt' || outFormat === 'parquet' || outFormat === 'arrow')) w.header = read.columnNames;
  await onFile(output, () => writeMatrix(output, read.matrix, w));
  return { rows: read.matrix.rows, cols: read.matrix.cols, dtype: opts.dtype ?? read.matrix.dtype, header: read.header };
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
      const { result, seconds } = await timedAsync(() => convertFile(input, output, inFormat, outFormat, opts));
      const { rows, cols, dtype, header } = result;
      if (opts.json) {
        printJson(cmd, { input, output, inputFormat: inFormat, outputFormat: outFormat, rows, cols, dtype, header, seconds });
      } else {
        stdoutOf(cmd)(`${input} (${inFormat}) -> ${output} (${outFormat}): ${rows} x ${cols} ${dtype}, ${seconds.toFixed(3)} s\n`);
      }
    });
}
