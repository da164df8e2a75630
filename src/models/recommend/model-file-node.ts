/**
 * Save and load `.lrm` model files in Node (the byte format is in model-file.ts).
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../io/write-chunks.js';
import { LatentFactorModel } from './model.js';

/** Write `model` to `path` as an `.lrm` file (see model-file.ts for the layout). */
export async function saveModel(path: string, model: LatentFactorModel): Promise<void> {
  await writeFileAtomic(path, model.toBytes());
}

/**
 * Read a model written by {@link saveModel}.
 * @throws ParseError on a file that is not a model, has an unknown version, is truncated or corrupt.
 */
export async function loadModel(path: string): Promise<LatentFactorModel> {
  const bytes = await readFile(path);
  return LatentFactorModel.fromBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}
