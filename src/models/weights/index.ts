/**
 * Low-rank model weights: per-layer compression of weight matrices (truncated and
 * data-aware SVD), LoRA extraction and merging, KV-cache and embedding reduction.
 */
export { compressWeight, relativeErrorOf, outputRelativeErrorOf, COMPRESS_WEIGHT_METHODS } from './compress.js';
export type { CompressWeightOptions, CompressedWeight, CompressWeightMethod } from './compress.js';
export { weightSpectrum, WeightSpectrum, rankForEnergy, rankForError, SPECTRUM_METHODS } from './spectrum.js';
export type { WeightSpectrumOptions } from './spectrum.js';
export { extractLoraFactors, loraUpdate, mergeLoraFactors, loraSpectrum, loraScale, weightDelta } from './lora.js';
export type { ExtractLoraFactorsOptions, LoraFactorOptions, LoraFactors, LoraSpectrum } from './lora.js';
export { weightSource } from './lora-source.js';
export type { WeightSource, WeightTensorInfo } from './lora-source.js';
export {
  peftLoraConfig,
  parsePeftLoraConfig,
  formatPeftLoraConfig,
  moduleLoraSettings,
  loraKeys,
  parseLoraKey,
  loraAdapterEntries,
  loraAdapterFromTensors,
  PEFT_KEY_PREFIX,
  LORA_DTYPES,
} from './lora-peft.js';
export type { PeftLoraConfig, PeftLoraConfigParts, LoraAdapter, LoraAdapterModule, LoraDtype, LoraTensorEntry } from './lora-peft.js';
export { extractLora } from './lora-extract.js';
export type { ExtractLoraOptions, ExtractedLora, ExtractedLoraModule, SkippedTensor } from './lora-extract.js';
export { mergeLora, planLoraMerge, mergeLoraTensor, inspectLora } from './lora-merge.js';
export type { LoraMergeTarget, LoraModuleSpectrum } from './lora-merge.js';
export { lowRankKV } from './kv.js';
export type { LowRankKVOptions, LowRankKV, KVMemory } from './kv.js';
export { reduceEmbeddings } from './embeddings.js';
export type { ReduceEmbeddingsOptions, EmbeddingReduction, EmbeddingRecall } from './embeddings.js';
export { cosineRecall } from './embeddings.js';
export type { CosineRecallOptions } from './embeddings.js';
