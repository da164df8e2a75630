/**
 * The n-d array layer: `Tensor` (shape, strides, views, unfoldings, mode products), used by
 * the tensor decompositions in `src/models/tensor/`. Sits above the low-rank layer and below
 * the models; never imports io, cli or models.
 */
export { Tensor } from './tensor.js';
export type { TensorOrder, TensorDTypeOptions, TensorFromArrayOptions, TensorRandomOptions, TensorCloseOptions, TensorRange } from './tensor.js';
