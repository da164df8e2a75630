/**
 * Graphs and Markov chains: Laplacians, spectral embedding and clustering, stationary
 * distributions and PageRank. (`confusionAxes` is exported from `src/core.ts` directly.)
 */
export {};
