/** What `lowrank weights inspect` and `compress` share: tensor selection and the flags for it. */
import type { Command } from 'commander';
import type { SafetensorsReader, SafetensorsTensorInfo } from '../../../io/safetensors-codec.js';
import { OutOfMemoryError } from '../../../errors.js';
import { activeWasm } from '../../../kernels/index.js';
import type { Matrix } from '../../../matrix/matrix.js';
import { flagOption, rule, type Rule } from '../../flags.js';

/** A JavaScript regular expression, as typed (`--include 'mlp\.'`). */
export const regex: Rule<RegExp> = rule('a regular expression', (text) => {
  try {
    return new RegExp(text);
  } catch {
    return undefined;
  }
});

/** The flags {@link addSelectionOptions} adds. */
export interface SelectionFlags {
  include?: RegExp;
  exclude?: RegExp;
}

/** Add `--include` and `--exclude`. */
export function addSelectionOptions(cmd: Command, verb: string): Command {
  return cmd
    .addOption(flagOption('--include <regex>', `${verb} only the 2-D tensors whose name matches (JavaScript regular expression, searched anywhere in the name)`, regex))
    .addOption(flagOption('--exclude <regex>', `do not ${verb} the tensors whose name matches`, regex));
}

/** The float dtypes a weight matrix is read from and written back to. */
const MATRIX_DTYPES = new Set(['F64', 'F32', 'F16', 'BF16']);

/**
 * Why a tensor is not a weight matrix to work on, or undefined when it is one: not 2-D, a
 * dtype that is not F64/F32/F16/BF16, or left out by --include/--exclude.
 */
export function skipReason(t: SafetensorsTensorInfo, flags: SelectionFlags): string | undefined {
  if (t.shape.length !== 2) return t.shape.length === 0 ? 'scalar' : `${t.shape.length}-D`;
  if (!MATRIX_DTYPES.has(t.dtype)) return `dtype ${t.dtype}`;
  if (t.shape[0] === 0 || t.shape[1] === 0) return 'empty';
  if (flags.include && !flags.include.test(t.name)) return 'not included';
  if (flags.exclude && flags.exclude.test(t.name)) return 'excluded';
  return undefined;
}

/** A shape as people write it: `4096x11008`, `[128]`, `[]`. */
export function shapeText(shape: readonly number[]): string {
  return shape.length === 2 ? `${shape[0]}x${shape[1]}` : `[${shape.join(', ')}]`;
}

/** Rows of cells as aligned text: left-aligned first column, the others right-aligned. */
export function formatTable(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => indent + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/**
 * One float32 buffer that weight matrices are decoded into, one after another: in the
 * kernels' WASM memory when they run (so factorizations read it in place, with no second
 * copy), reused for every tensor that fits and replaced by a larger one when needed. Each
 * matrix read is valid until the next read or {@link LayerBuffer.release}.
 */
export class LayerBuffer {
  private buf: Float32Array | undefined;
  private wasm = false;

  /** Decode tensor `t` into the buffer (the file read in 16 MiB pieces) as a row-major matrix. */
  async read(st: SafetensorsReader, t: SafetensorsTensorInfo): Promise<Matrix> {
    return st.readMatrixInto(t.name, this.reserve(t.size));
  }

  private reserve(n: number): Float32Array {
    if (this.buf !== undefined && this.buf.length >= n) return this.buf;
    this.release();
    const w = activeWasm();
    if (w) {
      try {
        this.buf = w.alloc('float32', n, false) as Float32Array;
        this.wasm = true;
        return this.buf;
      } catch (e) {
        if (!(e instanceof OutOfMemoryError)) throw e;
      }
    }
    this.buf = new Float32Array(n);
    this.wasm = false;
    return this.buf;
  }

  /** Give the buffer back (to the kernels' heap when it came from there). */
  release(): void {
    if (this.buf !== undefined && this.wasm) activeWasm()?.release(this.buf);
    this.buf = undefined;
  }
}
