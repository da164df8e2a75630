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
import type { AsyncBuffer, DecodedArray, FileMetaData } from 'hyparquet';
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
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const end = start + Number(meta.total_compressed_size);
  if (!(start >= 0 && end <= file.byteLength && end > start)) throw new ParseError(fileName, {}, `column '${name}', row group ${g + 1}: byte range ${start}..${end} lies outside the file (${file.byteLength} bytes)`);
  const buffer = await file.slice(start, end);
  const schemaPath = getSchemaPath(metadata.schema, [name]);
  const element = schemaPath[1]!.element;
  const decoder: ColumnDecoder = { pathInSchema: [name], type: meta.type, element, schemaPath, codec: meta.codec, parsers: DEFAULT_PARSERS, compressors, utf8: true };
  const maxDef = getMaxDefinitionLevel(schemaPath);
  const reader = { view: new DataView(buffer), offset: 0 };
  let dictionary: DecodedArray | undefined;
  let out: Out | undefined;
  let row = 0;
  const alloc = (like: DecodedArray): Out => {
    if (like instanceof Int32Array) return new Int32Array(rows);
    if (like instanceof Float32Array) return new Float32Array(rows);
    if (like instanceof Float64Array) return new Float64Array(rows);
    if (like instanceof BigInt64Array) return new BigInt64Array(rows);
    return new Array<unknown>(rows);
  };
  while (row < rows && reader.offset < reader.view.byteLength - 1) {
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
    let levels: number[];
    let data: DecodedArray;
    let encoding: string;
    if (header.type === 'DATA_PAGE') {
      const daph = header.data_page_header!;
      const page = decompressPage(compressed, Number(header.uncompressed_page_size), meta.codec, compressors);
      const r = readDataPage(page, daph, decoder);
      levels = r.definitionLevels ?? [];
      data = r.dataPage;
      encoding = daph.encoding;
    } else {
      const r = readDataPageV2(compressed, header, decoder);
      levels = r.definitionLevels ?? [];
      data = r.dataPage;
      encoding = header.data_page_header_v2!.encoding;
    }
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
