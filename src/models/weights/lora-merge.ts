/**
 * Using a LoRA adapter: merging it into a base model's weights (W + scale B A for each
 * adapted layer, transposed for fan_in_fan_out layers and embeddings: PEFT's
 * `merge_and_unload`), and inspecting it (the spectrum of each layer's update and how much
 * of the adapter's rank it uses).
 */
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import type { Matrix } from '../../matrix/matrix.js';
import { loraSpectrum, mergeLoraFactors, type LoraSpectrum } from './lora.js';
import { listNames, moduleLoraSettings, type LoraAdapter, type LoraAdapterModule } from './lora-peft.js';
import { FLOAT_WEIGHT_DTYPES, shapeText, type WeightSource, type WeightTensorInfo } from './lora-source.js';

/** How one base tensor changes in a merge. */
export interface LoraMergeTarget {
  /** The base tensor, `<module>.weight`. */
  readonly tensor: string;
  /** The adapter's module. */
  readonly module: LoraAdapterModule;
  /** The module's scale (lora_alpha / r, rank and alpha patterns and rsLoRA applied). */
  readonly scale: number;
  /** Whether the update is added transposed (fan_in_fan_out layers, embeddings). */
  readonly transpose: boolean;
}

/**
 * Match every module of an adapter to the base tensor it changes, `<module>.weight`, and
 * check the shapes: the returned map is keyed by tensor name.
 * @param baseTensors - the base model's tensors (a safetensors header's list).
 * @param file - the base's name, for messages.
 * @throws InvalidArgumentError listing modules whose weight the base lacks (or holds as a
 *   non-float tensor); ShapeError listing modules whose factors do not fit their weight.
 */
export function planLoraMerge(baseTensors: readonly WeightTensorInfo[], adapter: LoraAdapter, file = 'base'): Map<string, LoraMergeTarget> {
  const byName = new Map(baseTensors.map((t) => [t.name, t]));
  const missing: string[] = [];
  const notFloat: string[] = [];
  const shapes: string[] = [];
  const plan = new Map<string, LoraMergeTarget>();
  for (const m of adapter.modules) {
    const tensor = `${m.module}.weight`;
    const t = byName.get(tensor);
    if (t === undefined) {
      missing.push(tensor);
      continue;
    }
    if (!FLOAT_WEIGHT_DTYPES.has(t.dtype)) {
      notFloat.push(`${tensor} (${t.dtype})`);
      continue;
    }
    const transpose = m.kind === 'embedding' || adapter.config.fan_in_fan_out;
    const want = transpose ? [m.A.cols, m.B.rows] : [m.B.rows, m.A.cols];
    if (t.shape.length !== 2 || t.shape[0] !== want[0] || t.shape[1] !== want[1]) {
      shapes.push(`${tensor} is ${shapeText(t.shape)}, the factors give ${want[0]}x${want[1]}${transpose ? ` (B A transposed, ${m.kind === 'embedding' ? 'an embedding' : 'fan_in_fan_out'})` : ''}`);
      continue;
    }
    plan.set(tensor, { tensor, module: m, scale: moduleLoraSettings(adapter.config, m.module).scale, transpose });
  }
  if (missing.length > 0 || notFloat.length > 0) {
    const parts = [];
    if (missing.length > 0) parts.push(`${file} has no tensor ${listNames(missing)}`);
    if (notFloat.length > 0) parts.push(`not float weights: ${listNames(notFloat)}`);
    throw new InvalidArgumentError(`mergeLora: the adapter does not fit ${file}: ${parts.join('; ')}${shapes.length > 0 ? `; shapes differ: ${shapes.join('; ')}` : ''}`);
  }
  if (shapes.length > 0) throw new ShapeError(`mergeLora: the adapter does not fit ${file}: ${shapes.join('; ')}`);
  return plan;
}

/** W + scale B A (or its transpose) for one planned tensor, in W's dtype. */
export function mergeLoraTensor(W: Matrix, target: LoraMergeTarget): Matrix {
  return mergeLoraFactors(W, target.module.A, target.module.B, target.scale, target.transpose);
}

/**
 * Merge an adapter into a base model held in a {@link WeightSource}: the merged weights of
 * the adapted layers (every other tensor is unchanged), in the base's matrix dtype. To write
 * a merged model file tensor by tensor, use {@link planLoraMerge} and
 * {@link mergeLoraTensor} (as `lowrank lora merge` does).
 * @throws as {@link planLoraMerge}.
 * @example
 * const merged = await mergeLora(weightSource({ 'fc1.weight': W }), adapter);
 * merged.get('fc1.weight'); // W + (alpha / r) B A
 */
export async function mergeLora(base: WeightSource, adapter: LoraAdapter): Promise<Map<string, Matrix>> {
  const plan = planLoraMerge(base.tensors, adapter, base.file);
  const out = new Map<string, Matrix>();
  for (const [name, target] of plan) out.set(name, mergeLoraTensor(await base.readMatrix(name), target));
  return out;
}

/** {@link inspectLora}'s figures for one module. */
export interface LoraModuleSpectrum extends LoraSpectrum {
  /** The module's name. */
  readonly module: string;
  /** 'linear' or 'embedding'. */
  readonly kind: 'linear' | 'embedding';
  /** [out, in] of B A (the weight's shape, transposed for fan_in_fan_out and embeddings). */
  readonly shape: readonly [number, number];
  /** lora_alpha of the module. */
  readonly alpha: number;
  /** Its scale: the update is scale * B A. */
  readonly scale: number;
}

/**
 * The spectrum of every module's update scale * B A of an adapter, from the factors (never
 * forming B A): singular values, norm, numerical and effective rank, ranks for 90% and 99%
 * of the energy, against the adapter's r.
 * @example
 * for (const m of inspectLora(adapter)) console.log(m.module, m.rank, m.effectiveRank.toFixed(1));
 */
export function inspectLora(adapter: LoraAdapter): LoraModuleSpectrum[] {
  return adapter.modules.map((m) => {
    const { alpha, scale } = moduleLoraSettings(adapter.config, m.module);
    return { module: m.module, kind: m.kind, shape: [m.B.rows, m.A.cols] as const, alpha, scale, ...loraSpectrum(m.A, m.B, scale) };
  });
}
