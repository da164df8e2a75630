/**
 * Spark ML `ALSModel` directories, read and written in the layout Spark 3.x's `model.save(path)`
 * produces (org/apache/spark/ml/recommendation/ALS.scala, `ALSModelWriter` / `ALSModelReader`,
 * with `DefaultParamsWriter.saveMetadata`):
 *
 *     path/metadata/part-00000   one JSON line: class "org.apache.spark.ml.recommendation.ALSModel",
 *                                timestamp, sparkVersion, uid, paramMap {userCol, itemCol,
 *                                coldStartStrategy, ...}, defaultParamMap, and the extra "rank"
 *     path/metadata/_SUCCESS
 *     path/userFactors/part-*.parquet, _SUCCESS    DataFrame (id: int NOT NULL, features: array<float>)
 *     path/itemFactors/part-*.parquet, _SUCCESS
 *
 * Spark predicts dot(userFactors[u], itemFactors[i]): no biases, no mean, no clipping; an
 * unknown ID gives NaN ("nan") or drops the row ("drop"). Loaded here, the model predicts the
 * same dot product (clipped only when a rating range is given), knows every user and item that
 * has factors, and serves `predict`, `recommend`, `similarItems` and `foldIn` (Spark's ALS-WR
 * half step: explicit ridge lambda * n_u; implicit with Spark's scaling lambda * (number of
 * positive ratings), see {@link SparkALSModel.foldIn}).
 *
 * Writing ({@link writeSparkModel}) goes the other way for any lowrank model: biases and the
 * mean are folded into two extra factor columns, user [p_u, b_u + mu, 1] and item [q_i, 1, b_i],
 * so that Spark's dot product is exactly lowrank's unclipped prediction. Spark needs integer
 * IDs (within int32). The directory is written under a temporary name and renamed into place.
 */
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError, ParseError } from '../errors.js';
import { mapIdSpace } from '../models/recommend/data/id-space.js';
import { LatentFactorModel, type FoldInOptions, type FoldInRating, type FoldedUser } from '../models/recommend/model/latent-factor-model.js';
import type { FactorModelState } from '../models/recommend/model/state.js';
import type { LongTaskOptions } from '../progress.js';
import { readParquetFactors } from './parquet.js';
import { openParquetWriter, type ParquetColumnSpec } from './parquet-write.js';
import { writeFileAtomic } from './write-chunks.js';

/** The `class` field of an ALSModel's metadata. */
export const SPARK_ALS_MODEL_CLASS = 'org.apache.spark.ml.recommendation.ALSModel';

/** The Spark version written into exported metadata (the layout is that of Spark 3.x). */
const SPARK_VERSION = '3.5.1';

/** Options of {@link loadSparkModel}. */
export interface LoadSparkModelOptions extends LongTaskOptions {
  /** The model was trained with implicitPrefs = true (Spark's metadata does not record it; default false). */
  implicit?: boolean;
  /** Spark's regParam, used by foldIn (default 0.1, Spark's default; the metadata does not record it). */
  regParam?: number;
  /** Spark's alpha for implicit models, used by foldIn (default 1, Spark's default). */
  alpha?: number;
  /** Clip explicit predictions to [min, max] (default: no clipping, as Spark). */
  ratingRange?: readonly [number, number];
}

/** What an ALSModel's metadata says (the fields lowrank uses). */
export interface SparkModelMetadata {
  /** Latent dimension. */
  rank: number;
  /** Spark version that wrote the model. */
  sparkVersion: string;
  /** The model's uid. */
  uid: string;
  /** paramMap merged over defaultParamMap (userCol, itemCol, coldStartStrategy, predictionCol, blockSize). */
  params: Record<string, string | number | boolean>;
}

/** Whether `path` is a directory holding `metadata/part-00000` (a Spark ML model directory). */
export async function isSparkModelDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory() && (await stat(join(path, 'metadata', 'part-00000'))).isFile();
  } catch {
    return false;
  }
}

/**
 * Read and check `path/metadata/part-00000`.
 * @throws ParseError naming the file when it is not one JSON line of an ALSModel with an integer rank.
 */
export async function readSparkMetadata(path: string): Promise<SparkModelMetadata> {
  const file = join(path, 'metadata', 'part-00000');
  const text = (await readFile(file, 'utf8')).trim();
  const line = text.split('\n')[0] ?? '';
  let m: unknown;
  try {
    m = JSON.parse(line);
  } catch (e) {
    throw new ParseError(file, { line: 1 }, `not JSON (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  if (typeof m !== 'object' || m === null) throw new ParseError(file, { line: 1 }, 'not a JSON object');
  const o = m as Record<string, unknown>;
  if (o['class'] !== SPARK_ALS_MODEL_CLASS) throw new ParseError(file, { line: 1 }, `class is ${JSON.stringify(o['class'])}, expected "${SPARK_ALS_MODEL_CLASS}" (only Spark ML ALS models can be loaded)`);
  const rank = o['rank'];
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1 || rank > 100000) throw new ParseError(file, { line: 1 }, `rank is ${JSON.stringify(rank)}, expected a positive integer`);
  const params: Record<string, string | number | boolean> = {};
  for (const key of ['defaultParamMap', 'paramMap']) {
    const p = o[key];
    if (p === undefined) continue;
    if (typeof p !== 'object' || p === null) throw new ParseError(file, { line: 1 }, `${key} is not an object`);
    for (const [k, v] of Object.entries(p)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') params[k] = v;
  }
  return { rank, sparkVersion: typeof o['sparkVersion'] === 'string' ? o['sparkVersion'] : 'unknown', uid: typeof o['uid'] === 'string' ? o['uid'] : '', params };
}

/**
 * A model loaded from a Spark ALSModel directory. It is a {@link LatentFactorModel} (zero
 * biases and mean; every user and item with factors counts as trained), whose
 * {@link SparkALSModel.foldIn} scales the implicit ridge penalty as Spark does.
 */
export class SparkALSModel extends LatentFactorModel {
  /**
   * Factors for a new user from their ratings, the half step Spark's ALS takes for a user with
   * the item factors fixed: explicit min sum (r - x.q_i)^2 + regParam n |x|^2 (ALS-WR, the
   * lowrank penalty too); implicit the Hu et al. problem with c = 1 + alpha r and penalty
   * regParam times the number of positive ratings (ALS.scala computeFactors: `numExplicits *
   * regParam`), where lowrank's own implicit ALS uses an unscaled lambda. A rating of 0 adds
   * nothing in Spark (confidence 1, preference 0): it is dropped here too, where lowrank would
   * count it as an interaction. Negative implicit ratings are refused (lowrank's foldIn), where
   * Spark would weigh them with preference 0. `options.reg` overrides the penalty as given
   * (times n for explicit models).
   */
  override foldIn(ratings: readonly FoldInRating[], options: FoldInOptions = {}): FoldedUser {
    if (this.kind !== 'implicit') return super.foldIn(ratings, options);
    const kept = ratings.filter((r) => r.rating !== 0);
    if (options.reg !== undefined) return super.foldIn(kept, options);
    const regParam = this.state.hyperparameters['reg'];
    let n = 0;
    for (const { item, rating } of kept) if (rating > 0 && this.hasItem(item)) n++;
    return super.foldIn(kept, { reg: (typeof regParam === 'number' ? regParam : 0.1) * n });
  }
}

/**
 * Load a Spark ML ALSModel directory (see the module comment) as a model lowrank serves.
 * @example
 * const model = await loadSparkModel('models/als-2026-12-01');
 * model.recommend('196', { n: 10 });
 * @throws ParseError naming the file (and column) on a metadata or factor table that does
 *   not match Spark's layout, a rank that differs from the factors', or duplicate IDs.
 */
export async function loadSparkModel(path: string, options: LoadSparkModelOptions = {}): Promise<SparkALSModel> {
  const meta = await readSparkMetadata(path);
  const users = await readParquetFactors(join(path, 'userFactors'), { ...options, rank: meta.rank });
  const items = await readParquetFactors(join(path, 'itemFactors'), { ...options, rank: meta.rank });
  const nu = users.ids.length;
  const ni = items.ids.length;
  let ids;
  try {
    ids = mapIdSpace(users.ids, items.ids);
  } catch (e) {
    throw new ParseError(path, {}, `${e instanceof Error ? e.message : String(e)} in the factor tables`, { cause: e });
  }
  const implicit = options.implicit ?? false;
  const range = options.ratingRange;
  if (range !== undefined && !(range.length === 2 && Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] <= range[1])) {
    throw new InvalidArgumentError(`loadSparkModel: ratingRange must be [min, max] with finite min <= max, got ${JSON.stringify(range)}`);
  }
  const regParam = options.regParam ?? 0.1;
  const alpha = options.alpha ?? 1;
  for (const [k, v] of [['regParam', regParam], ['alpha', alpha]] as const) {
    if (!(Number.isFinite(v) && v >= 0)) throw new InvalidArgumentError(`loadSparkModel: ${k} must be a finite number >= 0, got ${v}`);
  }
  const hyperparameters: Record<string, number | string | boolean> = {
    source: 'spark',
    sparkVersion: meta.sparkVersion,
    uid: meta.uid,
    biased: false,
    // No training ratings came with the model: every user and item with factors is known
    // (LatentFactorModel otherwise learns that from the ratings seen in training).
    seenRecorded: false,
    reg: regParam,
    alpha,
  };
  for (const k of ['userCol', 'itemCol', 'coldStartStrategy'] as const) if (meta.params[k] !== undefined) hyperparameters[k] = meta.params[k]!;
  // No clipping unless asked: the widest finite range (the .lrm format needs finite numbers).
  const ratingScale: [number, number] = range ? [range[0], range[1]] : [-Number.MAX_VALUE, Number.MAX_VALUE];
  const state: FactorModelState = {
    algorithm: implicit ? 'implicit-als' : 'als',
    kind: implicit ? 'implicit' : 'explicit',
    ids,
    factors: meta.rank,
    globalMean: 0,
    userBias: new Float32Array(nu),
    itemBias: new Float32Array(ni),
    userFactors: users.factors,
    itemFactors: items.factors,
    ratingScale,
    seenIndptr: new Int32Array(nu + 1),
    seenItems: new Int32Array(0),
    hyperparameters,
  };
  return new SparkALSModel(state);
}

/** Options of {@link writeSparkModel} and {@link writeFactorTables}. */
export interface WriteSparkModelOptions {
  /** paramMap userCol (default 'user'). */
  userCol?: string;
  /** paramMap itemCol (default 'item'). */
  itemCol?: string;
  /** paramMap coldStartStrategy: 'nan' (default) or 'drop'. */
  coldStartStrategy?: 'nan' | 'drop';
  /** Rows per Parquet row group (default 65536). */
  rowGroupSize?: number;
}

/** What {@link writeSparkModel} wrote. */
export interface SparkExport {
  /** The directory. */
  path: string;
  /** Factor columns written (the model's factors, plus 2 when biases were folded in). */
  rank: number;
  /** Whether biases and mean were folded into two extra columns. */
  foldedBiases: boolean;
  /** Users and items written. */
  users: number;
  /** Items written. */
  items: number;
}

const INT32_ID = /^-?(0|[1-9][0-9]{0,9})$/;

function int32Ids(ids: readonly string[], what: string): Int32Array {
  const out = new Int32Array(ids.length);
  for (let k = 0; k < ids.length; k++) {
    const s = ids[k]!;
    const v = INT32_ID.test(s) ? Number(s) : NaN;
    if (!(v >= -2147483648 && v <= 2147483647)) {
      throw new InvalidArgumentError(`Spark's ALSModel needs integer ${what} IDs within int32; ${what} ID '${s}' is not one (index the IDs first, e.g. with StringIndexer, or export --format parquet, which keeps string IDs)`);
    }
    out[k] = v;
  }
  return out;
}

/**
 * The folded factor matrices of {@link writeSparkModel}: user rows [p_u, b_u + mu, 1] and item
 * rows [q_i, 1, b_i] (rank f + 2), so that user . item = mu + b_u + b_i + p_u . q_i; or the plain
 * factors when the model has no biases and no mean (implicit models, Spark models).
 * Float32 arithmetic: b_u + mu is rounded once.
 */
export function foldedFactors(model: LatentFactorModel): { users: Float32Array; items: Float32Array; rank: number; folded: boolean } {
  const s = model.state;
  const f = s.factors;
  const fold = s.globalMean !== 0 || s.userBias.some((b) => b !== 0) || s.itemBias.some((b) => b !== 0);
  if (!fold) return { users: s.userFactors, items: s.itemFactors, rank: f, folded: false };
  const r = f + 2;
  const users = new Float32Array(model.nUsers * r);
  const items = new Float32Array(model.nItems * r);
  for (let u = 0; u < model.nUsers; u++) {
    users.set(s.userFactors.subarray(u * f, u * f + f), u * r);
    users[u * r + f] = s.userBias[u]! + s.globalMean;
    users[u * r + f + 1] = 1;
  }
  for (let i = 0; i < model.nItems; i++) {
    items.set(s.itemFactors.subarray(i * f, i * f + f), i * r);
    items[i * r + f] = 1;
    items[i * r + f + 1] = s.itemBias[i]!;
  }
  return { users, items, rank: r, folded: true };
}

// Spark's schema of a factor DataFrame, as it stores it in each Parquet file's metadata.
function sparkRowMetadata(idType: 'integer' | 'string'): string {
  return JSON.stringify({
    type: 'struct',
    fields: [
      { name: 'id', type: idType, nullable: idType === 'string', metadata: {} },
      { name: 'features', type: { type: 'array', elementType: 'float', containsNull: false }, nullable: true, metadata: {} },
    ],
  });
}

async function writeFactorFile(path: string, ids: Int32Array | readonly string[], factors: Float32Array, rank: number, rowGroupSize: number, spark: boolean): Promise<void> {
  const idSpec: ParquetColumnSpec = ids instanceof Int32Array ? { name: 'id', type: 'int32' } : { name: 'id', type: 'string' };
  const w = await openParquetWriter(path, [idSpec, { name: 'features', type: 'float-list' }], {
    schemaName: spark ? 'spark_schema' : 'schema',
    metadata: spark ? { 'org.apache.spark.version': SPARK_VERSION, 'org.apache.spark.sql.parquet.row.metadata': sparkRowMetadata(ids instanceof Int32Array ? 'integer' : 'string') } : undefined,
  });
  try {
    const n = ids.length;
    for (let a = 0; a < n || a === 0; a += rowGroupSize) {
      const b = Math.min(n, a + rowGroupSize);
      if (b <= a) break;
      await w.write({ id: ids instanceof Int32Array ? ids.subarray(a, b) : ids.slice(a, b), features: { values: factors.subarray(a * rank, b * rank), width: rank } });
    }
    await w.close();
  } catch (e) {
    await w.abort(e);
    throw e;
  }
}

/**
 * Write `build(tmp)`'s output under a temporary sibling directory, then rename it to `dest`.
 * An existing `dest` is replaced only when it is empty or an earlier export (a Spark model or
 * factor-table directory); the old one is removed after the rename.
 */
async function atomicDirectory(dest: string, looksOurs: (existing: string) => Promise<boolean>, build: (tmp: string) => Promise<void>): Promise<void> {
  const parent = dirname(dest);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${basename(dest)}.lowrank-${tag}.tmp`);
  let existing = false;
  try {
    const st = await stat(dest);
    if (!st.isDirectory()) throw new InvalidArgumentError(`${dest} exists and is not a directory`);
    const entries = await readdir(dest);
    if (entries.length > 0 && !(await looksOurs(dest))) throw new InvalidArgumentError(`${dest} exists and holds other files; choose an empty or new directory`);
    existing = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(tmp);
  try {
    await build(tmp);
    if (existing) {
      const old = join(parent, `.${basename(dest)}.lowrank-${tag}.old`);
      await rename(dest, old);
      await rename(tmp, dest);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, dest);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

function partName(k: number): string {
  const hex = randomBytes(16).toString('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return `part-${String(k).padStart(5, '0')}-${uuid}-c000.snappy.parquet`;
}

/**
 * Write `model` as a Spark ML ALSModel directory that `ALSModel.load(path)` reads (see the
 * module comment): Spark's `transform` then predicts lowrank's unclipped value mu + b_u + b_i +
 * p_u . q_i (biases folded into two extra factor columns), and `recommendForAllUsers` ranks
 * as lowrank does (without leaving out seen items, as Spark never does).
 * @throws InvalidArgumentError when an ID is not an integer within int32 (Spark's ALS IDs are
 *   ints) or `path` exists and is neither empty nor an earlier export.
 */
export async function writeSparkModel(path: string, model: LatentFactorModel, options: WriteSparkModelOptions = {}): Promise<SparkExport> {
  const userIds = int32Ids(model.state.ids.userIds, 'user');
  const itemIds = int32Ids(model.state.ids.itemIds, 'item');
  const { users, items, rank, folded } = foldedFactors(model);
  if (rank < 1) throw new InvalidArgumentError(`a ${model.algorithm} model with no factors and no biases has nothing to export to Spark`);
  const strategy = options.coldStartStrategy ?? 'nan';
  if (strategy !== 'nan' && strategy !== 'drop') throw new InvalidArgumentError(`coldStartStrategy must be 'nan' or 'drop', got ${String(strategy)}`);
  const rowGroupSize = options.rowGroupSize ?? 65536;
  if (!(Number.isInteger(rowGroupSize) && rowGroupSize >= 1)) throw new InvalidArgumentError(`rowGroupSize must be a positive integer, got ${rowGroupSize}`);
  const uid = `ALS_${randomBytes(6).toString('hex')}`;
  const metadata = {
    class: SPARK_ALS_MODEL_CLASS,
    timestamp: Date.now(),
    sparkVersion: SPARK_VERSION,
    uid,
    paramMap: { userCol: options.userCol ?? 'user', itemCol: options.itemCol ?? 'item', coldStartStrategy: strategy },
    defaultParamMap: { blockSize: 4096, predictionCol: 'prediction', userCol: 'user', itemCol: 'item', coldStartStrategy: 'nan' },
    rank,
  };
  await atomicDirectory(path, isSparkModelDir, async (tmp) => {
    await mkdir(join(tmp, 'metadata'));
    await writeFileAtomic(join(tmp, 'metadata', 'part-00000'), JSON.stringify(metadata) + '\n');
    await writeFileAtomic(join(tmp, 'metadata', '_SUCCESS'), '');
    for (const [side, ids, F] of [['userFactors', userIds, users], ['itemFactors', itemIds, items]] as const) {
      await mkdir(join(tmp, side));
      await writeFactorFile(join(tmp, side, partName(0)), ids, F, rank, rowGroupSize, true);
      await writeFileAtomic(join(tmp, side, '_SUCCESS'), '');
    }
  });
  return { path, rank, foldedBiases: folded, users: model.nUsers, items: model.nItems };
}

/** The files {@link writeFactorTables} writes into its directory. */
export const FACTOR_TABLE_FILES = ['user_factors.parquet', 'item_factors.parquet'] as const;

/**
 * Write the plain factor tables of `model` (`user_factors.parquet`, `item_factors.parquet`:
 * columns `id` and `features` = p_u or q_i, no biases) for vector databases and warehouses.
 * IDs are int32 when every ID is an integer within int32, else strings. Atomic per directory.
 */
export async function writeFactorTables(path: string, model: LatentFactorModel, options: Pick<WriteSparkModelOptions, 'rowGroupSize'> = {}): Promise<{ path: string; files: string[]; rank: number }> {
  const f = model.factors;
  if (f < 1) throw new InvalidArgumentError(`a ${model.algorithm} model has no factors to export`);
  const rowGroupSize = options.rowGroupSize ?? 65536;
  const idsOf = (ids: readonly string[]): Int32Array | readonly string[] => (ids.every((s) => INT32_ID.test(s) && Math.abs(Number(s)) <= 2147483647) ? Int32Array.from(ids, Number) : ids);
  await atomicDirectory(
    path,
    async (d) => (await readdir(d)).every((n) => (FACTOR_TABLE_FILES as readonly string[]).includes(n)),
    async (tmp) => {
      await writeFactorFile(join(tmp, FACTOR_TABLE_FILES[0]), idsOf(model.state.ids.userIds), model.state.userFactors, f, rowGroupSize, false);
      await writeFactorFile(join(tmp, FACTOR_TABLE_FILES[1]), idsOf(model.state.ids.itemIds), model.state.itemFactors, f, rowGroupSize, false);
    },
  );
  return { path, files: FACTOR_TABLE_FILES.map((n) => join(path, n)), rank: f };
}
