/**
 * Save and load `.lrm` model files in Node (the byte format is in src/models/recommend/model/file.ts).
 */
import { readFile } from 'node:fs/promises';
import { LatentFactorModel } from '../models/recommend/model/latent-factor-model.js';
import { writeFileAtomic } from './write-chunks.js';
import { isSparkModelDir, loadSparkModel, type LoadSparkModelOptions } from './spark.js';

/**
 * Write `model` to `path` as an `.lrm` file (see src/models/recommend/model/file.ts for the layout), atomically:
 * a reader never sees a half-written file.
 * @throws NonFiniteInputError when the model holds NaN or Inf (it could not be loaded back).
 */
export async function saveModel(path: string, model: LatentFactorModel): Promise<void> {
  await writeFileAtomic(path, model.toBytes());
}

/**
 * Read a model written by {@link saveModel}, or a Spark ML ALSModel directory
 * (`metadata/part-00000`, `userFactors/`, `itemFactors/`: see src/io/spark.ts; `options`
 * apply to those only, as Spark's metadata does not record implicitPrefs, regParam or alpha).
 * A model file is checked whole, metadata included, against its checksum before anything
 * is trusted.
 * @throws ParseError naming `path` on a file that is not a model, has format version 1 (its
 *   metadata is not checksummed: retrain) or an unknown version, is truncated, has bytes
 *   appended, fails the checksum, or holds sizes, IDs or parameters that do not validate
 *   (non-finite globalMean, biases or factors included).
 */
export async function loadModel(path: string, options: LoadSparkModelOptions = {}): Promise<LatentFactorModel> {
  if (await isSparkModelDir(path)) return loadSparkModel(path, options);
  const bytes = await readFile(path);
  return LatentFactorModel.fromBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}
