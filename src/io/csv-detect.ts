/**
 * Guessing the dialect of a numeric delimited text file from its first lines: which
 * delimiter (comma, tab, semicolon, pipe or runs of whitespace) and whether the first row
 * is a header. Deterministic rules, documented on each function, so users can predict
 * when to pass `delimiter` or `header` explicitly.
 */
import { parseReal } from './numbers.js';

/** A one-character field delimiter, or `'whitespace'` for runs of spaces and tabs (numpy's `savetxt`/`loadtxt` default). */
export type CsvDelimiter = string;

/** Candidates in order of preference when several fit equally well. */
const CANDIDATES: readonly CsvDelimiter[] = [',', '\t', ';', '|', 'whitespace'];

/** Lines examined by {@link detectDelimiter}. */
export const SAMPLE_LINES = 20;

/** Split one line on `delimiter`, honouring double quotes (enough for detection, not a CSV parser). */
export function splitSampleLine(line: string, delimiter: CsvDelimiter): string[] {
  if (delimiter === 'whitespace') return line.trim().split(/\s+/);
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    const c = line[k]!;
    if (c === '"') {
      if (quoted && line[k + 1] === '"') {
        cell += '"';
        k++;
      } else quoted = !quoted;
    } else if (c === delimiter && !quoted) {
      out.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  out.push(cell.trim());
  return out;
}

/** True when `cell` (already trimmed) is a number `parseReal` accepts. */
export function isNumericCell(cell: string): boolean {
  return parseReal(cell) !== undefined;
}

/**
 * The data-bearing lines at the start of `text`: blank lines and lines starting with
 * `comment` are skipped; at most {@link SAMPLE_LINES} are returned. When `truncated`, the
 * text is a prefix of a longer input and its last (possibly partial) line is dropped.
 */
export function sampleLines(text: string, comment: string | undefined, truncated: boolean): string[] {
  let lines = text.replace(/^\ufeff/, '').split(/\r?\n/, SAMPLE_LINES * 4 + 2);
  if (truncated && lines.length > 1) lines = lines.slice(0, -1);
  return lines
    .filter((l) => {
      const t = l.trim();
      return t !== '' && (comment === undefined || !t.startsWith(comment));
    })
    .slice(0, SAMPLE_LINES);
}

/**
 * Pick the delimiter of a sample, in three tiers (ties go to the earlier of `,`, tab, `;`,
 * `|`, whitespace, after preferring candidates that make every body cell a number):
 * 1. a delimiter that splits every line into the same number (> 1) of fields;
 * 2. one that does so for every line after the first (a header written differently);
 * 3. otherwise the delimiter occurring most often, unless it occurs only in a first line
 *    that is not numeric (the header of a one-column file, such as `my value`); with no
 *    delimiter left the file is one column and `,` is returned.
 * Tier 3 makes a ragged file such as `1,2` / `3` fail as ragged rather than read as a header.
 */
export function detectDelimiter(lines: readonly string[]): CsvDelimiter {
  if (lines.length === 0) return ',';
  const split = CANDIDATES.map((d) => lines.map((l) => splitSampleLine(l, d)));
  const body = (k: number): string[][] => (lines.length > 1 ? split[k]!.slice(1) : split[k]!);
  const uniform = (rows: string[][]): boolean => rows[0]!.length > 1 && rows.every((r) => r.length === rows[0]!.length);
  const numeric = (rows: string[][]): boolean => rows.every((r) => r.every(isNumericCell));
  for (const rowsOf of [(k: number) => split[k]!, body]) {
    const fits = CANDIDATES.map((_, k) => k).filter((k) => uniform(rowsOf(k)));
    if (fits.length > 0) return CANDIDATES[fits.find((k) => numeric(body(k))) ?? fits[0]!]!;
  }
  let best: CsvDelimiter = ',';
  let bestCount = 0;
  CANDIDATES.forEach((d, k) => {
    const extra = split[k]!.map((r) => r.length - 1);
    const total = extra.reduce((a, b) => a + b, 0);
    const onlyFirst = extra.slice(1).every((x) => x === 0);
    if (total === 0 || (onlyFirst && !split[k]![0]!.every(isNumericCell))) return;
    if (total > bestCount) {
      best = d;
      bestCount = total;
    }
  });
  return best;
}

// Numbers in notations other than ours: hexadecimal, octal or binary literals, a decimal
// comma or digit grouping ('1,5', '1.000,5', '1_000', "1'000", '1 000'), a cut-off
// exponent ('1e', '2E+'), a percentage. A cell like this is data that failed to parse, not
// a column name.
const FOREIGN_NUMBER = /^[+-]?(?:0[xob][0-9a-f_]+|[\d.,_' ]*\d[\d.,_' ]*(?:e[+-]?\d*)?%?)$/i;

/**
 * True when `cell` (already trimmed) is a number in a notation the readers do not accept:
 * `0x10`, `1,5`, `1_000`, `1e`, `50%`. Such a cell is a bad value, never a column name.
 */
export function isForeignNumber(cell: string): boolean {
  return FOREIGN_NUMBER.test(cell);
}

/**
 * True when `cell` (already trimmed) is clearly a column name: it has a letter, is not a
 * number (`nan` and `inf` are numbers) and is not a number in a foreign notation
 * (`0x10`, `1e`; see the rule of {@link autoHeader}).
 */
export function isLabelCell(cell: string): boolean {
  return /\p{L}/u.test(cell) && !isNumericCell(cell) && !FOREIGN_NUMBER.test(cell);
}

/** What {@link autoHeader} decided about a first row, and why (for error messages). */
export interface HeaderDecision {
  /** Whether the row is taken as column names. */
  header: boolean;
  /** The reason, in words that can follow "the first row is read as data because". */
  reason?: string;
}

/**
 * Header rule of the numeric readers for `header: 'auto'`: the first row is a header when
 * none of its cells is a number and every non-empty one is clearly a label (has a letter,
 * and is not a number written another way, such as `0x10`, `1,5` or `1e`); at least one
 * cell must be non-empty (an empty first cell is pandas' index column). The rows below must
 * then be numbers, which the reader checks as for any data row.
 *
 * Otherwise the row is data, so a value that failed to parse (`0x10,2`, or `"1,5",2`) is
 * reported as an error on line 1 instead of vanishing as a header. A header with a numeric
 * name (`id,2019,2020`) is therefore read as data and fails; pass `header: true` for it.
 */
export function autoHeader(firstRow: readonly string[]): HeaderDecision {
  const cells = firstRow.map((c) => c.trim());
  const numeric = cells.findIndex((c) => isNumericCell(c));
  if (numeric >= 0) return { header: false, reason: `column ${numeric + 1} ('${clipCell(cells[numeric]!)}') is a number` };
  const unclear = cells.findIndex((c) => c !== '' && !isLabelCell(c));
  if (unclear >= 0) return { header: false, reason: `column ${unclear + 1} ('${clipCell(cells[unclear]!)}') is not clearly a column name` };
  if (cells.every((c) => c === '')) return { header: false, reason: 'it has only empty cells' };
  return { header: true };
}

/** A cell shortened to 40 characters for an error message. */
export function clipCell(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * Loose header rule of labelled tables (a confusion matrix with a label column): the first
 * row is a header when at least one of its non-empty cells is not a number. Numeric
 * matrices use the stricter {@link autoHeader}, so that a data row with one bad value is an
 * error rather than a header.
 */
export function looksLikeHeader(firstRow: readonly string[]): boolean {
  return firstRow.some((c) => c.trim() !== '' && !isNumericCell(c.trim()));
}
