/**
 * Tensor decompositions: tensor train (TT-SVD, TT rounding, TT-cross, quantics), Tucker
 * (HOSVD, ST-HOSVD, HOOI) and CP (ALS, non-negative HALS).
 */
export {};
