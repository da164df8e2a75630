import type { Command } from 'commander';
import { inspectFile } from '../../io/inspect.js';
import { delimiterOption, fileFormat, headerMode, headerOption, onFile } from '../options.js';
import { printJson, stdoutOf } from '../output.js';
import { infoJson, infoText } from './info-format.js';

export { infoJson } from './info-format.js';

interface InfoOptions {
  json?: boolean;
  delimiter?: string;
  header?: string;
}

/**
 * `lowrank info FILE`: shape, storage, dtype, nonzeros and density, Frobenius norm, min/max,
 * NaN/Inf counts; `.npy` arrays of any number of dimensions (shape `8 x 8 x 8` and a size line).
 */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('describe a matrix file or an n-d .npy array: shape, storage, dtype, nonzeros, Frobenius norm, min/max, NaN/Inf counts')
    .argument('<file>', 'a .npy, .mtx, .csv, .tsv or .txt file')
    .option('--json', 'print one JSON object')
    .addOption(delimiterOption())
    .addOption(headerOption())
    .action(async (file: string, opts: InfoOptions, cmd: Command) => {
      fileFormat(file);
      const info = await onFile(file, () => inspectFile(file, { delimiter: opts.delimiter, header: headerMode(opts.header) }));
      if (opts.json) printJson(cmd, infoJson(info));
      else stdoutOf(cmd)(infoText(info));
    });
}
