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

/**
 * Header rule for `header: 'auto'`: the first row is a header when at least one of its
 * non-empty cells is not a number. A header made only of numbers cannot be told from data;
 * pass `header: true` for such files.
 */
export function looksLikeHeader(firstRow: readonly string[]): boolean {
  return firstRow.some((c) => c.trim() !== '' && !isNumericCell(c.trim()));
}
