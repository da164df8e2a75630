/**
 * What the text commands (`topics`, `lsa`, `embed`) share: reading documents (one per line
 * of a text file, or one per row from a CSV/TSV column named with `--column`), the TF-IDF
 * options, and the timed fit under a progress bar.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../errors.js';
import type { TfidfVectorizerOptions } from '../../models/text/vectorize.js';
import type { LongTaskOptions } from '../../progress.js';
import { count, either, flagOption, number } from '../flags.js';
import { onFile, UsageError } from '../options.js';
import { withProgress } from '../progress-bar.js';
import { timed, type Timed } from '../timing.js';

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

/** A document frequency: a count of documents, or a fraction of them. */
const documentFrequency = either(count, number({ min: 0, below: 1 }, 'a fraction'));

/** Flags of the TF-IDF options. */
export interface VectorizerFlags {
  column?: string;
  minDf?: number;
  maxDf?: number;
  maxFeatures?: number;
  stopWords: boolean;
  sublinearTf?: boolean;
}

/** Add --column and the vectorizer flags to a command. */
export function addVectorizerFlags(cmd: Command, defaults: { minDf?: string; maxDf?: string; sublinear: boolean }): Command {
  cmd
    .option('--column <name>', 'read documents from this column of a CSV/TSV file (default: one document per line)')
    .addOption(flagOption('--min-df <n>', 'drop terms in fewer documents (integer count, or fraction < 1)', documentFrequency, { default: defaults.minDf }))
    .addOption(flagOption('--max-df <n>', 'drop terms in more documents (integer count, or fraction < 1)', documentFrequency, { default: defaults.maxDf }))
    .addOption(flagOption('--max-features <n>', 'keep the n most frequent terms', count))
    .option('--no-stop-words', 'keep English stop words (removed by default)');
  if (!defaults.sublinear) cmd.option('--sublinear-tf', 'tf = 1 + ln(count)');
  return cmd;
}

/** The TfidfVectorizer options of parsed flags. */
export function vectorizerOptions(flags: VectorizerFlags, sublinear: boolean): TfidfVectorizerOptions {
  const o: TfidfVectorizerOptions = { sublinearTf: sublinear || flags.sublinearTf === true };
  if (flags.stopWords) o.stopWords = 'english';
  const { minDf, maxDf, maxFeatures } = flags;
  if (minDf !== undefined) o.minDf = minDf;
  if (maxDf !== undefined) o.maxDf = maxDf;
  if (maxFeatures !== undefined) o.maxFeatures = maxFeatures;
  return o;
}

/** Fit with a progress bar labelled `label`: `fit`'s result and the seconds it took. */
export function timedFit<T>(label: string, fit: (o: LongTaskOptions) => T): Timed<T> {
  return timed(() => withProgress(label, (onProgress) => fit({ onProgress })));
}

/** The first `n` characters of a document on one line, with an ellipsis when cut. */
export function snippet(doc: string, n = 100): string {
  const one = doc.replace(/\s+/g, ' ').trim();
  return one.length <= n ? one : one.slice(0, n - 1).trimEnd() + '…';
}
