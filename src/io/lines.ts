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

/** Default cap on a line's length in characters; see {@link LineSplitter}. */
export const DEFAULT_MAX_LINE = 1 << 24;

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
    if (n > this.maxLineLength) {
      throw new ParseError(
        this.file,
        { line: this.lineNo + 1 },
        `line is longer than ${this.maxLineLength} characters (binary data or a wrong format?)`,
      );
    }
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
