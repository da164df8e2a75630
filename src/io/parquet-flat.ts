/**
 * A faster path for flat Parquet columns (no lists or structs: every ratings and matrix
 * column): the pages of a column chunk are decoded with hyparquet's own page readers
 * (header, decompression, levels, PLAIN / dictionary / delta values, type conversion) and
 * the values go straight into one typed array per row group. hyparquet's `parquetRead`
 * assembles every value into a JavaScript array first (its Dremel assembly, general enough
 * for nested data), which took two thirds of the time of reading a ratings file; here a
 * dictionary-encoded page is looked up directly into the output and a page without nulls
 * (its definition levels all at the maximum) is copied as a block.
 */
import { parquetHeader, readPage } from 'hyparquet/src/column.js';
import { convert, convertWithDictionary, DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { getMaxDefinitionLevel, getSchemaPath, isFlatColumn } from 'hyparquet/src/schema.js';
import type { AsyncBuffer, ColumnMetaData, DecodedArray, FileMetaData } from 'hyparquet';
import type { ColumnDecoder } from 'hyparquet/src/types.js';
import { compressors } from 'hyparquet-compressors';
import { ParseError } from '../errors.js';

type Out = Int32Array | Float32Array | Float64Array | BigInt64Array | unknown[];

/** Whether every column in `names` is a flat top-level column this path decodes. */
export function flatColumns(metadata: FileMetaData, names: readonly string[]): boolean {
  return names.every((n) => {
    const path = getSchemaPath(metadata.schema, [n]);
    return path.length === 2 && isFlatColumn(path) && path[1]!.element.type !== undefined;
  });
}

/**
 * The values of column `name` in row group `g` (`rows` rows): a typed array for numeric
 * columns without conversion, else an array.
 * @throws ParseError naming the file, column and row on a null (ratings and matrices have
 *   no missing values) or a column chunk that holds fewer values than the row group.
 */
export async function readFlatColumn(file: AsyncBuffer, fileName: string, metadata: FileMetaData, g: number, name: string, rowBase: number): Promise<Out> {
  const rg = metadata.row_groups[g]!;
  const rows = Number(rg.num_rows);
  const chunk = rg.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name);
  const meta = chunk?.meta_data;
  if (!meta) throw new ParseError(fileName, {}, `row group ${g + 1} has no column chunk for '${name}'`);
  const buffer = await chunkBytes(file, fileName, meta, name, g);
  const schemaPath = getSchemaPath(metadata.schema, [name]);
  const element = schemaPath[1]!.element;
  const decoder: ColumnDecoder = { pathInSchema: [name], type: meta.type, element, schemaPath, codec: meta.codec, parsers: DEFAULT_PARSERS, compressors, utf8: true };
  const maxDef = getMaxDefinitionLevel(schemaPath);
  let out: Out | undefined;
  let row = 0;
  const alloc = (like: DecodedArray): Out => {
    if (like instanceof Int32Array) return new Int32Array(rows);
    if (like instanceof Float32Array) return new Float32Array(rows);
    if (like instanceof Float64Array) return new Float64Array(rows);
    if (like instanceof BigInt64Array) return new BigInt64Array(rows);
    return new Array<unknown>(rows);
  };
  for (const { definitionLevels: levels, data, encoding, dictionary } of dataPages(buffer, decoder, () => row < rows)) {
    const count = levels.length > 0 ? levels.length : data.length;
    if (row + count > rows) throw new ParseError(fileName, {}, `column '${name}', row group ${g + 1}: pages hold more values than the row group's ${rows} rows`);
    if (levels.length > 0) {
      const k = levels.findIndex((d) => d < maxDef);
      if (k >= 0) throw new ParseError(fileName, {}, `column '${name}', row ${rowBase + row + k + 1}: null (drop or fill missing values first)`);
    }
    const dict = dictionary !== undefined && encoding.endsWith('_DICTIONARY');
    if (dict) {
      out ??= alloc(dictionary!);
      const o = out as unknown[] & Float64Array;
      const d = dictionary as ArrayLike<unknown> & Float64Array;
      const idx = data as ArrayLike<number>;
      for (let k = 0; k < count; k++) o[row + k] = d[idx[k]!]!;
    } else {
      const values = convertWithDictionary(data, dictionary, encoding as never, decoder);
      out ??= alloc(values);
      if (!Array.isArray(out) && !Array.isArray(values) && out.constructor === values.constructor) (out as Float64Array).set(values as Float64Array, row);
      else for (let k = 0; k < count; k++) (out as unknown[])[row + k] = values[k];
    }
    row += count;
  }
  if (row !== rows) throw new ParseError(fileName, {}, `column '${name}', row group ${g + 1}: ${row} values for ${rows} rows`);
  return out ?? [];
}

/**
 * Whether `name` is a list of FLOAT / DOUBLE values in the standard 3-level layout (Spark's
 * and pyarrow's array<float>), which {@link readFixedListColumn} decodes.
 */
export function floatListColumn(metadata: FileMetaData, name: string): string[] | undefined {
  const cc = metadata.row_groups[0]?.columns.find((c) => c.meta_data?.path_in_schema[0] === name);
  const path = cc?.meta_data?.path_in_schema;
  if (!path || path.length !== 3) return undefined;
  const schemaPath = getSchemaPath(metadata.schema, path);
  const leaf = schemaPath[3]?.element;
  if (schemaPath.length !== 4 || schemaPath[2]!.element.repetition_type !== 'REPEATED' || (leaf?.type !== 'FLOAT' && leaf?.type !== 'DOUBLE')) return undefined;
  return path;
}

/**
 * Row group `g` of a list-of-floats column whose every row holds exactly `width` values,
 * as one row-major Float32Array (rows x width): the leaf's values are consecutive, so the
 * pages are copied as blocks after checking the levels (a new row exactly every `width`
 * values, no null or empty list). Returns undefined when a row is null, empty or of another
 * length (the caller then takes hyparquet's general path, which reports it).
 */
export async function readFixedListColumn(file: AsyncBuffer, fileName: string, metadata: FileMetaData, g: number, path: readonly string[], width: number): Promise<Float32Array | undefined> {
  const rg = metadata.row_groups[g]!;
  const rows = Number(rg.num_rows);
  const meta = rg.columns.find((c) => c.meta_data?.path_in_schema.join('\u0000') === path.join('\u0000'))?.meta_data;
  if (!meta || width < 1) return undefined;
  const buffer = await chunkBytes(file, fileName, meta, path[0]!, g);
  const schemaPath = getSchemaPath(metadata.schema, [...path]);
  const decoder: ColumnDecoder = { pathInSchema: [...path], type: meta.type, element: schemaPath[3]!.element, schemaPath, codec: meta.codec, parsers: DEFAULT_PARSERS, compressors, utf8: true };
  const maxDef = getMaxDefinitionLevel(schemaPath);
  const out = new Float32Array(rows * width);
  let t = 0; // values so far
  for (const { definitionLevels: defs, repetitionLevels: rep, data, encoding, dictionary } of dataPages(buffer, decoder, () => t < out.length)) {
    // Every list present and every element defined: all definition levels at the maximum
    // (v1 pages drop them then; v2 pages keep them).
    for (let k = 0; k < defs.length; k++) if (defs[k] !== maxDef) return undefined;
    const n = data.length;
    if (t + n > out.length || rep.length !== n) return undefined;
    for (let k = 0; k < n; k++) if ((rep[k] === 0) !== ((t + k) % width === 0)) return undefined;
    if (dictionary !== undefined && encoding.endsWith('_DICTIONARY')) {
      const d = dictionary as ArrayLike<number>;
      const idx = data as ArrayLike<number>;
      for (let k = 0; k < n; k++) out[t + k] = d[idx[k]!]!;
    } else if (data instanceof Float32Array || data instanceof Float64Array) {
      out.set(data, t);
    } else {
      return undefined;
    }
    t += n;
  }
  return t === out.length ? out : undefined;
}

/** A decoded data page of a column chunk, with the chunk's dictionary (if it has one). */
interface DecodedPage {
  definitionLevels: number[];
  repetitionLevels: number[];
  data: DecodedArray;
  encoding: string;
  dictionary: DecodedArray | undefined;
}

/**
 * The data pages of the column chunk in `buffer`, decompressed and decoded (levels, values,
 * encoding) by hyparquet's page readers; the dictionary page is decoded on the way and
 * carried along, other pages (index pages) are skipped. Reads the next page only while
 * `more()` holds.
 */
function* dataPages(buffer: ArrayBuffer, decoder: ColumnDecoder, more: () => boolean): Generator<DecodedPage> {
  const reader = { view: new DataView(buffer), offset: 0 };
  let dictionary: DecodedArray | undefined;
  while (more() && reader.offset < reader.view.byteLength - 1) {
    const header = parquetHeader(reader);
    if (header.type === 'DICTIONARY_PAGE') {
      const { data } = readPage(reader, header, decoder, undefined, undefined, 0);
      if (data) dictionary = convert(data, decoder);
      continue;
    }
    if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') {
      reader.offset += header.compressed_page_size;
      continue;
    }
    const compressed = new Uint8Array(reader.view.buffer, reader.view.byteOffset + reader.offset, header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    const r =
      header.type === 'DATA_PAGE'
        ? readDataPage(decompressPage(compressed, Number(header.uncompressed_page_size), decoder.codec, compressors), header.data_page_header!, decoder)
        : readDataPageV2(compressed, header, decoder);
    const encoding = header.type === 'DATA_PAGE' ? header.data_page_header!.encoding : header.data_page_header_v2!.encoding;
    yield { definitionLevels: r.definitionLevels ?? [], repetitionLevels: r.repetitionLevels, data: r.dataPage, encoding, dictionary };
  }
}

/** The bytes of a column chunk, its byte range checked against the file first. */
async function chunkBytes(file: AsyncBuffer, fileName: string, meta: ColumnMetaData, column: string, g: number): Promise<ArrayBuffer> {
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const end = start + Number(meta.total_compressed_size);
  if (!(start >= 0 && end <= file.byteLength && end > start)) throw new ParseError(fileName, {}, `column '${column}', row group ${g + 1}: byte range ${start}..${end} lies outside the file (${file.byteLength} bytes)`);
  return file.slice(start, end);
}
