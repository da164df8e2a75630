/**
 * Streaming Parquet writer: columns arrive in batches (one row group per batch), each row
 * group is encoded by hyparquet-writer and handed to {@link writeChunks} as soon as it is
 * complete, so a file of any size is written with one batch in memory, atomically (a reader
 * never sees a half-written file; an abort or error leaves no file behind).
 *
 *     const w = await openParquetWriter('recs.parquet', [
 *       { name: 'user', type: 'string' }, { name: 'item', type: 'string' },
 *       { name: 'rating', type: 'float' }, { name: 'rank', type: 'int32' },
 *     ]);
 *     await w.write({ user: ['u1', 'u1'], item: ['a', 'b'], rating: Float32Array.of(4.5, 4.1), rank: Int32Array.of(1, 2) });
 *     await w.close();
 *
 * Types follow what Spark and pyarrow read back: `int32` (INT32), `int64` (INT64), `float`
 * (FLOAT), `double` (DOUBLE), `string` (BYTE_ARRAY, UTF8) and `float-list` (Spark's
 * array<float>: a 3-level LIST of required FLOAT, the layout of an ALSModel's `features`).
 * Codecs: snappy (default, as Spark), gzip (fflate) or none.
 */
import { gzipSync } from 'fflate';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet-writer';
import { InvalidArgumentError } from '../errors.js';
import { writeChunks } from './write-chunks.js';

/** A column's type in a file written by {@link openParquetWriter}. */
export type ParquetColumnType = 'int32' | 'int64' | 'float' | 'double' | 'string' | 'float-list';

/** One column of a file written by {@link openParquetWriter}. */
export interface ParquetColumnSpec {
  /** Column name. */
  name: string;
  /** Value type. */
  type: ParquetColumnType;
  /** Whether the column may hold nulls (default false: REQUIRED; a `float-list` is always an OPTIONAL list of required floats, as Spark writes it). */
  nullable?: boolean;
}

/** A row group's values for one column (all columns of a batch have the same row count). */
export type ParquetColumnValues =
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | readonly (string | null)[]
  | readonly (number | null)[]
  /** A `float-list` column: row r is values[r * width .. (r + 1) * width). */
  | { readonly values: Float32Array; readonly width: number };

/** Options of {@link openParquetWriter}. */
export interface ParquetWriterOptions {
  /** Page compression: 'snappy' (default), 'gzip' or 'none'. */
  codec?: 'snappy' | 'gzip' | 'none';
  /** Key-value metadata stored in the file footer (e.g. Spark's `org.apache.spark.sql.parquet.row.metadata`). */
  metadata?: Readonly<Record<string, string>>;
  /** Name of the schema root (default 'schema'; Spark writes 'spark_schema'). */
  schemaName?: string;
}

/** An open Parquet file: {@link ParquetStreamWriter.write} row groups, then {@link ParquetStreamWriter.close}. */
export interface ParquetStreamWriter {
  /** Rows written so far. */
  readonly rows: number;
  /**
   * Append one row group: a value array per column, by column name, all the same length.
   * The data is encoded before the promise resolves, so the arrays may be reused afterwards.
   * Any error aborts the writer (the temporary file is removed).
   * @throws InvalidArgumentError on a missing column, a length mismatch or a value of the wrong kind.
   */
  write(batch: Readonly<Record<string, ParquetColumnValues>>): Promise<void>;
  /** Write the footer and move the file into place. */
  close(): Promise<void>;
  /** Stop and remove the temporary file (no file is created or replaced). */
  abort(reason?: unknown): Promise<void>;
}

const CODECS = { snappy: 'SNAPPY', gzip: 'GZIP', none: 'UNCOMPRESSED' } as const;

/**
 * Open `path` for a streaming Parquet write (see the module comment). Nothing appears at
 * `path` until {@link ParquetStreamWriter.close} succeeds.
 * @throws InvalidArgumentError on no columns, duplicate names or an unknown type or codec.
 */
export async function openParquetWriter(path: string, columns: readonly ParquetColumnSpec[], options: ParquetWriterOptions = {}): Promise<ParquetStreamWriter> {
  const schema = parquetSchemaOf(columns, options.schemaName ?? 'schema');
  const codecName = options.codec ?? 'snappy';
  const codec = CODECS[codecName];
  if (codec === undefined) throw new InvalidArgumentError(`openParquetWriter: codec must be 'snappy', 'gzip' or 'none', got ${String(codecName)}`);
  const channel = new ChunkChannel();
  const done = writeChunks(path, channel);
  // The producer's failure (or abort) is reported by whoever awaits `done`: keep an unhandled
  // rejection from surfacing before that.
  done.catch(() => undefined);
  const sink = new ChannelWriter(channel);
  const writer = new ParquetWriter({
    writer: sink,
    schema,
    codec,
    compressors: { GZIP: (b: Uint8Array) => gzipSync(b) },
    kvMetadata: options.metadata ? Object.entries(options.metadata).map(([key, value]) => ({ key, value })) : undefined,
    createdBy: 'lowrank',
  });
  let rows = 0;
  let state: 'open' | 'closed' | 'aborted' = 'open';
  const check = (): void => {
    if (state !== 'open') throw new InvalidArgumentError(`ParquetStreamWriter(${path}): the writer is ${state}`);
  };
  return {
    get rows() {
      return rows;
    },
    async write(batch) {
      check();
      let n = 0;
      try {
        const c = columnDataOf(columns, batch, path);
        n = c.n;
        if (n === 0) return;
        await writer.write({ columnData: c.columnData, rowGroupSize: n });
        await sink.drain();
      } catch (e) {
        state = 'aborted';
        channel.fail(e);
        await done.catch(() => undefined);
        throw e;
      }
      rows += n;
    },
    async close() {
      check();
      state = 'closed';
      try {
        await writer.finish();
        await sink.drain();
      } catch (e) {
        channel.fail(e);
        await done.catch(() => undefined);
        throw e;
      }
      channel.end();
      await done;
    },
    async abort(reason) {
      if (state !== 'open') return;
      state = 'aborted';
      channel.fail(reason ?? new Error('aborted'));
      await done.catch(() => undefined);
    },
  };
}

/** The Parquet schema (flattened, depth-first) of `columns`. */
function parquetSchemaOf(columns: readonly ParquetColumnSpec[], root: string): SchemaElement[] {
  if (columns.length === 0) throw new InvalidArgumentError('openParquetWriter: no columns');
  const names = new Set<string>();
  const schema: SchemaElement[] = [{ name: root, num_children: columns.length }];
  for (const c of columns) {
    if (typeof c.name !== 'string' || c.name === '' || names.has(c.name)) throw new InvalidArgumentError(`openParquetWriter: column names must be distinct and non-empty, got '${c.name}'`);
    names.add(c.name);
    const repetition_type = c.nullable ? 'OPTIONAL' : 'REQUIRED';
    switch (c.type) {
      case 'int32':
        schema.push({ name: c.name, type: 'INT32', repetition_type });
        break;
      case 'int64':
        schema.push({ name: c.name, type: 'INT64', repetition_type });
        break;
      case 'float':
        schema.push({ name: c.name, type: 'FLOAT', repetition_type });
        break;
      case 'double':
        schema.push({ name: c.name, type: 'DOUBLE', repetition_type });
        break;
      case 'string':
        schema.push({ name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type });
        break;
      case 'float-list':
        // The standard 3-level list (parquet-format LogicalTypes.md "Lists"), as Spark writes
        // array<float> with containsNull = false.
        schema.push(
          { name: c.name, repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } },
          { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
          { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
        );
        break;
      default:
        throw new InvalidArgumentError(`openParquetWriter: column '${c.name}' has unknown type '${String((c as ParquetColumnSpec).type)}'`);
    }
  }
  return schema;
}

type ColumnData = { name: string; data: Int32Array | Float32Array | Float64Array | BigInt64Array | unknown[] }[];

function columnDataOf(columns: readonly ParquetColumnSpec[], batch: Readonly<Record<string, ParquetColumnValues>>, path: string): { columnData: ColumnData; n: number } {
  const bad = (msg: string): never => {
    throw new InvalidArgumentError(`ParquetStreamWriter(${path}): ${msg}`);
  };
  for (const k of Object.keys(batch)) if (!columns.some((c) => c.name === k)) bad(`batch has a column '${k}' that is not in the schema (${columns.map((c) => c.name).join(', ')})`);
  let n = -1;
  const columnData: ColumnData = [];
  for (const c of columns) {
    const v = batch[c.name];
    if (v === undefined) return bad(`batch has no column '${c.name}'`);
    let data: ColumnData[number]['data'];
    if (c.type === 'float-list') {
      if (!isFloatList(v)) return bad(`column '${c.name}' (float-list) must be { values: Float32Array, width }`);
      const { values, width } = v;
      if (width === 0 ? values.length !== 0 : values.length % width !== 0) return bad(`column '${c.name}': ${values.length} values are not rows of width ${width}`);
      const rows = width === 0 ? (n < 0 ? 0 : n) : values.length / width;
      // hyparquet-writer's Dremel encoder walks plain arrays (Array.isArray): one per row.
      data = Array.from({ length: rows }, (_, r) => Array.from(values.subarray(r * width, (r + 1) * width)));
    } else if (c.type === 'string') {
      if (!Array.isArray(v)) return bad(`column '${c.name}' (string) must be an array of strings`);
      for (const s of v as readonly unknown[]) if (typeof s !== 'string' && !(s === null && c.nullable)) return bad(`column '${c.name}' holds ${s === null ? 'null' : typeof s}, expected string`);
      data = v as unknown[];
    } else if (c.type === 'int64') {
      data = v instanceof BigInt64Array ? v : Array.isArray(v) ? (v as unknown[]).map((x) => (x === null ? null : BigInt(x as number))) : bad(`column '${c.name}' (int64) must be a BigInt64Array or an array of integers`);
    } else {
      const typed = { int32: Int32Array, float: Float32Array, double: Float64Array }[c.type];
      if (v instanceof typed) data = v;
      else if (Array.isArray(v) || ArrayBuffer.isView(v)) data = c.nullable ? Array.from(v as ArrayLike<number | null>) : typed.from(v as ArrayLike<number>);
      else return bad(`column '${c.name}' (${c.type}) must be a ${typed.name}`);
    }
    if (n < 0) n = data.length;
    else if (data.length !== n) return bad(`column '${c.name}' has ${data.length} rows, column '${columns[0]!.name}' has ${n}`);
    columnData.push({ name: c.name, data });
  }
  return { columnData, n: Math.max(0, n) };
}

function isFloatList(v: ParquetColumnValues): v is { readonly values: Float32Array; readonly width: number } {
  return typeof v === 'object' && v !== null && 'values' in v && v.values instanceof Float32Array && 'width' in v && Number.isInteger(v.width) && v.width >= 0;
}

/** An async iterable of byte chunks fed by a producer, for {@link writeChunks}. */
class ChunkChannel implements AsyncIterable<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private ended = false;
  private error: { e: unknown } | undefined;
  private wake: (() => void) | undefined;
  private drained: (() => void) | undefined;

  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
    this.notify();
  }
  end(): void {
    this.ended = true;
    this.notify();
  }
  fail(e: unknown): void {
    this.error = { e };
    this.notify();
  }
  /** Resolves when the consumer has taken every queued chunk (or the channel failed). */
  empty(): Promise<void> {
    if (this.queue.length === 0 || this.error) return Promise.resolve();
    return new Promise((resolve) => (this.drained = resolve));
  }
  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
    if (this.error) {
      const d = this.drained;
      this.drained = undefined;
      d?.();
    }
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.error) throw this.error.e;
      const c = this.queue.shift();
      if (c !== undefined) {
        yield c;
        continue;
      }
      if (this.queue.length === 0) {
        const d = this.drained;
        this.drained = undefined;
        d?.();
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

/** hyparquet-writer's ByteWriter whose bytes go to a channel after each row group (its `flush` hook) and at the end. */
class ChannelWriter extends ByteWriter {
  constructor(private readonly channel: ChunkChannel) {
    super(1 << 16);
  }
  flush(): void {
    if (this.index > 0) {
      this.channel.push(new Uint8Array(this.buffer.slice(0, this.index)));
      this.index = 0;
    }
  }
  override finish(): void {
    this.flush();
  }
  /** Wait until the file has taken the bytes handed over so far (back-pressure: one row group in flight). */
  drain(): Promise<void> {
    this.flush();
    return this.channel.empty();
  }
}
