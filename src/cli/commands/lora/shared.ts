/** What the `lowrank lora` subcommands share: rounding factors to the dtype they are stored in, and number formats. */
import { roundThroughHalf } from '../../../io/safetensors-dtypes.js';
import { Matrix } from '../../../matrix/matrix.js';
import type { LoraDtype } from '../../../models/weights/lora-peft.js';

/**
 * M's values as they read back after being stored as `dtype` (F16 and BF16 rounded to
 * nearest even, F32 rounded from float64), so reported errors are those of the file.
 */
export function roundToDtype(M: Matrix, dtype: LoraDtype): Matrix {
  if (dtype === 'F64') return M;
  if (dtype === 'F32') return M.dtype === 'float32' ? M : M.astype('float32');
  const out = M.copy({ dtype: 'float32' });
  roundThroughHalf(out.data as Float32Array, dtype);
  return out;
}

/** A share as a percentage with one decimal: `98.5%`. */
export function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** A number with 4 significant digits, exponent form when small or large. */
export function sig(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? String(Number(x.toPrecision(4))) : x.toExponential(2);
}

/** A relative error or ratio: four decimals, or 4 significant digits in exponent form below 1e-3. */
export function ratio(x: number): string {
  return x === 0 || Math.abs(x) >= 1e-3 ? x.toFixed(4) : x.toExponential(2);
}
