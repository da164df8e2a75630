/**
 * File formats and how a path names one (its extension), apart from the readers and
 * writers in format.ts: a command that only needs the name (`lowrank info`) does not load
 * every format's code to learn it.
 */
import { extname } from 'node:path';
import { InvalidArgumentError } from '../errors.js';

/**
 * File formats, named after their usual extension. `tsv` and `txt` are delimited text like
 * `csv`; `parquet` and `arrow` (Arrow IPC: `.arrow`, `.feather`) are columnar tables whose
 * numeric columns are the matrix's columns (read and written asynchronously only).
 */
export type FileFormat = 'npy' | 'mtx' | 'csv' | 'tsv' | 'txt' | 'parquet' | 'arrow';

/** All formats, in a runtime-checkable list. */
export const FILE_FORMATS: readonly FileFormat[] = ['npy', 'mtx', 'csv', 'tsv', 'txt', 'parquet', 'arrow'];

const EXTENSIONS: Record<string, FileFormat> = {
  '.npy': 'npy',
  '.mtx': 'mtx',
  '.mm': 'mtx',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.txt': 'txt',
  '.dat': 'txt',
  '.parquet': 'parquet',
  '.parq': 'parquet',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
  '.arrows': 'arrow',
};

/**
 * The format of `path`: `override` when given, else from the extension (case-insensitive).
 * @throws InvalidArgumentError for an unknown extension or format name.
 */
export function formatOf(path: string, override?: FileFormat): FileFormat {
  if (override !== undefined) {
    if (!FILE_FORMATS.includes(override)) throw new InvalidArgumentError(`unknown format '${String(override)}'; expected one of ${FILE_FORMATS.join(', ')}`);
    return override;
  }
  const ext = extname(path).toLowerCase();
  const f = EXTENSIONS[ext];
  if (f === undefined) {
    throw new InvalidArgumentError(
      `cannot tell the format of '${path}' from ${ext ? `its extension '${ext}'` : 'a name without extension'}; use ${Object.keys(EXTENSIONS).join(', ')}`,
    );
  }
  return f;
}

