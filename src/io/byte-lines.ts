/**
 * Lines of a byte stream handed to a parser without decoding them first: a line the parser
 * can read straight from the bytes (the entries of a large numeric file, all ASCII) costs
 * no string at all, and only the others (banner, header, comments, anything unusual) are
 * decoded and given to its string handler. Decoding every line and slicing it into
 * strings was about two thirds of the time of reading a large Matrix Market file.
 *
 * Semantics match {@link LineSplitter}: lines end at `\n`, a trailing `\r` is dropped, a
 * byte-order mark on line 1 is dropped (by the decoder), the last line needs no newline,
 * and a line longer than the limit (counted in bytes here) is a ParseError.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { ParseError } from '../errors.js';
import { DEFAULT_MAX_LINE, lineTooLong, type LineHandler } from './lines.js';

/**
 * Reads one line from `bytes[start, end)` (no `\n`, no trailing `\r`) if it can.
 * `ascii(s, e)` is the text of `bytes[s, e)` for bytes below 128 (a slice of one string
 * made per megabyte, so a token that must be parsed from text costs no decoding of its own).
 * @returns true when it consumed the line; false to have it decoded and passed to the
 *   string handler instead (which then reports any error in it).
 */
export type ByteLineHandler = (bytes: Uint8Array, start: number, end: number, lineNo: number, ascii: (s: number, e: number) => string) => boolean;

const CHUNK = 1 << 20;

/** Splits bytes fed in chunks into lines for a {@link ByteLineHandler} and a {@link LineHandler}. */
export class ByteLineFeeder {
  private buf = new Uint8Array(2 * CHUNK);
  private len = 0;
  private lineNo = 0;
  private readonly decoder = new TextDecoder('utf-8');
  // The buffer's bytes as a Latin-1 string (identical to them below 128), made on first use.
  private latin1: string | undefined;
  private readonly ascii = (s: number, e: number): string => {
    this.latin1 ??= Buffer.from(this.buf.buffer, this.buf.byteOffset, this.len).toString('latin1');
    return this.latin1.slice(s, e);
  };

  /**
   * @param file - name used in error messages.
   * @param fast - tried first on every line.
   * @param slow - given the decoded line when `fast` declines it.
   * @param maxLineLength - longest accepted line, in bytes.
   */
  constructor(
    private readonly file: string,
    private readonly fast: ByteLineHandler,
    private readonly slow: LineHandler,
    private readonly maxLineLength = DEFAULT_MAX_LINE,
  ) {}

  /** Room for `n` more bytes: fill it, then call {@link filled}. */
  space(n: number): Uint8Array {
    if (this.len + n > this.buf.length) {
      const next = new Uint8Array(Math.max(2 * this.buf.length, this.len + n));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    return this.buf.subarray(this.len, this.len + n);
  }

  /** `n` bytes were written into the last {@link space}: hand over the complete lines. */
  filled(n: number): void {
    this.len += n;
    this.lines(false);
  }

  /** The input ended: hand over its last line. @returns the number of lines. */
  end(): number {
    this.lines(true);
    return this.lineNo;
  }

  private lines(final: boolean): void {
    const b = this.buf;
    const n = this.len;
    this.latin1 = undefined;
    let s = 0;
    for (;;) {
      let e = s;
      while (e < n && b[e] !== 10) e++;
      if (e === n && !final) break;
      if (e === n && s === n) break; // final, nothing after the last newline
      let stop = e;
      if (stop > s && b[stop - 1] === 13) stop--;
      if (stop - s > this.maxLineLength) throw new ParseError(this.file, { line: this.lineNo + 1 }, lineTooLong(this.maxLineLength));
      const lineNo = ++this.lineNo;
      if (!this.fast(b, s, stop, lineNo, this.ascii)) this.slow(this.decoder.decode(b.subarray(s, stop)), lineNo);
      s = e + 1;
      if (e === n) break;
    }
    if (s > n) s = n;
    if (n - s > this.maxLineLength) throw new ParseError(this.file, { line: this.lineNo + 1 }, lineTooLong(this.maxLineLength));
    b.copyWithin(0, s, n);
    this.len = n - s;
  }
}

/** Feed all of `bytes`, a megabyte at a time. @returns the number of lines. */
export function feedBytes(bytes: Uint8Array, feeder: ByteLineFeeder): number {
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const part = bytes.subarray(i, i + CHUNK);
    feeder.space(part.length).set(part);
    feeder.filled(part.length);
  }
  return feeder.end();
}

/** Feed a file synchronously, a megabyte at a time. @returns the number of lines. */
export function feedFileSync(path: string, feeder: ByteLineFeeder): number {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const into = feeder.space(CHUNK);
      const n = readSync(fd, into, 0, CHUNK, null);
      if (n === 0) break;
      feeder.filled(n);
    }
  } finally {
    closeSync(fd);
  }
  return feeder.end();
}

/** Feed a file, a megabyte at a time. @returns the number of lines. */
export async function feedFile(path: string, feeder: ByteLineFeeder): Promise<number> {
  const handle = await open(path, 'r');
  try {
    for (;;) {
      const into = feeder.space(CHUNK);
      const { bytesRead } = await handle.read(into, 0, CHUNK, null);
      if (bytesRead === 0) break;
      feeder.filled(bytesRead);
    }
  } finally {
    await handle.close();
  }
  return feeder.end();
}
