/**
 * LoRA adapters in PEFT's layout (Hugging Face's `peft` library, `save_pretrained`), without
 * a file system: the configuration `adapter_config.json` and the tensor names of
 * `adapter_model.safetensors`.
 *
 * - A linear layer `<module>` (weight `<module>.weight`, out x in) has
 *   `base_model.model.<module>.lora_A.weight` (r x in) and `...lora_B.weight` (out x r); its
 *   update is scale * B A, or (scale * B A)^T when `fan_in_fan_out` (GPT-2's Conv1D layers,
 *   whose weight is stored in x out).
 * - An embedding `<module>` (weight num x dim) has `...lora_embedding_A` (r x num) and
 *   `...lora_embedding_B` (dim x r); its update is (scale * B A)^T.
 * - scale = lora_alpha / r, or lora_alpha / sqrt(r) with `use_rslora`; `rank_pattern` and
 *   `alpha_pattern` override r and lora_alpha for the modules whose name matches a key
 *   (PEFT's rule: the regular expression `(.*\.)?(key)$` over the whole module name, the
 *   first key that matches wins).
 *
 * The Node reader and writer of adapter folders are in io/lora-adapter.ts.
 */
import { InvalidArgumentError, ParseError, ShapeError, UnsupportedError } from '../../errors.js';
import type { Matrix } from '../../matrix/matrix.js';
import { loraScale } from './lora.js';

/** The prefix PEFT gives every key of a saved adapter (PeftModel.base_model.model). */
export const PEFT_KEY_PREFIX = 'base_model.model.';

/** Element types an adapter's factors can be written in. */
export const LORA_DTYPES = ['F32', 'F16', 'BF16', 'F64'] as const;
/** An element type of written LoRA factors. */
export type LoraDtype = (typeof LORA_DTYPES)[number];

/**
 * A PEFT LoRA configuration, as in `adapter_config.json` (snake_case, PEFT's names). The
 * fields lowrank reads are typed; any others a file has are kept as they are.
 */
export interface PeftLoraConfig {
  /** Always 'LORA'. */
  readonly peft_type: 'LORA';
  /** The rank r of every layer (unless `rank_pattern` says otherwise). */
  readonly r: number;
  /** lora_alpha: the update is (lora_alpha / r) B A. */
  readonly lora_alpha: number;
  /** Module names (a module matches when its name equals one or ends with '.' + one) or one regular expression. */
  readonly target_modules: readonly string[] | string | null;
  /** 'none': biases are not trained ('all' and 'lora_only' add bias tensors lowrank does not merge). */
  readonly bias: string;
  /** Whether the layers' weights are stored in x out (GPT-2's Conv1D). */
  readonly fan_in_fan_out: boolean;
  /** scale lora_alpha / sqrt(r) instead of lora_alpha / r. */
  readonly use_rslora: boolean;
  /** Weight-decomposed LoRA (DoRA): not supported by lowrank's merge. */
  readonly use_dora: boolean;
  /** Per-module r, keyed by a module name pattern. */
  readonly rank_pattern: Readonly<Record<string, number>>;
  /** Per-module lora_alpha, keyed by a module name pattern. */
  readonly alpha_pattern: Readonly<Record<string, number>>;
  /** PEFT's task type ('CAUSAL_LM', ...), or null. */
  readonly task_type: string | null;
  /** The base model's Hub name or path, or null. */
  readonly base_model_name_or_path: string | null;
  /** Other fields of the file, kept. */
  readonly [key: string]: unknown;
}

/** One adapted layer: its module name and factors. */
export interface LoraAdapterModule {
  /** The module's name in the base model (its weight is `<module>.weight`). */
  readonly module: string;
  /** 'linear' (lora_A / lora_B) or 'embedding' (lora_embedding_A / lora_embedding_B). */
  readonly kind: 'linear' | 'embedding';
  /** r x in (linear) or r x num_embeddings (embedding). */
  readonly A: Matrix;
  /** out x r (linear) or embedding_dim x r (embedding). */
  readonly B: Matrix;
}

/**
 * A LoRA adapter: PEFT's configuration and the factors of every adapted layer, the contents
 * of an adapter folder (`adapter_config.json`, `adapter_model.safetensors`) in memory. Module
 * `m`'s update of its base weight is scale * m.B m.A (transposed for an embedding or a
 * `fan_in_fan_out` layer), with scale from `config` ({@link moduleLoraSettings}).
 */
export interface LoraAdapter {
  /**
   * The configuration (`adapter_config.json`): r and lora_alpha (and their per-module
   * `rank_pattern` / `alpha_pattern`), which give each module's rank and scale, and
   * `fan_in_fan_out`, `use_rslora`, `target_modules`.
   */
  readonly config: PeftLoraConfig;
  /**
   * One entry per adapted layer, each module name once, in the order the tensors are written
   * (extractLora: the models' tensor order; a read adapter: the file's key order). A module's
   * A has its rank as rows and B its rank as columns: config.r, or its rank_pattern value.
   */
  readonly modules: readonly LoraAdapterModule[];
}

/** What {@link peftLoraConfig} takes. */
export interface PeftLoraConfigParts {
  /** r. */
  readonly rank: number;
  /** lora_alpha. */
  readonly alpha: number;
  /** target_modules. */
  readonly targetModules: readonly string[];
  /** fan_in_fan_out (default false). */
  readonly fanInFanOut?: boolean;
  /** use_rslora (default false). */
  readonly useRslora?: boolean;
  /** base_model_name_or_path (default null). */
  readonly baseModelNameOrPath?: string | null;
}

/**
 * A PEFT LoRA configuration with the fields `LoraConfig.save_pretrained` writes that a
 * loader reads, set as PEFT's defaults for an adapter used for inference: bias 'none',
 * lora_dropout 0, task_type null, init_lora_weights true, inference_mode true, empty
 * rank/alpha patterns.
 */
export function peftLoraConfig(parts: PeftLoraConfigParts): PeftLoraConfig {
  return {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: parts.baseModelNameOrPath ?? null,
    bias: 'none',
    fan_in_fan_out: parts.fanInFanOut ?? false,
    inference_mode: true,
    init_lora_weights: true,
    layers_pattern: null,
    layers_to_transform: null,
    lora_alpha: parts.alpha,
    lora_dropout: 0,
    modules_to_save: null,
    peft_type: 'LORA',
    r: parts.rank,
    rank_pattern: {},
    revision: null,
    target_modules: [...parts.targetModules],
    task_type: null,
    use_dora: false,
    use_rslora: parts.useRslora ?? false,
  };
}

/** The configuration as `adapter_config.json` text (keys as built, two-space indent, newline). */
export function formatPeftLoraConfig(config: PeftLoraConfig): string {
  return JSON.stringify(config, null, 2) + '\n';
}

function isRecordOfNumbers(v: unknown): v is Record<string, number> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'number' && Number.isFinite(x));
}

/**
 * Check a parsed `adapter_config.json` and fill PEFT's defaults for the fields it lacks.
 * @param json - the parsed file.
 * @param file - its name, for messages.
 * @throws ParseError naming the file and field for a field of the wrong type;
 *   UnsupportedError for another PEFT method than LORA or for DoRA.
 */
export function parsePeftLoraConfig(json: unknown, file = 'adapter_config.json'): PeftLoraConfig {
  const bad = (field: string, want: string, got: unknown) => new ParseError(file, {}, `'${field}' must be ${want}, got ${JSON.stringify(got) ?? String(got)}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ParseError(file, {}, 'expected a JSON object (a PEFT adapter_config.json)');
  const c = json as Record<string, unknown>;
  if (c.peft_type !== 'LORA') {
    if (typeof c.peft_type === 'string') throw new UnsupportedError(`${file}: peft_type is '${c.peft_type}'; lowrank reads LoRA adapters (peft_type 'LORA') only`);
    throw bad('peft_type', "'LORA'", c.peft_type);
  }
  if (!(Number.isSafeInteger(c.r) && (c.r as number) >= 1)) throw bad('r', 'an integer >= 1', c.r);
  const alpha = c.lora_alpha ?? 8; // PEFT's default lora_alpha
  if (!(typeof alpha === 'number' && Number.isFinite(alpha))) throw bad('lora_alpha', 'a number', c.lora_alpha);
  const bool = (field: string): boolean => {
    const v = c[field] ?? false;
    if (typeof v !== 'boolean') throw bad(field, 'true or false', v);
    return v;
  };
  const fanInFanOut = bool('fan_in_fan_out');
  const useRslora = bool('use_rslora');
  const useDora = bool('use_dora');
  if (useDora) throw new UnsupportedError(`${file}: use_dora is true; lowrank does not merge or inspect DoRA adapters`);
  const rankPattern = c.rank_pattern ?? {};
  const alphaPattern = c.alpha_pattern ?? {};
  if (!isRecordOfNumbers(rankPattern) || !Object.values(rankPattern).every((v) => Number.isSafeInteger(v) && v >= 1)) throw bad('rank_pattern', 'an object of integers >= 1', rankPattern);
  if (!isRecordOfNumbers(alphaPattern)) throw bad('alpha_pattern', 'an object of numbers', alphaPattern);
  for (const key of [...Object.keys(rankPattern), ...Object.keys(alphaPattern)]) {
    try {
      new RegExp(key);
    } catch {
      throw bad('rank_pattern/alpha_pattern key', 'a regular expression', key);
    }
  }
  const targets = c.target_modules ?? null;
  if (!(targets === null || typeof targets === 'string' || (Array.isArray(targets) && targets.every((t) => typeof t === 'string')))) {
    throw bad('target_modules', 'a list of module names, a regular expression or null', targets);
  }
  const bias = c.bias ?? 'none';
  if (typeof bias !== 'string') throw bad('bias', "'none', 'all' or 'lora_only'", bias);
  const optionalString = (field: string): string | null => {
    const v = c[field] ?? null;
    if (!(v === null || typeof v === 'string')) throw bad(field, 'a string or null', v);
    return v;
  };
  return {
    ...c,
    peft_type: 'LORA',
    r: c.r as number,
    lora_alpha: alpha,
    target_modules: targets as readonly string[] | string | null,
    bias,
    fan_in_fan_out: fanInFanOut,
    use_rslora: useRslora,
    use_dora: false,
    rank_pattern: rankPattern,
    alpha_pattern: alphaPattern,
    task_type: optionalString('task_type'),
    base_model_name_or_path: optionalString('base_model_name_or_path'),
  };
}

/** The first key of `patterns` matching the module name by PEFT's rule, or undefined. */
function patternKey(patterns: Readonly<Record<string, number>>, module: string): string | undefined {
  return Object.keys(patterns).find((key) => new RegExp(`^(.*\\.)?(${key})$`).test(module));
}

/** A module's r, lora_alpha and scale under a configuration (rank_pattern and alpha_pattern applied). */
export function moduleLoraSettings(config: PeftLoraConfig, module: string): { rank: number; alpha: number; scale: number } {
  const rk = patternKey(config.rank_pattern, module);
  const ak = patternKey(config.alpha_pattern, module);
  const rank = rk !== undefined ? config.rank_pattern[rk]! : config.r;
  const alpha = ak !== undefined ? config.alpha_pattern[ak]! : config.lora_alpha;
  return { rank, alpha, scale: loraScale(rank, alpha, config.use_rslora) };
}

/** The tensor names of a module's factors in `adapter_model.safetensors`. */
export function loraKeys(module: string, kind: 'linear' | 'embedding' = 'linear'): { A: string; B: string } {
  return kind === 'linear'
    ? { A: `${PEFT_KEY_PREFIX}${module}.lora_A.weight`, B: `${PEFT_KEY_PREFIX}${module}.lora_B.weight` }
    : { A: `${PEFT_KEY_PREFIX}${module}.lora_embedding_A`, B: `${PEFT_KEY_PREFIX}${module}.lora_embedding_B` };
}

/** One tensor to write: {name, dtype, shape, data} (a safetensors entry). */
export interface LoraTensorEntry {
  /** The key in `adapter_model.safetensors`, PEFT's name ({@link loraKeys}): `base_model.model.<module>.lora_A.weight`, ... */
  readonly name: string;
  /** The element type the factor is written in (F16 and BF16 rounded to nearest even on write). */
  readonly dtype: LoraDtype;
  /** [rows, cols] of the factor as stored: [r, in] for A, [out, r] for B (a linear layer). */
  readonly shape: readonly [number, number];
  /** The factor (any dtype and strides); the writer stores its values row-major in `dtype`. */
  readonly data: Matrix;
}

/**
 * The tensors of `adapter_model.safetensors` for an adapter: every module's A and B under
 * PEFT's names, in module order, in `dtype` (default F32). Pass them to `writeSafetensors`
 * or `encodeSafetensors` (F16/BF16 are rounded to nearest even there).
 */
export function loraAdapterEntries(adapter: LoraAdapter, dtype: LoraDtype = 'F32'): LoraTensorEntry[] {
  const entries: LoraTensorEntry[] = [];
  for (const m of adapter.modules) {
    const keys = loraKeys(m.module, m.kind);
    entries.push({ name: keys.A, dtype, shape: [m.A.rows, m.A.cols], data: m.A });
    entries.push({ name: keys.B, dtype, shape: [m.B.rows, m.B.cols], data: m.B });
  }
  return entries;
}

/** The part of a key after the module name, and what it is. */
const FACTOR_SUFFIXES: readonly { suffix: string; kind: 'linear' | 'embedding'; factor: 'A' | 'B' }[] = [
  { suffix: '.lora_A.weight', kind: 'linear', factor: 'A' },
  { suffix: '.lora_B.weight', kind: 'linear', factor: 'B' },
  { suffix: '.lora_embedding_A', kind: 'embedding', factor: 'A' },
  { suffix: '.lora_embedding_B', kind: 'embedding', factor: 'B' },
  { suffix: '.lora_embedding_A.weight', kind: 'embedding', factor: 'A' },
  { suffix: '.lora_embedding_B.weight', kind: 'embedding', factor: 'B' },
];

/** "a, b, c, ... (n in all)": the first few names of a list. */
export function listNames(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).map((n) => `'${n}'`).join(', ');
  return names.length > max ? `${shown}, ... (${names.length} in all)` : shown;
}

/**
 * Which module and factor a key of `adapter_model.safetensors` holds, or undefined when it is
 * not a LoRA factor. The `base_model.model.` prefix is optional.
 */
export function parseLoraKey(key: string): { module: string; kind: 'linear' | 'embedding'; factor: 'A' | 'B' } | undefined {
  const body = key.startsWith(PEFT_KEY_PREFIX) ? key.slice(PEFT_KEY_PREFIX.length) : key;
  for (const f of FACTOR_SUFFIXES) {
    if (body.endsWith(f.suffix) && body.length > f.suffix.length) return { module: body.slice(0, -f.suffix.length), kind: f.kind, factor: f.factor };
  }
  return undefined;
}

/**
 * An adapter from the tensors of `adapter_model.safetensors` (as matrices, each tensor's
 * shape as stored) and its parsed configuration: keys are paired by module, and each pair's
 * shapes checked against each other and against the module's r.
 * @param tensors - name and matrix of every tensor of the file.
 * @param config - {@link parsePeftLoraConfig}'s result.
 * @param file - the file's name, for messages.
 * @throws UnsupportedError listing keys that are not LoRA factors (DoRA magnitudes, biases,
 *   modules_to_save copies); InvalidArgumentError listing modules with only one factor;
 *   ShapeError naming a module whose factors do not fit each other or its r.
 */
export function loraAdapterFromTensors(tensors: readonly { name: string; matrix: Matrix }[], config: PeftLoraConfig, file = 'adapter_model.safetensors'): LoraAdapter {
  const modules = new Map<string, { kind: 'linear' | 'embedding'; A?: Matrix; B?: Matrix; keys: string[] }>();
  const others: string[] = [];
  for (const t of tensors) {
    const k = parseLoraKey(t.name);
    if (k === undefined) {
      others.push(t.name);
      continue;
    }
    let m = modules.get(k.module);
    if (m === undefined) modules.set(k.module, (m = { kind: k.kind, keys: [] }));
    if (m.kind !== k.kind || m[k.factor] !== undefined) throw new InvalidArgumentError(`${file}: module '${k.module}' has more than one ${k.factor} factor (${[...m.keys, t.name].join(', ')})`);
    m[k.factor] = t.matrix;
    m.keys.push(t.name);
  }
  if (others.length > 0) {
    throw new UnsupportedError(`${file}: ${others.length} tensor${others.length === 1 ? ' is' : 's are'} not LoRA factors (lora_A/lora_B, lora_embedding_A/B): ${listNames(others)}; lowrank reads plain LoRA adapters (no DoRA magnitudes, trained biases or modules_to_save)`);
  }
  const unpaired = [...modules].filter(([, m]) => m.A === undefined || m.B === undefined).map(([name, m]) => `${name} (only ${m.A ? 'A' : 'B'})`);
  if (unpaired.length > 0) throw new InvalidArgumentError(`${file}: modules with one factor only: ${listNames(unpaired)}`);
  const out: LoraAdapterModule[] = [];
  for (const [module, m] of modules) {
    const A = m.A!;
    const B = m.B!;
    const { rank } = moduleLoraSettings(config, module);
    if (A.rows !== B.cols || A.rows !== rank) {
      throw new ShapeError(`${file}: module '${module}': A is ${A.rows}x${A.cols} and B is ${B.rows}x${B.cols}; both must have the module's rank ${rank} (${config.r === rank ? 'r' : 'rank_pattern'} in the configuration) as A's rows and B's columns`);
    }
    out.push({ module, kind: m.kind, A, B });
  }
  return { config, modules: out };
}
