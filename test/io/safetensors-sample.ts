/**
 * The sample file lowrank writes for the interoperability fixture: scripts/gen-safetensors-fixtures.py
 * runs {@link writeSample}, reads the file back with Python's `safetensors` (and ml_dtypes for
 * BF16) and stores what it decoded in test/fixtures/safetensors/readback.json; the test then
 * checks that (a) encoding the same entries today gives the committed file byte for byte and
 * (b) what Python read equals {@link sampleValues}. CI so needs no Python to know Python
 * reads our files.
 */
import { writeFileSync } from 'node:fs';
import { encodeSafetensors, type SafetensorsEntry } from '../../src/io/safetensors-codec.js';
import { Matrix } from '../../src/matrix/matrix.js';

/** The values each tensor should read back as (row-major; integers beyond 2^53 as decimal strings). */
export function sampleValues(): Record<string, { dtype: string; shape: number[]; values: (number | string)[] }> {
  return {
    'layer.weight': { dtype: 'F32', shape: [2, 3], values: [1, 2, 3, 4, 5, 6] },
    'layer.weight64': { dtype: 'F64', shape: [3, 2], values: [0.1, -0.2, 1e-300, 1e300, -0, 3.141592653589793] },
    'half': { dtype: 'F16', shape: [7], values: [1, -2.5, 65504, 2 ** -24, 0.0999755859375, 1, 1.001953125] },
    'brain': { dtype: 'BF16', shape: [2, 2], values: [1, -0.5, 3.140625, 1.015625] },
    'ids': { dtype: 'I64', shape: [3], values: ['-9007199254740993', 0, '9223372036854775807'] },
    'counts': { dtype: 'I32', shape: [2], values: [-2147483648, 2147483647] },
    'pixels': { dtype: 'U8', shape: [2, 2], values: [0, 255, 7, 128] },
    'mask': { dtype: 'BOOL', shape: [3], values: [1, 0, 1] },
    'scale': { dtype: 'F32', shape: [], values: [0.5] },
    'empty': { dtype: 'F32', shape: [0, 3], values: [] },
    'cube': { dtype: 'F16', shape: [2, 1, 2], values: [1, 2, 3, 4] },
  };
}

/** The entries written: the same values, given the way a caller would (a Matrix, rounding, bigints). */
export function sampleEntries(): SafetensorsEntry[] {
  return [
    // A column-major Matrix: the file must hold it row-major.
    { name: 'layer.weight', dtype: 'F32', shape: [2, 3], data: Matrix.from([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' }) },
    { name: 'layer.weight64', dtype: 'F64', shape: [3, 2], data: Matrix.from([[0.1, -0.2], [1e-300, 1e300], [-0, Math.PI]]) },
    // 0.1 rounds to the half 0.0999755859375; 1 + 1/2 ulp and 1 + 3/2 ulp are ties, rounded to
    // the even neighbours 1 and 1 + 2 ulp.
    { name: 'half', dtype: 'F16', shape: [7], data: [1, -2.5, 65504, 2 ** -24, 0.1, 1 + 2 ** -11, 1 + 3 * 2 ** -11] },
    // pi rounds to 3.140625; 1 + 3/2 ulp (ulp 2^-7) is a tie, rounded to the even 1 + 2 ulp.
    { name: 'brain', dtype: 'BF16', shape: [2, 2], data: Matrix.from([[1, -0.5], [Math.PI, 1 + 3 * 2 ** -8]]) },
    { name: 'ids', dtype: 'I64', shape: [3], data: [-9007199254740993n, 0n, 9223372036854775807n] },
    { name: 'counts', dtype: 'I32', shape: [2], data: new Int32Array([-2147483648, 2147483647]) },
    { name: 'pixels', dtype: 'U8', shape: [2, 2], data: { raw: new Uint8Array([0, 255, 7, 128]) } },
    { name: 'mask', dtype: 'BOOL', shape: [3], data: [true, false, true] },
    { name: 'scale', dtype: 'F32', shape: [], data: () => [0.5] },
    { name: 'empty', dtype: 'F32', shape: [0, 3], data: new Float32Array(0) },
    { name: 'cube', dtype: 'F16', shape: [2, 1, 2], data: new Float32Array([1, 2, 3, 4]) },
  ];
}

/** Metadata of the sample (non-ASCII on purpose). */
export const SAMPLE_METADATA = { format: 'pt', note: 'written by lowrank – ✓' };

/** The sample file's bytes. */
export function sampleBytes(): Uint8Array {
  return encodeSafetensors(sampleEntries(), { metadata: SAMPLE_METADATA });
}

/** Write the sample file (called by scripts/gen-safetensors-fixtures.py). */
export function writeSample(path: string): void {
  writeFileSync(path, sampleBytes());
}
