/**
 * Matrix Market exchange format (NIST), the `.mtx` files of SuiteSparse and scipy:
 * `coordinate` (sparse triples) and `array` (dense, column-major) matrices of `real`,
 * `integer` or `pattern` entries, `general`, `symmetric` or `skew-symmetric`.
 *
 * The reader streams lines and never sizes memory by what the size line claims: entries
 * go into growable arrays whose first allocation is capped by the input's byte length, and
 * a size line that the input is too short to satisfy is rejected before any entry is read.
 *
 * Spec: https://math.nist.gov/MatrixMarket/reports/MMformat.ps
 */
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InvalidArgumentError, ParseError, ShapeError, UnsupportedError } from '../errors.js';
import { allocFloat, type DType } from '../matrix/dtype.js';
import { Matrix, type DTypeOptions } from '../matrix/matrix.js';
import { checkMemory } from '../matrix/memory.js';
import { Growable } from './growable.js';
import { ByteLineFeeder, feedBytes, feedFile, feedFileSync } from './byte-lines.js';
import { scanFileLines, scanLines } from './lines.js';
import { formatReal, parseDecimalBytes, parseInteger, parseReal } from './numbers.js';
import { writeChunks, writeChunksSync } from './write-chunks.js';

/** Storage layout of a Matrix Market file. */
export type MtxFormat = 'coordinate' | 'array';
/** Entry type of a Matrix Market file (`complex` is not supported). */
export type MtxField = 'real' | 'integer' | 'pattern';
/** Symmetry of a Matrix Market file (`hermitian` is not supported). */
export type MtxSymmetry = 'general' | 'symmetric' | 'skew-symmetric';

/** Coordinate entries, 0-based, with symmetric and skew-symmetric halves already mirrored. */
export interface MtxEntries {
  /** Row index of each entry. */
  row: Int32Array;
  /** Column index of each entry. */
  col: Int32Array;
  /** Value of each entry. */
  val: Float64Array;
}

/** A parsed Matrix Market file. */
export interface MtxData {
  /** Storage from the banner: 'coordinate' (sparse) or 'array' (dense, column-major). */
  format: MtxFormat;
  /** Value type from the banner. */
  field: MtxField;
  /** Symmetry from the banner; symmetric halves are mirrored in `entries` and `dense()`. */
  symmetry: MtxSymmetry;
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
  /**
   * Coordinate: number of entries after symmetric expansion (duplicates, which the format
   * allows and which add up, are counted each time). Array: rows * cols.
   */
  nnz: number;
  /** Coordinate files only: the entries (pattern entries have value 1). */
  entries?: MtxEntries;
  /** Comment lines between the banner and the size line, without the leading `%` (the first 1000). */
  comments: string[];
  /**
   * The matrix as a dense {@link Matrix}; duplicate coordinate entries are summed, as scipy
   * does. Each call returns an independent matrix.
   * @throws OutOfMemoryError when the dense rows x cols matrix is more than one typed array
   *   holds or the machine has (the message names the file, the shape and the bytes); read
   *   such a file as a sparse matrix instead (`readSparse`).
   */
  dense(options?: DTypeOptions): Matrix;
}

/** What the banner and size line of a Matrix Market file say; see {@link readMtxHeader}. */
export interface MtxHeader {
  /** Storage from the banner. */
  format: MtxFormat;
  /** Value type from the banner. */
  field: MtxField;
  /** Symmetry from the banner. */
  symmetry: MtxSymmetry;
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
  /** Entries the size line declares (stored ones, before symmetric halves are mirrored). */
  declared: number;
}

/** Options of the Matrix Market writers. */
export interface MtxWriteOptions {
  /** `'array'` (default, dense column-major) or `'coordinate'` (nonzero entries only). */
  format?: MtxFormat;
  /** `'real'` (default) or `'integer'` (every written value must be an integer). */
  field?: 'real' | 'integer';
  /** `'general'` (default) or `'symmetric'` (lower triangle only; the matrix must be exactly symmetric). */
  symmetry?: 'general' | 'symmetric';
  /** Text for comment lines after the banner (may contain newlines). */
  comment?: string;
}

const MAX_DIM = 2 ** 31 - 1;
const MAX_COMMENTS = 1000;
const WS = /\s+/;

/** Space, tab, and the other ASCII whitespace a line can still hold (CR is stripped already). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

// Shortest possible line for one stored entry (with its newline): "1 1 1\n", "1 1\n", "1\n".
function minEntryBytes(format: MtxFormat, field: MtxField): number {
  return format === 'array' ? 2 : field === 'pattern' ? 4 : 6;
}

/** Line-at-a-time parser; the drivers below feed it from a string, bytes or a file. */
class MtxParser {
  private state: 'banner' | 'size' | 'data' = 'banner';
  private format: MtxFormat = 'coordinate';
  private field: MtxField = 'real';
  private symmetry: MtxSymmetry = 'general';
  private rows = 0;
  private cols = 0;
  private declared = 0;
  private seen = 0;
  private sizeLine = 0;
  private readonly comments: string[] = [];
  private row: Growable<'i32'> | undefined;
  private col: Growable<'i32'> | undefined;
  private val: Growable<'f64'> | undefined;

  constructor(
    private readonly file: string,
    /** Bytes (or characters) in the whole input, when known: bounds what the size line may claim. */
    private readonly inputSize: number | undefined,
    /** Stop at the size line: no entry storage is set up (see {@link readMtxHeader}). */
    private readonly headerOnly = false,
  ) {}

  /** The banner and size line, once the size line has been read (undefined before). */
  get header(): MtxHeader | undefined {
    if (this.state !== 'data') return undefined;
    const { format, field, symmetry, rows, cols, declared } = this;
    return { format, field, symmetry, rows, cols, declared };
  }

  private fail(line: number, detail: string): never {
    throw new ParseError(this.file, { line }, detail);
  }

  readonly line = (text: string, lineNo: number): void => {
    if (this.state === 'banner') return this.banner(text, lineNo);
    const n = text.length;
    let p = 0;
    while (p < n && isSpace(text.charCodeAt(p))) p++;
    if (p === n) return; // blank lines are allowed anywhere
    if (text.charCodeAt(p) === 37 /* % */) {
      // Kept up to a limit: each retained line may pin the megabyte chunk it was cut from.
      if (this.state === 'size' && this.comments.length < MAX_COMMENTS) this.comments.push(text.slice(p + 1).trimEnd());
      return;
    }
    if (this.state === 'size') return this.size(text.trim(), lineNo);
    this.entry(text, p, lineNo);
  };

  private banner(text: string, lineNo: number): void {
    const t = text.trim().split(WS);
    if (t[0]?.toLowerCase() !== '%%matrixmarket') {
      this.fail(lineNo, "not a Matrix Market file: the first line must be '%%MatrixMarket matrix <format> <field> <symmetry>'");
    }
    if (t.length !== 5) this.fail(lineNo, `banner has ${t.length} words, expected 5: '%%MatrixMarket matrix <format> <field> <symmetry>'`);
    const [object, format, field, symmetry] = t.slice(1).map((s) => s.toLowerCase()) as [string, string, string, string];
    const unsupported = (what: string): never => {
      throw new UnsupportedError(`${this.file}:${lineNo}: ${what} Matrix Market files are not supported`);
    };
    if (object === 'vector') unsupported('vector');
    if (object !== 'matrix') this.fail(lineNo, `unknown object '${object}' in the banner (expected 'matrix')`);
    if (format !== 'coordinate' && format !== 'array') this.fail(lineNo, `unknown format '${format}' (expected 'coordinate' or 'array')`);
    if (field === 'complex') unsupported('complex');
    if (field !== 'real' && field !== 'double' && field !== 'integer' && field !== 'pattern') {
      this.fail(lineNo, `unknown field '${field}' (expected 'real', 'integer' or 'pattern')`);
    }
    if (symmetry === 'hermitian') unsupported('hermitian');
    if (symmetry !== 'general' && symmetry !== 'symmetric' && symmetry !== 'skew-symmetric') {
      this.fail(lineNo, `unknown symmetry '${symmetry}' (expected 'general', 'symmetric' or 'skew-symmetric')`);
    }
    if (format === 'array' && field === 'pattern') this.fail(lineNo, "the 'pattern' field is only valid with the 'coordinate' format");
    this.format = format;
    this.field = field === 'double' ? 'real' : field;
    this.symmetry = symmetry;
    this.state = 'size';
  }

  private size(text: string, lineNo: number): void {
    const t = text.split(WS);
    const want = this.format === 'coordinate' ? 3 : 2;
    if (t.length !== want) {
      this.fail(lineNo, `size line must hold ${want === 3 ? "'rows cols entries'" : "'rows cols'"}, found ${t.length} fields`);
    }
    const n = t.map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
    n.forEach((v, k) => {
      if (Number.isNaN(v)) this.fail(lineNo, `size line: '${t[k]}' is not a non-negative integer`);
    });
    const [rows, cols] = n as [number, number];
    if (rows > MAX_DIM || cols > MAX_DIM) this.fail(lineNo, `size ${rows}x${cols} exceeds the supported maximum dimension 2^31 - 1`);
    if (this.symmetry !== 'general' && rows !== cols) this.fail(lineNo, `a ${this.symmetry} matrix must be square, the size line says ${rows}x${cols}`);
    let declared: number;
    if (this.format === 'coordinate') declared = n[2]!;
    else if (this.symmetry === 'symmetric') declared = (rows * (rows + 1)) / 2;
    else if (this.symmetry === 'skew-symmetric') declared = (rows * (rows - 1)) / 2;
    else declared = rows * cols;
    if (!Number.isSafeInteger(declared)) this.fail(lineNo, `size line ${rows}x${cols} declares more than 2^53 entries`);
    const minBytes = minEntryBytes(this.format, this.field);
    if (this.inputSize !== undefined && declared * minBytes - 1 > this.inputSize) {
      this.fail(
        lineNo,
        `size line declares ${declared} entries, which need at least ${declared * minBytes - 1} bytes, but the whole input is ${this.inputSize} bytes`,
      );
    }
    this.rows = rows;
    this.cols = cols;
    this.declared = declared;
    this.sizeLine = lineNo;
    if (this.headerOnly) {
      this.state = 'data';
      return;
    }
    // Preallocate what the input can actually hold, not what the size line claims.
    const mirrored = this.format === 'coordinate' && this.symmetry !== 'general' ? 2 : 1;
    const fits = this.inputSize === undefined ? 1 << 16 : Math.floor(this.inputSize / minBytes) + 1;
    const capacity = Math.min(declared, fits) * mirrored;
    if (this.format === 'coordinate') {
      this.row = new Growable('i32', capacity);
      this.col = new Growable('i32', capacity);
    }
    this.val = new Growable('f64', capacity);
    this.state = 'data';
  }

  private value(token: string, lineNo: number): number {
    const v = this.field === 'integer' ? parseInteger(token) : parseReal(token);
    if (v === undefined) this.fail(lineNo, `'${token}' is not ${this.field === 'integer' ? 'an integer' : 'a real number'}`);
    return v;
  }

  /** 1-based index in text[s, e), checked against 1..limit, returned 0-based. */
  private index(text: string, s: number, e: number, limit: number, what: string, lineNo: number): number {
    let v = 0;
    for (let k = s; k < e; k++) {
      const d = text.charCodeAt(k) - 48;
      if (d < 0 || d > 9) this.fail(lineNo, `${what} index '${text.slice(s, e)}' is not a positive integer`);
      v = v * 10 + d;
    }
    if (v < 1 || v > limit) this.fail(lineNo, `${what} index ${v} is outside 1..${limit}`);
    return v - 1;
  }

  // Token boundaries of the current line (start, end pairs), reused across lines: entries are
  // the hot loop of large files, so they are scanned by hand instead of with split().
  private readonly bounds = new Int32Array(8);

  private entry(text: string, p: number, lineNo: number): void {
    if (this.seen === this.declared) {
      this.fail(lineNo, `more entries than the ${this.declared} declared by the size line (line ${this.sizeLine})`);
    }
    const b = this.bounds;
    const n = text.length;
    let count = 0;
    while (p < n) {
      const s = p;
      while (p < n && !isSpace(text.charCodeAt(p))) p++;
      if (count < 4) {
        b[2 * count] = s;
        b[2 * count + 1] = p;
      }
      count++;
      while (p < n && isSpace(text.charCodeAt(p))) p++;
    }
    const val = this.val!;
    if (this.format === 'array') {
      if (count !== 1) this.fail(lineNo, `expected one value per line in array format, found ${count} fields`);
      val.push(this.value(text.slice(b[0], b[1]), lineNo));
    } else {
      const want = this.field === 'pattern' ? 2 : 3;
      if (count !== want) {
        this.fail(lineNo, `expected ${want === 2 ? "'row col'" : "'row col value'"}, found ${count} field${count === 1 ? '' : 's'}`);
      }
      const i = this.index(text, b[0]!, b[1]!, this.rows, 'row', lineNo);
      const j = this.index(text, b[2]!, b[3]!, this.cols, 'column', lineNo);
      const v = want === 2 ? 1 : this.value(text.slice(b[4], b[5]), lineNo);
      if (this.symmetry === 'skew-symmetric' && i === j) {
        this.fail(lineNo, `diagonal entry (${i + 1}, ${j + 1}) in a skew-symmetric matrix, whose diagonal is zero by definition`);
      }
      this.add(i, j, v);
      return;
    }
    this.seen++;
  }

  /** Store coordinate entry (i, j) = v, 0-based, and its mirror image off the diagonal. */
  private add(i: number, j: number, v: number): void {
    this.row!.push(i);
    this.col!.push(j);
    this.val!.push(v);
    // Entries above the diagonal are mirrored too, as scipy does, so files written with
    // the upper instead of the lower triangle read correctly.
    if (this.symmetry !== 'general' && i !== j) {
      this.row!.push(j);
      this.col!.push(i);
      this.val!.push(this.symmetry === 'skew-symmetric' ? -v : v);
    }
    this.seen++;
  }

  /**
   * One coordinate entry read straight from the bytes of its line, when the line has the
   * common shape (`row col [value]` separated by blanks, in range, nothing else).
   * @returns false, having changed nothing, for every other line (and before the entries
   *   start): the string path ({@link line}) then reads it and reports any error exactly.
   */
  readonly bytesLine = (b: Uint8Array, s: number, e: number, lineNo: number, ascii: (s: number, e: number) => string): boolean => {
    if (this.state !== 'data' || this.format !== 'coordinate' || this.seen === this.declared) return false;
    let p = s;
    while (p < e && isSpace(b[p]!)) p++;
    // Row and column: 1 to 10 digits each, then a blank.
    let i = 0;
    let d: number;
    let q = p;
    for (; p < e && (d = b[p]! - 48) >= 0 && d <= 9; p++) i = i * 10 + d;
    if (p === q || p - q > 10 || p === e || !isSpace(b[p]!)) return false;
    while (p < e && isSpace(b[p]!)) p++;
    let j = 0;
    q = p;
    for (; p < e && (d = b[p]! - 48) >= 0 && d <= 9; p++) j = j * 10 + d;
    if (p === q || p - q > 10 || i < 1 || i > this.rows || j < 1 || j > this.cols) return false;
    let v = 1;
    if (this.field !== 'pattern') {
      if (p === e || !isSpace(b[p]!)) return false;
      while (p < e && isSpace(b[p]!)) p++;
      const ts = p;
      // Beyond ASCII the token cannot be a number: the string path reports it, decoded.
      while (p < e && !isSpace(b[p]!)) if (b[p++]! > 127) return false;
      const te = p;
      while (p < e && isSpace(b[p]!)) p++;
      if (ts === te || p !== e) return false;
      const fast = this.field === 'real' ? parseDecimalBytes(b, ts, te) : undefined;
      v = fast ?? this.value(ascii(ts, te), lineNo);
    } else {
      while (p < e && isSpace(b[p]!)) p++;
      if (p !== e) return false;
    }
    if (this.symmetry === 'skew-symmetric' && i === j) return false;
    this.add(i - 1, j - 1, v);
    return true;
  };

  /** The header after the input ended at `lineCount` lines; fails when it had none. */
  requireHeader(lineCount: number): MtxHeader {
    if (this.state === 'banner') this.fail(1, 'empty input: no Matrix Market banner');
    if (this.state === 'size') this.fail(Math.max(1, lineCount), 'no size line after the banner');
    return this.header!;
  }

  finish(lineCount: number): MtxData {
    const last = Math.max(1, lineCount);
    this.requireHeader(lineCount);
    if (this.seen < this.declared) {
      this.fail(last, `input ends after ${this.seen} of the ${this.declared} entries declared by the size line (line ${this.sizeLine})`);
    }
    const { format, field, symmetry, rows, cols, comments } = this;
    if (format === 'array') {
      const values = arrayValues(this.val!.take(), rows, cols, symmetry, this.file);
      return { format, field, symmetry, rows, cols, nnz: rows * cols, comments, dense: (o = {}) => Matrix.fromArray(values, rows, cols, o) };
    }
    const entries: MtxEntries = { row: this.row!.take(), col: this.col!.take(), val: this.val!.take() };
    return {
      format,
      field,
      symmetry,
      rows,
      cols,
      nnz: entries.val.length,
      entries,
      comments,
      dense: (o = {}) => densify(entries, rows, cols, o.dtype ?? 'float64', this.file),
    };
  }
}

/** Column-major rows x cols values from the stored (possibly triangular) array values. */
function arrayValues(stored: Float64Array, rows: number, cols: number, symmetry: MtxSymmetry, file: string): Float64Array {
  if (symmetry === 'general') return stored;
  const n = rows;
  // The file holds one triangle, so the full matrix is about twice what was read.
  const out = allocFloat('float64', n * n, () => `${file}: the full ${n} x ${n} ${symmetry} matrix`) as Float64Array;
  let k = 0;
  const skew = symmetry === 'skew-symmetric';
  for (let j = 0; j < n; j++) {
    for (let i = skew ? j + 1 : j; i < n; i++) {
      const v = stored[k++]!;
      out[i + j * n] = v;
      out[j + i * n] = skew ? -v : v;
    }
  }
  return out;
}

function densify(e: MtxEntries, rows: number, cols: number, dtype: DType, file: string): Matrix {
  // A coordinate file may legitimately declare a huge shape with few entries; only holding
  // it densely is impossible, so say so with the file and the way out.
  checkMemory(
    `${file}: densifying this ${rows} x ${cols} coordinate matrix with ${e.val.length} stored entries`,
    [{ name: 'a dense array', rows, cols, bytesPerElement: dtype === 'float32' ? 4 : 8 }],
    'read it as a sparse matrix instead (readSparse; the CLI keeps it sparse in svd --rank, pca and nmf)',
  );
  const A = Matrix.zeros(rows, cols, { dtype });
  const d = A.data;
  for (let k = 0; k < e.val.length; k++) d[e.row[k]! + e.col[k]! * rows]! += e.val[k]!;
  return A;
}

/**
 * Parse Matrix Market text held in memory (a string or UTF-8 bytes).
 * @param file - name for error messages.
 * @throws ParseError for malformed input (the message names `file` and the line);
 *   UnsupportedError for complex, hermitian and vector files.
 */
export function parseMtx(source: string | Uint8Array, file = '<buffer>'): MtxData {
  const p = new MtxParser(file, source.length);
  return p.finish(typeof source === 'string' ? scanLines(source, file, p.line) : feedBytes(source, feederOf(p, file)));
}

// Entries are read from the bytes of their lines; everything else goes through the string path.
function feederOf(p: MtxParser, file: string): ByteLineFeeder {
  return new ByteLineFeeder(file, p.bytesLine, p.line);
}

/** Read a `.mtx` file synchronously, streaming its lines. Errors as {@link parseMtx}. */
export function readMtxSync(path: string): MtxData {
  const p = new MtxParser(path, statSync(path).size);
  return p.finish(feedFileSync(path, feederOf(p, path)));
}

/** Read a `.mtx` file, streaming its lines. Errors as {@link parseMtx}. */
export async function readMtx(path: string): Promise<MtxData> {
  const p = new MtxParser(path, (await stat(path)).size);
  return p.finish(await feedFile(path, feederOf(p, path)));
}

// Thrown from the line handler to stop reading after the size line.
const HEADER_READ = Symbol('header read');

/**
 * The banner and size line of a `.mtx` file, reading no further (the first megabyte at
 * most, unless comments fill it), so a command can judge the shape before it reads and
 * builds anything of that size. The size line is checked as {@link readMtx} checks it,
 * including against the file's length.
 * @throws ParseError / UnsupportedError as {@link parseMtx}, for the lines read.
 */
export async function readMtxHeader(path: string): Promise<MtxHeader> {
  const p = new MtxParser(path, (await stat(path)).size, true);
  let lines = 0;
  try {
    lines = await scanFileLines(path, (text, lineNo) => {
      p.line(text, lineNo);
      if (p.header) throw HEADER_READ;
    });
  } catch (e) {
    if (e !== HEADER_READ) throw e;
  }
  return p.header ?? p.requireHeader(lines);
}

// ------------------------------------------------------------------------------ writing

interface WriteSpec {
  format: MtxFormat;
  field: 'real' | 'integer';
  symmetry: 'general' | 'symmetric';
}

function spec(A: Matrix, options: MtxWriteOptions): WriteSpec {
  const format = options.format ?? 'array';
  const field = options.field ?? 'real';
  const symmetry = options.symmetry ?? 'general';
  if (format !== 'array' && format !== 'coordinate') throw new InvalidArgumentError(`mtx format must be 'array' or 'coordinate', got '${String(format)}'`);
  if (field !== 'real' && field !== 'integer') throw new InvalidArgumentError(`mtx field must be 'real' or 'integer', got '${String(field)}'`);
  if (symmetry !== 'general' && symmetry !== 'symmetric') {
    throw new InvalidArgumentError(`mtx symmetry must be 'general' or 'symmetric', got '${String(symmetry)}'`);
  }
  if (symmetry === 'symmetric') {
    if (A.rows !== A.cols) throw new ShapeError(`a symmetric Matrix Market file needs a square matrix, got ${A.rows}x${A.cols}`);
    for (let j = 0; j < A.cols; j++) {
      for (let i = j + 1; i < A.rows; i++) {
        const a = A.data[A.index(i, j)]!;
        const b = A.data[A.index(j, i)]!;
        if (!Object.is(a, b) && a !== b) {
          throw new InvalidArgumentError(`matrix is not symmetric: (${i}, ${j}) is ${a} but (${j}, ${i}) is ${b}`);
        }
      }
    }
  }
  return { format, field, symmetry };
}

function formatInteger(v: number, i: number, j: number): string {
  if (!Number.isInteger(v)) throw new InvalidArgumentError(`integer field: element (${i}, ${j}) is ${v}, not an integer`);
  // String() switches to exponent notation from 1e21 on, which is not integer syntax.
  return Math.abs(v) < 1e21 ? String(v === 0 ? 0 : v) : BigInt(v).toString();
}

/** Validate everything before a file is created, so a failed write leaves nothing behind. */
function prepare(A: Matrix, options: MtxWriteOptions): WriteSpec {
  const s = spec(A, options);
  if (s.field === 'integer') {
    for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) formatInteger(A.data[A.index(i, j)]!, i, j);
  }
  return s;
}

function* mtxText(A: Matrix, s: WriteSpec, comment: string | undefined): Generator<string> {
  const fmt = s.field === 'integer' ? formatInteger : (v: number): string => formatReal(v, A.dtype);
  const lower = s.symmetry === 'symmetric';
  const coordinate = s.format === 'coordinate';
  let head = `%%MatrixMarket matrix ${s.format} ${s.field} ${s.symmetry}\n`;
  if (comment !== undefined) for (const c of comment.split('\n')) head += `%${c}\n`;
  if (!coordinate) {
    yield `${head}${A.rows} ${A.cols}\n`;
  } else {
    let nnz = 0;
    for (let j = 0; j < A.cols; j++) for (let i = lower ? j : 0; i < A.rows; i++) if (A.data[A.index(i, j)] !== 0) nnz++; // NaN is not zero
    yield `${head}${A.rows} ${A.cols} ${nnz}\n`;
  }
  let buf: string[] = [];
  for (let j = 0; j < A.cols; j++) {
    for (let i = lower ? j : 0; i < A.rows; i++) {
      const v = A.data[A.index(i, j)]!;
      if (!coordinate) buf.push(fmt(v, i, j));
      else if (v !== 0) buf.push(`${i + 1} ${j + 1} ${fmt(v, i, j)}`);
      if (buf.length === 65536) {
        yield buf.join('\n') + '\n';
        buf = [];
      }
    }
  }
  if (buf.length > 0) yield buf.join('\n') + '\n';
}

/**
 * Matrix Market text for a dense matrix. Reals are written with the fewest digits that
 * read back to the same value (`nan`, `inf`, `-inf` for non-finite values).
 * @throws ShapeError / InvalidArgumentError when `symmetric` is asked of a non-square or
 *   non-symmetric matrix, or `integer` of non-integer values.
 */
export function encodeMtx(matrix: Matrix, options: MtxWriteOptions = {}): string {
  return [...mtxText(matrix, prepare(matrix, options), options.comment)].join('');
}

/** Write `matrix` to a `.mtx` file (see {@link encodeMtx}). Validation happens before the file is created. */
export async function writeMtx(path: string, matrix: Matrix, options: MtxWriteOptions = {}): Promise<void> {
  const s = prepare(matrix, options);
  await writeChunks(path, mtxText(matrix, s, options.comment));
}

/** Synchronous {@link writeMtx}. */
export function writeMtxSync(path: string, matrix: Matrix, options: MtxWriteOptions = {}): void {
  const s = prepare(matrix, options);
  writeChunksSync(path, mtxText(matrix, s, options.comment));
}
