import type { Command } from 'commander';
import { inspectFile, type FileInfo } from '../../io/inspect.js';
import { delimiterOption, fileFormat, headerMode, headerOption, onFile } from '../options.js';
import { formatPairs, human, humanBytes, printJson, stdoutOf } from '../output.js';

interface InfoOptions {
  json?: boolean;
  delimiter?: string;
  header?: string;
}

/**
 * The JSON object `lowrank info --json` prints: every FileInfo field, absent statistics as
 * null, and `header`: whether the first row of a text file was read as column names
 * (false for npy and mtx, which have none).
 */
export function infoJson(info: FileInfo): Record<string, unknown> {
  return { ...info, header: info.text?.header ?? false, min: info.min ?? null, max: info.max ?? null };
}

function infoText(info: FileInfo): string {
  const pairs: [string, string][] = [
    ['file', `${info.path} (${humanBytes(info.bytes)})`],
    ['storage', info.storage],
    ['shape', info.shape ? info.shape.join(' x ') : `${info.rows} x ${info.cols}`],
    ['dtype', info.dtype],
  ];
  // n-d arrays: the number of elements, which the shape no longer shows at a glance
  if (info.shape) pairs.push(['size', `${info.shape.reduce((a, b) => a * b, 1)} elements`]);
  if (info.mtx?.format === 'coordinate') {
    const mirrored = info.mtx.symmetry === 'general' ? '' : ' (both triangles)';
    pairs.push(['entries', `${info.mtx.entries} stored${mirrored}`]);
  }
  pairs.push(
    ['nonzeros', `${info.nonzeros} (density ${human(100 * info.density)}%)`],
    ['frobenius', human(info.frobenius)],
    ['min', human(info.min)],
    ['max', human(info.max)],
    ['nan', String(info.nanCount)],
    ['inf', String(info.infCount)],
  );
  if (info.text) pairs.push(['header', info.text.header ? 'yes (the first row holds the column names)' : 'no (the first row is data)']);
  if (info.text?.columnNames) pairs.push(['columns', info.text.columnNames.join(', ')]);
  return formatPairs(pairs);
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
