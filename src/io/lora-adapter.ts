/**
 * LoRA adapter folders as PEFT saves them (Node): `adapter_model.safetensors` (the factors
 * under PEFT's names, see models/weights/lora-peft.ts) and `adapter_config.json`. Both files
 * are written atomically; the folder is created if needed.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ParseError } from '../errors.js';
import {
  formatPeftLoraConfig,
  loraAdapterEntries,
  loraAdapterFromTensors,
  parsePeftLoraConfig,
  type LoraAdapter,
  type LoraDtype,
} from '../models/weights/lora-peft.js';
import { openSafetensors, writeSafetensors } from './safetensors.js';
import { writeFileAtomic } from './write-chunks.js';

/** The weights file of an adapter folder. */
export const LORA_ADAPTER_WEIGHTS = 'adapter_model.safetensors';
/** The configuration file of an adapter folder. */
export const LORA_ADAPTER_CONFIG = 'adapter_config.json';

/** Options of {@link writeLoraAdapter}. */
export interface WriteLoraAdapterOptions {
  /** Element type of the factors: 'F32' (default), 'F16', 'BF16' or 'F64'. */
  readonly dtype?: LoraDtype;
  /** `__metadata__` of the safetensors file; default `{ format: 'pt' }`, as PEFT writes. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Write an adapter as PEFT's `save_pretrained` does: `<dir>/adapter_model.safetensors` and
 * `<dir>/adapter_config.json` (the folder is created if needed; each file atomically).
 * `PeftModel.from_pretrained(model, dir)` loads it.
 * @returns the two paths written.
 * @throws the file system's error; InvalidArgumentError for a bad dtype.
 * @example
 * await writeLoraAdapter('adapter', adapter, { dtype: 'BF16' });
 */
export async function writeLoraAdapter(dir: string, adapter: LoraAdapter, options: WriteLoraAdapterOptions = {}): Promise<{ weights: string; config: string }> {
  await mkdir(dir, { recursive: true });
  const weights = join(dir, LORA_ADAPTER_WEIGHTS);
  const config = join(dir, LORA_ADAPTER_CONFIG);
  await writeSafetensors(weights, loraAdapterEntries(adapter, options.dtype ?? 'F32'), { metadata: options.metadata ?? { format: 'pt' } });
  await writeFileAtomic(config, formatPeftLoraConfig(adapter.config));
  return { weights, config };
}

/**
 * Read a PEFT LoRA adapter: `path` is the adapter folder, or its `adapter_model.safetensors`
 * (the configuration is then read beside it). Factors are read as float32 (F16/BF16
 * widened) or float64 (F64).
 * @throws ParseError naming the file for a bad configuration or safetensors file;
 *   UnsupportedError for non-LoRA adapters, DoRA, or tensors that are not LoRA factors;
 *   ShapeError for factors that do not fit; the file system's error (ENOENT naming the
 *   missing file).
 * @example
 * const adapter = await readLoraAdapter('adapter');
 * adapter.config.r; adapter.modules.map((m) => m.module);
 */
export async function readLoraAdapter(path: string): Promise<LoraAdapter> {
  const isDir = (await stat(path)).isDirectory();
  const weights = isDir ? join(path, LORA_ADAPTER_WEIGHTS) : path;
  const configPath = isDir ? join(path, LORA_ADAPTER_CONFIG) : join(dirname(path), LORA_ADAPTER_CONFIG);
  let json: unknown;
  const text = await readFile(configPath, 'utf8');
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ParseError(configPath, {}, `not valid JSON (${(e as Error).message})`);
  }
  const config = parsePeftLoraConfig(json, configPath);
  const st = await openSafetensors(weights);
  try {
    const tensors = [];
    for (const t of st.tensors) {
      if (t.shape.length !== 2) throw new ParseError(weights, {}, `tensor '${t.name}' has shape [${t.shape.join(', ')}]; LoRA factors are 2-D`);
      tensors.push({ name: t.name, matrix: await st.readMatrix(t.name) });
    }
    return loraAdapterFromTensors(tensors, config, weights);
  } finally {
    await st.close();
  }
}
