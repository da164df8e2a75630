/**
 * Where the whole-model LoRA routines read weights: anything that lists tensors and reads
 * one as a matrix on demand. An open safetensors file (`openSafetensors(path)` in Node,
 * `openSafetensorsBlob(file)` in a browser) is one as it is; {@link weightSource} makes one
 * from matrices in memory.
 */
import { InvalidArgumentError } from '../../errors.js';
import { Matrix } from '../../matrix/matrix.js';

/** A tensor as a source lists it (a safetensors header entry is one). */
export interface WeightTensorInfo {
  /** Its name, e.g. `model.layers.0.self_attn.q_proj.weight`. */
  readonly name: string;
  /** Its element type as stored: 'F32', 'BF16', 'F16', 'F64', 'I64', ... */
  readonly dtype: string;
  /** Its shape, outermost first. */
  readonly shape: readonly number[];
}

/** A set of named tensors read one at a time (see the file comment). */
export interface WeightSource {
  /** A name for messages (a path); optional. */
  readonly file?: string;
  /** Every tensor, in the source's order. */
  readonly tensors: readonly WeightTensorInfo[];
  /**
   * One tensor as a matrix: a 2-D tensor (out, in) as out x in, a 1-D one as a column;
   * others with `options.shape` (rows, cols).
   */
  readMatrix(name: string, options?: { readonly shape?: readonly [number, number] }): Promise<Matrix>;
}

/**
 * A {@link WeightSource} over matrices in memory, listed as 2-D F32 or F64 tensors (by the
 * matrix's dtype) in the order given.
 * @throws InvalidArgumentError when a value is not a Matrix.
 * @example
 * const base = weightSource({ 'fc1.weight': W1, 'fc2.weight': W2 });
 */
export function weightSource(matrices: Readonly<Record<string, Matrix>> | ReadonlyMap<string, Matrix>, file = '<memory>'): WeightSource {
  const entries = matrices instanceof Map ? [...matrices] : Object.entries(matrices as Record<string, Matrix>);
  for (const [name, M] of entries) if (!(M instanceof Matrix)) throw new InvalidArgumentError(`weightSource: '${name}' is not a Matrix`);
  const byName = new Map(entries);
  return {
    file,
    tensors: entries.map(([name, M]) => ({ name, dtype: M.dtype === 'float32' ? 'F32' : 'F64', shape: [M.rows, M.cols] })),
    readMatrix: async (name) => {
      const M = byName.get(name);
      if (M === undefined) throw new InvalidArgumentError(`${file}: no tensor named '${name}'`);
      return M;
    },
  };
}

/** The float dtypes a weight matrix is read from (and merged weights written back in). */
export const FLOAT_WEIGHT_DTYPES: ReadonlySet<string> = new Set(['F64', 'F32', 'F16', 'BF16']);

/** `4096x11008`, `[128]`, `[]`. */
export function shapeText(shape: readonly number[]): string {
  return shape.length === 2 ? `${shape[0]}x${shape[1]}` : `[${shape.join(', ')}]`;
}
