/**
 * A minimal reader for the .npy files the Lab ships (C order; uint8, int64 or float64,
 * little-endian). The library's own reader lives in src/io with Node's file I/O, so the
 * page decodes its few assets here.
 */
export interface NpyData {
  readonly shape: number[];
  readonly data: Float64Array;
}

/** Decode .npy bytes; throws for formats the Lab does not ship. */
export function parseNpyBytes(bytes: ArrayBuffer): NpyData {
  const u8 = new Uint8Array(bytes);
  if (u8[0] !== 0x93 || String.fromCharCode(...u8.subarray(1, 6)) !== 'NUMPY') throw new Error('not a .npy file');
  const major = u8[6]!;
  const view = new DataView(bytes);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(u8.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (fortran) throw new Error('Fortran-order .npy is not supported here');
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  const data = new Float64Array(count);
  if (descr === '|u1') for (let i = 0; i < count; i++) data[i] = u8[offset + i]!;
  else if (descr === '<i8') for (let i = 0; i < count; i++) data[i] = Number(view.getBigInt64(offset + 8 * i, true));
  else if (descr === '<f8') for (let i = 0; i < count; i++) data[i] = view.getFloat64(offset + 8 * i, true);
  else throw new Error(`dtype ${descr ?? '?'} is not supported here`);
  return { shape, data };
}

/** Fetch and decode a .npy asset. */
export async function fetchNpy(url: string): Promise<NpyData> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return parseNpyBytes(await res.arrayBuffer());
}
