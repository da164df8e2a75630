/**
 * A dense matrix as a columnar table: one float64 (or float32) column per matrix column,
 * named by `names` or c0, c1, ... — Parquet through the streaming writer (row groups of
 * 65,536 rows), Arrow IPC (file format, uncompressed, as `pyarrow.feather.read_table` and
 * pandas read it) through apache-arrow. Both atomic (src/io/write-chunks.ts).
 */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { InvalidArgumentError } from '../errors.js';
import type { Matrix } from '../matrix/matrix.js';
import { openParquetWriter } from './parquet-write.js';
import { writeFileAtomic } from './write-chunks.js';

const ROW_GROUP = 65536;

/** Write `A` to `path` as Parquet or Arrow IPC (see the module comment). */
export async function writeColumnarMatrix(path: string, format: 'parquet' | 'arrow', A: Matrix, names?: readonly string[]): Promise<void> {
  const cols = names ? [...names] : Array.from({ length: A.cols }, (_, j) => `c${j}`);
  if (cols.length !== A.cols) throw new InvalidArgumentError(`${cols.length} column names for a matrix of ${A.cols} columns`);
  if (new Set(cols).size !== cols.length || cols.some((c) => c === '')) throw new InvalidArgumentError(`column names must be distinct and non-empty, got ${cols.join(', ')}`);
  const f32 = A.dtype === 'float32';
  const column = (j: number, a: number, b: number): Float32Array | Float64Array => {
    const out = f32 ? new Float32Array(b - a) : new Float64Array(b - a);
    for (let i = a; i < b; i++) out[i - a] = A.data[A.index(i, j)]!;
    return out;
  };
  if (format === 'arrow') {
    const table = tableFromArrays(Object.fromEntries(cols.map((c, j) => [c, column(j, 0, A.rows)])));
    await writeFileAtomic(path, tableToIPC(table, 'file'));
    return;
  }
  const w = await openParquetWriter(path, cols.map((name) => ({ name, type: f32 ? ('float' as const) : ('double' as const) })));
  try {
    for (let a = 0; a < A.rows; a += ROW_GROUP) {
      const b = Math.min(A.rows, a + ROW_GROUP);
      await w.write(Object.fromEntries(cols.map((c, j) => [c, column(j, a, b)])));
    }
    await w.close();
  } catch (e) {
    await w.abort(e);
    throw e;
  }
}
