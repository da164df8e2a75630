/**
 * lowrank: matrix factorizations for TypeScript, on WebAssembly SIMD kernels.
 *
 * Everything that runs in any JavaScript engine (no file system): the browser entry point
 * re-exports exactly this; the Node entry point adds file I/O.
 * @packageDocumentation
 */
export { Matrix } from './matrix/matrix.js';
export type { Order, DTypeOptions, FromArrayOptions, RandomOptions, CloseOptions, MatrixNorm } from './matrix/matrix.js';
export { DTYPES, epsOf } from './matrix/dtype.js';
export type { DType, FloatArray } from './matrix/dtype.js';
export { rng } from './random.js';
export type { Rng, RandomState } from './random.js';
export {
  LowrankError,
  ShapeError,
  InvalidArgumentError,
  NonFiniteInputError,
  UnsupportedError,
  ParseError,
  SingularMatrixError,
  NotPositiveDefiniteError,
  ConvergenceError,
  OutOfMemoryError,
} from './errors.js';
export {
  kernels,
  setBackend,
  availableBackends,
  setThreads,
  getThreads,
  threadInfo,
  ready,
  BACKENDS,
} from './kernels/index.js';
export type { BackendName, Kernels, ThreadInfo } from './kernels/index.js';
export { matmul } from './linalg/matmul.js';
export type { MatmulOptions } from './linalg/matmul.js';
export { lu, Lu, solve, det, slogdet, inv } from './linalg/lu.js';
export type { Slogdet } from './linalg/lu.js';
export { cholesky, Cholesky } from './linalg/cholesky.js';
export type { CholeskyOptions } from './linalg/cholesky.js';
export { qr, Qr, QrPivoted } from './linalg/qr.js';
export type { QrOptions } from './linalg/qr.js';
export type { Rhs } from './linalg/args.js';
export { eig, eigvals } from './linalg/eig.js';
export type { Eig } from './linalg/eig.js';
export { schur } from './linalg/schur.js';
export type { Schur } from './linalg/schur.js';
export { eigh, eigvalsh } from './linalg/eigh.js';
export type { Eigh, EighOptions } from './linalg/eigh.js';
export { svd, svdvals, Svd } from './linalg/svd.js';
export type { SvdOptions } from './linalg/svd.js';
export { lstsq, pinv, matrixRank } from './linalg/lstsq.js';
export type { Lstsq, LstsqOptions } from './linalg/lstsq.js';
export { norm, cond } from './linalg/norms.js';
export type { NormKind } from './linalg/norms.js';
export type { LinearOperator } from './matrix/operator.js';
export { AbortedError } from './errors.js';
export type { Progress, LongTaskOptions } from './progress.js';
export { CsrMatrix, CscMatrix } from './sparse/index.js';
export type { SparseMatrix, CooTriples, FromCooOptions, FromDenseOptions, SparseNorm, SparseRandomOptions } from './sparse/index.js';
export { centeredOperator } from './lowrank/operator.js';
export type { MatrixLike } from './lowrank/operator.js';
export { LowRank } from './lowrank/low-rank.js';
export type { LowRankJSON } from './lowrank/low-rank.js';
export {
  energy,
  energyRatio,
  cumulativeEnergy,
  discardedEnergy,
  eckartYoungError,
  energyRank,
  elbowRank,
  aicRank,
  largestGapRank,
  gavishDonohoRank,
  suggestRank,
  estimateNoiseSigma,
  marchenkoPasturMedian,
  optimalThresholdLambda,
  optimalThresholdOmega,
} from './lowrank/rank-selection.js';
export type {
  EnergyRankResult,
  ElbowRankResult,
  NoiseModelOptions,
  AicRankOptions,
  AicRankResult,
  GapRankOptions,
  GapRankResult,
  GavishDonohoOptions,
  GavishDonohoResult,
  SuggestRankOptions,
  RankSuggestions,
} from './lowrank/rank-selection.js';
export { principalAngles, subspaceDistance, subspaceDistances, distancesFromAngles, orthonormalBasis } from './lowrank/principal-angles.js';
export type { PrincipalAngles, PrincipalAnglesOptions, SubspaceDistanceKind, SubspaceDistances } from './lowrank/principal-angles.js';
export { subspaceStability } from './lowrank/stability.js';
export type { StabilityOptions, StabilityReport, StabilitySample } from './lowrank/stability.js';
export { singularValueThreshold, softThreshold } from './lowrank/svt.js';
export { SoftImpute, SoftImputeFit, softImputeLambdaMax } from './models/completion/soft-impute.js';
export type { SoftImputeOptions, SoftImputeFitOptions, SoftImputeFitJSON, CompleteOptions, SoftImputeLambdaMaxOptions, SoftImputeAlgorithm, CooEntries, CsrLike, ObservedInput } from './models/completion/soft-impute.js';
export { Ratings } from './models/recommend/data/ratings.js';
export type { RatingsCsr, IdSpace, FromTriplesOptions, RatingsStats, CountSummary, FilterOptions, RatingTriples } from './models/recommend/data/ratings.js';
export { mapIdSpace, sequentialIdSpace } from './models/recommend/data/id-space.js';
export { syntheticRatings, plantedRatings } from './models/recommend/data/synthetic.js';
export type { SyntheticRatingsOptions, PlantedTruth } from './models/recommend/data/synthetic.js';
// Parquet and Arrow ratings from bytes (no file system: browsers too); file readers in io/index.ts.
export { parseParquetRatings } from './io/parquet-read.js';
export type { ParquetPart } from './io/parquet-read.js';
export { parseArrowRatings, parseArrowMatrix } from './io/arrow-read.js';
export { randomSplit, userHoldout, timeSplit, kFold } from './models/recommend/data/split.js';
export type { TrainTest, RandomSplitOptions, UserHoldoutOptions, TimeSplitOptions, KFoldOptions } from './models/recommend/data/split.js';
export { rmse, mae, rankingMetrics, precisionAtK, recallAtK, ndcgAtK, mapAtK, catalogCoverage, relevantItems } from './models/recommend/evaluation/metrics.js';
export type { Relevance, RankingMetrics, RelevanceOptions } from './models/recommend/evaluation/metrics.js';
export type { FactorModelState, RecommenderAlgorithm } from './models/recommend/model/state.js';
export { randomizedSvd } from './lowrank/randomized-svd.js';
export type { RandomizedSvdOptions, PowerNormalizer } from './lowrank/randomized-svd.js';
export { lanczosSvd } from './lowrank/lanczos-svd.js';
export type { LanczosSvdOptions } from './lowrank/lanczos-svd.js';
export { eigsh, eigshAsync, EIGSH_WHICH, EIGSH_METHODS } from './lowrank/eigsh.js';
export type { EigshOptions, EigshResult, EigshInfo, EigshWhich, EigshMethod, SymmetricInput } from './lowrank/eigsh.js';
export { eigs, eigsAsync, EIGS_WHICH } from './lowrank/eigs.js';
export type { EigsOptions, EigsResult, EigsInfo, EigsWhich, EigsInput } from './lowrank/eigs.js';
export { truncatedSvd, chooseTruncatedSvdMethod } from './lowrank/truncated-svd.js';
export { TRUNCATED_SVD_METHODS, EXACT_OR_RANDOMIZED_METHODS } from './options.js';
export type { RandomizedSolverOptions, ExactOrRandomizedMethod } from './options.js';
export type { TruncatedSvdOptions, TruncatedSvdMethod } from './lowrank/truncated-svd.js';
export { TruncatedSvdResult } from './lowrank/truncated-result.js';
export type { TruncatedSvdInfo } from './lowrank/truncated-result.js';
export { LatentFactorModel } from './models/recommend/model/latent-factor-model.js';
export type { Prediction, ColdStart, RecommendOptions, ScoredItem, RankedItems, FoldInRating, FoldInOptions, FoldedUser, ExportedFactors } from './models/recommend/model/latent-factor-model.js';
export { MODEL_FORMAT_VERSION } from './models/recommend/model/file.js';
export type { RecommenderEstimator, SgdFactorOptions, SgdFactorResolved } from './models/recommend/algorithms/estimator.js';
export { Baseline } from './models/recommend/algorithms/baseline.js';
export type { BaselineOptions, BaselineResolved } from './models/recommend/algorithms/baseline.js';
export { FunkSVD } from './models/recommend/algorithms/funk-svd.js';
export type { FunkSvdOptions, FunkSvdResolved } from './models/recommend/algorithms/funk-svd.js';
export { SVDpp } from './models/recommend/algorithms/svdpp.js';
export type { SvdppOptions, SvdppResolved } from './models/recommend/algorithms/svdpp.js';
export { ALS } from './models/recommend/algorithms/als.js';
export type { AlsOptions, ResolvedAlsOptions } from './models/recommend/algorithms/als.js';
export { ImplicitALS } from './models/recommend/algorithms/implicit-als.js';
export type { ImplicitAlsOptions, ResolvedImplicitAlsOptions } from './models/recommend/algorithms/implicit-als.js';
export { evaluate, crossValidate, METRIC_NAMES } from './models/recommend/evaluation/evaluate.js';
export type { EvaluateOptions, EvaluationResult, CrossValidateOptions, CrossValidationResult, FoldResult, MetricName } from './models/recommend/evaluation/evaluate.js';
export { compressImage, compressionCurve } from './models/image/compress.js';
export type { CompressOptions, CompressionReport, CompressedImage, CompressMethod, ChannelFigures } from './models/image/compress.js';
export { channelMatrix, toGrayscale } from './models/image/raster.js';
export type { RasterImage, RasterData, CheckedRaster } from './models/image/raster.js';
export { confusionAxes } from './models/graph/confusion.js';
export type { ConfusionOptions, ConfusionAnalysis, ConfusionAxis, ConfusionClass } from './models/graph/confusion.js';
export { decodePng, encodePng, isPng, MAX_PNG_PIXELS } from './io/png.js';
export { parseNpy, encodeNpy } from './io/npy-codec.js';
export type { NpyArray, NpyReadOptions, NpyWriteOptions } from './io/npy-codec.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  openSafetensorsBlob,
  tensorToMatrix,
  SAFETENSORS_DTYPES,
  SAFETENSORS_FLOAT_DTYPES,
  SAFETENSORS_WRITABLE_DTYPES,
  SAFETENSORS_MAX_HEADER_BYTES,
} from './io/safetensors-codec.js';
export type {
  SafetensorsDtype,
  TensorValues,
  SafetensorsTensorInfo,
  SafetensorsTensor,
  SafetensorsContents,
  SafetensorsReader,
  SafetensorsEntry,
  SafetensorsWriteOptions,
  TensorSource,
  RawTensorBytes,
  DecodeSafetensorsOptions,
  OpenSafetensorsBlobOptions,
  TensorToMatrixOptions,
  ReadMatrixIntoOptions,
} from './io/safetensors-codec.js';
export type { EncodePngOptions, DecodePngOptions } from './io/png.js';
export { PCA, PCAModel } from './models/decomposition/pca.js';
export type { PCAOptions, PCAFitOptions, PCAFitTransform, PCASolver, PCAFittedSolver, PcaInput } from './models/decomposition/pca.js';
export type { PCAModelJSON, PCAModelParts } from './models/decomposition/pca-model.js';
export { IncrementalPCA, IncrementalPCAModel } from './models/decomposition/incremental-pca.js';
export type { IncrementalPCAOptions, IncrementalPCAFitOptions, IncrementalPCAModelJSON } from './models/decomposition/incremental-pca.js';
export { TruncatedSVD, TruncatedSVDModel } from './models/decomposition/truncated-svd.js';
export type { TruncatedSVDOptions, TruncatedSVDAlgorithm, TruncatedSVDFitOptions, TruncatedSVDModelJSON, TruncatedSVDModelParts, TruncatedSVDFitTransform } from './models/decomposition/truncated-svd.js';
export { NMF, NMFModel } from './models/nmf/nmf.js';
export type { NMFOptions, NMFFitOptions, NMFFitTransform, NMFSettings, NMFModelJSON, NMFSolver, NMFInit, NMFInitMethod, NMFBetaLoss, NMFInput } from './models/nmf/nmf.js';
export * from './models/text/index.js';
export * from './tensor/index.js';
export * from './models/tensor/index.js';
export * from './models/weights/index.js';
export * from './models/dynamics/index.js';
export * from './models/graph/index.js';
