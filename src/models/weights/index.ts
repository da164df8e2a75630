/**
 * Low-rank model weights: per-layer compression of weight matrices (truncated and
 * data-aware SVD), LoRA extraction and merging, KV-cache and embedding reduction.
 */
export { compressWeight, relativeErrorOf, COMPRESS_WEIGHT_METHODS } from './compress.js';
export type { CompressWeightOptions, CompressedWeight, CompressWeightMethod } from './compress.js';
export { weightSpectrum, WeightSpectrum, rankForEnergy, rankForError, SPECTRUM_METHODS } from './spectrum.js';
export type { WeightSpectrumOptions } from './spectrum.js';
