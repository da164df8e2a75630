/**
 * Tensor decompositions: tensor train (TT-SVD, TT rounding, TT-cross, quantics), Tucker
 * (HOSVD, ST-HOSVD, HOOI) and CP (ALS, non-negative HALS).
 */
export { TensorTrain } from './tensor-train.js';
export type { TensorTrainJSON } from './tensor-train.js';
export { ttSvd, ttSvdAsync, ttSvdSteps } from './tt-svd.js';
export type { TtSvdOptions, TtSvdResult } from './tt-svd.js';
export { ttCross, ttCrossAsync, ttCrossSteps } from './tt-cross.js';
export type { TtCrossBatchFunction, TtCrossFunction, TtCrossOptions, TtCrossResult } from './tt-cross.js';
export type { MaxRank } from './tt-options.js';
export { dequantize, quanticsIndex, quantize } from './quantics.js';
export { tucker, tuckerAsync, TuckerDecomposition, TUCKER_METHODS } from './tucker.js';
export type { TuckerMethod, TuckerOptions, TuckerFacts } from './tucker.js';
export { cp, cpAsync, CPDecomposition, CP_INITS } from './cp.js';
export type { CPInit, CPOptions, CPFacts } from './cp.js';
export type { FitFacts, TensorSweepOptions } from './fit-facts.js';
export { khatriRao } from './khatri-rao.js';
