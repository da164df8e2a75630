/**
 * Reading and writing ratings files: one `user<sep>item<sep>rating[<sep>timestamp]` triple per
 * line, as MovieLens (`::` in ml-1m's .dat, tab in ml-100k's u.data, comma in ml-latest's
 * ratings.csv), Netflix-derived and most public rating dumps ship them.
 *
 * - Separator: detected from the first lines (`::`, tab, comma, semicolon, pipe, else runs of
 *   whitespace), or given.
 * - Header: a first line whose rating field is not a number, nor a number in another
 *   notation (`0x10`, `4,5`: then the line is data and an error), is a header (its names
 *   can be used in `columns`), or forced with `header`. Without a rating column (implicit pairs), a
 *   first line is a header when a field is text where the second line has a number.
 * - Columns: user, item, rating and optional timestamp fields by index or header name, so a
 *   wider CSV works; by default 0, 1, 2 and 3 (the timestamp when a fourth numeric field exists).
 * - IDs: any text (compared as strings: '7' and '07' are different users); fields are trimmed
 *   and one pair of surrounding double quotes is dropped (quoted separators are not supported).
 *   Indices follow first appearance, as in `Ratings.fromTriples`.
 * - Streaming: bytes are parsed straight into typed arrays a megabyte at a time; the text is
 *   never held whole and no string is made per line. Canonical decimal IDs (the common case)
 *   are looked up in a dense table without building a string at all. Memory is about the
 *   output (12 bytes a rating, 20 with timestamps) plus the ID maps.
 * - Bad lines (too few fields, a rating or timestamp that is not a finite number, a rating
 *   beyond +-{@link MAX_RATING}): ParseError with the file and line number, or skipped
 *   (`onBadLine`). Blank lines are ignored.
 * - A file without ratings (empty, only a header, or every line skipped) is a ParseError
 *   from {@link readRatings}; the in-memory parsers return an empty table.
 */
import { open, stat } from 'node:fs/promises';
import { ParseError, InvalidArgumentError } from '../errors.js';
import { checkAborted, type LongTaskOptions } from '../progress.js';
import { MAX_RATING, Ratings } from '../models/recommend/data/ratings.js';
import { mapIdSpace } from '../models/recommend/data/id-space.js';
import { writeChunks } from './write-chunks.js';
import { isForeignNumber } from './csv-detect.js';
import { formatReal, parseReal } from './numbers.js';
import { isArrowPath, readArrowRatings } from './arrow.js';
import { isParquetPath, readParquetRatings } from './parquet.js';

export { MAX_RATING };

/** A field of a ratings line: a 0-based index, or a header name. */
export type RatingsColumn = number | string;

/** What to do with a malformed line. */
export type BadLinePolicy = 'error' | 'skip' | ((bad: { line: number; text: string; reason: string }) => void);

/** Options of {@link parseRatings} and {@link readRatings}. */
export interface ReadRatingsOptions {
  /** Field separator: ',', '\t', '::', ';', '|', 'whitespace', or 'auto' (default). */
  delimiter?: string;
  /** true: the first line is a header; false: it is data; 'auto' (default): a header when its rating field is not numeric. */
  header?: boolean | 'auto';
  /**
   * Where the fields are (indices or header names). Default { user: 0, item: 1, rating: 2,
   * timestamp: 3 if the first data line has a numeric fourth field }. `rating: null` reads
   * (user, item) pairs with value 1 (implicit feedback); `timestamp: null` ignores timestamps.
   */
  columns?: { user?: RatingsColumn; item?: RatingsColumn; rating?: RatingsColumn | null; timestamp?: RatingsColumn | null };
  /** 'error' (default): throw ParseError; 'skip': drop the line; a function: drop it and report it. */
  onBadLine?: BadLinePolicy;
  /** Name used in error messages (default '<input>', or the path). */
  fileName?: string;
}

/** Options of {@link readRatings}: parsing options plus progress (one report per megabyte) and cancellation. */
export interface ReadRatingsFileOptions extends ReadRatingsOptions, LongTaskOptions {}


const CHUNK = 1 << 20;
const MAX_LINE = 1 << 20;
const INT_TABLE_MAX = 1 << 24; // canonical integer IDs below this use the dense table

/**
 * Parse ratings text held in memory (a string, UTF-8 bytes, or an iterable of such chunks,
 * e.g. a browser's decoded stream). Pure: no file system access.
 * @example
 * const r = parseRatings('user,item,rating\nalice,matrix,5\nbob,matrix,3\n');
 * r.size; // 2
 * @throws ParseError on a malformed line (unless onBadLine says otherwise) or no data column.
 */
export function parseRatings(source: string | Uint8Array | Iterable<string | Uint8Array>, options: ReadRatingsOptions = {}): Ratings {
  const p = new RatingsParser(options, options.fileName ?? '<input>');
  if (typeof source === 'string' || source instanceof Uint8Array) pushAny(p, source);
  else for (const c of source) pushAny(p, c);
  return p.end();
}

/** {@link parseRatings} over an async stream of chunks (a fetch body, a Node stream). */
export async function parseRatingsStream(source: AsyncIterable<string | Uint8Array>, options: ReadRatingsOptions = {}): Promise<Ratings> {
  const p = new RatingsParser(options, options.fileName ?? '<input>');
  for await (const c of source) pushAny(p, c);
  return p.end();
}

/**
 * Stream a ratings file into a {@link Ratings} table, a megabyte at a time. Parquet (a
 * `.parquet` file or a directory of part files, as Spark writes them) and Arrow IPC
 * (`.arrow`, `.feather`, `.ipc`, `.arrows`) are read by their own readers
 * (src/io/parquet.ts, src/io/arrow.ts), columns found by name.
 * @example
 * const r = await readRatings('ml-1m/ratings.dat'); // '::'-separated, with timestamps
 * @throws ParseError with file and line on a malformed line or a rating beyond
 *   +-{@link MAX_RATING}; ParseError naming the file when it holds no ratings; AbortedError
 *   when `signal` aborts.
 */
export async function readRatings(path: string, options: ReadRatingsFileOptions = {}): Promise<Ratings> {
  // Columnar inputs (issue 22): columns are found by name, the text options do not apply.
  if (isArrowPath(path)) return readArrowRatings(path, options);
  if (await isParquetPath(path)) return readParquetRatings(path, options);
  const size = (await stat(path)).size;
  const file = options.fileName ?? path;
  const p = new RatingsParser(options, file, size);
  const handle = await open(path, 'r');
  try {
    const buf = new Uint8Array(CHUNK);
    let done = 0;
    for (;;) {
      checkAborted(options.signal, 'readRatings');
      const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      p.push(buf.subarray(0, bytesRead));
      done += bytesRead;
      options.onProgress?.({ stage: 'bytes', done, total: size, metrics: { ratings: p.count } });
    }
  } finally {
    await handle.close();
  }
  const r = p.end();
  // An empty table would fail later, in a model or split, without naming the file.
  if (r.size === 0) throw new ParseError(file, {}, `no ratings: ${p.whyEmpty()}`);
  return r;
}

/** Options of {@link encodeRatings} / {@link writeRatings}. */
export interface WriteRatingsOptions {
  /** Separator (default ','). */
  delimiter?: string;
  /** Write a `user,item,rating[,timestamp]` header line (default true). */
  header?: boolean;
  /** Write the timestamp column when the table has one (default true). */
  timestamps?: boolean;
}

/**
 * The ratings as UTF-8 chunks (about a megabyte each), one `user,item,rating[,timestamp]`
 * line per rating; values in the shortest form that reads back to the same float32.
 * The yielded buffer is reused for the next chunk: consume (write) it before asking for more.
 * IDs containing the separator, a quote or a line break cannot be written.
 */
export function* encodeRatings(r: Ratings, options: WriteRatingsOptions = {}): Generator<Uint8Array> {
  const d = options.delimiter ?? ',';
  if (d.length === 0 || /[\r\n"]/.test(d)) throw new InvalidArgumentError(`writeRatings: bad delimiter ${JSON.stringify(d)}`);
  const withTime = (options.timestamps ?? true) && r.timestamps !== undefined;
  const enc = new TextEncoder();
  const check = (id: string, what: string): Uint8Array => {
    if (id.includes(d) || /[\r\n"]/.test(id) || id !== id.trim() || id === '') {
      throw new InvalidArgumentError(`writeRatings: ${what} ID ${JSON.stringify(id)} cannot be written with delimiter ${JSON.stringify(d)}`);
    }
    return enc.encode(id);
  };
  // Every piece of a line is pre-encoded once: IDs, the delimiter, the (few) distinct values.
  const uIds = r.ids.userIds.map((id) => check(id, 'user'));
  const iIds = r.ids.itemIds.map((id) => check(id, 'item'));
  const dBytes = enc.encode(d);
  const fmt = new Map<number, Uint8Array>();
  let buf = new Uint8Array(CHUNK + 4096);
  let len = 0;
  // A byte loop: TypedArray.set costs more than copying a few bytes by hand.
  const put = (bytes: Uint8Array): void => {
    for (let k = 0; k < bytes.length; k++) buf[len + k] = bytes[k]!;
    len += bytes.length;
  };
  if (options.header ?? true) put(enc.encode(['user', 'item', 'rating', ...(withTime ? ['timestamp'] : [])].join(d) + '\n'));
  const ts = r.timestamps;
  for (let k = 0; k < r.size; k++) {
    const v = r.values[k]!;
    let vb = fmt.get(v);
    if (vb === undefined) {
      vb = enc.encode(formatReal(v, 'float32'));
      if (fmt.size < 4096) fmt.set(v, vb);
    }
    const ub = uIds[r.users[k]!]!;
    const ib = iIds[r.items[k]!]!;
    const need = ub.length + ib.length + vb.length + 3 * dBytes.length + 64;
    if (len + need > buf.length) {
      yield buf.subarray(0, len);
      len = 0;
      if (need > buf.length) buf = new Uint8Array(need); // a line longer than a chunk (huge IDs)
    }
    put(ub);
    put(dBytes);
    put(ib);
    put(dBytes);
    put(vb);
    if (withTime) {
      put(dBytes);
      const t = ts![k]!;
      if (Number.isSafeInteger(t) && t >= 0) len = writeDigits(buf, len, t);
      else put(enc.encode(formatReal(t)));
    }
    buf[len++] = 10;
  }
  if (len > 0) yield buf.subarray(0, len);
}

/** Write ratings to a text file (see {@link encodeRatings}), streaming. */
export async function writeRatings(path: string, r: Ratings, options: WriteRatingsOptions = {}): Promise<void> {
  await writeChunks(path, encodeRatings(r, options));
}

// Decimal digits of a non-negative safe integer at buf[at..]; returns the new end.
function writeDigits(buf: Uint8Array, at: number, v: number): number {
  let n = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) n++;
  for (let k = at + n - 1; k >= at; k--) {
    buf[k] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return at + n;
}

function pushAny(p: RatingsParser, c: string | Uint8Array): void {
  if (typeof c === 'string') {
    // Encode long strings a piece at a time so the bytes never double the text's memory.
    const enc = new TextEncoder();
    for (let k = 0; k < c.length; k += CHUNK) {
      let end = Math.min(c.length, k + CHUNK);
      const code = c.charCodeAt(end - 1);
      if (code >= 0xd800 && code <= 0xdbff && end < c.length) end++; // keep surrogate pairs together
      p.push(enc.encode(c.slice(k, end)));
      k = end - CHUNK;
    }
  } else {
    p.push(c);
  }
}

// ---------------------------------------------------------------------------------------
// The byte-level parser.

/** Field separator in bytes: a single byte, '::' (two bytes), or whitespace runs (-1). */
type Sep = { kind: 'byte'; byte: number } | { kind: 'double-colon' } | { kind: 'whitespace' };

interface Layout {
  user: number;
  item: number;
  rating: number; // -1: implicit (value 1)
  timestamp: number; // -1: none
  needed: number; // fields a line must have
}

/** Growable typed array of one kind, grown by 1.5x; `take()` trims unless the slack is small. */
class Column<T extends Int32Array | Float32Array | Float64Array> {
  length = 0;
  constructor(
    public buf: T,
    private readonly make: (n: number) => T,
  ) {}
  grow(): void {
    const next = this.make(Math.ceil(this.buf.length * 1.5) + 1024);
    next.set(this.buf);
    this.buf = next;
  }
  take(): T {
    // A view keeps the whole buffer alive: accept up to 1/8 slack rather than copying.
    if (this.length === this.buf.length) return this.buf;
    if (this.buf.length - this.length <= this.buf.length / 8) return this.buf.subarray(0, this.length) as T;
    return this.buf.slice(0, this.length) as T;
  }
}

/** Maps the IDs of one field (user or item) to dense indices in order of first appearance. */
class IdMapper {
  readonly ids: string[] = [];
  private intTable = new Int32Array(1024); // canonical integer ID v -> index + 1 (0: unseen)
  private readonly strings = new Map<string, number>();

  /** Index of a canonical non-negative decimal integer v (no leading zeros). */
  ofInt(v: number): number {
    if (v >= INT_TABLE_MAX) return this.ofString(String(v));
    if (v >= this.intTable.length) {
      let n = this.intTable.length;
      while (n <= v) n *= 2;
      const t = new Int32Array(Math.min(n, INT_TABLE_MAX));
      t.set(this.intTable);
      this.intTable = t;
    }
    const k = this.intTable[v]!;
    if (k !== 0) return k - 1;
    const idx = this.ids.length;
    this.ids.push(String(v));
    this.intTable[v] = idx + 1;
    return idx;
  }

  /** Index of any other ID (never a canonical integer: those go through ofInt). */
  ofString(s: string): number {
    let k = this.strings.get(s);
    if (k === undefined) {
      k = this.ids.length;
      this.ids.push(s);
      this.strings.set(s, k);
    }
    return k;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

class RatingsParser {
  private carry: Uint8Array = new Uint8Array(0); // the unfinished last line of the previous chunk
  private lineNo = 0;
  private sep: Sep | undefined;
  private layout: Layout | undefined;
  private headerDone = false;
  private readonly starts = new Int32Array(64);
  private readonly ends = new Int32Array(64);
  private readonly users: Column<Int32Array>;
  private readonly items: Column<Int32Array>;
  private readonly values: Column<Float32Array>;
  private times: Column<Float64Array> | undefined;
  private readonly userIds = new IdMapper();
  private readonly itemIds = new IdMapper();
  private readonly badLine: BadLinePolicy;
  private skipped = 0; // bad lines dropped by onBadLine
  private hadHeader = false;
  private sample: Uint8Array[] = []; // the first chunk(s), until the separator and layout are known
  private sampleBytes = 0;
  private bytes: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly options: ReadRatingsOptions,
    private readonly file: string,
    private readonly sizeHint = 0,
  ) {
    this.badLine = options.onBadLine ?? 'error';
    if (this.badLine !== 'error' && this.badLine !== 'skip' && typeof this.badLine !== 'function') {
      throw new InvalidArgumentError(`onBadLine must be 'error', 'skip' or a function, got ${String(this.badLine)}`);
    }
    const cap = 1 << 16;
    this.users = new Column(new Int32Array(cap), (n) => new Int32Array(n));
    this.items = new Column(new Int32Array(cap), (n) => new Int32Array(n));
    this.values = new Column(new Float32Array(cap), (n) => new Float32Array(n));
  }

  get count(): number {
    return this.values.length;
  }

  /** Why no rating was read, for the error of an empty file (call after `end`). */
  whyEmpty(): string {
    if (this.skipped > 0) return `all ${this.skipped} data line${this.skipped === 1 ? ' was' : 's were'} malformed and skipped`;
    if (this.hadHeader) return 'the file has a header line and nothing else';
    return 'the file is empty (or holds only blank lines)';
  }

  push(chunk: Uint8Array): void {
    if (this.sep === undefined) {
      // Detection needs a few complete lines: gather at least 64 KiB (or everything) first.
      this.sample.push(chunk.slice());
      this.sampleBytes += chunk.length;
      if (this.sampleBytes < 1 << 16) return;
      this.flushSample(false);
      return;
    }
    this.parseChunk(chunk, false);
  }

  end(): Ratings {
    if (this.sep === undefined) this.flushSample(true);
    else this.parseChunk(new Uint8Array(0), true);
    const ids = mapIdSpace(this.userIds.ids, this.itemIds.ids);
    return new Ratings(ids, this.users.take(), this.items.take(), this.values.take(), this.times?.take());
  }

  private flushSample(last: boolean): void {
    const all = concatBytes(this.sample, this.sampleBytes);
    this.sample = [];
    this.detect(all);
    this.parseChunk(all, last);
  }

  // Separator, header and column layout, from the first lines of the input.
  private detect(bytes: Uint8Array): void {
    let off = 0;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) off = 3;
    const lines: string[] = [];
    while (off < bytes.length && lines.length < 20) {
      let nl = bytes.indexOf(10, off);
      if (nl < 0) nl = bytes.length;
      const line = utf8.decode(bytes.subarray(off, nl)).replace(/\r$/, '');
      if (line.trim() !== '') lines.push(line);
      off = nl + 1;
    }
    this.sep = chooseSeparator(this.options.delimiter ?? 'auto', lines);
    const split = (line: string): string[] => splitText(line, this.sep!);
    const first = lines.length > 0 ? split(lines[0]!) : [];
    const cols = this.options.columns ?? {};
    const header = this.options.header ?? 'auto';
    if (header !== true && header !== false && header !== 'auto') throw new InvalidArgumentError(`header must be true, false or 'auto', got ${String(header)}`);
    const names = Object.values(cols).some((c) => typeof c === 'string');
    const ratingGuess = typeof cols.rating === 'number' ? cols.rating : cols.rating === null ? -1 : 2;
    const hasHeader =
      header === true ||
      (header === 'auto' &&
        first.length > 0 &&
        (names || (ratingGuess >= 0 ? ratingIsName(first[ratingGuess]) : headerWithoutRatings(first, lines[1]))));
    if (names && !hasHeader) throw new InvalidArgumentError('columns given by name, but the input has no header line (set header: true, or give column indices)');
    const headerNames = hasHeader ? first.map((f) => f.toLowerCase()) : [];
    const resolve = (c: RatingsColumn, what: string): number => {
      if (typeof c === 'number') {
        if (!(Number.isInteger(c) && c >= 0 && c < 64)) throw new InvalidArgumentError(`columns.${what} must be an index in 0..63 or a header name, got ${c}`);
        return c;
      }
      const k = headerNames.indexOf(c.toLowerCase());
      if (k < 0) throw new ParseError(this.file, { line: 1 }, `no column named '${c}' for the ${what} (header: ${first.join(', ')})`);
      return k;
    };
    const user = resolve(cols.user ?? 0, 'user');
    const item = resolve(cols.item ?? 1, 'item');
    const rating = cols.rating === null ? -1 : resolve(cols.rating ?? 2, 'rating');
    let timestamp = -1;
    if (cols.timestamp !== undefined && cols.timestamp !== null) timestamp = resolve(cols.timestamp, 'timestamp');
    else if (cols.timestamp === undefined && cols.rating === undefined && cols.user === undefined && cols.item === undefined) {
      // Default layout: a numeric 4th field is a timestamp.
      const data = lines[hasHeader ? 1 : 0];
      const f = data !== undefined ? split(data) : [];
      if (f.length >= 4 && parseReal(f[3]!) !== undefined) timestamp = 3;
    }
    const used = [user, item, rating, timestamp].filter((c) => c >= 0);
    if (new Set(used).size !== used.length) throw new InvalidArgumentError(`columns must be distinct fields, got user ${user}, item ${item}, rating ${rating}, timestamp ${timestamp}`);
    this.layout = { user, item, rating, timestamp, needed: Math.max(...used) + 1 };
    this.headerDone = !hasHeader;
    if (timestamp >= 0) this.times = new Column(new Float64Array(1 << 16), (n) => new Float64Array(n));
    // Size the columns from the input size when it is known (files): the average line
    // length of the sample predicts the number of lines within a few percent.
    if (this.sizeHint > 0 && lines.length > 0) {
      const avg = Math.max(4, off / Math.max(1, lines.length));
      const est = Math.min(2 ** 30, Math.ceil((this.sizeHint / avg) * 1.05) + 1024);
      this.users.buf = new Int32Array(est);
      this.items.buf = new Int32Array(est);
      this.values.buf = new Float32Array(est);
      if (this.times) this.times.buf = new Float64Array(est);
    }
  }

  private parseChunk(chunk: Uint8Array, last: boolean): void {
    let bytes: Uint8Array;
    if (this.carry.length > 0) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry);
      bytes.set(chunk, this.carry.length);
    } else {
      bytes = chunk;
    }
    this.bytes = bytes;
    let off = 0;
    if (this.lineNo === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) off = 3;
    const n = bytes.length;
    for (;;) {
      const nl = bytes.indexOf(10, off);
      if (nl < 0) break;
      this.line(off, nl);
      off = nl + 1;
    }
    if (last) {
      if (off < n) this.line(off, n);
      this.carry = new Uint8Array(0);
    } else {
      if (n - off > MAX_LINE) throw new ParseError(this.file, { line: this.lineNo + 1 }, `line is longer than ${MAX_LINE} bytes (binary data or a wrong format?)`);
      this.carry = bytes.slice(off);
    }
  }

  // Parse bytes[s, e) (without the '\n').
  private line(s: number, e: number): void {
    this.lineNo++;
    const b = this.bytes;
    if (e > s && b[e - 1] === 13) e--;
    const nf = this.split(s, e);
    if (nf === 0) return; // blank
    if (!this.headerDone) {
      this.headerDone = true;
      this.hadHeader = true;
      return;
    }
    const L = this.layout!;
    if (nf < L.needed) return this.bad(s, e, `expected at least ${L.needed} fields, found ${nf}`);
    let value = 1;
    if (L.rating >= 0) {
      value = this.number(L.rating);
      if (!Number.isFinite(value)) return this.bad(s, e, `rating '${this.text(L.rating)}' is not a finite number`);
      if (Math.abs(value) > MAX_RATING) return this.bad(s, e, `rating '${this.text(L.rating)}' is beyond +-${MAX_RATING.toExponential().replace('e+', 'e')}, the largest rating magnitude accepted (float32 storage and the models' sums of squares)`);
    }
    let t = 0;
    if (L.timestamp >= 0) {
      t = this.number(L.timestamp);
      if (!Number.isFinite(t)) return this.bad(s, e, `timestamp '${this.text(L.timestamp)}' is not a finite number`);
    }
    const u = this.id(L.user, this.userIds);
    if (u < 0) return this.bad(s, e, 'empty user ID');
    const i = this.id(L.item, this.itemIds);
    if (i < 0) return this.bad(s, e, 'empty item ID');
    const k = this.values.length;
    if (k === this.values.buf.length) {
      this.users.grow();
      this.items.grow();
      this.values.grow();
      this.times?.grow();
    }
    this.users.buf[k] = u;
    this.items.buf[k] = i;
    this.values.buf[k] = value;
    this.users.length = this.items.length = this.values.length = k + 1;
    if (this.times) {
      this.times.buf[k] = t;
      this.times.length = k + 1;
    }
  }

  private bad(s: number, e: number, reason: string): void {
    const text = utf8.decode(this.bytes.subarray(s, e));
    this.skipped++;
    if (this.badLine === 'error') throw new ParseError(this.file, { line: this.lineNo }, `${reason}: '${text.length > 200 ? text.slice(0, 200) + '...' : text}'`);
    if (typeof this.badLine === 'function') this.badLine({ line: this.lineNo, text, reason });
  }

  // Field boundaries of bytes[s, e) into starts/ends (trimmed, quotes dropped), up to the
  // fields the layout needs. Returns the number of fields found (0 for a blank line).
  private split(s: number, e: number): number {
    const b = this.bytes;
    const sep = this.sep!;
    const max = this.layout!.needed;
    const starts = this.starts;
    const ends = this.ends;
    let nf = 0;
    if (sep.kind === 'whitespace') {
      let p = s;
      while (nf < max) {
        while (p < e && (b[p] === 32 || b[p] === 9)) p++;
        if (p >= e) break;
        const q = p;
        while (p < e && b[p] !== 32 && b[p] !== 9) p++;
        starts[nf] = q;
        ends[nf++] = p;
      }
      return nf;
    }
    // Blank (or all-space) line?
    let p = s;
    while (p < e && (b[p] === 32 || b[p] === 9)) p++;
    if (p === e) return 0;
    p = s;
    const byte = sep.kind === 'byte' ? sep.byte : 58;
    const width = sep.kind === 'byte' ? 1 : 2;
    while (nf < max) {
      let q = p;
      if (sep.kind === 'byte') {
        while (q < e && b[q] !== byte) q++;
      } else {
        while (q < e && !(b[q] === 58 && b[q + 1] === 58 && q + 1 < e)) q++;
      }
      let a = p;
      let z = q;
      while (a < z && (b[a] === 32 || b[a] === 9)) a++;
      while (z > a && (b[z - 1] === 32 || b[z - 1] === 9)) z--;
      if (z - a >= 2 && b[a] === 34 && b[z - 1] === 34) {
        a++;
        z--;
      }
      starts[nf] = a;
      ends[nf++] = z;
      if (q >= e) break;
      p = q + width;
    }
    return nf;
  }

  private text(f: number): string {
    return utf8.decode(this.bytes.subarray(this.starts[f]!, this.ends[f]!));
  }

  // A decimal number from field f: plain digits with an optional sign and fraction are read
  // from the bytes (mantissa / 10^digits: one correctly rounded division); anything else
  // (exponents, 'nan', ...) goes through the strict text parser.
  private number(f: number): number {
    const b = this.bytes;
    let p = this.starts[f]!;
    const e = this.ends[f]!;
    if (p === e) return NaN;
    let neg = false;
    if (b[p] === 45 || b[p] === 43) {
      neg = b[p] === 45;
      p++;
    }
    let mant = 0;
    let digits = 0;
    let frac = 0;
    let dot = false;
    for (; p < e; p++) {
      const c = b[p]!;
      if (c >= 48 && c <= 57) {
        mant = mant * 10 + (c - 48);
        digits++;
        if (dot) frac++;
      } else if (c === 46 && !dot) {
        dot = true;
      } else {
        return parseReal(this.text(f)) ?? NaN;
      }
    }
    if (digits === 0 || digits > 15) return digits === 0 ? NaN : (parseReal(this.text(f)) ?? NaN);
    const v = frac === 0 ? mant : mant / POW10[frac]!;
    return neg ? -v : v;
  }

  // Index of the ID in field f (-1 for an empty field). Canonical decimal integers skip the
  // string: they index a dense table.
  private id(f: number, map: IdMapper): number {
    const b = this.bytes;
    const s = this.starts[f]!;
    const e = this.ends[f]!;
    if (s === e) return -1;
    if (e - s <= 9 && !(b[s] === 48 && e - s > 1)) {
      let v = 0;
      let p = s;
      for (; p < e; p++) {
        const c = b[p]!;
        if (c < 48 || c > 57) break;
        v = v * 10 + (c - 48);
      }
      if (p === e) return map.ofInt(v);
    }
    let ascii = true;
    for (let p = s; p < e; p++) {
      if (b[p]! >= 128) {
        ascii = false;
        break;
      }
    }
    const str = ascii && e - s <= 64 ? String.fromCharCode.apply(null, b.subarray(s, e) as unknown as number[]) : utf8.decode(b.subarray(s, e));
    return map.ofString(str);
  }
}

const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

// The rating field of a header line: absent, or text that is not a number in any notation
// (a first line rating '0x10' or '4,5' is data with a bad value, reported, not dropped).
function ratingIsName(field: string | undefined): boolean {
  return field === undefined || (parseReal(field) === undefined && !isForeignNumber(field));
}

// Without a rating column to test, a first line is a header when one of its fields is text
// where the second line has a number (e.g. 'userId,movieId' over integer IDs).
function headerWithoutRatings(first: string[], second: string | undefined): boolean {
  if (second === undefined) return false;
  const next = second.split(/,|\t|;|\||::|\s+/);
  return first.some((f, k) => parseReal(f) === undefined && next[k] !== undefined && parseReal(next[k]!.trim()) !== undefined);
}

function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function splitText(line: string, sep: Sep): string[] {
  const fields =
    sep.kind === 'whitespace' ? line.trim().split(/[ \t]+/) : line.split(sep.kind === 'double-colon' ? '::' : String.fromCharCode(sep.byte));
  return fields.map((f) => {
    const t = f.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
  });
}

// The separator: '::' if the first line has it; else the first of tab, comma, semicolon
// and pipe that splits every sample line into the same number (>= 2) of fields; else
// whitespace runs.
function chooseSeparator(delimiter: string, lines: readonly string[]): Sep {
  if (delimiter !== 'auto') {
    if (delimiter === '::') return { kind: 'double-colon' };
    if (delimiter === 'whitespace' || delimiter === ' ') return { kind: 'whitespace' };
    if (delimiter.length === 1 && delimiter.charCodeAt(0) < 128 && delimiter !== '"' && delimiter !== '\n' && delimiter !== '\r') {
      return { kind: 'byte', byte: delimiter.charCodeAt(0) };
    }
    throw new InvalidArgumentError(`delimiter must be 'auto', '::', 'whitespace' or one ASCII character (not a quote or line break), got ${JSON.stringify(delimiter)}`);
  }
  if (lines.length === 0) return { kind: 'byte', byte: 44 };
  if (lines[0]!.includes('::')) return { kind: 'double-colon' };
  for (const d of ['\t', ',', ';', '|']) {
    const counts = lines.map((l) => l.split(d).length);
    if (counts[0]! >= 2 && counts.every((c) => c === counts[0])) return { kind: 'byte', byte: d.charCodeAt(0) };
  }
  for (const d of ['\t', ',', ';', '|']) if (lines[0]!.split(d).length >= 2) return { kind: 'byte', byte: d.charCodeAt(0) };
  return { kind: 'whitespace' };
}
