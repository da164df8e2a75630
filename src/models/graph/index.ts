/**
 * Graphs and Markov chains: Laplacians, spectral embedding and clustering, stationary
 * distributions and PageRank. (`confusionAxes` is exported from `src/core.ts` directly.)
 */
export { laplacian, connectedComponents } from './laplacian.js';
export type { Adjacency, LaplacianOptions, ConnectedComponents } from './laplacian.js';
export { spectralEmbedding, spectralEmbeddingAsync, spectralClustering, spectralClusteringAsync, adjustedRandIndex } from './spectral.js';
export type { SpectralEmbedding, SpectralEmbeddingOptions, SpectralClustering, SpectralClusteringOptions } from './spectral.js';
export { stationaryDistribution, communicatingClasses, pagerank, STATIONARY_METHODS } from './markov.js';
export type { TransitionMatrix, StationaryDistribution, StationaryOptions, StationaryMethod, CommunicatingClasses, PageRank, PageRankOptions } from './markov.js';
