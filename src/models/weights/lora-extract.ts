/**
 * LoRA extraction from two whole models: for every 2-D weight `<module>.weight` that differs
 * between a base model and a fine-tuned one, the rank-r truncated SVD of the difference as
 * LoRA factors (lora.ts), collected into a PEFT adapter (lora-peft.ts) whose
 * `target_modules` are the leaf names of the modules that changed. What LoRA cannot carry
 * is reported, not silently dropped: changed 1-D tensors (biases, norms: the adapter has
 * bias 'none'), changed tensors of 3 or more dimensions, and 2-D tensors not named
 * `<module>.weight`.
 *
 * Every 2-D weight is read as a linear layer's (out x in, PyTorch's nn.Linear); for GPT-2
 * style Conv1D weights stored in x out, set `fanInFanOut`. Embedding tables are factored as
 * linear layers too: leave them out with `exclude` if the adapter is to be loaded by PEFT,
 * which expects lora_embedding_A/B for them.
 *
 * The models are read one tensor at a time (base and tuned), and only the factors are kept.
 */
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import { bool, maybe, opt, resolveOptions, satisfies, tableFor } from '../../options.js';
import { checkAborted, type LongTaskOptions } from '../../progress.js';
import { extractLoraFactors, LORA_FACTOR_OPTIONS, sameValues, type LoraFactorOptions } from './lora.js';
import { listNames, peftLoraConfig, type LoraAdapter, type LoraAdapterModule } from './lora-peft.js';
import { FLOAT_WEIGHT_DTYPES, shapeText, type WeightSource, type WeightTensorInfo } from './lora-source.js';

/** Options of {@link extractLora}: those of every LoRA extraction ({@link LoraFactorOptions}) and which tensors, in which layout. */
export interface ExtractLoraOptions extends LongTaskOptions, LoraFactorOptions {
  /** The weights are stored in x out (GPT-2's Conv1D): factor the transposed update; sets fan_in_fan_out (default false). */
  fanInFanOut?: boolean;
  /** Consider only tensors whose name matches (searched anywhere in the name). */
  include?: RegExp;
  /** Leave out tensors whose name matches. */
  exclude?: RegExp;
  /** base_model_name_or_path of the configuration (default null). */
  baseModelNameOrPath?: string;
}

const isRegExp = (v: unknown): v is RegExp => v instanceof RegExp;

const EXTRACT_LORA_OPTIONS = tableFor<Omit<ExtractLoraOptions, keyof LongTaskOptions>>()({
  ...LORA_FACTOR_OPTIONS,
  fanInFanOut: opt(bool, false),
  include: maybe(satisfies('a RegExp', isRegExp)),
  exclude: maybe(satisfies('a RegExp', isRegExp)),
  baseModelNameOrPath: maybe(satisfies('a string', (v): v is string => typeof v === 'string')),
});

/** What extraction found for one changed weight. */
export interface ExtractedLoraModule {
  /** The module name (the tensor's name without `.weight`). */
  readonly module: string;
  /** The tensor's name. */
  readonly tensor: string;
  /** Its shape as stored. */
  readonly shape: readonly number[];
  /** Its dtype. */
  readonly dtype: string;
  /** Directions kept: min(r, out, in). */
  readonly keptRank: number;
  /** ||dW - scale B A||_F / ||dW||_F: what rank r misses of the update. */
  readonly relativeError: number;
  /** ||W' - (W + scale B A)||_F / ||W'||_F: the merged weight against the tuned one. */
  readonly tunedRelativeError: number;
  /** Share of ||dW||_F^2 the rank-r update keeps. */
  readonly energyKept: number;
  /** ||dW||_F. */
  readonly deltaNorm: number;
  /** ||W'||_F. */
  readonly tunedNorm: number;
  /** Singular values of the update computed (all of them for an exact SVD). */
  readonly singularValues: Float64Array;
  /** How the SVD was computed. */
  readonly method: 'exact' | 'randomized';
}

/** A tensor extraction did not put in the adapter, and why. */
export interface SkippedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  /** Whether it differs between the models (undefined when it was not compared). */
  readonly changed: boolean | undefined;
  /** Why it is not in the adapter. */
  readonly reason: string;
}

/** What {@link extractLora} returns. */
export interface ExtractedLora {
  /** The adapter (PEFT configuration and factors). */
  readonly adapter: LoraAdapter;
  /** One entry per adapted module, in the models' order. */
  readonly modules: readonly ExtractedLoraModule[];
  /** Names of the considered tensors that are equal in both models. */
  readonly unchanged: readonly string[];
  /** Tensors left out: changed but not representable by LoRA, or not compared (integer dtypes, include/exclude). */
  readonly skipped: readonly SkippedTensor[];
}

/**
 * The tensors two sources must share, or one error listing every difference: tensors only in
 * one of them, shapes or dtypes that differ.
 */
function pairTensors(base: WeightSource, tuned: WeightSource, selected: (t: WeightTensorInfo) => boolean, routine: string): [WeightTensorInfo, WeightTensorInfo][] {
  const tunedByName = new Map(tuned.tensors.filter(selected).map((t) => [t.name, t]));
  const baseNames = new Set<string>();
  const onlyBase: string[] = [];
  const shapes: string[] = [];
  const dtypes: string[] = [];
  const pairs: [WeightTensorInfo, WeightTensorInfo][] = [];
  for (const b of base.tensors.filter(selected)) {
    baseNames.add(b.name);
    const t = tunedByName.get(b.name);
    if (t === undefined) {
      onlyBase.push(b.name);
      continue;
    }
    if (b.shape.length !== t.shape.length || b.shape.some((d, i) => d !== t.shape[i])) shapes.push(`${b.name} (${shapeText(b.shape)} vs ${shapeText(t.shape)})`);
    else if (b.dtype !== t.dtype) dtypes.push(`${b.name} (${b.dtype} vs ${t.dtype})`);
    else pairs.push([b, t]);
  }
  const onlyTuned = [...tunedByName.keys()].filter((n) => !baseNames.has(n));
  const problems: string[] = [];
  const baseFile = base.file ?? 'base';
  const tunedFile = tuned.file ?? 'tuned';
  if (onlyBase.length > 0) problems.push(`missing from ${tunedFile}: ${listNames(onlyBase)}`);
  if (onlyTuned.length > 0) problems.push(`missing from ${baseFile}: ${listNames(onlyTuned)}`);
  if (shapes.length > 0) problems.push(`different shapes (base vs tuned): ${listNames(shapes)}`);
  if (dtypes.length > 0) problems.push(`different dtypes (base vs tuned): ${listNames(dtypes)}`);
  if (problems.length > 0) {
    const message = `${routine}: ${baseFile} and ${tunedFile} are not the same model: ${problems.join('; ')}`;
    throw shapes.length > 0 ? new ShapeError(message) : new InvalidArgumentError(message);
  }
  return pairs;
}

/** The tensor as a matrix for comparing: rows = first dimension (a scalar is 1 x 1). */
function matrixShape(shape: readonly number[]): readonly [number, number] {
  if (shape.length === 0) return [1, 1];
  return [shape[0]!, shape.slice(1).reduce((a, b) => a * b, 1)];
}

/**
 * Extract a LoRA adapter from a base model and a fine-tuned one (see the file comment).
 *
 * Cost per changed weight: a subtraction and a rank-r truncated SVD (exact for small layers,
 * randomized for large ones), plus the error check; every considered tensor is read from
 * both sources once.
 * @param base - the base model's weights (an open safetensors file, or {@link weightSource}).
 * @param tuned - the fine-tuned model's, with the same tensor names, shapes and dtypes.
 * @throws InvalidArgumentError listing tensors missing from either model or of different
 *   dtypes, or when no 2-D weight differs; ShapeError listing tensors of different shapes;
 *   InvalidArgumentError for a bad option; AbortedError when `signal` fires.
 * @example
 * const base = await openSafetensors('base.safetensors');
 * const tuned = await openSafetensors('tuned.safetensors');
 * const { adapter, modules } = await extractLora(base, tuned, { rank: 16, alpha: 16 });
 * modules.map((m) => [m.module, m.relativeError]);
 * await writeLoraAdapter('adapter/', adapter);
 */
export async function extractLora(base: WeightSource, tuned: WeightSource, options: ExtractLoraOptions): Promise<ExtractedLora> {
  const routine = 'extractLora';
  const { onProgress, signal, ...rest } = (options ?? {}) as ExtractLoraOptions;
  const o = resolveOptions(routine, EXTRACT_LORA_OPTIONS, rest);
  const skipped: SkippedTensor[] = [];
  const leftOut = (t: WeightTensorInfo): string | undefined => (o.include && !o.include.test(t.name) ? 'not included' : o.exclude && o.exclude.test(t.name) ? 'excluded' : undefined);
  for (const t of base.tensors) {
    const reason = leftOut(t);
    if (reason !== undefined) skipped.push({ name: t.name, shape: t.shape, dtype: t.dtype, changed: undefined, reason });
  }
  const pairs = pairTensors(base, tuned, (t) => leftOut(t) === undefined, routine);
  const modules: ExtractedLoraModule[] = [];
  const factors: LoraAdapterModule[] = [];
  const unchanged: string[] = [];
  let done = 0;
  for (const [b, t] of pairs) {
    checkAborted(signal, routine);
    const { name, shape, dtype } = b;
    if (!FLOAT_WEIGHT_DTYPES.has(dtype)) {
      skipped.push({ name, shape, dtype, changed: undefined, reason: `dtype ${dtype} (not compared)` });
    } else if (shape.some((d) => d === 0)) {
      unchanged.push(name);
    } else {
      const as = shape.length === 2 ? undefined : { shape: matrixShape(shape) };
      const W = await base.readMatrix(name, as);
      const W2 = await tuned.readMatrix(name, as);
      if (sameValues(W, W2)) {
        unchanged.push(name);
      } else if (shape.length !== 2) {
        skipped.push({ name, shape, dtype, changed: true, reason: shape.length < 2 ? `${shape.length}-D: LoRA adapts 2-D weights only` : `${shape.length}-D: not a linear layer's weight` });
      } else if (!name.endsWith('.weight') || name === '.weight') {
        skipped.push({ name, shape, dtype, changed: true, reason: "2-D but not named '<module>.weight'" });
      } else {
        const f = extractLoraFactors(o.fanInFanOut ? W.T : W, o.fanInFanOut ? W2.T : W2, { rank: o.rank, alpha: o.alpha, useRslora: o.useRslora, method: o.method, seed: o.seed, roundFactors: o.roundFactors, signal });
        const module = name.slice(0, -'.weight'.length);
        factors.push({ module, kind: 'linear', A: f.A, B: f.B });
        modules.push({
          module,
          tensor: name,
          shape,
          dtype,
          keptRank: f.keptRank,
          relativeError: f.relativeError,
          tunedRelativeError: f.tunedRelativeError,
          energyKept: f.energyKept,
          deltaNorm: f.deltaNorm,
          tunedNorm: f.tunedNorm,
          singularValues: f.singularValues,
          method: f.method,
        });
      }
    }
    onProgress?.({ stage: 'tensor', done: ++done, total: pairs.length });
  }
  if (factors.length === 0) {
    const changed = skipped.filter((s) => s.changed);
    throw new InvalidArgumentError(
      `${routine}: no 2-D weight differs between ${base.file ?? 'base'} and ${tuned.file ?? 'tuned'}${changed.length > 0 ? ` (changed, but not LoRA-representable: ${listNames(changed.map((s) => s.name))})` : ''}; there is nothing to extract`,
    );
  }
  const targetModules = [...new Set(factors.map((m) => m.module.slice(m.module.lastIndexOf('.') + 1)))].sort();
  const config = peftLoraConfig({ rank: o.rank, alpha: o.alpha, targetModules, fanInFanOut: o.fanInFanOut, useRslora: o.useRslora, baseModelNameOrPath: o.baseModelNameOrPath ?? null });
  return { adapter: { config, modules: factors }, modules, unchanged, skipped };
}
