/**
 * What the text commands (`topics`, `lsa`, `embed`) share: reading documents (one per line
 * of a text file, or one per row from a CSV/TSV column named with `--column`), the TF-IDF
 * options, number parsing and the fit-with-progress-bar wrapper.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../errors.js';
import type { TfidfVectorizerOptions } from '../../models/text/vectorize.js';
import type { LongTaskOptions } from '../../progress.js';
import { onFile, UsageError } from '../options.js';
import { progressBar } from '../progress-bar.js';

/** Documents read from a file. */
export interface Documents {
  docs: string[];
  /** 'lines' or the CSV column used. */
  source: string;
}

/**
 * Read documents: from a .csv/.tsv file, the column `column` (required unless the file has
 * a single column); from any other file, one document per non-blank line.
 * @throws UsageError for a missing --column on a multi-column CSV, InvalidArgumentError for an
 *   unknown column, a malformed CSV or a file without any document.
 */
export async function readDocuments(path: string, column: string | undefined): Promise<Documents> {
  const text = await onFile(path, () => readFile(path, 'utf8'));
  const ext = extname(path).toLowerCase();
  const csv = ext === '.csv' || ext === '.tsv' || column !== undefined;
  let docs: string[];
  let source = 'lines';
  if (csv) {
    let rows: Record<string, string>[];
    try {
      rows = parse(text, { columns: true, delimiter: ext === '.tsv' ? '\t' : ',', skip_empty_lines: true, relax_column_count: true, bom: true }) as Record<string, string>[];
    } catch (e) {
      throw new InvalidArgumentError(`${path}: not a valid CSV file (${e instanceof Error ? e.message : String(e)})`);
    }
    const names = rows.length > 0 ? Object.keys(rows[0]!) : [];
    let name = column;
    if (name === undefined) {
      if (names.length !== 1) throw new UsageError(`${path} has ${names.length} columns (${names.join(', ')}); name the text column with --column NAME`);
      name = names[0]!;
    }
    if (rows.length > 0 && !names.includes(name)) throw new InvalidArgumentError(`${path}: no column '${name}' (columns: ${names.join(', ')})`);
    docs = rows.map((r) => r[name] ?? '');
    source = `column ${name}`;
  } else {
    docs = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  }
  if (docs.length === 0) throw new InvalidArgumentError(`${path}: no documents (an empty file?)`);
  return { docs, source };
}

/** Parse an option value with a rule; undefined stays undefined. */
export function parseNumber(flag: string, value: string | undefined, rule: (v: number) => boolean, what: string): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim() === '' ? NaN : Number(value);
  if (!rule(v)) throw new UsageError(`${flag} must be ${what}, got '${value}'`);
  return v;
}

export const isCount = (v: number): boolean => Number.isInteger(v) && v >= 1;
const isDf = (v: number): boolean => Number.isFinite(v) && ((v >= 0 && v < 1) || (Number.isInteger(v) && v >= 1));

/** Flags of the TF-IDF options. */
export interface VectorizerFlags {
  column?: string;
  minDf?: string;
  maxDf?: string;
  maxFeatures?: string;
  stopWords: boolean;
  sublinearTf?: boolean;
}

/** Add --column and the vectorizer flags to a command. */
export function addVectorizerFlags(cmd: Command, defaults: { minDf?: string; maxDf?: string; sublinear: boolean }): Command {
  cmd
    .option('--column <name>', 'read documents from this column of a CSV/TSV file (default: one document per line)')
    .option('--min-df <n>', 'drop terms in fewer documents (integer count, or fraction < 1)', defaults.minDf)
    .option('--max-df <n>', 'drop terms in more documents (integer count, or fraction < 1)', defaults.maxDf)
    .option('--max-features <n>', 'keep the n most frequent terms')
    .option('--no-stop-words', 'keep English stop words (removed by default)');
  if (!defaults.sublinear) cmd.option('--sublinear-tf', 'tf = 1 + ln(count)');
  return cmd;
}

/** The TfidfVectorizer options of parsed flags. */
export function vectorizerOptions(flags: VectorizerFlags, sublinear: boolean): TfidfVectorizerOptions {
  const o: TfidfVectorizerOptions = { sublinearTf: sublinear || flags.sublinearTf === true };
  if (flags.stopWords) o.stopWords = 'english';
  const minDf = parseNumber('--min-df', flags.minDf, isDf, 'an integer >= 1 or a fraction in [0, 1)');
  const maxDf = parseNumber('--max-df', flags.maxDf, isDf, 'an integer >= 1 or a fraction in [0, 1)');
  const maxFeatures = parseNumber('--max-features', flags.maxFeatures, isCount, 'an integer >= 1');
  if (minDf !== undefined) o.minDf = minDf;
  if (maxDf !== undefined) o.maxDf = maxDf;
  if (maxFeatures !== undefined) o.maxFeatures = maxFeatures;
  return o;
}

/** Run `fn` with a progress bar labelled `label`; returns its result and the seconds it took. */
export function timed<T>(label: string, fn: (o: LongTaskOptions) => T): { result: T; seconds: number } {
  const t0 = performance.now();
  const bar = progressBar(label);
  try {
    const result = fn({ onProgress: bar.onProgress });
    return { result, seconds: (performance.now() - t0) / 1000 };
  } finally {
    bar.stop();
  }
}

/** The first `n` characters of a document on one line, with an ellipsis when cut. */
export function snippet(doc: string, n = 100): string {
  const one = doc.replace(/\s+/g, ' ').trim();
  return one.length <= n ? one : one.slice(0, n - 1).trimEnd() + '…';
}
