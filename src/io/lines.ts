/**
 * Line-by-line reading of text (a string, bytes or a file) without `split('\n')` over the
 * whole input, so files larger than a JavaScript string can stream through a parser and a
 * file without newlines cannot make us build one gigantic line.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { ParseError } from '../errors.js';

/** Receives each line (without its `\n` or `\r\n`) and its 1-based number. */
export type LineHandler = (line: string, lineNo: number) => void;

/**
 * Longest line the text readers accept: 16 MiB, counted in characters (UTF-16 code units),
 * or in bytes where a reader checks input before decoding it; both agree for the ASCII
 * of numbers.
 *
 * Why 16 MiB: the widest cells in practice are numpy `savetxt`'s default `%.18e`
 * (`-1.000000000000000000e+00`, 25 characters) plus a delimiter, so a 16 MiB line holds a
 * row of more than 640 000 such cells (a dense float64 matrix of that width is 5 GB per
 * thousand rows), while a file without line breaks, or binary data, is refused after
 * reading 16 MiB of it rather than all of it.
 */
export const DEFAULT_MAX_LINE = 1 << 24;

/** The detail of the ParseError for a line longer than `max`, shared by every text reader. */
export function lineTooLong(max: number): string {
  const size = max % (1 << 20) === 0 ? `${max / (1 << 20)} MiB (${max} characters)` : `${max} characters`;
  return `line is longer than ${size}, the limit for one line of a text file (binary data, or a file without line breaks?)`;
}

const CHUNK = 1 << 20;

/**
 * Turns chunks of text into lines. A byte-order mark at the start is dropped and `\r\n`
 * line ends are accepted. A line longer than `maxLineLength` characters is a ParseError:
 * binary data or a wrong format would otherwise accumulate without bound.
 */
export class LineSplitter {
  private pending: string[] = [];
  private pendingLength = 0;
  private lineNo = 0;

  /**
   * @param file - name used in error messages.
   * @param onLine - called for every line, in order.
   * @param maxLineLength - longest accepted line, in UTF-16 code units.
   */
  constructor(
    private readonly file: string,
    private readonly onLine: LineHandler,
    private readonly maxLineLength = DEFAULT_MAX_LINE,
  ) {}

  /** Feed the next chunk of text. */
  push(chunk: string): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      let line = chunk.slice(start, nl);
      if (this.pendingLength > 0) {
        this.pending.push(line);
        line = this.pending.join('');
        this.pending = [];
        this.pendingLength = 0;
      }
      this.emit(line);
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = start === 0 ? chunk : chunk.slice(start);
      this.pendingLength += rest.length;
      this.checkLength(this.pendingLength);
      this.pending.push(rest);
    }
  }

  /** Flush the last line (if the text does not end in a newline). @returns the number of lines seen. */
  end(): number {
    if (this.pendingLength > 0) {
      const line = this.pending.join('');
      this.pending = [];
      this.pendingLength = 0;
      this.emit(line);
    }
    return this.lineNo;
  }

  private checkLength(n: number): void {
    if (n > this.maxLineLength) throw new ParseError(this.file, { line: this.lineNo + 1 }, lineTooLong(this.maxLineLength));
  }

  private emit(line: string): void {
    this.checkLength(line.length);
    this.lineNo++;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (this.lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    this.onLine(line, this.lineNo);
  }
}

/**
 * Watches the line lengths of text that another parser consumes (csv-parse, which has no
 * line limit of its own that acts before it has worked through the whole line), so an
 * over-long line is refused as soon as it is seen. Counts characters of string chunks and
 * bytes of byte chunks; line numbers count `\n`, as the ParseError of {@link LineSplitter}.
 */
export class LineLengthGuard {
  private run = 0; // length of the current, unfinished line
  private ends = 0; // line ends seen

  /**
   * @param file - name used in error messages.
   * @param maxLineLength - longest accepted line (default {@link DEFAULT_MAX_LINE}).
   */
  constructor(
    private readonly file: string,
    private readonly maxLineLength = DEFAULT_MAX_LINE,
  ) {}

  /**
   * Account for the next chunk of the input.
   * @returns the offset just past the chunk's last line end (0 when it has none): the
   *   chunk's prefix that completes lines.
   * @throws ParseError naming the file and the line once a line exceeds the limit.
   */
  feed(chunk: string | Uint8Array): number {
    const n = chunk.length;
    // One native scan per line: String and Buffer indexOf are memchr-fast, where
    // Uint8Array's indexOf (or a loop over the bytes) cost 20-50x more on 50 MB of CSV.
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    let complete = 0;
    for (;;) {
      const nl = typeof text === 'string' ? text.indexOf('\n', start) : text.indexOf(10, start);
      this.run += (nl < 0 ? n : nl) - start;
      if (this.run > this.maxLineLength) throw new ParseError(this.file, { line: this.ends + 1 }, lineTooLong(this.maxLineLength));
      if (nl < 0) return complete;
      this.ends++;
      this.run = 0;
      start = complete = nl + 1;
    }
  }
}

/**
 * Call `onLine` for every line of a string or of UTF-8 bytes (decoded a megabyte at a time).
 * @returns the number of lines.
 */
export function scanLines(source: string | Uint8Array, file: string, onLine: LineHandler, maxLineLength?: number): number {
  const splitter = new LineSplitter(file, onLine, maxLineLength);
  if (typeof source === 'string') {
    splitter.push(source);
  } else {
    const decoder = new TextDecoder('utf-8');
    for (let i = 0; i < source.length; i += CHUNK) {
      splitter.push(decoder.decode(source.subarray(i, i + CHUNK), { stream: true }));
    }
    splitter.push(decoder.decode());
  }
  return splitter.end();
}

/** Synchronously stream the lines of a UTF-8 file through `onLine`. @returns the number of lines. */
export function scanFileLinesSync(path: string, onLine: LineHandler, maxLineLength?: number): number {
  const splitter = new LineSplitter(path, onLine, maxLineLength);
  const decoder = new TextDecoder('utf-8');
  const buf = new Uint8Array(CHUNK);
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      splitter.push(decoder.decode(buf.subarray(0, n), { stream: true }));
    }
  } finally {
    closeSync(fd);
  }
  splitter.push(decoder.decode());
  return splitter.end();
}

/** Stream the lines of a UTF-8 file through `onLine`, a megabyte at a time. @returns the number of lines. */
export async function scanFileLines(path: string, onLine: LineHandler, maxLineLength?: number): Promise<number> {
  const splitter = new LineSplitter(path, onLine, maxLineLength);
  const decoder = new TextDecoder('utf-8');
  const buf = new Uint8Array(CHUNK);
  const handle = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      splitter.push(decoder.decode(buf.subarray(0, bytesRead), { stream: true }));
    }
  } finally {
    await handle.close();
  }
  splitter.push(decoder.decode());
  return splitter.end();
}
