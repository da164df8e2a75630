/** What `lowrank weights inspect` and `compress` share: tensor selection and the flags for it. */
import type { Command } from 'commander';
import type { SafetensorsTensorInfo } from '../../../io/safetensors-codec.js';
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
