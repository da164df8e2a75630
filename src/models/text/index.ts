/**
 * Text: tokenizer, term-document matrices (counts, TF-IDF), LSA, NMF topics and PPMI word
 * embeddings. Browser-safe (no file I/O): the CLI reads files, these take strings.
 */
export { createAnalyzer, DEFAULT_TOKEN_PATTERN, ENGLISH_STOP_WORDS, stripAccents, tokenize } from './tokenize.js';
export type { Analyzer, StripAccents, TokenizeOptions } from './tokenize.js';
export { CountVectorizer, CountVectorizerModel, TfidfVectorizer, TfidfVectorizerModel } from './vectorize.js';
export type { CountVectorizerOptions, TfidfNorm, TfidfVectorizerOptions, VectorizerFitOptions, VectorizerFitTransform, VectorizerJSON } from './vectorize.js';
export { LSA, LSA_VECTORIZER_DEFAULTS, LSAModel } from './lsa.js';
export type { DocumentScore, LSAFitOptions, LSAModelJSON, LSAOptions } from './lsa.js';
export { NMFTopics, NMFTopicsModel, TOPIC_VECTORIZER_DEFAULTS } from './topics.js';
export type { NMFTopicsFitOptions, NMFTopicsModelJSON, NMFTopicsOptions, TopicNMFOptions } from './topics.js';
export { ppmiEmbeddings, ppmiEmbeddingsAsync, ppmiMatrix, WordEmbeddings } from './ppmi.js';
export type { AnalogyOptions, PPMIEmbeddingOptions, PPMIMatrixOptions, WordEmbeddingsJSON, WordScore } from './ppmi.js';
export type { TermWeight } from './top-terms.js';
