/**
 * Dense numeric tables in delimited text: CSV, TSV, semicolon- or pipe-separated, and
 * whitespace-separated (numpy's `savetxt` default). Quoting follows RFC 4180 through the
 * `csv-parse` package; the delimiter and a header row are detected when not given
 * (see `csv-detect.ts` for the rules). Files are streamed: `readCsv` never holds more than
 * the numbers and one chunk of text.
 *
 * Cells must be numbers: decimal notation, or `nan`, `inf`, `-inf`, `Infinity` in any case
 * (what numpy, R and pandas write). Empty cells and ragged rows are errors naming the line
 * and column; nothing is silently filled in, and no row is silently dropped: under the
 * automatic header rule a first row is a header only when all its cells are clearly
 * column names (`autoHeader` in csv-detect.ts). Lines longer than 16 MiB
 * (`DEFAULT_MAX_LINE` in lines.ts) are refused as soon as they are seen.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse as csvParseStream, type Options as CsvParseOptions } from 'csv-parse';
import { parse as csvParseSync } from 'csv-parse/sync';
import { InvalidArgumentError, ParseError, ShapeError } from '../errors.js';
import { allocFloat, type DType } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { autoHeader, clipCell, detectDelimiter, sampleLines, type CsvDelimiter } from './csv-detect.js';
import { Growable } from './growable.js';
import { DEFAULT_MAX_LINE, LineLengthGuard, scanFileLines, scanFileLinesSync, scanLines, type LineHandler } from './lines.js';
import { formatReal, parseReal } from './numbers.js';
import { writeChunks, writeChunksSync } from './write-chunks.js';

export type { CsvDelimiter } from './csv-detect.js';

/** Options of the CSV readers. */
export interface CsvReadOptions {
  /**
   * Field delimiter: one character (`','`, `'\t'`, `';'`, ...) or `'whitespace'` for runs
   * of spaces and tabs (`' '` means the same). Default: detected from the first 20 lines.
   */
  delimiter?: CsvDelimiter;
  /**
   * Whether the first row holds column names: true, false or `'auto'` (default): a header
   * when none of its cells is a number and each is clearly a name (see `autoHeader` in
   * csv-detect.ts); a first row with a bad number is then an error, never a lost row.
   */
  header?: boolean | 'auto';
  /** dtype of the matrix; default float64. */
  dtype?: DType;
  /** Lines starting with this character are skipped; default `'#'`; `false` turns comments off. */
  comment?: string | false;
  /**
   * Longest accepted line, in characters (bytes for files and byte input); default 16 MiB
   * (`DEFAULT_MAX_LINE`). A longer line is a ParseError as soon as it is seen.
   */
  maxLineLength?: number;
}

/** A table read from delimited text. */
export interface CsvData {
  /** The numbers, one matrix row per data line. */
  matrix: Matrix;
  /** The header row, when the file has one. */
  columnNames?: string[];
  /** Whether the first row was read as a header (given, or decided by the automatic rule). */
  header: boolean;
  /** The delimiter used (given or detected). */
  delimiter: CsvDelimiter;
}

/** Options of the CSV writers. */
export interface CsvWriteOptions {
  /** Field delimiter, default `','`; `'whitespace'` writes single spaces. */
  delimiter?: CsvDelimiter;
  /** Column names for a header row (one per column). */
  header?: readonly string[];
}

/** Bytes read from the start of a file to detect the dialect. */
const SAMPLE_BYTES = 1 << 16;

interface Resolved {
  delimiter: CsvDelimiter | undefined;
  header: boolean | 'auto';
  dtype: DType;
  comment: string | undefined;
  maxLine: number;
}

function resolve(options: CsvReadOptions): Resolved {
  let delimiter = options.delimiter;
  if (delimiter === ' ') delimiter = 'whitespace';
  if (delimiter !== undefined && delimiter !== 'whitespace' && (delimiter.length !== 1 || /["\r\n]/.test(delimiter))) {
    throw new InvalidArgumentError(`delimiter must be one character other than a quote or newline, or 'whitespace'; got '${delimiter}'`);
  }
  const header = options.header ?? 'auto';
  if (header !== true && header !== false && header !== 'auto') throw new InvalidArgumentError(`header must be true, false or 'auto', got '${String(header)}'`);
  const dtype = options.dtype ?? 'float64';
  if (dtype !== 'float64' && dtype !== 'float32') throw new InvalidArgumentError(`dtype must be 'float64' or 'float32', got '${String(dtype)}'`);
  let comment: string | undefined = options.comment === false ? undefined : (options.comment ?? '#');
  if (comment !== undefined && comment.length !== 1) throw new InvalidArgumentError(`comment must be one character or false, got '${comment}'`);
  if (comment === delimiter) comment = undefined;
  const maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE;
  if (!(Number.isSafeInteger(maxLine) && maxLine >= 1)) throw new InvalidArgumentError(`maxLineLength must be an integer >= 1, got ${String(maxLine)}`);
  return { delimiter, header, dtype, comment, maxLine };
}

/** Turns records (arrays of cells) into numbers, checking shape and syntax. */
class Collector {
  private ncols = -1;
  private firstLine = 0;
  private decided = false;
  private rows = 0;
  private readonly values: Growable<'f64'>;
  // Why the automatic rule read the first row as data; added to an error on that row.
  private dataReason: string | undefined;
  columnNames: string[] | undefined;

  constructor(
    private readonly file: string,
    private readonly header: boolean | 'auto',
    inputSize: number,
  ) {
    this.values = new Growable('f64', Math.min(inputSize / 2, 1 << 16));
  }

  readonly add = (cells: readonly string[], line: number): void => {
    if (cells.length === 1 && cells[0]!.trim() === '') return; // a line of spaces only
    if (!this.decided) {
      this.decided = true;
      this.ncols = cells.length;
      this.firstLine = line;
      const auto = this.header === 'auto' ? autoHeader(cells) : undefined;
      if (this.header === true || auto?.header === true) {
        this.columnNames = cells.map((c) => c.trim());
        return;
      }
      this.dataReason = auto?.reason;
    }
    if (cells.length !== this.ncols) {
      throw new ParseError(this.file, { line }, `row has ${cells.length} field${cells.length === 1 ? '' : 's'}, expected ${this.ncols} (as on line ${this.firstLine})`);
    }
    for (let k = 0; k < cells.length; k++) {
      const c = cells[k]!.trim();
      const v = parseReal(c);
      if (v === undefined) {
        const what = c === '' ? `column ${k + 1} is empty` : `column ${k + 1}: '${clipCell(c)}' is not a number in a numeric matrix`;
        const why =
          line === this.firstLine && this.dataReason !== undefined
            ? ` (the first row is read as data, not as column names, because ${this.dataReason}; if it holds column names, set the header mode: --header yes, or header: true)`
            : '';
        throw new ParseError(this.file, { line }, what + why);
      }
      this.values.push(v);
    }
    this.rows++;
  };

  finish(dtype: DType, delimiter: CsvDelimiter): CsvData {
    if (!this.decided) throw new ParseError(this.file, { line: 1 }, 'empty file: no rows');
    const m = this.rows;
    const n = this.ncols;
    const src = this.values.view();
    const out = allocFloat(dtype, m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i + j * m] = src[i * n + j]!;
    const data: CsvData = { matrix: new Matrix(out, m, n), delimiter, header: this.columnNames !== undefined };
    if (this.columnNames) data.columnNames = this.columnNames;
    return data;
  }
}

function parserOptions(delimiter: string, comment: string | undefined, maxLine: number, onRecord: (cells: string[], line: number) => void): CsvParseOptions {
  return {
    delimiter,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true, // ragged rows are reported by the Collector, with our wording
    max_record_size: maxLine, // a record of several quoted lines; single lines are guarded first
    ...(comment === undefined ? {} : { comment, comment_no_infix: true }),
    on_record: (record: string[], context) => {
      onRecord(record, context.lines);
      return null; // consumed: csv-parse keeps nothing
    },
  };
}

/** Bytes read (sync) or streamed (async) at a time. */
const READ_CHUNK = 1 << 20;

/**
 * A stream stage that passes bytes on in whole lines and throws a ParseError as soon as a
 * line exceeds `maxLine`. csv-parse would otherwise work through an over-long line (its
 * record limit acts per record, after splitting every field: minutes for a 70 MB line)
 * before failing. Holds back at most one unfinished line.
 */
function wholeLines(file: string, maxLine: number): Transform {
  const guard = new LineLengthGuard(file, maxLine);
  let tail: Buffer[] = [];
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        const cut = guard.feed(chunk);
        if (cut > 0) {
          tail.push(chunk.subarray(0, cut));
          this.push(tail.length === 1 ? tail[0] : Buffer.concat(tail));
          tail = [];
        }
        if (cut < chunk.length) tail.push(chunk.subarray(cut));
        done();
      } catch (e) {
        done(e as Error);
      }
    },
    flush(done) {
      if (tail.length > 0) this.push(Buffer.concat(tail));
      done();
    },
  });
}

function csvError(err: unknown, file: string): unknown {
  if (err instanceof CsvError) {
    const line = (err as unknown as { lines?: number }).lines;
    return new ParseError(file, { line: line ?? 1 }, err.message.replace(/^[A-Za-z ]+: /, ''));
  }
  return err;
}

function whitespaceLines(add: Collector['add'], comment: string | undefined): LineHandler {
  return (line, lineNo) => {
    const t = line.trim();
    if (t === '' || (comment !== undefined && t.startsWith(comment))) return;
    add(t.split(/\s+/), lineNo);
  };
}

/**
 * Parse delimited text held in memory.
 * @param file - name for error messages.
 * @throws ParseError (naming `file`, the line and the column) for ragged rows, empty or
 *   non-numeric cells, bad quoting, and empty input.
 */
export function parseCsv(input: string | Uint8Array, options: CsvReadOptions = {}, file = '<buffer>'): CsvData {
  const o = resolve(options);
  const delimiter =
    o.delimiter ??
    detectDelimiter(
      sampleLines(
        typeof input === 'string' ? input.slice(0, SAMPLE_BYTES) : new TextDecoder().decode(input.subarray(0, SAMPLE_BYTES)),
        o.comment,
        input.length > SAMPLE_BYTES,
      ),
    );
  const c = new Collector(file, o.header, input.length);
  if (delimiter === 'whitespace') {
    scanLines(input, file, whitespaceLines(c.add, o.comment), o.maxLine);
  } else {
    new LineLengthGuard(file, o.maxLine).feed(input);
    try {
      csvParseSync(input, parserOptions(delimiter, o.comment, o.maxLine, c.add));
    } catch (err) {
      throw csvError(err, file);
    }
  }
  return c.finish(o.dtype, delimiter);
}

function sampleSync(path: string): { text: string; truncated: boolean } {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(SAMPLE_BYTES + 1);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return { text: new TextDecoder().decode(buf.subarray(0, Math.min(n, SAMPLE_BYTES))), truncated: n > SAMPLE_BYTES };
  } finally {
    closeSync(fd);
  }
}

async function sample(path: string): Promise<{ text: string; truncated: boolean }> {
  const handle = await open(path, 'r');
  try {
    const buf = new Uint8Array(SAMPLE_BYTES + 1);
    const { bytesRead: n } = await handle.read(buf, 0, buf.length, 0);
    return { text: new TextDecoder().decode(buf.subarray(0, Math.min(n, SAMPLE_BYTES))), truncated: n > SAMPLE_BYTES };
  } finally {
    await handle.close();
  }
}

/**
 * Read a delimited text file synchronously. Whitespace-delimited files stream; other
 * delimiters hold the file's bytes in memory while parsing (use {@link readCsv} for huge files).
 * Errors as {@link parseCsv}.
 */
export function readCsvSync(path: string, options: CsvReadOptions = {}): CsvData {
  const o = resolve(options);
  const size = statSync(path).size;
  let delimiter = o.delimiter;
  if (delimiter === undefined) {
    const s = sampleSync(path);
    delimiter = detectDelimiter(sampleLines(s.text, o.comment, s.truncated));
  }
  const c = new Collector(path, o.header, size);
  if (delimiter === 'whitespace') {
    scanFileLinesSync(path, whitespaceLines(c.add, o.comment), o.maxLine);
  } else {
    const fd = openSync(path, 'r');
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(size);
      // Read a megabyte at a time, checking line lengths as we go: a file without line
      // breaks is refused after 16 MiB, not after reading (and parsing) all of it.
      const guard = new LineLengthGuard(path, o.maxLine);
      let got = 0;
      while (got < size) {
        const n = readSync(fd, bytes, got, Math.min(size - got, READ_CHUNK), got);
        if (n === 0) break;
        guard.feed(bytes.subarray(got, got + n));
        got += n;
      }
      bytes = bytes.subarray(0, got);
    } finally {
      closeSync(fd);
    }
    try {
      csvParseSync(bytes, parserOptions(delimiter, o.comment, o.maxLine, c.add));
    } catch (err) {
      throw csvError(err, path);
    }
  }
  return c.finish(o.dtype, delimiter);
}

/** Read a delimited text file, streaming it through the parser. Errors as {@link parseCsv}. */
export async function readCsv(path: string, options: CsvReadOptions = {}): Promise<CsvData> {
  const o = resolve(options);
  const size = (await stat(path)).size;
  let delimiter = o.delimiter;
  if (delimiter === undefined) {
    const s = await sample(path);
    delimiter = detectDelimiter(sampleLines(s.text, o.comment, s.truncated));
  }
  const c = new Collector(path, o.header, size);
  if (delimiter === 'whitespace') {
    await scanFileLines(path, whitespaceLines(c.add, o.comment), o.maxLine);
  } else {
    try {
      await pipeline(
        createReadStream(path, { highWaterMark: READ_CHUNK }),
        wholeLines(path, o.maxLine),
        csvParseStream(parserOptions(delimiter, o.comment, o.maxLine, c.add)),
        async (records: AsyncIterable<unknown>) => {
          for await (const _ of records); // on_record consumes everything; drain the end signal
        },
      );
    } catch (err) {
      throw csvError(err, path);
    }
  }
  return c.finish(o.dtype, delimiter);
}

// ------------------------------------------------------------------------------ writing

function quoteName(name: string, delimiter: string): string {
  if (delimiter === ' ') {
    if (/\s/.test(name) || name === '') throw new InvalidArgumentError(`column name '${name}' cannot be written whitespace-delimited`);
    return name;
  }
  const needs = name.includes(delimiter) || /["\r\n]/.test(name) || name !== name.trim() || name.startsWith('#');
  return needs ? `"${name.replace(/"/g, '""')}"` : name;
}

function* csvText(A: Matrix, options: CsvWriteOptions): Generator<string> {
  let d = options.delimiter ?? ',';
  if (d === 'whitespace') d = ' ';
  if (d.length !== 1 || /["\r\n]/.test(d)) throw new InvalidArgumentError(`delimiter must be one character other than a quote or newline, got '${d}'`);
  if (options.header !== undefined) {
    if (options.header.length !== A.cols) throw new ShapeError(`header has ${options.header.length} names for ${A.cols} columns`);
    yield options.header.map((h) => quoteName(h, d)).join(d) + '\n';
  }
  const dtype = A.dtype;
  let buf: string[] = [];
  const row: string[] = new Array<string>(A.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) row[j] = formatReal(A.data[A.index(i, j)]!, dtype);
    buf.push(row.join(d));
    if (buf.length === 8192) {
      yield buf.join('\n') + '\n';
      buf = [];
    }
  }
  if (buf.length > 0) yield buf.join('\n') + '\n';
}

/**
 * Delimited text for `matrix`, one row per line, numbers in the shortest form that reads
 * back exactly (`nan`, `inf`, `-inf` for non-finite values, as numpy writes them).
 * @throws ShapeError when `header` does not have one name per column.
 */
export function encodeCsv(matrix: Matrix, options: CsvWriteOptions = {}): string {
  return [...csvText(matrix, options)].join('');
}

/** Write `matrix` as delimited text (see {@link encodeCsv}), a few megabytes at a time. */
export async function writeCsv(path: string, matrix: Matrix, options: CsvWriteOptions = {}): Promise<void> {
  const it = csvText(matrix, options);
  const first = it.next(); // validates the options before the file is created
  await writeChunks(path, prepend(first, it));
}

/** Synchronous {@link writeCsv}. */
export function writeCsvSync(path: string, matrix: Matrix, options: CsvWriteOptions = {}): void {
  const it = csvText(matrix, options);
  const first = it.next();
  writeChunksSync(path, prepend(first, it));
}

function* prepend(first: IteratorResult<string>, rest: Iterator<string>): Generator<string> {
  if (!first.done) yield first.value;
  for (let r = rest.next(); !r.done; r = rest.next()) yield r.value;
}
