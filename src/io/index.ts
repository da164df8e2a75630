/**
 * The I/O layer: numpy `.npy`, Matrix Market `.mtx`, delimited text (CSV, TSV,
 * whitespace), and `readMatrix` / `writeMatrix` / `inspectFile` choosing by extension.
 */
export { readNpy, readNpySync, writeNpy, writeNpySync } from './npy.js';
export { readTensor, readTensorSync, writeTensor, writeTensorSync, parseNpyTensor, encodeNpyTensor } from './npy.js';
export type { NpyTensorReadOptions, NpyTensorWriteOptions } from './npy.js';
export { readTensorTrain, readTensorTrainSync, writeTensorTrain, writeTensorTrainSync } from './tensor-train-files.js';
export { parseMtx, readMtx, readMtxSync, encodeMtx, writeMtx, writeMtxSync } from './mtx.js';
export type { MtxData, MtxEntries, MtxFormat, MtxField, MtxSymmetry, MtxWriteOptions } from './mtx.js';
export { parseCsv, readCsv, readCsvSync, encodeCsv, writeCsv, writeCsvSync } from './csv.js';
export type { CsvData, CsvDelimiter, CsvReadOptions, CsvWriteOptions } from './csv.js';
export {
  formatOf,
  FILE_FORMATS,
  readMatrix,
  readMatrixSync,
  readMatrixFile,
  readMatrixFileSync,
  writeMatrix,
  writeMatrixSync,
} from './format.js';
export type { FileFormat, ReadMatrixOptions, WriteMatrixOptions, MatrixFile } from './format.js';
export { inspectFile } from './inspect.js';
export type { FileInfo } from './inspect.js';
export type { ValueStats } from './stats.js';
export { readSparse, readSparseSync, parseMtxSparse, encodeSparseMtx, writeSparseMtx, writeSparseMtxSync } from './sparse-io.js';
export type { SparseReadOptions, SparseMtxWriteOptions } from './sparse-io.js';
export { readRatings, parseRatings, parseRatingsStream, writeRatings, encodeRatings, MAX_RATING } from './ratings.js';
export type { RatingsColumn, BadLinePolicy, ReadRatingsOptions, ReadRatingsFileOptions, WriteRatingsOptions } from './ratings.js';
export { saveModel, loadModel } from './model-file.js';
export { readPng, writePng } from './png-file.js';
export { readSafetensors, openSafetensors, writeSafetensors } from './safetensors.js';
export type { ReadSafetensorsOptions } from './safetensors.js';
export { readLoraAdapter, writeLoraAdapter, LORA_ADAPTER_WEIGHTS, LORA_ADAPTER_CONFIG } from './lora-adapter.js';
export type { WriteLoraAdapterOptions } from './lora-adapter.js';
export { readParquetRatings, readParquetMatrix, readParquetFactors, isParquetPath } from './parquet.js';
export type { ReadColumnarMatrixOptions } from './parquet.js';
export { readArrowRatings, readArrowMatrix, isArrowPath, ARROW_EXTENSIONS } from './arrow.js';
export { RATINGS_COLUMN_NAMES } from './parquet-columns.js';
export { openParquetWriter } from './parquet-write.js';
export type { ParquetColumnSpec, ParquetColumnType, ParquetColumnValues, ParquetWriterOptions, ParquetStreamWriter } from './parquet-write.js';
export { loadSparkModel, writeSparkModel, writeFactorTables, readSparkMetadata, isSparkModelDir, foldedFactors, SparkALSModel, SPARK_ALS_MODEL_CLASS, FACTOR_TABLE_FILES } from './spark.js';
export type { LoadSparkModelOptions, SparkModelMetadata, WriteSparkModelOptions, SparkExport } from './spark.js';
