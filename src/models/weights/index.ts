/**
 * Low-rank model weights: per-layer compression of weight matrices (truncated and
 * data-aware SVD), LoRA extraction and merging, KV-cache and embedding reduction.
 */
export {};
